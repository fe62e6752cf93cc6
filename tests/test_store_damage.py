"""Damaged and unusual progress files (issue 14): every field is checked when read, a bad
record is set aside alone, special files are refused, resource faults give one line.

Each scenario ends with "never twice": the next command succeeds without a notice."""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aifprep import sanity
from aifprep.cli import app
from aifprep.progress import AnswerRecord, iso
from aifprep.records import answer_action, settings_action
from aifprep.scheduling import Rating
from aifprep.store import ProgressStore, StoreError

T0 = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)
QUESTION = "aip-1-1-001"  # a bundled question, so stats counts it
MEMORY = {"state": "review", "step": None, "stability": 3.0, "difficulty": 5.0,
          "due": "2026-11-05T09:00:00Z", "last_review": "2026-11-01T09:00:00Z"}
REVIEW = {"type": "review", "id": "r9", "item": f"question:{QUESTION}", "rating": 3,
          "at": "2026-11-01T10:00:00Z", "mode": "quiz", "seconds": 2.0, "previous": None,
          "after": MEMORY}
ANSWER = {"type": "answer", "id": "a9", "question": QUESTION, "at": "2026-11-01T10:00:00Z",
          "mode": "quiz", "session": "s", "given": ["A"], "correct": True, "seconds": 2.0}
runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} in --json output")

    return json.loads(text, parse_constant=refuse)


def answer(n: int) -> AnswerRecord:
    return AnswerRecord(f"id{n}", QUESTION, iso(T0 + timedelta(minutes=n)), "quiz", "s", ("A",),
                        n % 2 == 0, 3.0)


def history(folder: Path, n: int = 4) -> None:
    store = ProgressStore(folder)
    for i in range(n):
        store.record(answer_action(answer(i), Rating.GOOD))
    store.close()


def dumped(record: dict, old: str, new: str) -> str:
    text = json.dumps(record)
    assert old in text
    return text.replace(old, new)


HOSTILE_LINES = {
    "NaN rating": dumped(REVIEW, '"rating": 3', '"rating": NaN'),
    "infinite seconds": dumped(REVIEW, '"seconds": 2.0', '"seconds": 1e999'),
    "-Infinity seconds": dumped(ANSWER, '"seconds": 2.0', '"seconds": -Infinity'),
    "5,000-digit rating": dumped(REVIEW, '"rating": 3', '"rating": ' + "9" * 5000),
    "rating 7": dumped(REVIEW, '"rating": 3', '"rating": 7'),
    "rating true": dumped(REVIEW, '"rating": 3', '"rating": true'),
    "negative stability": dumped(REVIEW, '"stability": 3.0', '"stability": -3.0'),
    "difficulty 50": dumped(REVIEW, '"difficulty": 5.0', '"difficulty": 50'),
    "negative step": dumped(REVIEW, '"step": null', '"step": -1'),
    "infinite step": dumped(REVIEW, '"step": null', '"step": Infinity'),
    "year-1 due": dumped(REVIEW, '"due": "2026-11-05T09:00:00Z"', '"due": "0001-01-01T00:00:00Z"'),
    "a time without a zone": dumped(ANSWER, 'T10:00:00Z"', 'T10:00:00"'),
    "year-1 exam date": json.dumps({"type": "settings", "exam_date": "0001-01-01",
                                    "retention": 0.9}),
    "retention 1e999": '{"type": "settings", "exam_date": null, "retention": 1e999}',
    "retention 0.2": '{"type": "settings", "exam_date": null, "retention": 0.2}',
    "nesting 1,000 deep": '{"type": "extra", "data": {"x": ' + "[" * 1000 + "]" * 1000 + "}}",
    "nesting 100 deep": '{"type": "future", "x": ' + "[" * 100 + "]" * 100 + "}",
    "NaN in an extra key": '{"type": "extra", "data": {"x": NaN}}',
    "a lone surrogate": dumped(ANSWER, '"a9"', '"\\ud800"'),
    "a byte order mark": "\ufeff" + json.dumps(ANSWER),
    "a million-character id": dumped(ANSWER, '"a9"', json.dumps("x" * 1_000_000)),
    "a list for a question": dumped(ANSWER, f'"{QUESTION}"', "[1]"),
    "an object for given": dumped(ANSWER, '["A"]', '{"a": 1}'),
    "a batch in a batch in a batch": json.dumps(
        {"type": "batch", "records": [{"type": "batch", "records": [
            {"type": "batch", "records": [ANSWER]}]}]}),
    "a bad record in a batch": json.dumps(
        {"type": "batch", "records": [ANSWER, {**REVIEW, "rating": 0}]}),
}


@pytest.mark.parametrize("line", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_a_hostile_journal_line_is_set_aside_alone(isolated_dirs, line):
    data = isolated_dirs / "data"
    history(data)
    with open(data / "journal.jsonl", "a", encoding="utf-8", errors="surrogatepass") as fh:
        fh.write(line + "\n")
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout)["answered"] == 4  # the history is all there
    assert "1 damaged record kept aside in" in result.stderr
    assert result.stderr.count("\n") == 1  # one line
    rejected = (data / "journal.rejected.jsonl").read_text().splitlines()
    assert len(rejected) == 1
    import base64

    assert base64.b64decode(json.loads(rejected[0])["base64"]) == \
        line.encode("utf-8", "surrogatepass")  # kept verbatim
    for command in (("stats", "--json"), ("today", "--json"), ("history", "--json"),
                    ("config", "--json"), ("stats",), ("today",), ("history",)):
        again = run(*command)  # never twice
        assert again.exit_code == 0 and again.stderr == "", (command, again.output)
        if "--json" in command:
            strict_json(again.stdout)


def test_many_damaged_lines_are_named_in_one_line(isolated_dirs):
    data = isolated_dirs / "data"
    history(data)
    with open(data / "journal.jsonl", "a", encoding="utf-8") as fh:
        for line in list(HOSTILE_LINES.values())[:5]:
            fh.write(line + "\n")
    store = ProgressStore(data)
    assert len(store.load().answers) == 4
    assert len(store.notices) == 1 and store.notices[0].startswith("5 damaged records kept aside")


def test_a_valid_record_with_unknown_fields_and_types_is_kept(tmp_path):
    history(tmp_path)
    with open(tmp_path / "journal.jsonl", "a") as fh:
        fh.write(json.dumps({**ANSWER, "id": "a10", "later": {"x": [1, 2]}}) + "\n")
        fh.write(json.dumps({"type": "from-the-future", "n": 1}) + "\n")
    store = ProgressStore(tmp_path)
    assert len(store.load().answers) == 5 and store.notices == []


def test_an_answer_with_a_null_time_is_kept(tmp_path):
    history(tmp_path)
    with open(tmp_path / "journal.jsonl", "a") as fh:
        fh.write(json.dumps({**ANSWER, "seconds": None}) + "\n")
    store = ProgressStore(tmp_path)
    assert len(store.load().answers) == 5 and store.notices == []


# --- checkpoints ---------------------------------------------------------------------------

@pytest.mark.parametrize("edit", ["retention", "nan", "not-sealed", "deep"])
def test_an_edited_or_damaged_state_file_is_rebuilt_from_the_journal(tmp_path, edit):
    store = ProgressStore(tmp_path)
    store.record(settings_action(retention=0.85))
    for n in range(3):
        store.record(answer_action(answer(n), Rating.GOOD))
    store.close()
    expected = ProgressStore(tmp_path).snapshot()
    path = tmp_path / "state.json"
    raw = path.read_bytes()
    if edit == "retention":
        raw = raw.replace(b'"retention":0.85', b'"retention":5')
    elif edit == "nan":
        raw = raw.replace(b'"retention":0.85', b'"retention":NaN')
    elif edit == "not-sealed":
        raw = files_unsealed(raw)
    else:
        raw = raw.replace(b'"retention":0.85', b'"retention":' + b"[" * 5000 + b"]" * 5000)
    path.write_bytes(raw)
    again = ProgressStore(tmp_path)
    snap = again.snapshot()
    assert snap.settings.retention == 0.85 and snap.schedule == expected.schedule
    assert again.notices == []


def files_unsealed(raw: bytes) -> bytes:
    from aifprep.files import unseal

    body = unseal(raw)
    assert body is not None
    return body


def test_damaged_views_are_rebuilt(isolated_dirs):
    data = isolated_dirs / "data"
    history(data)
    expected = ProgressStore(data).snapshot().views
    (views,) = (isolated_dirs / "cache").glob("views-*.json")
    views.write_bytes(views.read_bytes().replace(b'"answered":4', b'"answered":1e999'))
    assert ProgressStore(data).snapshot().views == expected
    views.unlink()
    os.mkfifo(views)  # a FIFO in the cache: never opened for reading
    assert ProgressStore(data).snapshot().views == expected


# --- exam.json -----------------------------------------------------------------------------

def exam_file(folder: Path) -> Path:
    from conftest import make_single

    from aifprep.mock import new_exam

    store = ProgressStore(folder)
    exam = new_exam("e1", [make_single("q1"), make_single("q2")], 3, 5.0, "pause", "2 q", T0)
    store.start_exam(exam)
    store.release_exam()
    store.close()
    return folder / "exam.json"


@pytest.mark.parametrize("edit", [
    ('"position": 0', '"position": 7'),
    ('"position": 0', '"position": NaN'),
    ('"seed": 3', '"seed": ' + "9" * 5000),
    ('"seed": 3', '"seed": 1e999'),
    ('"elapsed": 0.0', '"elapsed": -5'),
    ('"minutes": 5.0', '"minutes": Infinity'),
])
def test_a_damaged_exam_file_is_kept_aside_with_a_notice(tmp_path, edit):
    path = exam_file(tmp_path)
    text = path.read_text()
    assert edit[0] in text
    damaged = text.replace(edit[0], edit[1])
    path.write_text(damaged)
    store = ProgressStore(tmp_path)
    assert store.snapshot().exam is None
    assert len(store.notices) == 1 and "could not be read" in store.notices[0]
    (kept,) = tmp_path.glob("exam.json.damaged-*")
    assert kept.read_text() == damaged
    again = ProgressStore(tmp_path)
    assert again.snapshot().exam is None and again.notices == []


# --- schema 1-3 progress.json ----------------------------------------------------------------

def legacy_answer(n: int, **kw) -> dict:
    return {"id": f"a{n}", "question": QUESTION, "at": iso(T0 + timedelta(minutes=n)),
            "mode": "quiz", "session": "s", "given": ["A"], "correct": True, "seconds": 2.0,
            **kw}


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_old_file_keeps_every_good_record_and_sets_the_bad_ones_aside(tmp_path, version):
    answers = [legacy_answer(n) for n in range(6)]
    answers[1]["seconds"] = None  # a value the upgrade accepts: kept
    answers[2]["at"] = "0001-01-01T00:00:00Z"
    answers[3]["question"] = {"nested": True}
    data = {"schema_version": version, "answers": answers, "sessions": [
        {"id": "s", "mode": "quiz", "started": iso(T0), "finished": None, "label": "x"}]}
    if version >= 2:
        data.update(exam_in_progress=None, mock_exams=[])
    if version == 3:
        data.update(settings={"exam_date": None, "retention": 0.9}, schedule={
            f"question:{QUESTION}": MEMORY, "question:bad": {**MEMORY, "stability": -1}},
            reviews=[], excluded=[])
    raw = json.dumps(data, indent=1).encode()
    raw = raw.replace(b'"a4"', b'"a4", "deep": ' + b"[" * 1000 + b"]" * 1000)
    raw = raw.replace(b'"seconds": 2.0\n  },\n  {\n   "id": "a5"',
                      b'"seconds": NaN\n  },\n  {\n   "id": "a5"')
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    progress = store.load()
    kept = {a.id for a in progress.answers}
    assert kept == {"a0", "a1", "a5"}, kept  # a2 year 1, a3 a mapping, a4 deep nesting, a4's NaN
    assert (tmp_path / f"progress.json.v{version}-backup").read_bytes() == raw
    rejected = (tmp_path / "journal.rejected.jsonl").read_text().splitlines()
    expected = 3 + (version == 3)
    assert len(rejected) == expected
    assert any(f"{expected} damaged records kept aside" in n for n in store.notices)
    again = ProgressStore(tmp_path)
    assert {a.id for a in again.load().answers} == kept and again.notices == []
    result = run("stats", "--json")
    assert result.exit_code == 0 and strict_json(result.stdout)


def test_an_old_file_that_is_not_an_object_is_kept_and_a_fresh_start_made(tmp_path):
    (tmp_path / "progress.json").write_bytes(b"[1, 2, 3]")
    store = ProgressStore(tmp_path)
    assert store.load().answers == ()
    (kept,) = tmp_path.glob("progress.json.damaged-*")
    assert kept.read_bytes() == b"[1, 2, 3]"


# --- special files -------------------------------------------------------------------------

def make_special(path: Path, kind: str):
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        path.symlink_to("/dev/null")
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        return sock
    return None


@pytest.mark.parametrize("name", ["journal.jsonl", "state.json", "exam.json", "progress.json"])
@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "socket"])
def test_a_special_file_is_one_clear_line_never_a_hang(isolated_dirs, name, kind):
    if kind == "device" and not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    data = isolated_dirs / "data"
    data.mkdir()
    if len(str(data / name)) > 100 and kind == "socket":
        pytest.skip("socket path too long")
    sock = make_special(data / name, kind)
    try:
        env = {**os.environ, "AIFPREP_DATA_DIR": str(data),
               "AIFPREP_CACHE_DIR": str(isolated_dirs / "cache")}
        for command in (["stats", "--json"], ["exam-date", "2026-12-24"]):
            proc = subprocess.run([sys.executable, "-m", "aifprep", *command], env=env,
                                  capture_output=True, text=True, timeout=60)
            assert proc.returncode == 1, proc.stderr
            assert proc.stderr.count("\n") == 1 and str(data / name) in proc.stderr, proc.stderr
            assert "not a file aifprep can use" in proc.stderr and "Traceback" not in proc.stderr
    finally:
        if sock is not None:
            sock.close()


def test_a_symlinked_journal_and_state_stay_symlinks(tmp_path):
    real = tmp_path / "real"
    data = tmp_path / "data"
    real.mkdir()
    data.mkdir()
    (real / "journal.jsonl").touch()
    (real / "state.json").write_text("{}")
    (data / "journal.jsonl").symlink_to(real / "journal.jsonl")
    (data / "state.json").symlink_to(real / "state.json")
    history(data, 3)
    assert (data / "journal.jsonl").is_symlink() and (data / "state.json").is_symlink()
    assert (real / "journal.jsonl").stat().st_size > 0 and files_unsealed(
        (real / "state.json").read_bytes())
    store = ProgressStore(data)
    store.replace_journal([])  # an atomic rewrite goes through to the target
    store.close()
    assert (data / "journal.jsonl").is_symlink()
    assert b'"type":"journal"' in (real / "journal.jsonl").read_bytes()
    assert ProgressStore(data).load().answers == ()


# --- resource faults ---------------------------------------------------------------------------

def test_a_lock_that_cannot_be_created_reads_without_it_and_refuses_writes(tmp_path, monkeypatch):
    history(tmp_path)
    before = (tmp_path / "journal.jsonl").read_bytes()
    from filelock import FileLock

    def refuse(self, *args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileLock, "acquire", refuse)
    store = ProgressStore(tmp_path)
    assert store.snapshot().views.answered == 4 and store.read_only
    assert len(store.load().answers) == 4
    with pytest.raises(StoreError, match="cannot create the lock file .*journal.lock"):
        store.record(answer_action(answer(9), Rating.GOOD))
    assert (tmp_path / "journal.jsonl").read_bytes() == before


def test_a_write_that_fails_half_way_leaves_nothing_half_written(tmp_path, monkeypatch):
    history(tmp_path)
    before = (tmp_path / "journal.jsonl").read_bytes()
    store = ProgressStore(tmp_path)
    store.snapshot()
    real_write = os.write
    calls = []

    def full_disk(fd, data):
        if len(data) > 20 and not calls:
            calls.append(1)
            return real_write(fd, data[:10])  # a short write, then the disk is full
        if calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(StoreError, match="No space left on device"):
        store.record(answer_action(answer(9), Rating.GOOD))
    monkeypatch.setattr(os, "write", real_write)
    assert (tmp_path / "journal.jsonl").read_bytes() == before
    again = ProgressStore(tmp_path)
    assert again.snapshot().views.answered == 4 and again.notices == []


def test_an_unwritable_journal_is_one_clear_line(tmp_path, monkeypatch):
    history(tmp_path)
    real_open = os.open

    def unwritable(path, flags, *args, **kw):
        if str(path).endswith("journal.jsonl") and flags & os.O_APPEND:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", unwritable)
    store = ProgressStore(tmp_path)
    with pytest.raises(StoreError, match="cannot write .*journal.jsonl: Permission denied"):
        store.record(answer_action(answer(9), Rating.GOOD))
    assert store.snapshot().views.answered == 4


def test_an_unwritable_cache_folder_costs_only_speed(isolated_dirs, monkeypatch):
    blocker = isolated_dirs / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(blocker / "cache"))
    history(isolated_dirs / "data")
    for command in (("stats", "--json"), ("exam-date", "2026-12-24"), ("today", "--json")):
        result = run(*command)
        assert result.exit_code == 0 and result.stderr == "", result.output


def _mount_tmpfs(path: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    path.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True)
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")


@pytest.fixture
def mounted(tmp_path):
    mounts: list[Path] = []

    def mount(options: str) -> Path:
        path = tmp_path / f"mnt{len(mounts)}"
        _mount_tmpfs(path, options)
        mounts.append(path)
        return path

    yield mount
    for path in mounts:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


READS = [("stats",), ("stats", "--json"), ("domains",), ("history",), ("history", "--json"),
         ("today",), ("today", "--json"), ("config", "--json")]
WRITES = [("exam-date", "2026-12-24"), ("config", "retention", "0.9"), ("undo",)]


def test_a_read_only_data_folder_reads_and_refuses_writes_in_one_line(mounted, monkeypatch):
    mnt = mounted("size=8m")
    data = mnt / "data"
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(data))
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(mnt / "cache"))
    history(data)
    subprocess.run(["rm", "-rf", str(mnt / "cache")], check=True)
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    for command in READS:
        result = run(*command)
        assert result.exit_code == 0 and result.stderr == "", (command, result.output)
        if "--json" in command:
            strict_json(result.stdout)
    result = run("mock-exam", "--review")
    assert "no finished mock exam" in result.stderr
    for command in WRITES:
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.count("\n") == 1 and "Read-only file system" in result.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before


def test_a_full_disk_is_one_clear_line_and_nothing_half_written(mounted, monkeypatch):
    mnt = mounted("size=256k")
    data = mnt / "data"
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(data))
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(mnt / "cache"))
    history(data)
    journal = data / "journal.jsonl"
    pad = 4096 - journal.stat().st_size % 4096 - len('{"type":"pad","x":""}\n')
    with open(journal, "a") as fh:  # end the journal on a page boundary: no slack
        fh.write(json.dumps({"type": "pad", "x": "p" * pad}, separators=(",", ":")) + "\n")
    ProgressStore(data).snapshot()
    fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    before = journal.read_bytes()
    for command in WRITES[:2]:
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
        assert "journal.jsonl" in result.stderr or str(data) in result.stderr
    assert journal.read_bytes() == before
    for command in READS:
        assert run(*command).exit_code == 0, command
    (mnt / "filler").unlink()
    assert run("exam-date", "2026-12-24").exit_code == 0  # never twice


def test_no_inodes_for_the_lock_reads_still_work(mounted, monkeypatch):
    mnt = mounted("size=4m,nr_inodes=64")
    data = mnt / "data"
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(data))
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(mnt / "cache"))
    history(data)
    (data / "journal.lock").unlink()
    n = 0
    while True:
        try:
            (mnt / f"f{n}").touch()
        except OSError:
            break
        n += 1
    assert run("stats", "--json").exit_code == 0
    result = run("exam-date", "2026-12-24")
    assert result.exit_code == 1 and "cannot create the lock file" in result.stderr
    for p in mnt.glob("f*"):
        p.unlink()
    assert run("exam-date", "2026-12-24").exit_code == 0


# --- JSON out ------------------------------------------------------------------------------------

def test_dumps_never_writes_nan():
    assert sanity.dumps({"a": float("nan"), "b": [float("inf"), 1.5]}) == \
        '{"a": null, "b": [null, 1.5]}'


def test_an_old_file_in_a_folder_that_cannot_be_written_is_read_in_place(tmp_path, monkeypatch):
    raw = json.dumps({"schema_version": 1, "sessions": [],
                      "answers": [legacy_answer(0), legacy_answer(1, seconds=None),
                                  legacy_answer(2, correct=float("nan"))]}).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    from filelock import FileLock

    real_acquire = FileLock.acquire

    def refuse(self, *args, **kw):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(FileLock, "acquire", refuse)
    store = ProgressStore(tmp_path)
    assert store.snapshot().views.answered == 2
    assert {a.id for a in store.load().answers} == {"a0", "a1"}
    assert len(store.notices) == 1 and "read as it is, skipping 1 damaged record" in store.notices[0]
    with pytest.raises(StoreError, match="cannot create the lock file"):
        store.record(answer_action(answer(9), Rating.GOOD))
    assert (tmp_path / "progress.json").read_bytes() == raw
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]
    monkeypatch.setattr(FileLock, "acquire", real_acquire)
    upgraded = ProgressStore(tmp_path)
    assert {a.id for a in upgraded.load().answers} == {"a0", "a1"}
    assert (tmp_path / "progress.json.v1-backup").read_bytes() == raw


def test_an_upgrade_on_a_full_disk_leaves_the_old_file_and_runs_next_time(mounted, monkeypatch):
    mnt = mounted("size=128k")
    data = mnt / "data"
    data.mkdir()
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(data))
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(mnt / "cache"))
    raw = json.dumps({"schema_version": 1, "sessions": [],
                      "answers": [legacy_answer(n) for n in range(40)]}).encode()
    (data / "progress.json").write_bytes(raw)
    (data / "journal.lock").touch()
    fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    result = run("stats", "--json")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.output
    assert (data / "progress.json").read_bytes() == raw
    assert sorted(p.name for p in data.iterdir()) == ["journal.lock", "progress.json"]
    (mnt / "filler").unlink()
    result = run("stats", "--json")
    assert result.exit_code == 0 and strict_json(result.stdout)["answered"] == 40
    assert (data / "progress.json.v1-backup").read_bytes() == raw
