"""The exam in progress in exam.json: saved off the screen's thread, one owner, kills."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import make_single

from aifprep.exam_session import PAUSED, BackgroundSaver, sit
from aifprep.examfile import ExamOwner
from aifprep.mock import new_exam, toggle_flag
from aifprep.store import ExamElsewhere, ExamTakenOver, ProgressStore

WORKERS = Path(__file__).with_name("store_workers.py")
NOW = datetime(2026, 11, 1, 10, tzinfo=timezone.utc)
QUESTIONS = [make_single(f"q{n}") for n in range(6)]


def exam():
    return new_exam("e1", QUESTIONS, 5, 30.0, "pause", "6 questions", NOW)


def other_terminal(folder: Path) -> ProgressStore:
    """A store that acts for another live process (the parent of this one: it is alive)."""
    me = ProgressStore(folder).identity
    return ProgressStore(folder, identity=replace(me, pid=os.getppid(), start=None,
                                                  token="other-terminal"))


def started(folder: Path) -> ProgressStore:
    store = ProgressStore(folder)
    store.start_exam(exam())
    store.release_exam()  # as a paused exam: anyone may resume it
    return store


def worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKERS), *args], stdout=subprocess.PIPE,
                            text=True)


def test_the_exam_file_is_small_json_with_its_owner(tmp_path):
    store = ProgressStore(tmp_path)
    store.start_exam(exam())
    data = json.loads((tmp_path / "exam.json").read_text())
    assert data["format"] == 1 and data["exam"]["id"] == "e1"
    assert data["owner"]["pid"] == os.getpid() and data["owner"]["token"]
    assert store.snapshot().exam == exam()
    assert [json.loads(x)["type"] for x in (tmp_path / "journal.jsonl").read_text().splitlines()] \
        == ["journal", "session"]  # exam saves never touch the journal


def test_a_second_terminal_is_told_the_exam_is_open_and_may_take_it_over(tmp_path):
    mine = ProgressStore(tmp_path)
    mine.start_exam(exam())
    other = other_terminal(tmp_path)
    assert other.exam_owner() is not None and other.exam_owner().pid == os.getpid()
    with pytest.raises(ExamElsewhere, match="open in another terminal"):
        other.claim_exam()
    taken = other.claim_exam(takeover=True)
    assert taken == exam()
    with pytest.raises(ExamTakenOver):
        mine.save_exam(toggle_flag(exam(), 1))
    other.save_exam(toggle_flag(exam(), 2))
    assert other.snapshot().exam.flags == (False, False, True, False, False, False)


def test_pausing_leaves_the_exam_free_for_the_next_terminal(tmp_path):
    store = ProgressStore(tmp_path)
    store.start_exam(exam())

    class Pause:
        def run(self, state, by_id, save):
            return save(toggle_flag(state, 0)), PAUSED

    sitting = sit(store, exam(), {q.id: q for q in QUESTIONS}, Pause(), clock=lambda: NOW)
    assert sitting.outcome == PAUSED
    other = other_terminal(tmp_path)
    assert other.exam_owner() is None
    assert other.claim_exam().flags[0]


def test_the_screen_thread_never_waits_for_the_disk(tmp_path, monkeypatch):
    store = started(tmp_path)
    store.claim_exam()
    gate, entered = threading.Event(), threading.Event()
    real = ProgressStore.save_exam

    def slow_save(self, state):
        entered.set()
        gate.wait(timeout=30)
        real(self, state)

    monkeypatch.setattr(ProgressStore, "save_exam", slow_save)
    save = BackgroundSaver(store, clock=lambda: NOW)
    state = save(toggle_flag(exam(), 0))
    entered.wait(timeout=30)  # the worker is stuck writing ...
    for i in range(1, 4):  # ... and the screen goes on: each save returns at once
        state = save(toggle_flag(state, i))
    gate.set()
    save.close()
    assert store.snapshot().exam.flags[:4] == (True, True, True, True)  # the latest state won


def test_a_terminal_whose_exam_was_taken_over_stops_saving_and_says_so(tmp_path):
    started(tmp_path)
    proc = worker("sit", str(tmp_path), "60")
    assert proc.stdout.readline().startswith("saved")
    mine = ProgressStore(tmp_path)
    owner = mine.exam_owner()
    assert owner is not None and owner.pid == proc.pid
    with pytest.raises(ExamElsewhere):
        mine.claim_exam()
    state = mine.claim_exam(takeover=True)
    mine.save_exam(replace(state, flags=(True,) * 6))
    out, _ = proc.communicate(timeout=60)
    assert "outcome taken-over" in out
    final = ProgressStore(tmp_path).snapshot().exam
    assert final.flags == (True,) * 6  # the first terminal did not overwrite it


def test_the_exam_file_survives_kills_mid_save(tmp_path):
    started(tmp_path)
    rng = random.Random(3)
    for attempt in range(8):
        proc = worker("save-exam", str(tmp_path))
        last = int(proc.stdout.readline())
        time.sleep(rng.random() * 0.1)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        last = max([last] + [int(x) for x in out.split()])
        store = ProgressStore(tmp_path)
        saved = store.snapshot().exam
        assert saved is not None and store.notices == []
        assert saved.elapsed >= last  # every acknowledged save is there
        assert store.exam_owner() is None  # the killed owner holds nothing
        assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_owner_on_another_host_is_never_assumed_gone(tmp_path):
    store = started(tmp_path)
    store.claim_exam()
    data = json.loads((tmp_path / "exam.json").read_text())
    data["owner"] = {**data["owner"], "host": "another-machine", "pid": 1, "token": "t"}
    (tmp_path / "exam.json").write_text(json.dumps(data))
    owner = ProgressStore(tmp_path).exam_owner()
    assert isinstance(owner, ExamOwner) and owner.host == "another-machine"
