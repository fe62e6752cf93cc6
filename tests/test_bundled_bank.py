"""The bank that ships with aifprep must always be valid and balanced."""

from collections import Counter


from aifprep import paths
from aifprep.bank import bundled_files, check_files
from aifprep.domains import DOMAINS


def load():
    content = check_files(bundled_files(paths.bundled_questions_dir()))
    return content.questions, content.issues


def test_bundled_bank_has_no_problems():
    _, issues = load()
    assert [str(i) for i in issues] == []


def test_one_file_per_domain():
    files = bundled_files(paths.bundled_questions_dir())
    names = sorted(p.stem for p in files if p.parent.name != "flashcards")
    assert names == sorted(d.slug for d in DOMAINS)


def test_each_domain_has_twenty_questions_of_every_type():
    questions, _ = load()
    for d in DOMAINS:
        mine = [q for q in questions if q.domain == d.slug]
        assert len(mine) >= 20, d.slug
        assert set(Counter(q.kind for q in mine)) == {"single", "multiple", "ordering", "matching"}, d.slug




def test_bundled_bank_meets_the_quality_rules():
    from aifprep.report import validate_paths

    report = validate_paths([], [])
    assert [str(i) for i in report.issues] == []
    assert report.longest_key.share <= 0.35


def test_bundled_bank_balance_follows_the_exam():
    from aifprep.lint import MIN_PER_DOMAIN, MIN_PER_TASK, MIN_TYPE_SHARE

    questions, _ = load()
    assert len(questions) >= 650
    per_domain = Counter(q.domain for q in questions)
    per_task = Counter(q.task for q in questions)
    for d in DOMAINS:
        assert per_domain[d.slug] >= MIN_PER_DOMAIN[d.slug], d.slug
        for task in d.tasks:
            assert per_task[task] >= MIN_PER_TASK, task
    kinds = Counter(q.kind for q in questions)
    for kind, share in MIN_TYPE_SHARE.items():
        assert kinds[kind] >= share * len(questions), kind


def test_every_bundled_question_teaches():
    questions, _ = load()
    for q in questions:
        assert q.explanation and q.references and q.difficulty in (1, 2, 3), q.id
        assert "fraud detector" not in (q.stem + q.explanation).lower() or \
            "not" in q.explanation.lower(), q.id


CLOSED_SERVICES = ("Kendra", "Forecast", "Fraud Detector", "Clarify", "Augmented AI",
                   "Audit Manager", "Q Business", "Model Monitor")


def test_the_bundled_deck_covers_every_task_statement():
    from aifprep.lint import MIN_CARDS_PER_TASK, MIN_DECK

    cards = check_files(bundled_files(paths.bundled_questions_dir())).cards
    assert len(cards) >= MIN_DECK
    per_task = Counter(c.task for c in cards)
    for d in DOMAINS:
        for task in d.tasks:
            assert per_task[task] >= MIN_CARDS_PER_TASK, task
    for card in cards:
        assert card.references and card.tags[0] in ("service", "concept"), card.id
        if card.tags[0] == "service":
            assert card.confused_with, card.id


def test_cards_for_closed_services_say_so():
    cards = check_files(bundled_files(paths.bundled_questions_dir())).cards
    closed = [c for c in cards if c.tags[0] == "service"
              and any(name in c.front for name in CLOSED_SERVICES)]
    assert len(closed) >= 6, [c.front for c in closed]
    for card in closed:
        assert "new customers" in card.back.lower() or "closed" in card.back.lower(), card.id


def test_references_are_english_documentation_pages():
    import re

    content = check_files(bundled_files(paths.bundled_questions_dir()))
    foreign = re.compile(r"docs\.aws\.amazon\.com/[a-z]{2}_[a-z]{2}/|amazonaws\.cn|\.md$")
    for item in list(content.questions) + list(content.cards):
        for ref in item.references:
            assert not foreign.search(ref), (item.id, ref)
