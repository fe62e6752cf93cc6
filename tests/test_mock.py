"""The mock exam's pure core: drawing, sitting, grading and scoring."""

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from conftest import make_matching, make_multiple, make_ordering, make_single

from aifprep import paths
from aifprep.bank import load_bank
from aifprep.domains import BY_SLUG, DOMAINS, exam_allocation
from aifprep.exam import CLOCK_PAUSE, CLOCK_WALL
from aifprep.grading import key_response
from aifprep.mock import (
    MEETS,
    NEEDS,
    DrawError,
    answered_count,
    draw_exam,
    go_to,
    grade_state,
    is_answered,
    new_exam,
    pace,
    reopened,
    scaled_score,
    set_response,
    spend,
    toggle_flag,
)
from aifprep.progress import QuestionHistory

NOW = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def bank():
    return load_bank(paths.bundled_questions_dir(), [], cache=None)


def test_a_full_exam_follows_the_domain_weights_13_16_18_9_9(bank):
    exam = draw_exam(bank.questions, {}, 65, random.Random(1))
    counts = Counter(q.domain for q in exam)
    assert [counts[d.slug] for d in DOMAINS] == [13, 16, 18, 9, 9]


@pytest.mark.parametrize("count", [1, 5, 10, 20, 33])
def test_a_smaller_exam_keeps_the_weights_by_largest_remainder(bank, count):
    exam = draw_exam(bank.questions, {}, count, random.Random(count))
    counts = Counter(q.domain for q in exam)
    assert {d.slug: counts[d.slug] for d in DOMAINS} == exam_allocation(count)


def test_largest_remainder_for_ten_questions_breaks_ties_by_domain_number():
    # exact shares 2.0 / 2.4 / 2.8 / 1.4 / 1.4: the 2 left go to 2.8, then the first 0.4
    assert exam_allocation(10) == {"ai-ml": 2, "genai": 3, "foundation-models": 3,
                                   "responsible-ai": 1, "security": 1}


def test_each_domain_is_spread_evenly_over_its_task_statements(bank):
    exam = draw_exam(bank.questions, {}, 65, random.Random(4))
    for d in DOMAINS:
        per_task = Counter(q.task for q in exam if q.domain == d.slug)
        assert set(per_task) == {q.task for q in bank.in_domain(d.slug)}  # every task with questions
        assert max(per_task.values()) - min(per_task.values()) <= 1


def test_no_question_comes_twice(bank):
    exam = draw_exam(bank.questions, {}, 65, random.Random(9))
    assert len({q.id for q in exam}) == 65


def test_the_same_seed_draws_the_same_exam_in_the_same_order(bank):
    first = [q.id for q in draw_exam(bank.questions, {}, 65, random.Random(7), prefer_unseen=False)]
    again = [q.id for q in draw_exam(bank.questions, {}, 65, random.Random(7), prefer_unseen=False)]
    other = [q.id for q in draw_exam(bank.questions, {}, 65, random.Random(8), prefer_unseen=False)]
    assert first == again and first != other


def test_a_seeded_draw_ignores_the_history_when_not_preferring_unseen(bank):
    history = {q.id: QuestionHistory(3, 3, True, "2026-01-01T00:00:00Z") for q in bank.questions[:50]}
    plain = draw_exam(bank.questions, {}, 20, random.Random(2), prefer_unseen=False)
    with_history = draw_exam(bank.questions, history, 20, random.Random(2), prefer_unseen=False)
    assert plain == with_history


def test_least_seen_questions_are_preferred():
    pool = [make_single(f"q{i}") for i in range(10)]
    history = {f"q{i}": QuestionHistory(1 + i % 2, 1, True, "2026-01-01T00:00:00Z")
               for i in range(7)}
    drawn = draw_exam(pool, history, 4, random.Random(0), domain="ai-ml")
    ids = {q.id for q in drawn}
    assert {"q7", "q8", "q9"} <= ids  # never seen
    assert ids - {"q7", "q8", "q9"} <= {"q0", "q2", "q4", "q6"}  # then seen once, not twice


def test_a_domain_exam_draws_only_from_that_domain(bank):
    exam = draw_exam(bank.questions, {}, 12, random.Random(3), domain="security")
    assert {q.domain for q in exam} == {"security"}
    assert set(Counter(q.task for q in exam).values()) == {6}


def test_a_domain_too_small_for_its_share_is_topped_up_by_the_others():
    pool = [make_single(f"a{i}") for i in range(2)] + \
        [make_single(f"g{i}", domain="genai", task="2.1") for i in range(10)]
    exam = draw_exam(pool, {}, 8, random.Random(0))
    assert Counter(q.domain for q in exam) == {"ai-ml": 2, "genai": 6}


def test_an_exam_larger_than_the_bank_is_refused(bank):
    size = len(bank.in_domain("security"))
    with pytest.raises(DrawError, match=f"has {size} questions"):
        draw_exam(bank.questions, {}, size + 1, random.Random(0), domain="security")


# --- sitting ------------------------------------------------------------------------------

QUESTIONS = [make_single("s1"), make_multiple("m1", domain="genai", task="2.2"),
             make_ordering("o1", domain="security", task="5.1"),
             make_matching("x1", domain="security", task="5.2")]
BY_ID = {q.id: q for q in QUESTIONS}


def exam(clock=CLOCK_PAUSE, minutes=6.0):
    return new_exam("e1", QUESTIONS, 5, minutes, clock, "4 questions", NOW)


def test_a_new_exam_starts_unanswered_at_the_first_question():
    state = exam()
    assert state.position == 0 and state.responses == (None,) * 4 and state.time_left == 360
    assert answered_count(state, BY_ID) == 0


def test_answers_flags_and_position_change_only_what_they_name():
    state = set_response(exam(), 1, (0, 2))
    state = toggle_flag(go_to(state, 3), 2)
    assert state.responses == (None, (0, 2), None, None)
    assert state.flags == (False, False, True, False) and state.position == 3
    assert toggle_flag(state, 2).flags == (False,) * 4
    assert go_to(state, 99).position == 3


def test_partial_answers_are_not_answered():
    multiple, ordering, matching = QUESTIONS[1], QUESTIONS[2], QUESTIONS[3]
    assert not is_answered(multiple, (0,)) and is_answered(multiple, (0, 4))
    assert not is_answered(ordering, (2, 0)) and is_answered(ordering, (3, 2, 1, 0))
    assert not is_answered(matching, ("service 0", None, "service X"))
    assert is_answered(matching, ("service 0", "service X", "service X"))


def test_time_is_counted_on_the_question_on_screen_and_capped_at_the_limit():
    state = spend(go_to(exam(), 2), 30)
    assert state.elapsed == 30 and state.seconds == (0, 0, 30, 0)
    state = spend(state, 1000)
    assert state.elapsed == 360 and state.time_left == 0


def test_the_paused_clock_ignores_the_time_aifprep_was_closed():
    state = spend(exam(), 60)
    later = reopened(state, NOW + timedelta(hours=2))
    assert later.elapsed == 60


def test_the_wall_clock_counts_the_time_aifprep_was_closed():
    state = spend(exam(CLOCK_WALL), 60)
    later = reopened(state, NOW + timedelta(minutes=2))
    assert later.elapsed == 180 and later.time_left == 180


def test_pace_says_behind_when_answers_lag_the_even_pace():
    state = spend(exam(minutes=4.0), 150)  # 60 s a question: 2 due
    assert pace(state, 2).behind == 0 and pace(state, 2).describe().startswith("On pace")
    assert pace(state, 0).behind == 2 and "Behind by 2 questions" in pace(state, 0).describe()


def test_ninety_minutes_for_65_questions_is_about_83_seconds_each():
    state = new_exam("e", [make_single(f"q{i}") for i in range(65)], 1, 90, CLOCK_PAUSE, "", NOW)
    assert round(pace(state, 0).per_question) == 83


# --- grading and scoring ------------------------------------------------------------------

@pytest.mark.parametrize("correct,total,scaled,passed", [
    (65, 65, 1000, True), (0, 65, 100, False), (2, 3, 700, True), (44, 65, 709, True),
    (43, 65, 695, False), (1, 2, 550, False)])
def test_scaled_score_estimate_and_pass_at_700(correct, total, scaled, passed):
    assert scaled_score(correct, total) == scaled
    assert (scaled_score(correct, total) >= 700) == passed


def test_grading_counts_unanswered_and_partial_answers_as_wrong():
    state = exam()
    state = set_response(state, 0, key_response(QUESTIONS[0]))
    state = set_response(state, 1, (0,))  # one tick of two
    state = set_response(state, 3, key_response(QUESTIONS[3]))
    state = toggle_flag(state, 1)
    result = grade_state(state, BY_ID, NOW, timed_out=False)
    assert [i.grade.correct for i in result.items] == [True, False, False, True]
    assert [i.answered for i in result.items] == [True, False, False, True]
    assert (result.correct, result.total, result.unanswered) == (2, 4, 2)
    assert result.scaled == 550 and not result.passed
    assert [i.flagged for i in result.items] == [False, True, False, False]


def test_domain_labels_and_weakest_tasks():
    state = exam()
    for i, q in enumerate(QUESTIONS[:2]):
        state = set_response(state, i, key_response(q))
    result = grade_state(state, BY_ID, NOW, timed_out=True)
    labels = {d.slug: (d.correct, d.total, d.label) for d in result.domains}
    assert labels == {"ai-ml": (1, 1, MEETS), "genai": (1, 1, MEETS),
                      "security": (0, 2, NEEDS)}
    assert [t.task for t in result.weakest_tasks] == ["5.1", "5.2"]
    assert result.timed_out


def test_the_exam_label_threshold_is_two_thirds():
    from aifprep.mock import DomainScore

    assert DomainScore(1, "ai-ml", "x", 6, 9).label == MEETS
    assert DomainScore(1, "ai-ml", "x", 5, 9).label == NEEDS
    assert BY_SLUG["ai-ml"].number == 1
