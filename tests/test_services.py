"""The service catalog: parsing it, finding the services a text names, and the notes and
validate rules built from it."""

import re
import textwrap
from dataclasses import replace


from conftest import make_card, make_matching, make_single

from aifprep import paths
from aifprep.bank import SERVICES_FILE, bundled_files, load_bank, parse_catalog
from aifprep.lint import catalog_issues
from aifprep.model import Choice, Pair
from aifprep.services import Catalog, Service

GROUND_TRUTH = Service("Amazon SageMaker Ground Truth", "closed", "https://docs.aws.amazon.com/gt",
                       "2026-11-29", aliases=("SageMaker Ground Truth",))
SAGEMAKER = Service("Amazon SageMaker AI", "available", "https://docs.aws.amazon.com/sm", "2026-11-29",
                    aliases=("Amazon SageMaker", "SageMaker AI", "SageMaker"))
KENDRA = Service("Amazon Kendra", "closed", "https://docs.aws.amazon.com/k", "2026-11-29",
                 aliases=("Kendra",), since="2026-07-30", instead="Amazon Bedrock Knowledge Bases")
MTURK = Service("Amazon Mechanical Turk", "retired", "https://docs.aws.amazon.com/m", "2026-11-29",
                since="2026-09-30")
QUICKSIGHT = Service("Amazon QuickSight", "renamed", "https://docs.aws.amazon.com/q", "2026-11-29",
                     renamed_to="Amazon Quick Sight")
CATALOG = Catalog((GROUND_TRUTH, SAGEMAKER, KENDRA, MTURK, QUICKSIGHT), ("AWS Region",))


def test_the_longest_name_wins_at_each_position():
    found = CATALOG.named_in("Label it with Amazon SageMaker Ground Truth, then train in SageMaker.")
    assert [s.name for s in found] == ["Amazon SageMaker Ground Truth", "Amazon SageMaker AI"]


def test_names_match_whole_words_and_case_and_wrapped_lines():
    assert CATALOG.named_in("kendra-like search; a Kendrick lamp; KENDRA") == []
    assert [s.name for s in CATALOG.named_in("Amazon SageMaker\n      Ground Truth")] == [GROUND_TRUTH.name]


def test_notes_say_closed_retired_or_renamed_once_per_service():
    notes = CATALOG.notes("Kendra and Amazon Kendra", "Amazon Mechanical Turk", "Amazon QuickSight",
                          "Amazon SageMaker AI")
    assert notes == [
        "Amazon Kendra is closed to new customers (since 2026-07-30); existing customers can keep "
        "using it. AWS points new customers to Amazon Bedrock Knowledge Bases.",
        "Amazon Mechanical Turk was retired on 2026-09-30.",
        "Amazon QuickSight is now Amazon Quick Sight.",
    ]
    assert CATALOG.notes("Amazon SageMaker Ground Truth") == [
        "Amazon SageMaker Ground Truth is closed to new customers; existing customers can keep using it."]


def test_unknown_names_skip_catalog_names_and_listed_exceptions():
    text = "Use Amazon Kendra in one AWS Region with Amazon Frobnicator Pro, not AWS Region."
    assert CATALOG.unknown_names(text) == ["Amazon Frobnicator Pro"]


def test_a_key_naming_a_closed_service_is_an_error_unless_about_existing_users():
    q = replace(make_single("gt"), options=(Choice("Amazon SageMaker Ground Truth", True, "w"),)
                + make_single().options[1:])
    errors, _ = catalog_issues([q], [], CATALOG)
    assert len(errors) == 1 and "the key names Amazon SageMaker Ground Truth, which is closed to " \
                                  "new customers" in errors[0].message
    assert catalog_issues([replace(q, existing_users=True)], [], CATALOG)[0] == []
    distractor_only = replace(q, options=(replace(q.options[1], correct=True),
                                          replace(q.options[0], correct=False)) + q.options[2:])
    assert catalog_issues([distractor_only], [], CATALOG)[0] == []


def test_a_matching_answer_counts_as_a_key():
    m = make_matching("m")
    m = replace(m, pairs=(Pair("crowd labelers", "Amazon Mechanical Turk", "w"),) + m.pairs[1:])
    errors, _ = catalog_issues([m], [], CATALOG)
    assert [e.qid for e in errors] == ["m"] and "retired since 2026-09-30" in errors[0].message


def test_unknown_and_former_names_are_warnings():
    q = make_single("q", stem="Amazon Frobnicator feeds Amazon QuickSight dashboards.")
    card = make_card("c", back="Amazon Quick Sight, formerly Amazon QuickSight, shows charts.")
    errors, warnings = catalog_issues([q], [card], CATALOG)
    assert errors == []
    assert [(w.qid, w.message) for w in warnings] == [
        ("q", "warning: 'Amazon Frobnicator' is not in the service catalog (questions/services.yaml); "
              "add it or correct the name"),
        ("q", "warning: Amazon QuickSight is now Amazon Quick Sight; use the current name"),
        ("c", "warning: 'Amazon Quick Sight' is not in the service catalog (questions/services.yaml); "
              "add it or correct the name"),
    ]


def test_catalog_file_is_checked_entry_by_entry(tmp_path):
    path = tmp_path / SERVICES_FILE
    path.write_text(textwrap.dedent("""\
        services:
          - name: Amazon Good
            status: available
            page: https://aws.amazon.com/good/
            checked: 2026-11-29
          - name: Amazon Bad
            status: sunset
            page: http://example.com
            checked: yesterday
            colour: red
          - name: Amazon Old
            status: renamed
            page: https://aws.amazon.com/old/
            checked: "2026-11-29"
          - name: Amazon Good
            status: available
            page: https://aws.amazon.com/good/
            checked: "2026-11-29"
        not_services: [AWS Region]
        """))
    catalog, issues = parse_catalog(path)
    assert [s.name for s in catalog.services] == ["Amazon Good"]
    assert catalog.by_name["Amazon Good"].checked == "2026-11-29"  # an unquoted date is fine
    text = [f"{i.line}: {i.qid}: {i.message}" for i in issues]
    assert "10: Amazon Bad: unknown key 'colour'" in text
    assert "7: Amazon Bad: 'status' must be one of available, closed, retired, renamed" in text
    assert "8: Amazon Bad: 'page' must be an https:// address" in text
    assert "9: Amazon Bad: 'checked' must be a date, YYYY-MM-DD" in text
    assert "11: Amazon Old: a renamed service needs 'renamed_to'" in text
    assert "15: Amazon Good: name 'Amazon Good' is already used (line 2)" in text


def test_the_bundled_catalog_is_valid_and_records_its_checks():
    folder = paths.bundled_questions_dir()
    catalog, issues = parse_catalog(folder / SERVICES_FILE)
    assert issues == []
    assert len(catalog.services) >= 100
    assert all(s.page.startswith("https://") and s.checked for s in catalog.services)
    foreign = re.compile(r"docs\.aws\.amazon\.com/[a-z]{2}_[a-z]{2}/|amazonaws\.cn|\.md$")
    assert [s.page for s in catalog.services if foreign.search(s.page)] == []
    closed = {s.name for s in catalog.services if s.restricted}
    assert {"Amazon SageMaker Ground Truth", "Amazon Kendra", "Amazon Q Business",
            "Amazon Bedrock Agents Classic", "Amazon Mechanical Turk"} <= closed
    assert (folder / SERVICES_FILE) not in bundled_files(folder)  # not a question file


def test_the_loaded_bank_carries_the_catalog_also_from_its_cache(tmp_path):
    folder = paths.bundled_questions_dir()
    first = load_bank(folder, [], cache=tmp_path)
    again = load_bank(folder, [], cache=tmp_path)
    assert list(tmp_path.glob("bank-*.pickle"))
    for bank in (first, again):
        assert bank.catalog.by_name["Amazon Kendra"].status == "closed"
        assert bank.catalog.notes("Amazon Kendra")


def _render(renderable) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_feedback_walk_through_and_flashcards_share_one_note_from_the_catalog():
    from aifprep.grading import grade_answer
    from aifprep.mock import ExamItem
    from aifprep.services import current_catalog, use_catalog
    from aifprep.ui.feedback_render import feedback_body
    from aifprep.ui.flashcard_screen import answer_side
    from aifprep.ui.mock_render import item_body

    q = make_single("k", stem="Which service did the team use with Amazon Kendra?")
    grade = grade_answer(q, (0,))
    note = "Amazon Kendra is closed to new customers (since 2026-07-30)"
    assert note in _render(feedback_body(q, (0, 1, 2, 3), (0,), catalog=CATALOG))
    assert note not in _render(feedback_body(q, (0, 1, 2, 3), (0,), catalog=Catalog()))
    card = make_card("kendra", front="Amazon Kendra", back="Searches documents.")
    assert note in _render(answer_side(card, False, CATALOG))
    plain = make_card("plain", front="Amazon SageMaker AI", back="Trains models.")
    assert "Availability" not in _render(answer_side(plain, False, CATALOG))
    before = current_catalog()
    try:  # the walk-through and the screens use the loaded bank's catalog
        use_catalog(CATALOG)
        item = ExamItem(1, q, (0,), grade, True, False, 12.0)
        assert note in _render(item_body(item, 7))
        assert note in _render(answer_side(card, False))
    finally:
        use_catalog(before)


def test_loading_the_bank_makes_its_catalog_current(tmp_path):
    from aifprep.services import current_catalog

    bank = load_bank(paths.bundled_questions_dir(), [], cache=tmp_path)
    assert current_catalog() is bank.catalog
