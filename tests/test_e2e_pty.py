"""End to end: `aifprep quiz` in a real 80x24 pseudo-terminal, answered by keystroke and
read through a terminal emulator."""

from __future__ import annotations

import json
import random
import subprocess

import pytest

from aifprep import paths
from aifprep.bank import bundled_files, check_files
from aifprep.grading import presentation_order
from aifprep.model import Matching, MultipleChoice, Ordering, SingleChoice
from aifprep.selection import QuizFilter, filter_questions, select_questions

from terminal import AIFPREP, CTRL_C, ENTER, INSTALLED, PGDN, Terminal, flat

pytestmark = pytest.mark.skipif(not INSTALLED, reason="aifprep console script is not installed")


def bank():
    return check_files(bundled_files(paths.bundled_questions_dir())).questions


def expected_draw(seed: int, count: int, **filters):
    pool = filter_questions(bank(), QuizFilter(**filters), {})
    return select_questions(pool, {}, count, random.Random(seed), prefer_unlearned=False)


def quiz(*args: str) -> Terminal:
    return Terminal("quiz", *args)


def stats_json() -> dict:
    out = subprocess.run([str(AIFPREP), "stats", "--json"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def answer_keys(q, seed: int, right: bool, sure: str = ENTER) -> str:
    """Digits that answer a question, Enter to confirm, then how sure (Enter: sure)."""
    order = presentation_order(q, seed)
    if isinstance(q, SingleChoice):
        at = order.index(next(iter(q.key)))
        keys = str((at if right else (at + 1) % len(order)) + 1)
    elif isinstance(q, MultipleChoice):
        picks = sorted(q.key) if right else [i for i in order if i not in q.key][: q.picks]
        keys = "".join(str(order.index(i) + 1) for i in picks)
    elif isinstance(q, Ordering):
        steps = list(range(len(q.steps))) if right else [1, 0] + list(range(2, len(q.steps)))
        keys = "".join(str(order.index(s) + 1) for s in steps[:-1])
    else:
        assert isinstance(q, Matching)
        answers = [p.answer for p in q.pairs]
        if not right:
            answers = answers[1:] + answers[:1]
        keys = "".join(str(order.index(a) + 1) for a in answers)
    return keys + ENTER + sure


def stem_start(q) -> str:
    return flat(q.stem)[:30]


def answer(term: Terminal, q, seed: int, right: bool, after: str = ENTER) -> str:
    term.send(answer_keys(q, seed, right))
    screen = term.wait_for("✓ Correct" if right else "✗ Incorrect")
    term.send(after)
    return screen


def test_quiz_answered_in_a_terminal_is_saved_and_counted():
    seed = 11
    first, second = expected_draw(seed, 2, domain="security", qtype="single")
    term = quiz("--domain", "sec", "--type", "single", "-n", "2", "--seed", str(seed))
    term.wait_for("Question 1 of 2", "Score 0/0", stem_start(first))
    answer(term, first, seed, right=True)
    term.wait_for("Question 2 of 2", "Score 1/1", stem_start(second))
    answer(term, second, seed, right=False)
    assert term.finish() == 0
    out = term.output
    assert "Score: 1/2 (50%)" in out and second.id in out  # listed among the missed
    data = stats_json()
    assert (data["answered"], data["correct"]) == (2, 1)
    assert data["domains"]["security"]["answered"] == 2
    assert data["sessions"][0]["answered"] == 2
    reviews = data["question_reviews"]
    assert reviews["reviews"] == 2 and reviews["new"] == data["total"] - 2


def test_how_sure_is_asked_before_the_verdict_and_a_right_guess_is_rated_hard():
    seed = 4
    (q,) = expected_draw(seed, 1, qtype="single")
    term = quiz("--type", "single", "-n", "1", "--seed", str(seed))
    term.wait_for("Question 1 of 1")
    term.send(answer_keys(q, seed, right=True, sure=""))
    screen = term.wait_for("How sure are you?")
    assert "Correct" not in screen and "Incorrect" not in screen  # no verdict yet
    term.send("g")
    term.wait_for("✓ Correct")
    term.send(ENTER)
    assert term.finish() == 0
    assert "Score: 1/1" in term.output
    from aifprep.progress import to_json
    from aifprep.store import ProgressStore

    progress = to_json(ProgressStore(paths.data_dir()).load())
    assert [(r["item"], r["rating"]) for r in progress["reviews"]] == [(f"question:{q.id}", 2)]
    assert [a["confidence"] for a in progress["answers"]] == ["guess"]
    calibration = stats_json()["calibration"]["levels"]
    assert calibration["guess"] == {"answered": 1, "right": 1, "accuracy": 1.0}


@pytest.mark.parametrize("qtype", ["multiple", "ordering", "matching"])
def test_every_question_type_can_be_answered_by_keyboard(qtype):
    seed = 5
    (q,) = expected_draw(seed, 1, qtype=qtype)
    term = quiz("--type", qtype, "-n", "1", "--seed", str(seed))
    term.wait_for("Question 1 of 1", stem_start(q))
    keys = answer_keys(q, seed, right=True)
    if isinstance(q, Ordering):
        keys += ENTER  # the last step is placed by itself; Enter confirms the order
    term.send(keys)
    term.wait_for("✓ Correct")
    term.send(ENTER)
    assert term.finish() == 0
    assert "Score: 1/1" in term.output
    assert stats_json()["correct"] == 1


def test_wrong_ordering_is_graded_wrong_and_backspace_takes_a_step_back():
    seed = 8
    (q,) = expected_draw(seed, 1, qtype="ordering")
    order = presentation_order(q, seed)
    term = quiz("--type", "ordering", "-n", "1", "--seed", str(seed))
    term.wait_for("Pick the step for position 1")
    term.send(str(order.index(2) + 1))
    term.wait_for("Pick the step for position 2")
    term.send("\x7f")  # ⌫ takes it back
    term.wait_for("Pick the step for position 1")
    term.send(answer_keys(q, seed, right=False) + ENTER)
    term.wait_for("✗ Incorrect")
    term.send(ENTER)
    assert term.finish() == 0
    assert "Score: 0/1" in term.output
    assert stats_json()["answered"] == 1


def test_a_third_tick_on_a_choose_two_question_says_why_it_was_refused():
    seed = 2
    (q,) = expected_draw(seed, 1, qtype="multiple")
    term = quiz("--type", "multiple", "-n", "1", "--seed", str(seed))
    term.wait_for("Choose 2 answers (0 of 2 chosen)")
    term.send("123")
    screen = term.wait_for("asks for exactly 2 answers")
    assert "(2 of 2 chosen)" in screen
    term.send("q")
    assert term.finish() == 0


def test_feedback_after_a_long_wrong_multiple_response_answer_fits_and_pages():
    """The verdict, the question number and the first option are on the first page;
    PgDn brings the rest."""
    qs = [q for q in bank() if isinstance(q, MultipleChoice)]
    q = max(qs, key=lambda q: sum(len(o.text) + len(o.why) for o in q.options) + len(q.explanation))
    pool = filter_questions(bank(), QuizFilter(qtype="multiple"), {})
    seed = next(s for s in range(500) if select_questions(
        pool, {}, 1, random.Random(s), prefer_unlearned=False)[0].id == q.id)
    order = presentation_order(q, seed)
    term = quiz("--type", "multiple", "-n", "1", "--seed", str(seed))
    term.wait_for("Question 1 of 1")
    term.send(answer_keys(q, seed, right=False))
    screen = term.wait_for("✗ Incorrect", "Question 1 of 1")
    first = q.options[order[0]].text
    assert flat(first)[:40] in flat(screen)
    assert "more lines (PgDn)" in screen
    for _ in range(6):
        term.send(PGDN)
    screen = term.wait_for("The question", "✗ Incorrect")
    assert stem_start(q) in flat(screen)
    assert "more lines" not in screen  # the end: nothing more below
    term.send("q")
    assert term.finish() == 0


def test_a_matching_question_keeps_its_stem_in_view_while_picking():
    seed = 5
    (q,) = expected_draw(seed, 1, qtype="matching")
    order = presentation_order(q, seed)
    term = quiz("--type", "matching", "-n", "1", "--seed", str(seed))
    term.wait_for("Question 1 of 1", stem_start(q))
    for n, pair in enumerate(q.pairs[:-1]):
        term.send(str(order.index(pair.answer) + 1))
        screen = term.wait_for(f"{order.index(pair.answer) + 1}. {pair.answer}")
        assert stem_start(q) in flat(screen), screen
    term.send(CTRL_C)
    assert term.finish() == 130


def test_keys_typed_ahead_during_feedback_do_not_answer_the_next_question():
    seed = 3
    first, second = expected_draw(seed, 2, qtype="single")
    term = quiz("--type", "single", "-n", "2", "--seed", str(seed))
    term.wait_for("Question 1 of 2")
    term.send(answer_keys(first, seed, right=True))
    term.wait_for("✓ Correct")
    term.send(ENTER + ENTER + "1" + ENTER)  # a double Enter and more, typed ahead
    screen = term.wait_for("Question 2 of 2", stem_start(second))
    screen = term.settle()
    assert "Correct" not in screen and "Incorrect" not in screen
    assert "Choose ONE answer." in screen and "(•)" not in screen
    term.send("q")
    assert term.finish() == 0
    assert stats_json()["answered"] == 1


def test_ctrl_c_ends_the_quiz_with_a_summary_and_keeps_answers():
    seed = 3
    draw = expected_draw(seed, 3, domain="ai-ml", qtype="single")
    term = quiz("-d", "1", "--type", "single", "-n", "3", "--seed", str(seed))
    term.wait_for("Question 1 of 3")
    answer(term, draw[0], seed, right=True)
    term.wait_for("Question 2 of 3")
    term.send(CTRL_C)
    assert term.finish() == 130
    out = term.output
    assert "Score: 1/1" in out and "stopped after 1 of 3" in out and "Traceback" not in out
    data = stats_json()
    assert (data["answered"], data["correct"]) == (1, 1)
    assert data["sessions"][0]["finished"]


def test_q_ends_the_quiz_with_a_summary():
    seed = 3
    draw = expected_draw(seed, 3, qtype="single")
    term = quiz("--type", "single", "-n", "3", "--seed", str(seed))
    term.wait_for("Question 1 of 3")
    answer(term, draw[0], seed, right=False, after="q")
    assert term.finish() == 0
    assert "Score: 0/1" in term.output and "stopped after 1 of 3" in term.output


def test_missed_question_comes_back_with_missed():
    seed = 21
    (q,) = expected_draw(seed, 1, domain="genai", qtype="single")
    term = quiz("-d", "genai", "--type", "single", "-n", "1", "--seed", str(seed))
    term.wait_for("Question 1 of 1")
    answer(term, q, seed, right=False)
    term.finish()
    term = quiz("--missed")
    screen = term.wait_for("Question 1 of 1")
    assert stem_start(q) in flat(screen)
    term.send(CTRL_C)
    term.finish()


def test_letters_pick_options_like_digits():
    seed = 11
    (q,) = expected_draw(seed, 1, qtype="single")
    at = presentation_order(q, seed).index(next(iter(q.key)))
    term = quiz("--type", "single", "-n", "1", "--seed", str(seed))
    term.wait_for("Question 1 of 1")
    term.send("abcd"[at])
    term.wait_for(f"(•) {at + 1}.")
    term.send(ENTER + ENTER)  # confirm, then "sure"
    term.wait_for("✓ Correct")
    term.send("?")
    term.wait_for("Keys (? closes this)", "next question")
    term.send("q")
    assert term.finish() == 0
