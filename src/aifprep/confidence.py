"""How sure the candidate was, and whether that was warranted. Pure functions.

Before the verdict the candidate says how sure they are: sure, unsure or guess. Saying it
*before* knowing the answer is what makes calibration measurable (a rating given after the
verdict is not). "Sure but wrong" answers are misconceptions: the candidate believes
something false, the costliest kind of error, so they are listed and drilled first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from aifprep.scheduling import Rating, rating_for_answer

LEVELS = ("sure", "unsure", "guess")


@dataclass(frozen=True)
class CalibrationRow:
    level: str
    answered: int
    right: int

    @property
    def accuracy(self) -> float | None:
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class Calibration:
    rows: tuple[CalibrationRow, ...]
    misconceptions: tuple[str, ...]  # question ids last answered sure but wrong, newest first

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.rows)

    def verdict(self) -> str | None:
        """One line on whether the candidate's confidence can be trusted."""
        by = {r.level: r for r in self.rows}
        sure, unsure = by["sure"], by["unsure"]
        if sure.answered < 10:
            return None
        if sure.accuracy < 0.8:
            return (f"when sure you are right only {sure.accuracy:.0%} of the time: slow down "
                    "and check each option against the stem's qualifier")
        if unsure.answered >= 10 and unsure.accuracy >= sure.accuracy:
            return "you know more than you think: your unsure answers are as good as your sure ones"
        return f"your confidence is well placed: {sure.accuracy:.0%} right when sure"


def rating_with_confidence(correct: bool, seconds: float | None, confidence: str | None) -> Rating:
    """The FSRS rating of a question answer: wrong = Again; right but unsure or guessed = Hard."""
    return rating_for_answer(correct, seconds, unsure=confidence in ("unsure", "guess"))


def calibration(answers: Iterable[tuple[str, str | None, bool, str]]) -> Calibration:
    """From (question id, confidence, correct, at) rows; rows without a confidence are skipped."""
    counts = {level: [0, 0] for level in LEVELS}
    latest: dict[str, tuple[str, str | None, bool]] = {}
    for question, confidence, correct, at in answers:
        if confidence in counts:
            counts[confidence][0] += 1
            counts[confidence][1] += int(correct)
        old = latest.get(question)
        if old is None or at >= old[0]:
            latest[question] = (at, confidence, correct)
    wrong_when_sure = sorted(((at, q) for q, (at, c, ok) in latest.items()
                              if c == "sure" and not ok), reverse=True)
    return Calibration(tuple(CalibrationRow(level, *counts[level]) for level in LEVELS),
                       tuple(q for _, q in wrong_when_sure))
