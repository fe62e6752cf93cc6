"""Property-based tests of the pack loader: generated and mutated hostile documents.

Every document either loads cleanly or gives issues that name the file and a line, in
bounded time, and nothing aifprep prints about it (issue lines, rendered questions and
cards) holds a raw control character. The normal suite runs a bounded profile of a few
seconds; `pytest -m fuzz` runs the long one. Memory is bounded in
`test_worst_case_packs_in_a_memory_limited_process`.
"""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from conftest import CARD_PACK, VALID_PACK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aifprep.bank import check_files
from aifprep.lint import card_issues, question_issues

BOUNDED, LONG = 25, 3000  # examples per property: normal suite / `pytest -m fuzz`
SECONDS_PER_DOCUMENT = 10  # generous: 2 cores shared with other work
SGR = re.compile("\x1b\\[[0-9;]*m")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

MORE_QUESTIONS = textwrap.dedent("""\
      - id: pack-multi
        task: "5.1"
        type: multiple
        question: Which two encrypt? Select TWO.
        options:
          - {text: KMS, correct: true, why: keys}
          - {text: CloudHSM, correct: true, why: hsm}
          - {text: Macie, correct: false, why: finds}
          - {text: Artifact, correct: false, why: reports}
          - {text: Inspector, correct: false, why: scans}
        explanation: Both hold keys.
        references: ["https://docs.aws.amazon.com/kms/"]
        case: acme
        objective: "5.1.1"
        existing_users: false
        tags: [kms]
      - id: pack-match
        task: "5.2"
        type: matching
        question: Match them.
        pairs:
          - {prompt: Keys, answer: KMS, why: keys}
          - {prompt: Reports, answer: Artifact, why: reports}
          - {prompt: Scans, answer: Inspector, why: scans}
        distractors:
          - {text: Polly, why: speech}
        explanation: Each does one thing.
        references: ["reference/exam-notes-aif-c01.txt#Security"]
    cases:
      acme: Acme keeps keys.
    """)
BASE_TEXT = VALID_PACK + MORE_QUESTIONS + CARD_PACK.split("\n", 1)[1]
BASE = yaml.safe_load(BASE_TEXT)

ESCAPES = ["\x1b]0;PWNED\x07", "\x1b[2J", "\x1b]52;c;cHduZWQ=\x07",
           "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "\x9b31m", "\x9d0;T\x9c",
           "\x7f", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b[6n", "\x85", "\u2028",
           "\u202e", "\ufeff", "[bold]x[/bold]", "[link=https://evil.example]x[/link]", ":smile:"]
SNIPPETS = ["&a ", "*a", "&a [1, 2]", "<<: *a\n", "<<: {x: 1}\n", "!!python/object/apply:os.system ['true'] ",
            "!!python/name:os.system ", "!!binary aGk= ", "!!timestamp ", "!foo ", "!!int ", "!!float ",
            "? [a, b]\n: c\n", "? {a: 1}\n: c\n", "---\n", "...\n", "%YAML 1.1\n---\n", "%TAG ! tag:x,1:\n",
            "[" * 30, "{" * 30, "]", "}", "- ", ": ", "'", '"', "|", ">", "#", "\t", "\n", "  ",
            "9" * 5000, ".nan", "-.inf", "0x_", "1:2:3", "2024-13-45", "~", "=", "null", "yes"]
BYTES = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff", b"\xc3", b"\xed\xa0\x80",
         b"\xc0\xaf", b"\x1b", b"\x9b", b"\x00", b"\r\n", b"\x85"]

texts = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x3000, exclude_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(ESCAPES + ["a", " ", "é"]), max_size=8).map("".join),
    st.integers(19_995, 20_005).map(lambda n: "x" * n),
)
numbers = st.one_of(st.integers(), st.integers(10 ** 40, 10 ** 60), st.floats(),
                    st.sampled_from([float("nan"), float("inf"), -float("inf")]),
                    st.just("@@BIG@@"))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=10), st.integers(),
                                                           st.none(), st.booleans()),
                                                 inner, max_size=4)), max_leaves=12)


def nested(depth: int, leaf: object = "x") -> object:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


hostile_values = st.one_of(
    values,
    st.integers(1, 60).map(nested),
    st.integers(0, 40).map(lambda n: ["x"] * n),
)


def dump(data: object) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
    return text.replace("'@@BIG@@'", "9" * 5000).replace("@@BIG@@", "9" * 5000)


def paths_of(data: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_of(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_of(value, prefix + (i,))
    return found


def replaced(data: object, path: tuple, value: object, how: str) -> object:
    """A copy of data with the value at path replaced, removed, or given a new sibling key."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if rest:
            copy[head] = replaced(copy[head], rest, value, how)
        elif how == "delete":
            del copy[head]
        elif how == "add":
            copy[f"{head}x"] = value
        else:
            copy[head] = value
        return copy
    copy = list(data)  # a list
    if rest:
        copy[head] = replaced(copy[head], rest, value, how)
    elif how == "delete":
        del copy[head]
    elif how == "add":
        copy.insert(head, value)
    else:
        copy[head] = value
    return copy


@st.composite
def mutated_documents(draw) -> bytes:
    """The valid base pack with 1-3 values anywhere replaced, removed or added."""
    data = BASE
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths_of(data)))
        data = replaced(data, path, draw(hostile_values), draw(st.sampled_from(
            ["replace", "replace", "delete", "add"])))
    return dump(data).encode("utf-8")


@st.composite
def text_mutations(draw) -> bytes:
    """The valid base text with hostile snippets and bytes inserted, bytes cut or flipped."""
    data = bytearray(BASE_TEXT.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["snippet", "bytes", "cut", "flip", "prefix"]))
        if kind == "snippet":
            data[at:at] = draw(st.sampled_from(SNIPPETS)).encode()
        elif kind == "bytes":
            data[at:at] = draw(st.sampled_from(BYTES))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[0:0] = draw(st.sampled_from(BYTES + [s.encode() for s in SNIPPETS]))
    return bytes(data)


@st.composite
def alias_bombs(draw) -> bytes:
    """A billion laughs: each anchor refers nine times to the previous one."""
    depth, width = draw(st.integers(2, 12)), draw(st.integers(2, 9))
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, depth)]
    where = draw(st.sampled_from(["id", "question", "type", "task", "difficulty", "references",
                                  "correct", "domain", "key"]))
    bomb = f"*l{depth - 1}"
    body = BASE_TEXT
    if where == "domain":
        body = body.replace("domain: security", f"domain: {bomb}", 1)
    elif where == "key":
        body = body.replace("    task: \"5.1\"", f"    ? {bomb}\n    : x", 1)
    elif where == "correct":
        body = body.replace("correct: true", f"correct: {bomb}", 1)
    else:
        body = re.sub(rf"(\n    {where}:).*", rf"\1 {bomb}", body, count=1)
    prelude = "\n".join(lines) + "\n" if draw(st.booleans()) else ""
    return (prelude + "x: [" + ", ".join(lines) + "]\n" + body if not prelude
            else prelude + body).encode()


generated_documents = values.map(lambda v: dump(v).encode("utf-8"))

KEEP = {"domain", "id", "task", "type", "objective", "case", "correct", "difficulty",
        "existing_users"}  # values that must stay as they are for the pack to stay valid


def text_paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Paths of the free texts of a pack: stems, options, reasons, cards, references."""
    if isinstance(data, dict):
        return [p for k, v in data.items() if k not in KEEP and k != "cases"
                for p in text_paths(v, prefix + (k,))] + (
            [prefix + ("cases", k) for k in data["cases"]] if "cases" in data else [])
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in text_paths(v, prefix + (i,))]
    return [prefix] if isinstance(data, str) and prefix and prefix[-1] != "tags" else []


def value_at(data: object, path: tuple) -> object:
    for step in path:
        data = data[step]
    return data


@st.composite
def hostile_texts_everywhere(draw) -> bytes:
    """The valid pack with control characters and escape sequences added to its texts:
    it still loads, and then every question and card is rendered."""
    data = BASE
    for path in text_paths(BASE):
        if draw(st.booleans()):
            extra = "".join(draw(st.lists(st.sampled_from(ESCAPES), min_size=1, max_size=3)))
            data = replaced(data, path, value_at(data, path) + " " + extra, "replace")
    return dump(data).encode("utf-8")


def check_document(data: bytes) -> None:
    """The property: load cleanly, or issues naming the file and a line; never a crash,
    never a raw control character in what would be printed, bounded time."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.yaml"
        path.write_bytes(data)
        started = time.monotonic()
        content = check_files([path])
        issues = content.issues + question_issues(content.questions) + card_issues(content.cards)
        assert time.monotonic() - started < SECONDS_PER_DOCUMENT
        for issue in issues:
            line = str(issue)
            assert issue.file == str(path) and line.startswith(f"{path}:{issue.line}: ")
            assert "\n" not in line and not RAW_CONTROL.search(line), line
            assert issue.line >= 1 or issue.message.startswith(("cannot read", "the file has")), line
            assert len(line) < 2_000, line[:200]
        if not content.issues:
            _render_everything(content)


def _render_everything(content) -> None:
    """Print every loaded question (its feedback, stem first) and card the way the screens
    do, both to a terminal and through the full-screen views' Rich-to-prompt_toolkit path."""
    from aifprep.grading import key_response, presentation_order
    from aifprep.ui.console import make_console
    from aifprep.ui.feedback_render import feedback_body
    from aifprep.ui.flashcard_screen import answer_side, front_view
    from aifprep.ui.screen import rich_lines

    out = io.StringIO()
    console = make_console(file=out, force_terminal=True, width=80, color_system="256")
    views = [feedback_body(q, presentation_order(q, 7), key_response(q), stem_first=True)
             for q in content.questions]
    views += [view for card in content.cards
              for view in (front_view(card, reverse=False), front_view(card, reverse=True),
                           answer_side(card, reverse=True))]
    for view in views:
        console.print(view)
        for line in rich_lines(view, 80):
            for style, text in line:
                if "ZeroWidthEscape" in style:  # only aifprep's own links, safe targets
                    assert re.fullmatch("\x1b]8;[ -~]*(\x1b\\\\|\x07)", text), repr(text)
                else:
                    assert not RAW_CONTROL.search(text), repr(text)
    printed = re.sub("\x1b]8;[ -~]*?\x1b\\\\", "", SGR.sub("", out.getvalue()))
    assert not RAW_CONTROL.search(printed)


def _property(strategy, examples: int):
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(strategy)
    def run(data: bytes) -> None:
        check_document(data)

    return run


test_mutated_documents = _property(mutated_documents(), BOUNDED)
test_text_mutations = _property(text_mutations(), BOUNDED)
test_generated_documents = _property(generated_documents, BOUNDED)
test_alias_bombs = _property(alias_bombs(), 10)
test_hostile_texts_everywhere = _property(hostile_texts_everywhere(), BOUNDED)
test_hostile_texts_everywhere_long = pytest.mark.fuzz(_property(hostile_texts_everywhere(), LONG))
test_mutated_documents_long = pytest.mark.fuzz(_property(mutated_documents(), LONG))
test_text_mutations_long = pytest.mark.fuzz(_property(text_mutations(), LONG))
test_generated_documents_long = pytest.mark.fuzz(_property(generated_documents, LONG))
test_alias_bombs_long = pytest.mark.fuzz(_property(alias_bombs(), 200))


WRONG_TYPES = [None, [], {}, ["x"], {"k": "v"}, 7, -1, 1.5, float("nan"), float("inf"), True,
               "@@BIG@@", "x" * 20_001, "".join(ESCAPES), nested(25), "", "  "]


def _every_path_with_every_wrong_type(step: int) -> int:
    """Each path of the base pack replaced by each wrong type (every `step`-th pair)."""
    cases = [(path, value, how) for path in paths_of(BASE) for value in WRONG_TYPES
             for how in ("replace", "add")][::step]
    for path, value, how in cases:
        check_document(dump(replaced(BASE, path, value, how)).encode("utf-8"))
    return len(cases)


def test_a_wrong_type_at_every_path():
    assert _every_path_with_every_wrong_type(step=29) > 100


@pytest.mark.fuzz
def test_a_wrong_type_at_every_path_long():
    assert _every_path_with_every_wrong_type(step=1) > 3000


def test_the_base_document_is_valid():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.yaml"
        path.write_text(BASE_TEXT)
        content = check_files([path])
    assert content.issues == [] and len(content.questions) == 4 and len(content.cards) == 2


# --- memory: the worst packs within (and just past) the limits, in a limited process ----------

MEMORY_LIMIT = 2 * 1024 ** 3  # address space of the child, bytes
PEAK_LIMIT_MB = 700


def _worst_case_files(folder: Path) -> list[Path]:
    from aifprep import packfile

    files = {
        "bomb.yaml": ("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
         + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
         + "domain: *a11\n"),
        "values.yaml": "domain: security\nquestions: [" + ", ".join(["x"] * (packfile.MAX_VALUES - 10)) + "]\n",
        "too-many.yaml": "questions: [" + ", ".join(["x"] * (packfile.MAX_VALUES + 10)) + "]\n",
        "deep.yaml": "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "long-texts.yaml": "domain: security\nquestions:\n" + "".join(
            f"  - question: {'x' * (packfile.MAX_TEXT - 1)}\n" for _ in range(900)),
        "big-number.yaml": "domain: security\nquestions:\n  - difficulty: " + "9" * 19_000 + "\n",
    }
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text)
        paths.append(folder / name)
    huge = folder / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.write(b"domain: security\nquestions: [")
        fh.truncate(packfile.MAX_FILE_BYTES + 1)
    return paths + [huge]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limits are Linux-only here")
def test_worst_case_packs_in_a_memory_limited_process(tmp_path):
    files = _worst_case_files(tmp_path)
    probe = ("import resource, runpy, sys\n"
             "sys.argv = ['aifprep', 'validate', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('aifprep', run_name='__main__')\n"
             "finally:\n"
             "    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", probe, *map(str, files)], capture_output=True,
                            timeout=120, preexec_fn=_limit_memory,
                            env={**os.environ, "COLUMNS": "200"})
    elapsed = time.monotonic() - started
    out = result.stdout.decode()
    assert result.returncode == 1, result.stderr.decode()[-2000:]
    peak_mb = int(re.search(r"PEAK (\d+)", result.stderr.decode()).group(1)) / 1024
    assert peak_mb < PEAK_LIMIT_MB and elapsed < 90
    assert not RAW_CONTROL.search(out.replace("\n", ""))
    for path in files:
        assert f"{path}:" in out, path.name
    assert "Traceback" not in result.stderr.decode()
