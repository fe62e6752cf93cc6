"""End to end: `aifprep flashcards` in a real pseudo-terminal, keys pressed one at a time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pexpect
import pytest

AIFPREP = Path(sys.executable).with_name("aifprep")
pytestmark = pytest.mark.skipif(not AIFPREP.exists() and not shutil.which("aifprep"),
                                reason="aifprep console script is not installed")
RIGHT, ENTER = "\x1b[C", "\r"


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color"}
    return pexpect.spawn(str(AIFPREP), list(args), env=env, encoding="utf-8",
                         dimensions=(30, 100), timeout=20)


def aifprep(*args: str) -> str:
    return subprocess.run([str(AIFPREP), *args], capture_output=True, text=True, check=True).stdout


def reveal_and_rate(child: pexpect.spawn, keys: str) -> None:
    child.expect("show the answer")
    child.send(" ")
    child.expect("Again")
    child.send(keys)


def test_review_three_cards_quit_and_find_them_scheduled():
    exam = (date.today() + timedelta(days=30)).isoformat()
    aifprep("exam-date", exam)
    child = spawn("flashcards", "--new", "5")
    child.expect(r"Due 0 · New \d+")
    reveal_and_rate(child, "3")  # Good
    reveal_and_rate(child, "4")  # Easy
    reveal_and_rate(child, RIGHT + ENTER)  # arrow from Good to Easy, Enter
    child.expect("show the answer")
    child.send("q")
    child.expect("Reviewed 3 cards: Good 1 · Easy 2")
    child.expect(r"Now   : Due 0 · New \d+ · Learning 1 · Learned 2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    data = json.loads(aifprep("stats", "--json"))
    cards = data["flashcards"]
    assert (cards["learning"], cards["review"], cards["due_now"]) == (1, 2, 0)
    assert cards["new"] == cards["total"] - 3 and cards["reviews"] == 3
    assert data["exam_date"] == exam
    from aifprep.progress import to_json
    from aifprep.store import ProgressStore

    progress = to_json(ProgressStore(Path(os.environ["AIFPREP_DATA_DIR"])).load())
    dues = {k: datetime.fromisoformat(m["due"].replace("Z", "+00:00"))
            for k, m in progress["schedule"].items()}
    assert len(dues) == 3 and all(k.startswith("card:") for k in dues)
    now = datetime.now(timezone.utc)
    assert all(now < due < datetime.fromisoformat(exam).replace(tzinfo=timezone.utc) for due in dues.values())
    assert sorted(r["rating"] for r in progress["reviews"]) == [3, 4, 4]


def test_cram_in_a_terminal_changes_nothing_and_ctrl_c_exits_130():
    child = spawn("flashcards", "--cram", "--limit", "2")
    reveal_and_rate(child, "1")
    child.expect("show the answer")
    child.sendcontrol("c")
    child.expect("Cram session: your schedule was not changed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not (Path(os.environ["AIFPREP_DATA_DIR"]) / "journal.jsonl").exists() or \
        json.loads(aifprep("stats", "--json"))["flashcards"]["reviews"] == 0
