"""One key map for every screen: quiz, mock exam, results, walk-through and flashcards.

Options are numbered 1-9 everywhere; the letters a-e pick options 1-5 as well. The same
table feeds the footers, the `?` help and the README's key table.
"""

from __future__ import annotations

# Letters that pick an option: a = 1 ... e = 5 (no letter of another key among them).
OPTION_LETTERS = "abcde"

# (screens, key, what it does); a screen shows the rows whose screens include its name.
KEYS: list[tuple[str, str, str]] = [
    ("quiz exam", "1-9 / a-e", "pick that option (tick or untick in a multiple-response question)"),
    ("quiz exam", "↑ ↓", "move the highlight"),
    ("quiz exam", "Space", "tick or untick the highlighted option"),
    ("quiz", "Enter", "confirm the answer"),
    ("exam", "Enter", "choose the highlighted option"),
    ("quiz exam", "⌫", "take back the last step (ordering, matching) or the answer"),
    ("exam", "← → / p n", "previous / next question"),
    ("exam", "f", "flag the question for review"),
    ("exam", "r", "review screen: every question and its state"),
    ("exam", "s", "submit the exam (after a confirmation)"),
    ("quiz exam feedback pager result cards", "PgUp PgDn", "scroll a page"),
    ("feedback pager result", "Space", "scroll a page"),
    ("feedback pager result", "↑ ↓", "scroll a line"),
    ("feedback", "Enter / n", "next question"),
    ("feedback", "u", "after a right answer: I guessed (ask again sooner)"),
    ("pager", "n p / → ←", "next / previous question"),
    ("pager", "number Enter", "jump to that question"),
    ("pager", "a w f u", "show all / wrong / flagged / unanswered questions"),
    ("result", "Enter / w", "walk through the questions"),
    ("cards", "Space / Enter", "show the answer"),
    ("cards", "h", "hint"),
    ("cards", "1-4 / ← → Enter", "rate: Again, Hard, Good, Easy"),
    ("quiz feedback", "q", "end the quiz with its summary"),
    ("exam", "q", "pause the exam (saved; resume later)"),
    ("pager result cards", "q", "close / stop"),
    ("quiz exam feedback pager result cards", "?", "show or hide the keys"),
    ("quiz exam feedback pager result cards", "Ctrl-C", "stop at once (answers are saved)"),
]


def keys_for(screen: str) -> list[tuple[str, str]]:
    """The keys of one screen (quiz, exam, feedback, pager, result, cards)."""
    return [(key, what) for screens, key, what in KEYS if screen in screens.split()]


def option_index(key: str) -> int | None:
    """The 0-based option a digit or option letter picks, or None."""
    if key.isdigit() and key != "0":
        return int(key) - 1
    if key in OPTION_LETTERS:
        return OPTION_LETTERS.index(key)
    return None
