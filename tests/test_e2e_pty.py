"""End to end: the installed `aifprep` in a real pseudo-terminal, answered by keystroke."""

from __future__ import annotations

import json
import re
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from aifprep import paths
from aifprep.bank import bundled_files, check_files
from aifprep.grading import presentation_order
from aifprep.model import Matching, MultipleChoice, Ordering, SingleChoice
from aifprep.selection import QuizFilter, filter_questions, select_questions

DOWN, SPACE, ENTER, CTRL_C = "\x1b[B", " ", "\r", "\x03"
AIFPREP = Path(sys.executable).with_name("aifprep")
pytestmark = pytest.mark.skipif(not AIFPREP.exists() and not shutil.which("aifprep"),
                                reason="aifprep console script is not installed")


def bank():
    return check_files(bundled_files(paths.bundled_questions_dir())).questions


def expected_draw(seed: int, count: int, **filters):
    pool = filter_questions(bank(), QuizFilter(**filters), {})
    return select_questions(pool, {}, count, random.Random(seed), prefer_unlearned=False)


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(str(AIFPREP), list(args), env=env, encoding="utf-8",
                          dimensions=(40, 120), timeout=20)
    return child


def stats_json() -> dict:
    out = subprocess.run([str(AIFPREP), "stats", "--json"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def pick(child: pexpect.spawn, index: int, prompt: str) -> None:
    """In a select prompt, move down `index` times and press Enter."""
    child.expect(prompt)
    child.send(DOWN * index)
    child.send(ENTER)


def answer(child: pexpect.spawn, q, seed: int, right: bool, after: str = ENTER) -> None:
    order = presentation_order(q, seed)
    if isinstance(q, SingleChoice):
        key_at = order.index(next(iter(q.key)))
        pick(child, key_at if right else (key_at + 1) % 4, "Your answer")
    elif isinstance(q, MultipleChoice):
        child.expect("Your answers")
        wanted = [order.index(i) for i in sorted(q.key)] if right else \
            [p for p in range(len(order)) if order[p] not in q.key][: q.picks]
        position = 0
        for target in sorted(wanted):
            child.send(DOWN * (target - position) + SPACE)
            position = target
        child.send(ENTER)
    elif isinstance(q, Ordering):
        remaining = list(order)
        steps = list(range(len(q.steps))) if right else [1, 0] + list(range(2, len(q.steps)))
        for pos, step in enumerate(steps[:-1], 1):
            pick(child, remaining.index(step), f"Step {pos}")
            remaining.remove(step)
    else:
        assert isinstance(q, Matching)
        for pair in q.pairs:
            pick(child, order.index(pair.answer), re.escape(pair.prompt[:20]))
    child.expect("Correct" if right else "Incorrect")
    child.expect("Press any key to continue · u: I guessed" if right else "Press any key")
    child.send(after)


def test_quiz_answered_in_a_terminal_is_saved_and_counted():
    seed = 11
    first, second = expected_draw(seed, 2, domain="security", qtype="single")
    child = spawn("quiz", "--domain", "sec", "--type", "single", "-n", "2", "--seed", str(seed))
    child.expect("Question 1/2")
    answer(child, first, seed, right=True)
    child.expect("Question 2/2")
    answer(child, second, seed, right=False)
    child.expect(r"Score: 1/2 \(50%\)")
    child.expect(second.id)  # listed among the missed questions
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = stats_json()
    assert (data["answered"], data["correct"]) == (2, 1)
    assert data["domains"]["security"]["answered"] == 2
    assert data["sessions"][0]["answered"] == 2
    reviews = data["question_reviews"]
    assert reviews["reviews"] == 2 and reviews["new"] == data["total"] - 2


def test_u_after_a_right_answer_schedules_the_question_sooner():
    seed = 4
    (q,) = expected_draw(seed, 1, qtype="single")
    child = spawn("quiz", "--type", "single", "-n", "1", "--seed", str(seed))
    answer(child, q, seed, right=True, after="u")
    child.expect(r"Score: 1/1")
    child.expect(pexpect.EOF)
    child.close()
    from aifprep.progress import to_json
    from aifprep.store import ProgressStore

    progress = to_json(ProgressStore(paths.data_dir()).load())
    assert [(r["item"], r["rating"]) for r in progress["reviews"]] == [(f"question:{q.id}", 2)]


def test_every_question_type_can_be_answered_by_keyboard():
    seed = 5
    for qtype in ("multiple", "ordering", "matching"):
        (q,) = expected_draw(seed, 1, qtype=qtype)
        child = spawn("quiz", "--type", qtype, "-n", "1", "--seed", str(seed))
        child.expect("Question 1/1")
        answer(child, q, seed, right=True)
        child.expect(r"Score: 1/1")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, qtype
    assert stats_json()["correct"] == 3


def test_wrong_ordering_is_graded_wrong():
    seed = 8
    (q,) = expected_draw(seed, 1, qtype="ordering")
    child = spawn("quiz", "--type", "ordering", "-n", "1", "--seed", str(seed))
    answer(child, q, seed, right=False)
    child.expect(r"Score: 0/1")
    child.expect(pexpect.EOF)
    child.close()
    assert stats_json()["answered"] == 1


def test_ctrl_c_ends_the_quiz_with_a_summary_and_keeps_answers():
    seed = 3
    draw = expected_draw(seed, 3, domain="ai-ml", qtype="single")
    child = spawn("quiz", "-d", "1", "--type", "single", "-n", "3", "--seed", str(seed))
    child.expect("Question 1/3")
    answer(child, draw[0], seed, right=True)
    child.expect("Question 2/3")
    child.expect("Your answer")
    child.send(CTRL_C)
    child.expect(r"Score: 1/1")
    child.expect("stopped after 1 of 3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
    data = stats_json()
    assert (data["answered"], data["correct"]) == (1, 1)
    assert data["sessions"][0]["finished"]


def test_missed_question_comes_back_with_missed():
    seed = 21
    (q,) = expected_draw(seed, 1, domain="genai", qtype="single")
    child = spawn("quiz", "-d", "genai", "--type", "single", "-n", "1", "--seed", str(seed))
    answer(child, q, seed, right=False)
    child.expect(pexpect.EOF)
    child = spawn("quiz", "--missed")
    child.expect("Question 1/1")
    child.expect("Your answer")
    assert " ".join(q.stem.split())[:40] in " ".join(child.before.split())
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
