"""End to end: `aifprep flashcards` in a real pseudo-terminal, keys pressed one at a time."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from terminal import AIFPREP, CTRL_C, ENTER, INSTALLED, Terminal

from aifprep import paths
from aifprep.bank import bundled_files, check_files

pytestmark = pytest.mark.skipif(not INSTALLED, reason="aifprep console script is not installed")
RIGHT = "\x1b[C"


def aifprep(*args: str) -> str:
    return subprocess.run([str(AIFPREP), *args], capture_output=True, text=True, check=True).stdout


def reveal_and_rate(term: Terminal, number: int, keys: str) -> None:
    term.wait_for(f"Card {number} of", "show the answer")
    term.send(" ")
    term.wait_for("1 Again", "3 Good")
    term.send(keys)


def test_review_three_cards_quit_and_find_them_scheduled():
    exam = (date.today() + timedelta(days=30)).isoformat()
    aifprep("exam-date", exam)
    term = Terminal("flashcards", "--new", "5")
    reveal_and_rate(term, 1, "3")  # Good
    reveal_and_rate(term, 2, "4")  # Easy
    reveal_and_rate(term, 3, RIGHT + ENTER)  # arrow from Good to Easy, Enter
    term.wait_for("Card 4 of 5", "show the answer")
    term.send("q")
    assert term.finish() == 0
    out = term.output
    assert "Due 0 · New" in out and "Reviewed 3 cards: Good 1 · Easy 2" in out
    deck = len(check_files(bundled_files(paths.bundled_questions_dir())).cards)
    assert f"Now   : Due 0 · New {deck - 3} · Learning 1 · Learned 2" in out

    data = json.loads(aifprep("stats", "--json"))
    cards = data["flashcards"]
    assert (cards["learning"], cards["review"], cards["due_now"]) == (1, 2, 0)
    assert cards["new"] == cards["total"] - 3 and cards["reviews"] == 3
    assert data["exam_date"] == exam
    from aifprep.progress import to_json
    from aifprep.store import ProgressStore

    progress = to_json(ProgressStore(Path(os.environ["AIFPREP_DATA_DIR"])).load())
    dues = {k: datetime.fromisoformat(m["due"].replace("Z", "+00:00"))
            for k, m in progress["schedule"].items()}
    assert len(dues) == 3 and all(k.startswith("card:") for k in dues)
    now = datetime.now(timezone.utc)
    assert all(now < due < datetime.fromisoformat(exam).replace(tzinfo=timezone.utc) for due in dues.values())
    assert sorted(r["rating"] for r in progress["reviews"]) == [3, 4, 4]


def test_limit_counts_different_cards_and_shows_repeats_apart():
    term = Terminal("flashcards", "--limit", "2")
    reveal_and_rate(term, 1, "1")  # Again: it comes back
    reveal_and_rate(term, 2, "3")
    screen = term.wait_for("Card 1 of 2 · again")
    assert "of 3" not in screen
    term.send("q")
    assert term.finish() == 0
    assert "Reviewed 2 cards: Again 1 · Good 1" in term.output


def test_a_key_typed_while_the_answer_appears_does_not_rate_the_card():
    term = Terminal("flashcards", "--limit", "2")
    term.wait_for("Card 1 of 2", "show the answer")
    term.send("  ")  # a double Space: the second must not rate the card
    term.wait_for("1 Again", "3 Good")
    screen = term.settle()
    assert "Card 1 of 2" in screen and "1 Again" in screen
    term.send("q")
    assert term.finish() == 0
    assert "No cards reviewed." in term.output


def test_cram_in_a_terminal_changes_nothing_and_ctrl_c_exits_130():
    term = Terminal("flashcards", "--cram", "--limit", "2")
    reveal_and_rate(term, 1, "1")
    term.wait_for("show the answer")
    term.send(CTRL_C)
    assert term.finish() == 130
    assert "Cram session: your schedule was not changed" in term.output
    assert not (Path(os.environ["AIFPREP_DATA_DIR"]) / "journal.jsonl").exists() or \
        json.loads(aifprep("stats", "--json"))["flashcards"]["reviews"] == 0
