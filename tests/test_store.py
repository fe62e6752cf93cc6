"""The progress file on real files: atomic writes, locking, damaged files, kills."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from aifprep.progress import SCHEMA_VERSION, AnswerRecord, add_answer
from aifprep.store import ProgressStore

WRITER = textwrap.dedent("""\
    import sys, uuid
    from pathlib import Path
    from aifprep.progress import AnswerRecord, add_answer
    from aifprep.store import ProgressStore
    store = ProgressStore(Path(sys.argv[1]))
    tag, n = sys.argv[2], int(sys.argv[3])
    i = 0
    while n < 0 or i < n:
        store.update(add_answer(AnswerRecord(uuid.uuid4().hex, f"{tag}-{i}", "2026-11-01T00:00:00Z",
                                             "quiz", tag, (0,), True, 1.0)))
        i += 1
        if n < 0:
            print(i, flush=True)
    """)


def run_writer(folder: Path, tag: str, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(folder), tag, str(n)],
                            stdout=subprocess.PIPE, text=True)


def record(n: int) -> AnswerRecord:
    return AnswerRecord(f"id{n}", f"q{n}", "2026-11-01T00:00:00Z", "quiz", "s", (0,), n % 2 == 0, 2.0)


def test_missing_file_is_empty_progress(tmp_path):
    assert ProgressStore(tmp_path / "new").load().answers == ()


def test_update_writes_json_and_leaves_no_temp_files(tmp_path):
    store = ProgressStore(tmp_path)
    store.update(add_answer(record(1)))
    data = json.loads((tmp_path / "progress.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION and data["answers"][0]["question"] == "q1"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert ProgressStore(tmp_path).load().answers == (record(1),)


def test_corrupted_file_is_kept_byte_for_byte_and_explained(tmp_path):
    damaged = b'{"schema_version": 1, "answers": [ \xff truncated'
    (tmp_path / "progress.json").write_bytes(damaged)
    store = ProgressStore(tmp_path)
    assert store.load().answers == ()
    backups = list(tmp_path.glob("progress.json.damaged-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == damaged
    assert len(store.notices) == 1
    assert str(backups[0]) in store.notices[0] and "fresh progress file" in store.notices[0]
    # The fresh file is in place, so the next run says nothing more.
    again = ProgressStore(tmp_path)
    again.load()
    assert again.notices == []


def test_file_from_a_newer_aifprep_is_backed_up_not_overwritten(tmp_path):
    newer = json.dumps({"schema_version": 99, "answers": []}).encode()
    (tmp_path / "progress.json").write_bytes(newer)
    store = ProgressStore(tmp_path)
    store.update(add_answer(record(1)))
    (backup,) = tmp_path.glob("progress.json.damaged-*")
    assert backup.read_bytes() == newer
    assert "schema version 99" in store.notices[0]
    assert len(store.load().answers) == 1


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    procs = [run_writer(tmp_path, tag, 40) for tag in ("left", "right")]
    for p in procs:
        assert p.wait(timeout=120) == 0
    answers = ProgressStore(tmp_path).load().answers
    assert len(answers) == 80
    assert {a.session for a in answers} == {"left", "right"}


def test_a_process_killed_mid_write_leaves_a_valid_file(tmp_path):
    for attempt in range(5):
        proc = run_writer(tmp_path, f"run{attempt}", -1)
        proc.stdout.readline()  # at least one write has landed
        time.sleep(0.05 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        store = ProgressStore(tmp_path)
        progress = store.load()
        assert store.notices == [], store.notices
        assert any(a.session == f"run{attempt}" for a in progress.answers)
