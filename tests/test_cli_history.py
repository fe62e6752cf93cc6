"""`aifprep history`, `undo`, `reset`, `restore` and `mock-exam --review N` through CliRunner."""

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from aifprep import paths
from aifprep.backups import list_backups
from aifprep.bank import load_bank
from aifprep.cli import app
from aifprep.exam import CLOCK_PAUSE
from aifprep.exam_session import begin, finish
from aifprep.grading import key_response
from aifprep.mock import draw_exam, new_exam, set_response
from aifprep.progress import (
    AnswerRecord,
    SessionRecord,
    add_session,
    answer_and_review,
    iso,
    review_item,
    set_exam_date,
)
from aifprep.scheduling import Rating
from aifprep.store import ProgressStore

runner = CliRunner()
T0 = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)
BANK = load_bank(paths.bundled_questions_dir(), [], cache=None)


def run(*args, **kw):
    return runner.invoke(app, list(args), **kw)


def store():
    return ProgressStore(paths.data_dir())


def quiz(session="s1", start=0, answers=(True, False, True)):
    """A quiz session of a few answers to bundled questions, `start` minutes after T0."""
    store().update(add_session(SessionRecord(session, "quiz", iso(T0 + timedelta(minutes=start)),
                                             iso(T0 + timedelta(minutes=start + 5)), "3 questions")))
    for n, right in enumerate(answers):
        q = BANK.questions[start + n]
        a = AnswerRecord(f"{session}-{n}", q.id, iso(T0 + timedelta(minutes=start, seconds=n)),
                         "quiz", session, (0,), right, 20.0)
        store().update(answer_and_review(a, Rating.GOOD if right else Rating.AGAIN, fuzz=False))


def mock_exam(exam_id="e1", count=5, right=1, start=60, seed=1):
    questions = draw_exam(BANK.questions, {}, count, random.Random(seed), prefer_unseen=False)
    when = T0 + timedelta(minutes=start)
    state = new_exam(exam_id, questions, seed, 10, CLOCK_PAUSE, f"{count} questions", when)
    for i in range(right):
        state = set_response(state, i, key_response(questions[i]))
    begin(store(), state)
    finish(store(), state, BANK.by_id, when + timedelta(minutes=5), timed_out=False)


def stats():
    return json.loads(run("stats", "--json").stdout)


@pytest.mark.parametrize("command", ["history", "history exclude", "history include",
                                     "history delete", "undo", "reset", "restore",
                                     "export anki", "export csv", "export progress",
                                     "import progress"])
def test_every_history_command_has_help_with_an_example(command):
    result = run(*command.split(), "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_history_lists_sessions_and_exams_oldest_first_with_numbers():
    assert "No sessions or mock exams yet" in run("history").stdout
    quiz()
    mock_exam()
    result = run("history", env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    first = next(line for line in lines if line.strip().startswith("1 "))
    second = next(line for line in lines if line.strip().startswith("2 "))
    assert "quiz" in first and "2/3" in first
    assert "mock-exam" in second and "280 fail (1/5)" in second and "short" in second
    rows = json.loads(run("history", "--json").stdout)
    assert [(r["number"], r["mode"]) for r in rows] == [(1, "quiz"), (2, "mock-exam")]
    assert rows[1]["scaled"] == 280 and rows[1]["questions"] == 5 and not rows[1]["full_length"]
    assert rows[0]["started"] == "2026-11-01T09:00:00Z" and rows[0]["seconds"] == 60.0
    assert not rows[0]["excluded"] and rows[0]["started_local"].startswith("2026-11-01")


def test_a_practice_run_is_left_out_of_stats_and_the_trend_and_included_again():
    quiz()
    mock_exam()
    assert stats()["answered"] == 4
    result = run("history", "exclude", "2")
    assert result.exit_code == 0 and "practice run" in result.stdout
    data = stats()
    assert data["answered"] == 3 and data["mock_exams"] == []
    assert data["mock_exam_trend"]["short"]["scores"] == []
    assert json.loads(run("history", "--json").stdout)[1]["excluded"]
    assert "practice" in run("history", env={"COLUMNS": "120"}).stdout
    assert run("history", "include", "2").exit_code == 0
    data = stats()
    assert data["answered"] == 4 and data["mock_exam_trend"]["short"]["scores"] == [280]


def test_stats_show_full_length_exams_apart_from_short_ones():
    mock_exam("short", count=5, right=5, start=10)
    mock_exam("full", count=65, right=40, start=100, seed=2)
    trend = stats()["mock_exam_trend"]
    assert trend["full_length"]["scores"] == [653] and trend["short"]["scores"] == [1000]
    out = run("stats", env={"COLUMNS": "120"}).stdout
    assert "Mock-exam score trend: full-length (65 questions) 653; shorter exams 1000." in out


def test_an_unknown_history_number_is_one_line():
    quiz()
    result = run("history", "exclude", "7")
    assert result.exit_code == 1
    assert "there is no history entry 7; 'aifprep history' lists 1" in result.output


def test_delete_asks_and_refuses_without_a_terminal_unless_yes():
    quiz("s1")
    quiz("s2", start=10, answers=(False,))
    result = run("history", "delete", "2")
    assert result.exit_code == 2 and "add --yes" in result.output
    assert stats()["answered"] == 4
    result = run("history", "delete", "2", "--yes")
    assert result.exit_code == 0 and "Deleted the quiz session 2" in result.stdout
    progress = store().load()
    assert [s.id for s in progress.sessions] == ["s1"] and len(progress.answers) == 3
    assert all(not r.id.startswith("s2") for r in progress.reviews)


def test_review_takes_any_finished_exam_by_its_history_number():
    mock_exam("e1", right=1, start=10)
    mock_exam("e2", right=5, start=20)
    quiz(start=30)
    assert "280 / 1000" in run("mock-exam", "--review", "1").stdout
    assert "1000 / 1000" in run("mock-exam", "--review", "2").stdout
    assert "1000 / 1000" in run("mock-exam", "--review").stdout  # the last
    result = run("mock-exam", "--review", "3")
    assert result.exit_code == 1 and "entry 3 is a quiz session, not a finished mock exam" \
        in result.output
    result = run("mock-exam", "2")
    assert result.exit_code == 2 and "a number is for --review" in result.output


def test_undo_takes_back_answers_and_ratings_one_at_a_time():
    result = run("undo")
    assert result.exit_code == 1 and "nothing to undo" in result.output
    quiz(answers=(True, False))
    store().update(review_item("r1", f"card:{BANK.cards[0].id}", Rating.GOOD,
                               T0 + timedelta(hours=1), "flashcards", 3.0, fuzz=False))
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert f"Undone: rated Good in flashcards, card {BANK.cards[0].id}" in result.stdout
    assert "2026-11-01" in result.stdout
    result = run("undo")
    assert f"answered wrong in a quiz, question {BANK.questions[1].id}" in result.stdout
    progress = store().load()
    assert [a.id for a in progress.answers] == ["s1-0"] and [r.id for r in progress.reviews] == ["s1-0"]
    assert f"question:{BANK.questions[1].id}" not in progress.schedule


def test_undo_does_not_take_apart_a_mock_exam():
    mock_exam()
    result = run("undo")
    assert result.exit_code == 1 and "belongs to a finished mock exam" in result.output
    assert "aifprep history delete N" in result.output


def kept_backups():
    """The backups kept by commands (the store's daily copy of the day aside)."""
    return [b for b in list_backups(paths.data_dir()) if b.reason != "daily"]


def test_reset_needs_one_scope_and_a_confirmation():
    assert run("reset").exit_code == 2
    assert run("reset", "--cards", "--all").exit_code == 2
    quiz()
    result = run("reset", "--questions")
    assert result.exit_code == 2 and "add --yes" in result.output
    assert stats()["answered"] == 3 and kept_backups() == []


def test_reset_keeps_a_backup_that_restore_brings_back():
    quiz()
    store().update(review_item("r1", f"card:{BANK.cards[0].id}", Rating.GOOD,
                               T0 + timedelta(hours=1), "flashcards", 3.0, fuzz=False))
    store().update(set_exam_date(datetime(2026, 12, 15).date(), T0))
    before = store().load()
    result = run("reset", "--questions", "--yes")
    assert result.exit_code == 0, result.output
    after = store().load()
    assert after.answers == () and after.sessions == ()
    assert list(after.schedule) == [f"card:{BANK.cards[0].id}"]
    assert after.settings == before.settings
    backups = kept_backups()
    assert [b.reason for b in backups] == ["reset-questions"]
    assert backups[0].name.startswith("progress-backup-") and backups[0].name in result.stdout

    assert run("reset", "--all", "--yes").exit_code == 0
    assert store().load().schedule == {}
    listing = run("restore", env={"COLUMNS": "160"})
    assert listing.exit_code == 0 and "reset-all" in listing.stdout
    assert "reset-questions" in listing.stdout
    rows = json.loads(run("restore", "--json").stdout)
    assert [r["reason"] for r in rows if r["reason"] != "daily"] == ["reset-all", "reset-questions"]

    result = run("restore", "2")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout and "3 answers" in result.stdout
    assert store().load() == before
    assert [b.reason for b in list_backups(paths.data_dir())][0] == "restore"


def test_restore_of_a_broken_or_unknown_backup_is_one_line(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run("restore", str(broken))
    assert result.exit_code == 1 and "is not a progress file" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = run("restore", "3")
    assert result.exit_code == 1 and "there are no backups yet" in result.output
    result = run("restore", "nope.json")
    assert result.exit_code == 1 and "no backup called 'nope.json'" in result.output


def test_the_unfinished_exam_is_abandoned_not_deleted():
    questions = draw_exam(BANK.questions, {}, 3, random.Random(1), prefer_unseen=False)
    begin(store(), new_exam("open", questions, 1, 10, CLOCK_PAUSE, "3 questions", T0))
    rows = json.loads(run("history", "--json").stdout)
    assert rows[0]["finished"] is None and rows[0]["mode"] == "mock-exam"
    assert "unfinished" in run("history", env={"COLUMNS": "120"}).stdout
    result = run("history", "delete", "1", "--yes")
    assert result.exit_code == 1 and "aifprep mock-exam --abandon" in result.output
    result = run("mock-exam", "--review", "1")
    assert result.exit_code == 1 and "unfinished or abandoned mock exam" in result.output


def test_a_backup_that_cannot_be_written_changes_nothing():
    import shutil

    quiz()
    shutil.rmtree(paths.data_dir() / "backups", ignore_errors=True)  # (today's daily backup)
    (paths.data_dir() / "backups").write_text("a file where the folder should be")
    result = run("reset", "--all", "--yes")
    assert result.exit_code == 1 and "cannot keep a backup" in result.output
    assert "nothing was changed" in result.output and len(store().load().answers) == 3
