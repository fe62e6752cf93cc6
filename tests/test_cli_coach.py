"""The coach through the command line: stats --json's forecast and friends, today."""

import json
import random
from datetime import timedelta

from typer.testing import CliRunner

from aifprep.app import App
from aifprep.cli import app
from aifprep.grading import key_response
from aifprep.progress import (
    AnswerRecord,
    SessionRecord,
    add_session,
    answer_and_review,
    iso,
    utc_now,
)
from aifprep.scheduling import Rating

runner = CliRunner()


def studied(n_questions: int, rate: float = 0.8, confidence: str = "sure"):
    """A store holding first tries at n questions spread over every task statement."""
    state = App()
    bank = state.bank()
    rng = random.Random(3)
    by_task: dict = {}
    for q in bank.questions:
        if q.kind == "single":
            by_task.setdefault(q.task, []).append(q)
    picked = [qs[i] for i in range(n_questions // len(by_task) + 1) for qs in by_task.values()
              if i < len(qs)][:n_questions]
    now = utc_now()

    def change(p):
        p = add_session(SessionRecord("s1", "quiz", iso(now - timedelta(hours=2))))(p)
        for n, q in enumerate(picked):
            right = rng.random() < rate
            given = key_response(q) if right else (next(i for i in range(4) if i not in q.key),)
            a = AnswerRecord(f"a{n}", q.id, iso(now - timedelta(minutes=100 - n % 90)), "quiz",
                             "s1", given, right, 30.0, confidence)
            p = answer_and_review(a, Rating.GOOD if right else Rating.AGAIN, fuzz=False)(p)
        return p

    state.store().update(change)
    return bank


def test_stats_json_has_a_reason_instead_of_a_forecast_when_evidence_is_short():
    studied(10)
    data = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    f = data["forecast"]
    assert f["score"] is None and f["p_pass"] is None and f["evidence"] == 10
    assert "first-try" in f["reason"]
    assert set(data) >= {"forecast", "confusions", "calibration", "mastery"}


def test_stats_json_forecasts_from_first_tries_and_reports_calibration():
    studied(120, rate=0.85)
    data = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    f = data["forecast"]
    assert f["evidence"] == 120 and f["reason"] is None
    assert f["low"] <= f["score"] <= f["high"] and 0 <= f["p_pass"] <= 1
    assert set(f["per_domain"]) == {"ai-ml", "genai", "foundation-models", "responsible-ai", "security"}
    sure = data["calibration"]["levels"]["sure"]
    assert sure["answered"] == 120 and len(data["calibration"]["sure_but_wrong"]) == 120 - sure["right"]
    assert data["mastery"]["tasks"]["1.1"]["first_tries"] > 0
    text = runner.invoke(app, ["stats"]).stdout
    assert "Pass forecast" in text and "chance to pass" in text and "Readiness" not in text


def test_today_plans_new_material_and_a_baseline_mock_exam():
    studied(20)
    data = json.loads(runner.invoke(app, ["today", "--json"]).stdout)
    assert data["new_cards"] == 20 and data["new_questions"] == 15
    assert data["questions_due"] >= 1 and data["mock_exam"].startswith("no full-length")
    assert any("exam date" in n for n in data["notes"])
    text = runner.invoke(app, ["today"]).stdout
    assert "Today," in text and "aifprep study" in text
