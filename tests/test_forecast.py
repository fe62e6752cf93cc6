from datetime import datetime, timedelta, timezone

import pytest

from aifprep.domains import ALL_TASKS, DOMAINS
from aifprep.forecast import (
    MIN_TOTAL,
    FirstTry,
    exam_form,
    first_tries,
    forecast,
    learning_trend,
)
from aifprep.forecast_check import calibration

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


def tries(rate: float, per_task: int = 10, days_ago: float = 1.0) -> list[FirstTry]:
    out = []
    for t in ALL_TASKS:
        right = round(rate * per_task)
        out += [FirstTry(t, i < right, NOW - timedelta(days=days_ago)) for i in range(per_task)]
    return out


def test_the_exam_form_has_50_questions_by_domain_weight():
    form = exam_form()
    assert sum(form.values()) == 50
    per_domain = {d.slug: sum(form[t] for t in d.tasks) for d in DOMAINS}
    assert per_domain == {"ai-ml": 10, "genai": 12, "foundation-models": 14,
                          "responsible-ai": 7, "security": 7}


def test_too_little_evidence_gives_a_reason_not_a_number():
    f = forecast(tries(0.9, per_task=1), NOW)
    assert not f.ready and f.score is None and f.p_pass is None
    assert "first-try" in f.reason and "aifprep quiz --new" in f.reason


def test_a_missing_domain_is_named_in_the_reason():
    some = [t for t in tries(0.8) if not t.task.startswith("5.")]
    f = forecast(some, NOW)
    assert not f.ready and "security" in f.reason


def test_a_strong_candidate_is_forecast_to_pass_and_a_weak_one_to_fail():
    strong, weak = forecast(tries(0.9), NOW), forecast(tries(0.4), NOW)
    assert strong.p_pass > 0.95 and strong.low >= 700
    assert weak.p_pass < 0.05 and weak.high < 700
    assert strong.low <= strong.score <= strong.high
    assert strong.evidence == 140 and strong.tasks_covered == 14


def test_more_evidence_narrows_the_interval():
    few, many = forecast(tries(0.7, per_task=4), NOW), forecast(tries(0.7, per_task=40), NOW)
    assert (many.high - many.low) < (few.high - few.low)


def test_forgetting_toward_exam_day_lowers_the_forecast():
    now = forecast(tries(0.8), NOW)
    faded = forecast(tries(0.8), NOW, retention={t: 0.6 for t in ALL_TASKS}, horizon="exam day")
    assert faded.score < now.score and faded.horizon == "exam day"


def test_only_the_first_answer_to_a_question_counts():
    t0 = NOW - timedelta(days=3)
    rows = [("q1", "a2", True, t0 + timedelta(hours=1)), ("q1", "a1", False, t0),
            ("q2", "a3", True, t0), ("gone", "a4", True, t0)]
    got = first_tries(rows, {"q1": "1.1", "q2": "2.1"})
    assert sorted((f.task, f.correct) for f in got) == [("1.1", False), ("2.1", True)]


def test_a_candidate_who_improves_is_credited_for_it():
    old = [FirstTry(t, i < 4, NOW - timedelta(days=30)) for t in ALL_TASKS for i in range(8)]
    new = [FirstTry(t, i < 7, NOW - timedelta(days=1)) for t in ALL_TASKS for i in range(8)]
    growth, se = learning_trend([((NOW - f.at).days, f.correct) for f in old + new])
    assert growth > 0 and se > 0
    flat = forecast([FirstTry(f.task, f.correct, NOW - timedelta(days=15)) for f in old + new], NOW)
    assert forecast(old + new, NOW).score > flat.score


def test_evidence_minimum_is_honest():
    assert MIN_TOTAL >= 40


def test_the_forecast_is_calibrated_on_synthetic_candidates():
    """2,000 synthetic candidates (abilities, task strengths, learning, study histories) each
    sit a synthetic exam: the 80% interval covers 75-85% of true scores, and in every decile
    of predicted pass probability the observed pass rate is within 5 points."""
    c = calibration(n=2000, seed=1)
    assert c.forecasts >= 1500
    assert 0.75 <= c.coverage <= 0.85
    assert c.worst_gap() <= 0.05, c.deciles
    assert c.brier < 0.1


@pytest.mark.stress
@pytest.mark.parametrize("seed", [2, 3, 4, 5])
def test_calibration_holds_for_other_seeds(seed):
    c = calibration(n=4000, seed=seed)
    assert 0.75 <= c.coverage <= 0.85
    assert c.worst_gap() <= 0.06, c.deciles
