"""exam-date, config, flashcards and the spaced-repetition part of stats, via CliRunner."""

import json
from datetime import date, timedelta

from typer.testing import CliRunner

from aifprep.cli import app

runner = CliRunner()


def run(*args, **kw):
    return runner.invoke(app, list(args), **kw)


def in_days(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


def test_exam_date_is_stored_shown_in_stats_and_cleared():
    result = run("exam-date", in_days(24))
    assert result.exit_code == 0 and "in 24 days" in result.stdout
    assert "in 24 days" in run("exam-date").stdout
    data = json.loads(run("stats", "--json").stdout)
    assert data["exam_date"] == in_days(24) and data["days_left"] == 24
    assert data["predicted_recall_at"] == "exam day"
    assert "Exam " + in_days(24) + ": in 24 days" in run("stats").stdout
    assert run("config", "exam-date", "--clear").exit_code == 0
    assert json.loads(run("stats", "--json").stdout)["exam_date"] is None


def test_bad_exam_dates_and_retention_get_one_clear_line():
    for args, message in [(("exam-date", "15/12/2026"), "is not a date; write it as YYYY-MM-DD"),
                          (("exam-date", in_days(-1)), "is in the past"),
                          (("config", "retention", "0.5"), "retention must be between 0.70 and 0.97"),
                          (("exam-date", in_days(3), "--clear"), "give a date or --clear")]:
        result = run(*args)
        assert result.exit_code == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr


def test_config_shows_settings_as_text_and_json():
    run("exam-date", in_days(10), "--retention", "0.85")
    data = json.loads(run("config", "--json").stdout)
    assert data["exam_date"] == in_days(10) and data["retention"] == 0.85
    assert data["data_dir"]
    assert "exam_date" in run("config").stdout


def test_stats_json_has_flashcard_counts_before_any_review():
    data = json.loads(run("stats", "--json").stdout)
    cards = data["flashcards"]
    assert cards["total"] == cards["new"] >= 300
    assert (cards["learning"], cards["review"], cards["due_now"]) == (0, 0, 0)
    assert len(cards["forecast"]) == 14 and data["exam_date"] is None
    assert data["question_reviews"]["new"] == data["total"]


def test_flashcards_and_quiz_due_need_a_terminal_and_check_their_options():
    result = run("flashcards")
    assert result.exit_code == 2 and "needs a terminal" in result.stderr
    result = run("flashcards", "--domain", "nine")
    assert result.exit_code == 2 and "ai-ml" in result.stderr
    result = run("quiz", "--due", "--new")
    assert result.exit_code == 2


def test_config_says_where_each_progress_file_lives(isolated_dirs):
    data = json.loads(run("config", "--json").stdout)["paths"]
    assert data["journal"] == str(isolated_dirs / "data" / "journal.jsonl")
    assert data["state"].endswith("state.json") and data["exam"].endswith("exam.json")
    assert data["backups"] == str(isolated_dirs / "data" / "backups")
    text = run("config").stdout
    assert "paths" in text and "journal.jsonl" in text and "backups" in text
