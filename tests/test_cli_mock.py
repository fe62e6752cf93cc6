"""`aifprep mock-exam` through Typer's CliRunner: option errors, --abandon, --review."""

import json
import random

import pytest
from typer.testing import CliRunner

from aifprep import paths
from aifprep.bank import load_bank
from aifprep.cli import app
from aifprep.exam import CLOCK_PAUSE
from aifprep.exam_session import begin, finish
from aifprep.grading import key_response
from aifprep.mock import draw_exam, new_exam, set_response, toggle_flag
from aifprep.progress import utc_now
from aifprep.store import ProgressStore

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["mock-exam", *args])


def store():
    return ProgressStore(paths.data_dir())


def start_exam(count=5, seed=1):
    bank = load_bank(paths.bundled_questions_dir(), [], cache=None)
    questions = draw_exam(bank.questions, {}, count, random.Random(seed), prefer_unseen=False)
    state = new_exam("e1", questions, seed, 10, CLOCK_PAUSE, f"{count} questions", utc_now())
    return begin(store(), state), bank


def test_mock_exam_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0 and "Example:" in result.stdout and "--clock" in result.stdout


@pytest.mark.parametrize("args,message", [
    (["--domain", "xyz"], "unknown domain"),
    (["--count", "0"], "--count"),
    (["--minutes", "0"], "--minutes"),
    (["--clock", "sundial"], "unknown clock"),
    (["--only", "right"], "unknown filter"),
    (["--resume", "--abandon"], "only one of"),
    (["--review", "--count", "5"], "--count is for a new exam"),
    (["--resume", "--seed", "3"], "--seed is for a new exam"),
])
def test_bad_options_are_usage_errors(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


def test_an_exam_without_a_terminal_is_a_one_line_usage_error():
    result = run("--count", "5")
    assert result.exit_code == 2
    assert "needs a terminal" in result.output and "Traceback" not in result.output


def test_abandon_without_an_unfinished_exam_says_so():
    result = run("--abandon")
    assert result.exit_code == 1 and "no unfinished mock exam" in result.output


def test_abandon_discards_the_unfinished_exam():
    start_exam()
    result = run("--abandon")
    assert result.exit_code == 0 and "Abandoned" in result.stdout
    progress = store().load()
    assert progress.exam is None and progress.mock_exams == ()
    assert run("--resume").exit_code in (1, 2)  # nothing left to resume (or no terminal)


def test_review_without_a_finished_exam_says_so():
    result = run("--review")
    assert result.exit_code == 1 and "no finished mock exam" in result.output


def test_review_prints_the_last_result_and_walk_through_without_a_terminal():
    state, bank = start_exam()
    first = bank.by_id[state.questions[0]]
    state = toggle_flag(set_response(state, 0, key_response(first)), 1)
    finish(store(), state, bank.by_id, utc_now(), timed_out=False)
    result = run("--review")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Estimated scaled score: 280 / 1000" in out and "FAIL" in out
    assert "Raw score: 1 of 5 correct" in out and "By domain" in out
    assert "Question 1 of 5" in out and "Question 5 of 5" in out and "⚑ flagged" in out
    wrong = run("--review", "--only", "wrong").stdout
    assert "Question 1 of 5" not in wrong and "Question 2 of 5" in wrong
    flagged = run("--review", "--only", "flagged").stdout
    assert "Question 2 of 5" in flagged and "Question 3 of 5" not in flagged
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    # 4 unanswered questions count in the exam's score only, not as answers
    assert stats["mock_exams"][0]["scaled"] == 280 and stats["answered"] == 1


def test_review_without_a_terminal_keeps_every_url_whole_on_its_own_line():
    state, bank = start_exam()
    finish(store(), state, bank.by_id, utc_now(), timed_out=False)
    out = runner.invoke(app, ["mock-exam", "--review"], env={"COLUMNS": "60"}).stdout
    urls = {ref for qid in state.questions for ref in bank.by_id[qid].references
            if ref.startswith("https://")}
    lines = set(out.splitlines())
    assert urls and all(url in lines for url in urls)
    assert "\x1b" not in out
