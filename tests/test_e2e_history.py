"""End to end: a mock exam that times out after one answer counts exactly that answer."""

from __future__ import annotations

import json
import subprocess

from test_e2e_mock import (
    AIFPREP,
    ENTER,
    Terminal,
    answer_keys,
    expected_exam,
    pytestmark,
    stats_json,
)

__all__ = ["pytestmark"]  # skipped like the other end-to-end tests without the console script


def test_an_exam_that_times_out_after_one_answer_counts_only_that_answer():
    seed = 11
    qs = expected_exam(seed, 10)
    term = Terminal("-n", "10", "--minutes", "0.2", "--seed", str(seed), "--only", "wrong")
    term.wait_for("Question 1 of 10", "Answered 0 of 10")
    term.send(answer_keys(qs[0], seed))
    term.wait_for("Answered 1 of 10")
    # nobody presses a key again: the time runs out, and the result stays until a key
    term.wait_for("Time is up: the exam was submitted.", "Raw score: 1 of 10 correct", timeout=40)
    term.send(ENTER)
    term.wait_for("Walk-through")
    term.send("q")
    assert term.finish() == 0
    data = stats_json()
    assert data["answered"] == 1 and data["correct"] == 1 and data["seen"] == 1
    assert data["question_reviews"]["reviews"] == 1 and data["question_reviews"]["learning"] + \
        data["question_reviews"]["review"] == 1
    assert data["mock_exams"][0]["total"] == 10 and data["mock_exams"][0]["correct"] == 1
    history = json.loads(subprocess.run([str(AIFPREP), "history", "--json"], capture_output=True,
                                        text=True, check=True).stdout)
    assert [(h["mode"], h["questions"], h["correct"]) for h in history] == [("mock-exam", 10, 1)]


def test_delete_asks_in_a_terminal_and_does_nothing_unless_told_yes():
    import os

    import pexpect

    from test_cli_history import quiz, store

    quiz()
    env = {**os.environ, "TERM": "xterm-256color"}
    child = pexpect.spawn(str(AIFPREP), ["history", "delete", "1"], env=env,
                          encoding="utf-8", timeout=20)
    child.expect(r"Delete the quiz session 1 of .* \(3 questions\) with its answers and "
                 r"reviews\? \[y/N\]")
    child.sendline("")
    child.expect("Nothing deleted.")
    child.expect(pexpect.EOF)
    assert len(store().load().answers) == 3
    child = pexpect.spawn(str(AIFPREP), ["history", "delete", "1"], env=env,
                          encoding="utf-8", timeout=20)
    child.expect(r"\[y/N\]")
    child.sendline("y")
    child.expect("Deleted the quiz session 1")
    child.expect(pexpect.EOF)
    assert store().load().answers == ()
