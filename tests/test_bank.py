import textwrap
from pathlib import Path

import pytest

from aifprep.bank import BankError, check_files, load_bank, parse_file
from aifprep.model import Ordering, SingleChoice


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def messages(issues) -> list[str]:
    return [str(i) for i in issues]


def test_valid_pack_loads_into_typed_questions(pack_file):
    content = parse_file(pack_file)
    questions, issues = content.questions, content.issues
    assert issues == []
    single, ordering = questions
    assert isinstance(single, SingleChoice) and single.domain == "security" and single.task == "5.1"
    assert single.key == frozenset({0})
    assert isinstance(ordering, Ordering) and [s.text for s in ordering.steps] == ["first", "second", "third"]
    assert single.line == 3 and single.source == str(pack_file)


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, """\
        domain: security
        questions:
          - id: a
            question: [unclosed
        """)
    issues = parse_file(path).issues
    assert len(issues) == 1
    assert issues[0].file == str(path) and issues[0].line >= 4
    assert "invalid YAML" in issues[0].message


def test_every_error_is_reported_with_line_and_id(tmp_path):
    path = write(tmp_path, """\
        domain: security
        questions:
          - id: bad-task
            task: "1.1"
            type: single
            question: Which?
            options:
              - {text: a, correct: true, why: x}
              - {text: b, correct: false, why: x}
              - {text: c, correct: false, why: x}
              - {text: d, correct: false, why: x}
            explanation: e
            references: [https://docs.aws.amazon.com/x]
          - id: typo-key
            task: "5.1"
            type: single
            question: Which?
            explaination: e
            options:
              - {text: a, correct: true, why: x}
              - {text: b, correct: yes please, why: x}
              - {text: c, correct: false}
            references: [https://docs.aws.amazon.com/x]
        """)
    issues = parse_file(path).issues
    text = "\n".join(messages(issues))
    assert f"{path}:4: bad-task: task 1.1 is not in domain security" in text
    assert f"{path}:18: typo-key: unknown key 'explaination' (did you mean 'explanation'?)" in text
    assert "typo-key: missing 'explanation'" in text
    assert "'options[1].correct' must be true or false" in text
    assert "typo-key: missing 'options[2].why'" in text
    assert "exactly 4 options with 1 correct; it has 3" in text


def test_multiple_stem_must_state_how_many(tmp_path):
    path = write(tmp_path, """\
        domain: genai
        questions:
          - id: m1
            task: "2.1"
            type: multiple
            question: Which are true? (Select THREE.)
            options:
              - {text: a, correct: true, why: x}
              - {text: b, correct: true, why: x}
              - {text: c, correct: false, why: x}
              - {text: d, correct: false, why: x}
              - {text: e, correct: false, why: x}
            explanation: e
            references: [https://docs.aws.amazon.com/x]
          - id: m2
            task: "2.1"
            type: multiple
            question: Which are true?
            options:
              - {text: a, correct: true, why: x}
              - {text: b, correct: true, why: x}
              - {text: c, correct: false, why: x}
              - {text: d, correct: false, why: x}
              - {text: e, correct: false, why: x}
            explanation: e
            references: [https://docs.aws.amazon.com/x]
        """)
    issues = parse_file(path).issues
    assert any("m1: the stem says select three but 2 options are correct" in m for m in messages(issues))
    assert any("m2: the stem must say how many to pick (e.g. 'Select TWO.')" in m for m in messages(issues))


def test_matching_and_ordering_size_rules(tmp_path):
    path = write(tmp_path, """\
        domain: ai-ml
        questions:
          - id: short-order
            task: "1.3"
            type: ordering
            question: Order
            items: [{text: a, why: x}, {text: b, why: x}]
            explanation: e
            references: [https://docs.aws.amazon.com/x]
          - id: bad-match
            task: "1.2"
            type: matching
            question: Match
            pairs:
              - {prompt: p1, answer: A, why: x}
              - {prompt: p2, answer: B, why: x}
              - {prompt: p3, answer: C, why: x}
            distractors: [{text: A, why: x}]
            explanation: e
            references: [https://docs.aws.amazon.com/x]
        """)
    issues = parse_file(path).issues
    text = "\n".join(messages(issues))
    assert "short-order: an ordering question needs 3-5 items; it has 2" in text
    assert "bad-match: distractor 'A' is also the answer of a pair" in text


def test_duplicate_ids_across_files_name_both_places(tmp_path, pack_file):
    copy = write(tmp_path, pack_file.read_text(), "copy.yaml")
    issues = check_files([pack_file, copy]).issues
    assert any(i.qid == "pack-kms" and "duplicate question id" in i.message and str(pack_file) in i.message
               for i in issues)


def test_wrong_top_level_shapes(tmp_path):
    assert "must be a mapping" in parse_file(write(tmp_path, "- just a list\n")).issues[0].message
    issues = parse_file(write(tmp_path, "domain: nope\nquestions: []\n", "b.yaml")).issues
    assert "'domain' must be one of ai-ml, genai" in issues[0].message
    issues = parse_file(write(tmp_path, "domain: genai\nquestions: []\nextra: 1\n", "c.yaml")).issues
    assert "unknown key 'extra'" in issues[0].message


def test_load_bank_refuses_a_broken_pack(tmp_path, pack_file):
    broken = write(tmp_path, "domain: genai\nquestions:\n  - id: x\n", "broken.yaml")
    with pytest.raises(BankError) as err:
        load_bank(pack_file.parent, [broken])
    assert str(broken) in str(err.value)


def test_cached_bank_is_reused_and_refreshed_when_a_file_changes(tmp_path, pack_file):
    cache = tmp_path / "bank-cache"
    first = load_bank(pack_file.parent, [], cache=cache)
    assert len(list(cache.glob("bank-*.pickle"))) == 1
    again = load_bank(pack_file.parent, [], cache=cache)
    assert again.by_id.keys() == first.by_id.keys()
    pack_file.write_text(pack_file.read_text().replace("pack-order", "pack-order-2"))
    changed = load_bank(pack_file.parent, [], cache=cache)
    assert "pack-order-2" in changed.by_id


def test_markup_in_question_text_stays_literal(tmp_path, pack_file):
    pack_file.write_text(pack_file.read_text().replace("Which service", "Which [bold]service[/bold]"))
    questions = parse_file(pack_file).questions
    assert "[bold]service[/bold]" in questions[0].stem


# --- flashcards -----------------------------------------------------------------------------

def test_a_card_pack_loads_beside_the_bank(tmp_path):
    from conftest import CARD_PACK

    path = write(tmp_path, CARD_PACK, "cards.yaml")
    content = parse_file(path)
    assert content.issues == [] and content.questions == []
    kms = content.cards[0]
    assert (kms.id, kms.domain, kms.task, kms.front) == ("pack-card-kms", "security", "5.1", "AWS KMS")
    assert kms.confused_with.startswith("Amazon Macie:") and kms.hint == "Keys."
    assert content.cards[1].hint is None and content.cards[1].tags == ()


def test_broken_cards_name_file_line_id_and_field(tmp_path):
    text = ("domain: genai\ncards:\n"
            "  - id: c1\n    task: \"2.1\"\n    front: Token\n    references: [https://x]\n"
            "  - id: c2\n    task: \"9.9\"\n    front: Embedding\n    back: numbers\n"
            "    references: [https://x]\n    colour: red\n"
            "  - id: c3\n    task: \"2.1\"\n    front: " + "x" * 90 + "\n    back: b\n    references: [https://x]\n")
    issues = [str(i) for i in parse_file(write(tmp_path, text)).issues]
    assert any(i.endswith(":3: c1: missing 'back'") for i in issues), issues
    assert any(":8: c2: task 9.9 is not in domain genai" in i for i in issues)
    assert any(":12: c2: unknown key 'colour'" in i for i in issues)
    assert any(": c3: 'front' has 90 characters" in i for i in issues)


def test_card_rules_catch_a_back_that_names_its_front_and_repeated_fronts():
    from conftest import make_card

    from aifprep.lint import card_issues, card_term

    assert card_term("Amazon Textract") == "Textract"
    assert card_term("Recall (classification metric)") == "Recall"
    named = make_card("c1", front="Amazon Textract", back="Textract reads forms.")
    fine = make_card("c2", front="Amazon Comprehend", back="Finds entities in text.")
    twin = make_card("c3", front="amazon  comprehend", back="Sentiment and entities.")
    messages = [f"{i.qid}: {i.message}" for i in card_issues([named, fine, twin])]
    assert any(m.startswith("c1: the back names the front") for m in messages)
    assert any(m.startswith("c3: same front as c2") for m in messages)
    assert len(messages) == 2


def test_duplicate_card_ids_across_files(tmp_path):
    from conftest import CARD_PACK

    a, b = write(tmp_path, CARD_PACK, "a.yaml"), write(tmp_path, CARD_PACK, "b.yaml")
    issues = check_files([a, b]).issues
    assert any("duplicate card id" in i.message and i.qid == "pack-card-kms" for i in issues)


PLAIN_PACK = """\
    domain: genai
    questions:
      - id: plain-order
        task: "2.1"
        type: ordering
        question: Put the steps in order.
        items:
          - {text: Collect data}
          - {text: Train, why: After the data exists.}
          - {text: Deploy}
        explanation: e
        references: [https://docs.aws.amazon.com/x.html]
      - id: plain-match
        task: "2.3"
        type: matching
        question: Match each need to a service.
        pairs:
          - {prompt: Speech to text, answer: Amazon Transcribe}
          - {prompt: Text to speech, answer: Amazon Polly, why: Polly speaks.}
          - {prompt: Translate text, answer: Amazon Translate}
        distractors:
          - Amazon Lex
          - {text: Amazon Rekognition, why: Rekognition analyses images.}
        explanation: e
        references: [https://docs.aws.amazon.com/x.html]
    """


def test_a_pack_may_leave_out_whys_and_list_plain_distractors(tmp_path):
    content = parse_file(write(tmp_path, PLAIN_PACK))
    assert content.issues == []
    ordering, matching = content.questions
    assert [s.why for s in ordering.steps] == ["", "After the data exists.", ""]
    assert [(d.text, d.why) for d in matching.distractors] == [
        ("Amazon Lex", ""), ("Amazon Rekognition", "Rekognition analyses images.")]
    warned = [(w.qid, w.message.split(":")[1].strip()) for w in content.warnings]
    assert warned == [("plain-order", "missing 'items[0].why'"), ("plain-order", "missing 'items[2].why'"),
                      ("plain-match", "missing 'pairs[0].why'"), ("plain-match", "missing 'pairs[2].why'"),
                      ("plain-match", "'distractors[0]' has no 'why'")]
    assert all(w.message.startswith("warning: ") for w in content.warnings)


def test_a_distractor_must_be_text_or_a_mapping(tmp_path):
    bad = PLAIN_PACK.replace("      - Amazon Lex", "      - [Amazon Lex]")
    issues = parse_file(write(tmp_path, bad)).issues
    assert ["'distractors[0]' must be text or a mapping" in i.message for i in issues] == [True]


def test_validate_warns_on_a_pack_without_whys_but_passes_it(tmp_path):
    from aifprep.report import validate_paths

    report = validate_paths([write(tmp_path, PLAIN_PACK)], [])
    assert report.issues == () and len(report.warnings) == 5
    assert report.summary() == "OK: 2 questions in 1 file(s). 5 warning(s)."
