"""End to end: `aifprep mock-exam` in a real 80x24 pseudo-terminal.

The exam screen is a full-screen application that redraws only what changed, so the
output is fed to a terminal emulator (pyte) and the tests read the screen as a person
would. Waits are for what the screen shows, never for an amount of time.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from aifprep import paths
from aifprep.bank import load_bank
from aifprep.grading import presentation_order
from aifprep.mock import draw_exam
from aifprep.model import Matching, MultipleChoice, Ordering, SingleChoice

pyte = pytest.importorskip("pyte")

DOWN, ENTER, CTRL_C = "\x1b[B", "\r", "\x03"
AIFPREP = Path(sys.executable).with_name("aifprep")
pytestmark = pytest.mark.skipif(not AIFPREP.exists() and not shutil.which("aifprep"),
                                reason="aifprep console script is not installed")


class Terminal:
    """A child process on an emulated 80x24 screen."""

    def __init__(self, *args: str, rows: int = 24, cols: int = 80) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("NO_COLOR", None)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.transcript = ""
        self.child = pexpect.spawn(str(AIFPREP), ["mock-exam", *args], env=env,
                                   encoding="utf-8", dimensions=(rows, cols), timeout=20)

    def _read(self, wait: float = 0.1) -> bool | None:
        """Feed what the child printed to the screen: True if something, None at the end."""
        try:
            data = self.child.read_nonblocking(100_000, timeout=wait)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            return None
        self.transcript += data
        self.stream.feed(data)
        return True

    @property
    def output(self) -> str:
        """Everything printed, without escape sequences."""
        return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r", "",
                      self.transcript)

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, *texts: str, timeout: float = 20) -> str:
        """Read until every text is on the screen at once; return the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text
            flat = " ".join(screen.split())  # a text may wrap onto the next line
            if all(t in screen or " ".join(t.split()) in flat for t in texts):
                while self._read(0.3):  # let the redraw that showed them finish
                    pass
                return self.text
            if time.monotonic() > deadline or self._read() is None:
                raise AssertionError(f"never saw {texts!r}; the screen:\n{screen}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self, timeout: float = 20) -> int:
        """Read to the end; return the exit status."""
        deadline = time.monotonic() + timeout
        while self._read(0.2) is not None and time.monotonic() < deadline:
            pass
        self.child.close()
        if self.child.exitstatus is not None:
            return self.child.exitstatus
        return -self.child.signalstatus


def expected_exam(seed: int, count: int):
    bank = load_bank(paths.bundled_questions_dir(), [], cache=None)
    return draw_exam(bank.questions, {}, count, random.Random(seed), prefer_unseen=False)


def answer_keys(q, seed: int, right: bool = True) -> str:
    """The keystrokes that answer a question on the exam screen (digits pick by number)."""
    order = presentation_order(q, seed)
    if isinstance(q, SingleChoice):
        at = order.index(next(iter(q.key)))
        return str((at if right else (at + 1) % 4) + 1)
    if isinstance(q, MultipleChoice):
        keys = sorted(q.key) if right else [i for i in order if i not in q.key][: q.picks]
        return "".join(str(order.index(i) + 1) for i in keys)
    if isinstance(q, Ordering):
        steps = list(range(len(q.steps))) if right else [1, 0] + list(range(2, len(q.steps)))
        return "".join(str(order.index(s) + 1) for s in steps[:-1])
    assert isinstance(q, Matching)
    answers = [p.answer for p in q.pairs]
    if not right:
        answers = answers[1:] + answers[:1]
    return "".join(str(order.index(a) + 1) for a in answers)


def stem_start(q) -> str:
    return " ".join(q.stem.split())[:30]


def stats_json() -> dict:
    out = subprocess.run([str(AIFPREP), "stats", "--json"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def progress_file() -> dict:
    """The whole progress, replayed from the journal, as the old progress.json had it."""
    from aifprep.progress import to_json
    from aifprep.store import ProgressStore

    return to_json(ProgressStore(paths.data_dir()).load())


def test_a_short_exam_is_answered_flagged_reviewed_and_submitted():
    seed = 21
    qs = expected_exam(seed, 5)
    term = Terminal("--count", "5", "--seed", str(seed))
    screen = term.wait_for("Question 1 of 5", "Time left", "Answered 0 of 5 · Flagged 0")
    assert "On pace" in screen and "f flag" in screen and "s submit" in screen
    term.send(answer_keys(qs[0], seed) + "f")
    term.wait_for("Answered 1 of 5 · Flagged 1", "⚑ Flagged")
    term.send("n" + answer_keys(qs[1], seed, right=False))
    term.wait_for("Question 2 of 5", "Answered 2 of 5")
    term.send("\x1b[C" + answer_keys(qs[2], seed) + "n")  # right arrow, answer, next
    term.wait_for("Question 4 of 5", "Answered 3 of 5")
    term.send("f")  # flag question 4, leave it unanswered
    term.wait_for("Flagged 2")
    term.send("r")
    screen = term.wait_for("Review", "Unanswered")
    rows = [line for line in screen.splitlines() if line[:4].strip().isdigit()]
    assert len(rows) == 5
    assert "⚑" in rows[0] and "Answered" in rows[0]
    assert "⚑" in rows[3] and "Unanswered" in rows[3] and "Unanswered" in rows[4]
    term.send("\x1b[A\x1b[A\r")  # up twice from question 4: jump to question 2
    term.wait_for("Question 2 of 5", stem_start(qs[1]))
    term.send("s")
    term.wait_for("Submit the exam now? 2 unanswered, 2 flagged.")
    term.send("x")  # any other key goes back
    term.wait_for("Question 2 of 5", "s submit")
    term.send("sy")
    term.wait_for("Walk through the questions?")
    assert "Estimated scaled score: 460 / 1000" in term.output
    term.send(DOWN + ENTER)  # all questions
    assert term.finish() == 0
    out = term.output
    assert "FAIL" in out and "Raw score: 2 of 5 correct" in out and "By domain" in out
    for n in range(1, 6):
        assert f"Question {n} of 5" in out
    assert "Unanswered (counted wrong)" in out and "Traceback" not in out
    data = stats_json()
    assert data["mock_exams"][0]["scaled"] == 460 and not data["mock_exams"][0]["passed"]
    assert data["answered"] == 5 and data["correct"] == 2
    assert progress_file()["exam_in_progress"] is None


def test_an_exam_killed_midway_resumes_with_its_answers_intact():
    seed = 7
    qs = expected_exam(seed, 5)
    term = Terminal("--count", "5", "--seed", str(seed))
    term.wait_for("Question 1 of 5")
    term.send(answer_keys(qs[0], seed) + "n" + answer_keys(qs[1], seed) + "nf")
    term.wait_for("Question 3 of 5", "Answered 2 of 5 · Flagged 1")
    term.child.kill(signal.SIGKILL)
    term.child.close()

    term = Terminal("--resume")
    screen = term.wait_for("Question 3 of 5", "Answered 2 of 5 · Flagged 1", "⚑ Flagged")
    assert stem_start(qs[2]) in " ".join(screen.split())
    term.send("p")  # the earlier answer is still chosen
    screen = term.wait_for("Question 2 of 5")
    term.send(CTRL_C)
    term.wait_for("Exam saved at question 2 of 5")
    assert term.finish() == 130
    assert "Traceback" not in term.output

    term = Terminal()  # a plain start offers to resume
    term.wait_for("unfinished mock exam", "2 of 5 answered", "What would you like to do?")
    term.send(ENTER)
    term.wait_for("Question 2 of 5", "Answered 2 of 5 · Flagged 1")
    term.send("sy")
    term.wait_for("Walk through the questions?")
    term.send(DOWN * 3 + ENTER)  # no walk-through
    assert term.finish() == 0
    assert "Raw score: 2 of 5 correct" in term.output
    assert stats_json()["mock_exams"][0]["correct"] == 2


def test_an_exam_whose_time_runs_out_submits_itself():
    term = Terminal("--count", "3", "--minutes", "0.05", "--seed", "4", "--only", "wrong")
    term.wait_for("Question 1 of 3", "Time left 0:00:0")
    term.wait_for("Time left 0:00:01")  # the clock ticks while nobody types
    assert term.finish() == 0  # nobody pressed a key: the exam ended by itself
    out = term.output
    assert "Time is up: the exam was submitted." in out
    assert "Raw score: 0 of 3 correct" in out and "time ran out" in out
    assert "Question 3 of 3" in out  # the walk-through of the wrong ones
    record = progress_file()["mock_exams"][0]
    assert record["timed_out"] and record["elapsed"] == 3.0


def test_a_second_terminal_takes_the_exam_over_and_the_first_stops_saving():
    first = Terminal("--count", "5", "--seed", "8")
    first.wait_for("Question 1 of 5")
    first.send("f")  # flag question 1: saved by the first terminal
    first.wait_for("Flagged 1")
    second = Terminal("--resume")
    second.wait_for("open in another terminal", "Take it over here?")
    second.send("y")
    second.wait_for("Question 1 of 5", "Flagged 1")
    assert first.finish() == 1
    assert "taken over by another terminal" in " ".join(first.output.split())
    second.send("n")
    second.send("f")  # flag question 2 in the second terminal
    second.wait_for("Flagged 2")
    second.send("q")
    assert second.finish() == 0
    assert progress_file()["exam_in_progress"]["flags"][:2] == [True, True]
