"""The coach's figures as JSON, for `stats --json` and `today --json`. Pure."""

from __future__ import annotations

from aifprep.coach import CoachReport, MasteryRow
from aifprep.forecast import Forecast
from aifprep.plan import Plan


def forecast_json(f: Forecast) -> dict:
    """`stats --json`'s forecast: nulls with a reason when the evidence is short."""
    return {
        "score": f.score, "low": f.low, "high": f.high,
        "p_pass": None if f.p_pass is None else round(f.p_pass, 4),
        "evidence": f.evidence, "tasks_covered": f.tasks_covered, "horizon": f.horizon,
        "per_domain": {d.slug: {"questions": d.questions,
                                "expected_share": round(d.expected_share, 4) if f.ready else None,
                                "evidence": d.evidence} for d in f.per_domain},
        "reason": f.reason,
    }


def plan_json(plan: Plan) -> dict:
    return {
        "date": plan.today.isoformat(), "days_left": plan.days_left,
        "cards_due": plan.cards_due, "questions_due": plan.questions_due,
        "new_cards": plan.new_cards, "new_questions": plan.new_questions,
        "focus": [{"task": t.task, "title": t.title, "estimate": round(t.estimate, 4),
                   "points_at_stake": round(t.points_at_stake, 3)} for t in plan.focus],
        "mock_exam": plan.mock_exam, "minutes": plan.minutes, "notes": list(plan.notes),
    }


def _row_json(r: MasteryRow) -> dict:
    return {"title": r.title, "first_tries": r.first_tries, "first_right": r.first_right,
            "accuracy": None if r.accuracy is None else round(r.accuracy, 4),
            "seen": r.seen, "total": r.total,
            "estimate": None if r.estimate is None else round(r.estimate, 4), "due": r.due,
            "seconds_per_question": None if r.seconds_per_question is None
            else round(r.seconds_per_question, 1)}


def report_json(r: CoachReport) -> dict:
    """The coach's part of `stats --json`."""
    return {
        "forecast": forecast_json(r.forecast),
        "forecast_history": [{"date": d, "score": s, "low": lo, "high": hi}
                             for d, s, lo, hi in r.history],
        "confusions": [{"chosen": c.chosen, "right": c.right, "times": c.times}
                       for c in r.confusions],
        "calibration": {
            "levels": {row.level: {"answered": row.answered, "right": row.right,
                                   "accuracy": None if row.accuracy is None
                                   else round(row.accuracy, 4)} for row in r.calibration.rows},
            "sure_but_wrong": list(r.calibration.misconceptions),
        },
        "mastery": {"tasks": {row.key: _row_json(row) for row in r.tasks},
                    "objectives": {row.key: _row_json(row) for row in r.objectives}},
        "streak": r.streak, "done_today": r.done_today,
        "daily_goal": {"done": r.done_today, "to_go": r.still_planned,
                       "goal": r.done_today + r.still_planned},
        "study_days": sorted(d.isoformat() for d in r.study_days),
    }
