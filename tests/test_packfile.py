"""Reading hostile pack files: bounded, and every problem as FILE:LINE: ID: message."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from aifprep import packfile
from aifprep.bank import BankError, BankIssue, find_question_files, load_bank, parse_file
from aifprep.sanitize import CONTROL
from conftest import VALID_PACK

HEAD = "domain: security\nquestions:\n"


def write(tmp_path: Path, text: str | bytes, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text))
    return path


def only_issue(path: Path) -> BankIssue:
    issues = parse_file(path).issues
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def test_a_fifo_is_refused_at_once_never_read(tmp_path):
    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    issue = only_issue(fifo)
    assert time.monotonic() - started < 2
    assert issue.file == str(fifo) and "FIFO" in issue.message and "not a regular file" in issue.message


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    link = tmp_path / "pack.yaml"
    link.symlink_to(device)
    assert "character device" in only_issue(link).message


def test_a_folder_named_yaml_inside_a_pack_folder_is_reported(tmp_path):
    (tmp_path / "pack" / "odd.yaml").mkdir(parents=True)
    files, issues = find_question_files([tmp_path / "pack"])
    assert files == [tmp_path / "pack" / "odd.yaml"] and not issues
    assert "a folder, not a regular file" in only_issue(files[0]).message


def test_a_symlink_loop_of_folders_ends(tmp_path, pack_file):
    (pack_file.parent / "loop").symlink_to(pack_file.parent)
    files, issues = find_question_files([pack_file.parent])
    assert files == [pack_file] and not issues


def test_a_file_over_20_mb_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:  # sparse: no disk space used
        fh.truncate(packfile.MAX_FILE_BYTES + 1)
    issue = only_issue(path)
    assert "at most 20 MB" in issue.message


def test_a_file_that_grows_past_the_limit_while_read_is_cut(tmp_path):
    path = write(tmp_path, b"a" * 5000)
    with pytest.raises(packfile.PackFileError, match="at most"):
        packfile.read_bytes(path, limit=4096)


def test_a_billion_laughs_is_refused_before_it_expands(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    path = write(tmp_path, HEAD + "  - id: bomb\n    question: *a11\n" + "\n".join(lines))
    started = time.monotonic()
    issue = only_issue(path)
    assert time.monotonic() - started < 2
    assert issue.line == 4 and "anchor" in issue.message and "not allowed" in issue.message


def test_an_alias_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, """\
        domain: security
        questions:
          - id: a
            tags: [x]
          - id: b
            <<: *base
        """)
    issue = only_issue(path)
    assert issue.line == 6 and "YAML alias *base" in issue.message


def test_an_anchor_without_alias_is_refused_too(tmp_path):
    path = write(tmp_path, HEAD + "  - &q\n    id: a\n")
    issue = only_issue(path)
    assert issue.line == 3 and "anchor &q" in issue.message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']",
                                 "!!python/object:os.system {}", "!!binary aGk=",
                                 "!!timestamp 2024-01-01", "!custom x", "!!set {a}"])
def test_tags_are_refused_and_never_constructed(tmp_path, tag):
    path = write(tmp_path, HEAD + f"  - id: a\n    question: {tag}\n")
    issue = only_issue(path)
    assert issue.line == 4 and "YAML tag" in issue.message and "not allowed" in issue.message


def test_plain_tags_for_text_lists_and_mappings_are_fine(tmp_path):
    path = write(tmp_path, 'domain: !!str security\nquestions: !!seq []\ncases: !!map {}\n')
    assert parse_file(path).issues == []


def test_nesting_is_capped(tmp_path):
    deep = "[" * (packfile.MAX_DEPTH + 5) + "]" * (packfile.MAX_DEPTH + 5)
    issue = only_issue(write(tmp_path, HEAD + f"  - id: a\n    tags: {deep}\n"))
    assert issue.line == 4 and f"nested more than {packfile.MAX_DEPTH} deep" in issue.message


def test_a_very_long_text_is_refused(tmp_path):
    issue = only_issue(write(tmp_path, HEAD + f"  - id: a\n    question: {'x' * 20_001}\n"))
    assert issue.line == 4 and "20,000" in issue.message


def test_the_number_of_values_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(packfile, "MAX_VALUES", 50)
    issue = only_issue(write(tmp_path, HEAD + "  - tags: [" + ", ".join(["x"] * 60) + "]\n"))
    assert "more than 50 values" in issue.message


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + VALID_PACK.encode())
    assert parse_file(path).issues == [] and len(parse_file(path).questions) == 2


def test_utf16_is_refused_with_advice(tmp_path):
    issue = only_issue(write(tmp_path, VALID_PACK.encode("utf-16")))
    assert issue.line == 1 and "UTF-16" in issue.message and "UTF-8" in issue.message


def test_invalid_utf8_names_its_line(tmp_path):
    issue = only_issue(write(tmp_path, HEAD.encode() + b"  - id: caf\xe9\n"))
    assert issue.line == 3 and "byte 0xe9" in issue.message


def test_a_raw_control_character_names_its_line(tmp_path):
    issue = only_issue(write(tmp_path, HEAD.encode() + b"  - id: a\x1b[2J\n"))
    assert issue.line == 3 and "#x001b" in issue.message


def test_a_second_document_is_refused(tmp_path):
    issue = only_issue(write(tmp_path, HEAD + "---\ndomain: genai\n"))
    assert issue.line == 3 and "second YAML document" in issue.message


@pytest.mark.parametrize("value, expected", [
    ("[a]", "'domain' must be one of"), ("{x: 1}", "'domain' must be one of"),
    ("9" * 5000, "'domain' must be one of"),
])
def test_wrong_domain_types_are_reported(tmp_path, value, expected):
    issue = only_issue(write(tmp_path, f"domain: {value}\nquestions: []\n"))
    assert issue.line == 1 and expected in issue.message and len(str(issue)) < 300


QUESTION = """\
domain: security
cases:
  bank: A bank.
questions:
  - id: pack-kms
    task: "5.1"
    type: single
{extra}    question: Which service manages keys?
    options:
      - {{text: AWS KMS, correct: true, why: It manages keys.}}
      - {{text: Amazon Macie, correct: false, why: It finds data.}}
      - {{text: AWS Artifact, correct: false, why: It has reports.}}
      - {{text: Amazon Inspector, correct: false, why: It scans.}}
    explanation: KMS is the managed key service.
    references: ["https://docs.aws.amazon.com/kms/"]
"""


def test_the_question_template_is_valid(tmp_path):
    assert parse_file(write(tmp_path, QUESTION.format(extra=""))).issues == []


@pytest.mark.parametrize("extra, message", [
    ("type: {x: 1}", "'type' must be one of single, multiple, ordering, matching, got a mapping"),
    ("type: [single]", "got a list"),
    ("case: [a]", "case a list is not in 'cases'"),
    ("case: {a: b}", "case a mapping is not in 'cases'"),
    ("difficulty: " + "9" * 5000, "'difficulty' must be 1, 2 or 3"),
    ("difficulty: .nan", "'difficulty' must be 1, 2 or 3, got nan"),
    ("difficulty: [1]", "'difficulty' must be 1, 2 or 3, got a list"),
    ("existing_users: [1]", "must be true or false, got a list"),
    ("objective: {a: b}", "'objective' must be a v1.1 objective id"),
    ("references: [[a]]", "reference a list must be text"),
    ("references: {a: b}", "'references' must be a non-empty list"),
    ("tags: [[a]]", "'tags' must be a list of text"),
    ("tags: {a: b}", "'tags' must be a list of text"),
    ("task: [5.1]", "'task' must be text, got a list"),
    ("task: ~", "missing 'task'"),
    ("? [a, b]\n    : c", "a key must be text, got a list"),
    ("? {a: b}\n    : c", "a key must be text, got a mapping"),
    ("1: c", "unknown key '1'"),
    ("~: c", "unknown key 'None'"),
])
def test_a_wrong_type_anywhere_gives_file_line_id(tmp_path, extra, message):
    key = extra.split(":")[0] + ":"
    text = QUESTION.format(extra=f"    {extra}\n")
    if f"\n    {key}" in QUESTION:  # replace the template's line
        lines = QUESTION.format(extra="").splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(f"    {key}"))
        lines[at] = f"    {extra}"
        text = "\n".join(lines) + "\n"
    path = write(tmp_path, text)
    issues = parse_file(path).issues
    assert any(message in i.message for i in issues), [str(i) for i in issues]
    for issue in issues:
        assert issue.file == str(path) and issue.line > 5 and issue.qid == "pack-kms"
        assert len(str(issue)) < 300


@pytest.mark.parametrize("options, message", [
    ("[{text: [a], correct: true, why: w}]", "'options[0].text' must be text, got a list"),
    ("[{text: a, correct: [true], why: w}]", "'options[0].correct' must be true or false, got a list"),
    ("[{text: a, correct: true, why: {a: b}}]", "'options[0].why' must be text, got a mapping"),
    ("[a, 1, ~]", "'options[0]' must be a mapping, got text"),
    ("{a: b}", "'options' must be a list of mappings"),
])
def test_wrong_types_inside_options_give_file_line_id(tmp_path, options, message):
    text = QUESTION.format(extra="")
    start = text.index("    options:")
    end = text.index("    explanation:")
    path = write(tmp_path, text[:start] + f"    options: {options}\n" + text[end:])
    issues = parse_file(path).issues
    assert any(message in i.message for i in issues), [str(i) for i in issues]
    assert all(i.qid == "pack-kms" and i.line > 0 for i in issues)


def test_a_huge_number_or_date_where_text_is_expected_stays_text(tmp_path):
    path = write(tmp_path, VALID_PACK.replace("explanation: KMS is the managed key service.",
                                              f"explanation: {'7' * 5000}")
                 .replace('difficulty: 2', 'tags: [2024-13-45, 0x_, 2001-12-14t21:59:43.10-05:00]'))
    content = parse_file(path)
    assert content.issues == []
    assert content.questions[0].explanation == "7" * 5000
    assert content.questions[0].tags == ("2024-13-45", "0x_", "2001-12-14t21:59:43.10-05:00")


def test_a_broken_pack_stops_other_commands_with_its_file_and_line(tmp_path):
    path = write(tmp_path, HEAD + "  - id: a\n    type: {x: 1}\n")
    with pytest.raises(BankError) as caught:
        load_bank(Path(__file__).parent.parent / "questions", [path])
    assert f"{path}:4: a: 'type' must be one of" in str(caught.value)


def test_issue_lines_escape_control_characters_and_never_split():
    issue = BankIssue("pa\nck.yaml", 3, "x\x1b]0;PWNED\x07\x1b[2J",
                      "stem 'a\x9bb\x7f\x00\x08\x0b\r\n\tc\u2028' is odd")
    text = str(issue)
    assert "\n" not in text and not CONTROL.search(text) and "\u2028" not in text
    assert text == ("pa\\nck.yaml:3: x\\x1b]0;PWNED\\x07\\x1b[2J: stem "
                    "'a\\x9bb\\x7f\\x00\\x08\\x0b\\r\\n\\tc\\u2028' is odd")


def test_escaped_control_characters_in_a_pack_load_as_text(tmp_path):
    path = write(tmp_path, VALID_PACK.replace("Which service manages those keys?",
                                              'Which service "\\e]0;PWNED\\a" manages keys?'))
    assert parse_file(path).issues == []


def test_a_fifo_in_the_cache_folder_never_blocks(tmp_path, pack_file, monkeypatch):
    from aifprep import bank

    cache = tmp_path / "cache"
    cache.mkdir()
    questions = Path(__file__).parent.parent / "questions"
    files = bank.bundled_files(questions) + [pack_file]
    os.mkfifo(cache / f"bank-{bank._cache_key(files, [pack_file])}.pickle")
    started = time.monotonic()
    loaded = load_bank(questions, [pack_file], cache=cache)
    assert time.monotonic() - started < 20 and "pack-kms" in loaded.by_id


@pytest.mark.parametrize("make", ["file", "under-a-file"])
def test_an_unusable_cache_folder_only_costs_a_parse(tmp_path, pack_file, make):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    cache = blocker if make == "file" else blocker / "cache"
    questions = Path(__file__).parent.parent / "questions"
    assert "pack-kms" in load_bank(questions, [pack_file], cache=cache).by_id
    assert "pack-kms" in load_bank(questions, [pack_file], cache=cache).by_id
    assert blocker.read_text() == "not a folder"


def test_a_file_with_thousands_of_problems_lists_a_hundred_and_counts_the_rest(tmp_path):
    path = write(tmp_path, HEAD + "".join(f"  - x{i}\n" for i in range(1000)))
    issues = parse_file(path).issues
    assert len(issues) == 101
    assert issues[-1].message == "... and 900 more problems in this file" and issues[-1].line == 2
