"""Property-based tests of the progress loader (issue 14): mutated and generated journal
lines, checkpoints and schema 1-3 `progress.json` files.

Whatever the bytes, every run loads (setting aside what it must) or stops with one clear
`StoreError`, in bounded time; the history already there is never lost; `stats --json`
afterwards prints valid JSON; and the next run has nothing left to report (never twice).

The normal suite runs a bounded profile (a few seconds); `pytest -m fuzz` runs the long one.
"""

from __future__ import annotations

import json
import math
import resource
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from aifprep.cli import app
from aifprep.progress import AnswerRecord, Progress, iso, to_json
from aifprep.records import answer_action, review_action, session_action, settings_action
from aifprep.progress import SessionRecord
from aifprep.scheduling import Rating
from aifprep.store import ProgressStore, StoreError

T0 = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)
QUESTIONS = ["aip-1-1-001", "aip-1-1-002", "q-gone"]
BASE_ANSWERS = 6
SECONDS_PER_RUN = 20  # a generous bound on one load (the bounded profile takes ~0.1 s each)
MAX_RSS_KB = 2_000_000

QUICK = settings(max_examples=25, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
LONG = settings(max_examples=1500, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
TRIED = {"journal": 0, "legacy": 0, "checkpoint": 0, "exam": 0}

runner = CliRunner()


# --- a valid history to damage --------------------------------------------------------------

def _answer(n: int) -> AnswerRecord:
    return AnswerRecord(f"id{n}", QUESTIONS[n % 3], iso(T0 + timedelta(minutes=n)), "quiz", "s",
                        ("A",), n % 2 == 0, 3.0 + n, "sure" if n % 3 else None)


_TEMPLATE: dict[str, bytes] = {}


def template() -> dict[str, bytes]:
    """The files of a small valid history (built once)."""
    if not _TEMPLATE:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "data"
            store = ProgressStore(folder, cache=Path(tmp) / "cache")
            store.record(session_action(SessionRecord("s", "quiz", iso(T0), label="all")))
            store.record(settings_action(retention=0.85))
            for n in range(BASE_ANSWERS):
                store.record(answer_action(_answer(n), Rating.GOOD, fuzz=False))
            store.record(review_action("c1", "card:c-1", Rating.HARD, T0, "flashcards", 4.0,
                                       fuzz=False))
            store.close()
            for path in folder.iterdir():
                if path.is_file() and path.name != "journal.lock":
                    _TEMPLATE[path.name] = path.read_bytes()
    return _TEMPLATE


def valid_records() -> list[dict]:
    return [json.loads(line) for line in template()["journal.jsonl"].splitlines()]


# --- hostile values and how they are written ----------------------------------------------------

class Raw:
    """JSON text written as is (a 5,000-digit integer, NaN, deep nesting, bad escapes)."""

    def __init__(self, text: str) -> None:
        self.text = text


def write(value) -> str:
    """JSON text for `value`, where `Raw` parts and non-finite floats go in unchecked."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{write(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(write(v) for v in value) + "]"
    return json.dumps(value)


def deep(n: int, kind: str) -> Raw:
    if kind == "list":
        return Raw("[" * n + "]" * n)
    return Raw('{"a":' * n + "1" + "}" * n)


CONTROL = st.sampled_from(["\x00", "\x1b]0;PWNED\x07", "\x1b[2J", "\x7f", "\x9b", "\u202e",
                           "\ufeff", "\r", "\x08"])
TEXT = st.one_of(
    st.text(max_size=20),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=5), CONTROL, st.text(max_size=5)),
    st.sampled_from(["", "0001-01-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                     "2026-11-01T10:00:00", "not a time", "2026-02-30", "review", "batch",
                     "question:aip-1-1-001", "card:c-1", "s", "id1"]),
    st.integers(1, 200_000).map(lambda n: "x" * n),
    st.just(Raw('"\\ud800"')), st.just(Raw('"\\udfff\\ud800"')),
)
NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(), st.integers(-2 ** 70, 2 ** 70),
    st.sampled_from([0, -1, 1, 2, 3, 4, 5, 7, 0.5, 0.7, 0.97, 0.99, 1e308, -1e308, 2 ** 63]),
    st.integers(41, 6000).map(lambda n: Raw("9" * n)),
    st.sampled_from([Raw("1e999"), Raw("-1e999"), Raw("NaN"), Raw("Infinity"), Raw("1E+400"),
                     Raw("-0"), Raw("1.0e-400")]),
)
LEAF = st.one_of(st.none(), st.booleans(), NUMBER, TEXT)
NESTED = st.recursive(LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                    st.dictionaries(st.text(max_size=5), inner,
                                                                    max_size=4)), max_leaves=12)
HOSTILE = st.one_of(LEAF, NESTED,
                    st.builds(deep, st.integers(2, 3000), st.sampled_from(["list", "dict"])))


def paths(value, prefix=()):
    """Every path into a JSON value (keys and indexes)."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, prefix + (i,))


def set_at(value, path, new, delete=False):
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return value


@st.composite
def mutated(draw, value):
    """`value` with 1-3 of its parts replaced by hostile values (or removed)."""
    value = json.loads(json.dumps(value))
    for _ in range(draw(st.integers(1, 3))):
        options = list(paths(value))
        path = draw(st.sampled_from(options))
        value = set_at(value, path, draw(HOSTILE), delete=draw(st.booleans()) and bool(path))
        if isinstance(value, Raw):
            break
    return value


@st.composite
def byte_damage(draw, text: bytes):
    """`text` with bytes damaged: cut, inserted invalid UTF-8, a BOM, control bytes."""
    kind = draw(st.sampled_from(["cut", "insert", "bom", "flip", "replace"]))
    at = draw(st.integers(0, max(0, len(text) - 1)))
    if kind == "cut":
        return text[:at]
    if kind == "bom":
        return b"\xef\xbb\xbf" + text
    if kind == "flip":
        return text[:at] + bytes([text[at] ^ draw(st.integers(1, 255))]) + text[at + 1:] \
            if text else text
    junk = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\x1b]0;x\x07",
                                 b"\xe2\x80", b"\n", b"\\", b'"', b"{", b"]"]))
    if kind == "insert":
        return text[:at] + junk + text[at:]
    return text[:at] + junk + text[at + len(junk):]


@st.composite
def hostile_lines(draw):
    records = valid_records()
    record = draw(st.sampled_from(records[1:]))
    how = draw(st.sampled_from(["mutate", "mutate", "mutate", "bytes", "generated"]))
    if how == "generated":
        kind = draw(st.sampled_from(["answer", "review", "rerate", "session", "settings",
                                     "schedule", "mock-exam", "batch", "extra", "exclude",
                                     "session-finished", "journal", "x"]))
        fields = draw(st.dictionaries(st.sampled_from(
            ["id", "question", "item", "at", "rating", "was", "seconds", "given", "correct",
             "after", "previous", "records", "items", "data", "session", "retention",
             "exam_date", "started", "mode", "label"]), HOSTILE, max_size=8))
        return write({"type": kind, **fields}).encode("utf-8", "surrogatepass")
    text = write(draw(mutated(record))).encode("utf-8", "surrogatepass")
    if how == "bytes":
        text = draw(byte_damage(text))
    return text.replace(b"\n", b" ")


# --- the property --------------------------------------------------------------------------

def strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} in --json output")

    return json.loads(text, parse_constant=refuse)


def check_folder(folder: Path, cache: Path, min_answers: int, monkeypatch_env) -> None:
    """Load, load again, run stats --json: the property every damaged folder must meet."""
    start = time.monotonic()
    try:
        store = ProgressStore(folder, cache=cache)
        snap = store.snapshot()
        progress = store.load()
        store.close()
    except StoreError as exc:  # allowed: one clear line (never for these inputs so far)
        assert "\n" not in str(exc)
        return
    assert len(progress.answers) >= min_answers  # the history around the damage is kept
    assert snap.views.answered >= min_answers
    assert time.monotonic() - start < SECONDS_PER_RUN
    again = ProgressStore(folder, cache=cache)
    again.snapshot()
    assert len(again.load().answers) == len(progress.answers)
    assert again.notices == [], again.notices  # never twice
    again.close()
    monkeypatch_env(folder, cache)
    warm_bank_cache(cache, monkeypatch_env)
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    strict_json(result.stdout)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < MAX_RSS_KB


_WARM: list[Path] = []


def warm_bank_cache(cache: Path, env) -> None:
    """Give the example's cache folder the parsed question bank (so each `stats` run does
    not parse the YAML again: that is not what is tested here)."""
    if not _WARM:
        warm = Path(tempfile.mkdtemp(prefix="aifprep-fuzz-bank-"))
        env(warm / "data", warm / "cache")
        assert runner.invoke(app, ["domains"]).exit_code == 0
        _WARM.extend((warm / "cache").glob("bank-*"))
        env(cache.parent / "data", cache)
    cache.mkdir(parents=True, exist_ok=True)
    for path in _WARM:
        if not (cache / path.name).exists():
            shutil.copyfile(path, cache / path.name)


class Env:
    def __init__(self, monkeypatch) -> None:
        self.mp = monkeypatch

    def __call__(self, folder: Path, cache: Path) -> None:
        self.mp.setenv("AIFPREP_DATA_DIR", str(folder))
        self.mp.setenv("AIFPREP_CACHE_DIR", str(cache))


def journal_case(lines: list[bytes], monkeypatch) -> None:
    TRIED["journal"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "data", Path(tmp) / "cache"
        folder.mkdir()
        for name, data in template().items():
            (folder / name).write_bytes(data)
        with open(folder / "journal.jsonl", "ab") as fh:
            for line in lines:
                fh.write(line + b"\n")
        check_folder(folder, cache, BASE_ANSWERS, Env(monkeypatch))


def checkpoint_case(state: bytes, monkeypatch) -> None:
    TRIED["checkpoint"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "data", Path(tmp) / "cache"
        folder.mkdir()
        for name, data in template().items():
            (folder / name).write_bytes(data)
        (folder / "state.json").write_bytes(state)
        check_folder(folder, cache, BASE_ANSWERS, Env(monkeypatch))
        assert ProgressStore(folder, cache=cache).snapshot().settings.retention == 0.85


_EXAM: list[bytes] = []


def exam_template() -> bytes:
    """An `exam.json` of a mock exam in progress (built once)."""
    if not _EXAM:
        from conftest import make_single

        from aifprep.mock import new_exam

        with tempfile.TemporaryDirectory() as tmp:
            store = ProgressStore(Path(tmp) / "data", cache=Path(tmp) / "cache")
            exam = new_exam("e1", [make_single("q1"), make_single("q2"), make_single("q3")], 3,
                            5.0, "pause", "3 q", T0)
            store.start_exam(exam)
            store.release_exam()
            store.close()
            _EXAM.append((Path(tmp) / "data" / "exam.json").read_bytes())
    return _EXAM[0]


@st.composite
def exam_files(draw):
    data = json.loads(exam_template())
    text = write(draw(mutated(data))).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        text = draw(byte_damage(text))
    return text


def exam_case(raw: bytes, monkeypatch) -> None:
    TRIED["exam"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "data", Path(tmp) / "cache"
        folder.mkdir()
        for name, data in template().items():
            (folder / name).write_bytes(data)
        (folder / "exam.json").write_bytes(raw)
        store = ProgressStore(folder, cache=cache)
        exam = store.snapshot().exam
        if exam is not None:  # it passed every check: it is an exam aifprep can resume
            assert 0 <= exam.position < len(exam.questions)
            assert all(math.isfinite(x) and x >= 0 for x in (*exam.seconds, exam.elapsed))
        store.close()
        check_folder(folder, cache, BASE_ANSWERS, Env(monkeypatch))


# --- schema 1-3 files -----------------------------------------------------------------------

def legacy_base(version: int) -> dict:
    progress = Progress()
    from aifprep.progress import answer_and_review

    for n in range(BASE_ANSWERS):
        progress = answer_and_review(_answer(n), Rating.GOOD, fuzz=False)(progress)
    data = to_json(progress)
    if version < 3:
        for key in ("settings", "schedule", "reviews", "excluded"):
            data.pop(key)
    if version < 2:
        data.pop("exam_in_progress")
        data.pop("mock_exams")
    data["schema_version"] = version
    return data


@st.composite
def legacy_files(draw):
    version = draw(st.sampled_from([1, 2, 3]))
    data = legacy_base(version)
    how = draw(st.sampled_from(["mutate", "mutate", "bytes", "seconds-null"]))
    if how == "seconds-null":
        data["answers"][draw(st.integers(0, BASE_ANSWERS - 1))]["seconds"] = None
        return write(data).encode()
    text = write(draw(mutated(data))).encode("utf-8", "surrogatepass")
    if how == "bytes":
        text = draw(byte_damage(text))
    return text


def legacy_case(raw: bytes, monkeypatch) -> None:
    TRIED["legacy"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "data", Path(tmp) / "cache"
        folder.mkdir()
        (folder / "progress.json").write_bytes(raw)
        check_folder(folder, cache, 0, Env(monkeypatch))
        kept = [p for p in folder.iterdir() if p.name.startswith("progress.json.")]
        assert len(kept) == 1 and kept[0].read_bytes() == raw  # the old file, byte for byte
        assert not (folder / "progress.json").exists()


# --- the bounded profile (normal suite) and the long one (-m fuzz) ----------------------------------

@QUICK
@given(lines=st.lists(hostile_lines(), min_size=1, max_size=3))
def test_journal_lines_bounded(lines, monkeypatch):
    journal_case(lines, monkeypatch)


@QUICK
@given(raw=legacy_files())
def test_old_progress_files_bounded(raw, monkeypatch):
    legacy_case(raw, monkeypatch)


@QUICK
@given(data=st.data())
def test_state_checkpoints_bounded(data, monkeypatch):
    state = template()["state.json"]
    checkpoint_case(data.draw(byte_damage(state)), monkeypatch)


@QUICK
@given(raw=exam_files())
def test_exam_files_bounded(raw, monkeypatch):
    exam_case(raw, monkeypatch)


@pytest.mark.fuzz
@LONG
@given(raw=exam_files())
def test_exam_files_long(raw, monkeypatch):
    exam_case(raw, monkeypatch)


@pytest.mark.fuzz
@LONG
@given(lines=st.lists(hostile_lines(), min_size=1, max_size=5))
def test_journal_lines_long(lines, monkeypatch):
    journal_case(lines, monkeypatch)


@pytest.mark.fuzz
@LONG
@given(raw=legacy_files())
def test_old_progress_files_long(raw, monkeypatch):
    legacy_case(raw, monkeypatch)


@pytest.mark.fuzz
@LONG
@given(data=st.data())
def test_state_checkpoints_long(data, monkeypatch):
    state = template()["state.json"]
    checkpoint_case(data.draw(byte_damage(state)), monkeypatch)


def teardown_module(module) -> None:
    line = ", ".join(f"{k} {v}" for k, v in TRIED.items())
    print(f"\ngenerated progress inputs tried: {line}")
    for path in _WARM[:1]:
        shutil.rmtree(path.parent.parent, ignore_errors=True)
