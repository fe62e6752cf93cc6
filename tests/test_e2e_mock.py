"""End to end: `aifprep mock-exam` in a real 80x24 pseudo-terminal.

The exam screen is a full-screen application that redraws only what changed, so the
output is fed to a terminal emulator (pyte) and the tests read the screen as a person
would. Waits are for what the screen shows, never for an amount of time.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from aifprep import paths
from aifprep.bank import load_bank
from aifprep.grading import presentation_order
from aifprep.mock import draw_exam
from aifprep.model import Matching, MultipleChoice, Ordering, SingleChoice

from terminal import AIFPREP, INSTALLED, Terminal as _Terminal, flat

ENTER, CTRL_C = "\r", "\x03"
pytestmark = pytest.mark.skipif(not INSTALLED, reason="aifprep console script is not installed")


class Terminal(_Terminal):
    """`aifprep mock-exam ARGS` on an emulated 80x24 screen."""

    def __init__(self, *args: str, rows: int = 24, cols: int = 80) -> None:
        super().__init__("mock-exam", *args, rows=rows, cols=cols)


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
    screen = term.wait_for("Result", "FAIL · 460 / 1000", "Estimated scaled score: 460 / 1000",
                           "walk through")
    assert "Raw score: 2 of 5 correct" in screen
    term.send(ENTER)  # the walk-through: one question a page
    screen = term.wait_for("Walk-through · Question 1 of 5", "Showing all: 1 of 5")
    assert stem_start(qs[0]) in flat(screen) and "Question 2 of 5" not in screen
    assert "wrong" in screen and "flagged" in screen  # filters that have questions
    term.send("n")
    screen = term.wait_for("Walk-through · Question 2 of 5", stem_start(qs[1]))
    term.send("4" + ENTER)  # jump to question 4
    term.wait_for("Walk-through · Question 4 of 5", "Unanswered (counted wrong)")
    term.send("q")
    assert term.finish() == 0
    out = term.output
    assert "FAIL" in out and "Raw score: 2 of 5 correct" in out and "By domain" in out
    assert "Traceback" not in out
    data = stats_json()
    assert data["mock_exams"][0]["scaled"] == 460 and not data["mock_exams"][0]["passed"]
    assert data["answered"] == 3 and data["correct"] == 2  # the 2 unanswered are no answers
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
    term.wait_for("Result", "walk through")
    term.send("q")  # no walk-through
    assert term.finish() == 0
    assert "Raw score: 2 of 5 correct" in term.output
    assert stats_json()["mock_exams"][0]["correct"] == 2


def test_an_exam_whose_time_runs_out_submits_itself():
    term = Terminal("--count", "3", "--minutes", "0.05", "--seed", "4", "--only", "wrong")
    term.wait_for("Question 1 of 3", "Time left 0:00:0")
    term.wait_for("Time left 0:00:01")  # the clock ticks while nobody types
    # nobody pressed a key: the exam ended by itself, and the result stays until a key
    term.wait_for("Time is up: the exam was submitted.", "Raw score: 0 of 3 correct")
    term.send(ENTER)
    term.wait_for("Walk-through · Question 1 of 3", "Showing wrong: 1 of 3")
    term.send("q")
    assert term.finish() == 0
    out = term.output
    assert "Raw score: 0 of 3 correct" in out and "time ran out" in out
    record = progress_file()["mock_exams"][0]
    assert record["timed_out"] and record["elapsed"] == 3.0


def overflowing_matching_seed(count: int = 3) -> int:
    """A seed whose first question is a matching question taller than an 80x24 screen."""
    from aifprep.mock import new_exam
    from aifprep.ui.exam_screen import ExamScreenApp

    bank = load_bank(paths.bundled_questions_dir(), [], cache=None)
    for seed in range(2000):
        qs = draw_exam(bank.questions, {}, count, random.Random(seed), prefer_unseen=False)
        if isinstance(qs[0], Matching):
            screen = ExamScreenApp(timer=lambda: 0.0)
            state = new_exam("x", qs, seed, 5, "pause", "", datetime.now(timezone.utc))
            screen.start(state, bank.by_id, lambda s: s)
            if "more lines (PgDn)" in screen.render_text(80, 24):
                return seed
    raise AssertionError("no seed found")


def test_matching_items_below_the_fold_are_announced_and_paged_to():
    seed = overflowing_matching_seed()
    q = expected_exam(seed, 3)[0]
    term = Terminal("--count", "3", "--seed", str(seed))
    screen = term.wait_for("Question 1 of 3", "more lines (PgDn)")
    assert stem_start(q) in flat(screen)
    last = flat(q.pairs[-1].prompt)[:30]
    assert last not in flat(screen)
    term.send("\x1b[6~")  # PgDn
    screen = term.wait_for(last)
    assert "more lines" not in screen and stem_start(q) in flat(screen)  # the stem stays
    term.send("q")
    term.wait_for("Exam saved at question 1 of 3")
    assert term.finish() == 0


def test_a_wall_clock_exam_that_ran_out_while_closed_shows_its_result():
    seed = 5
    term = Terminal("--count", "3", "--seed", str(seed), "--clock", "wall", "--minutes", "1")
    term.wait_for("Question 1 of 3")
    term.send("q")
    term.wait_for("Exam saved")
    term.finish()
    exam_file = paths.data_dir() / "exam.json"  # the exam in progress has its own file
    data = json.loads(exam_file.read_text())
    saved = datetime.fromisoformat(data["exam"]["saved_at"].replace("Z", "+00:00"))
    data["exam"]["saved_at"] = (saved - timedelta(minutes=5)).isoformat()
    exam_file.write_text(json.dumps(data))

    term = Terminal()
    screen = term.wait_for("Result", "Time is up: the exam was submitted.")
    assert "Resume" not in term.output and "left" not in screen
    term.send("q")
    assert term.finish() == 0
    assert "ran out while aifprep was closed" in flat(term.output)
    assert progress_file()["mock_exams"][0]["timed_out"]


def test_review_on_a_terminal_opens_the_result_screen_and_the_pager():
    from aifprep.exam_session import begin, finish
    from aifprep.mock import new_exam
    from aifprep.store import ProgressStore

    bank = load_bank(paths.bundled_questions_dir(), [], cache=None)
    qs = expected_exam(9, 4)
    store = ProgressStore(paths.data_dir())
    when = datetime(2026, 11, 29, 20, 0, tzinfo=timezone.utc)
    state = begin(store, new_exam("r1", qs, 9, 6.0, "pause", "4 questions", when))
    finish(store, state, bank.by_id, when, False)

    term = Terminal("--review", "--only", "unanswered")
    term.wait_for("Result", "FAIL · 100 / 1000", "Raw score: 0 of 4 correct")
    term.send(ENTER)
    screen = term.wait_for("Walk-through · Question 1 of 4", "Showing unanswered: 1 of 4")
    assert "Question 2 of 4" not in screen and stem_start(qs[0]) in flat(screen)
    term.send("n")
    term.wait_for("Walk-through · Question 2 of 4", stem_start(qs[1]))
    term.send("q")
    assert term.finish() == 0
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
