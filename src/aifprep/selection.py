"""Choosing which questions a quiz asks. Pure: history and randomness are passed in."""

from __future__ import annotations

import random
from dataclasses import dataclass

from aifprep.model import Question
from aifprep.progress import QuestionHistory


@dataclass(frozen=True)
class QuizFilter:
    domain: str | None = None  # slug
    task: str | None = None
    qtype: str | None = None
    missed: bool = False  # only questions whose latest answer was wrong
    new: bool = False  # only questions never answered

    def describe(self) -> str:
        parts = [f"domain {self.domain}" if self.domain else "",
                 f"task {self.task}" if self.task else "",
                 f"type {self.qtype}" if self.qtype else "",
                 "missed" if self.missed else "", "new" if self.new else ""]
        return ", ".join(p for p in parts if p) or "all domains"


def filter_questions(questions: list[Question] | tuple[Question, ...], flt: QuizFilter,
                     history: dict[str, QuestionHistory]) -> list[Question]:
    """The questions that match every filter."""
    out = []
    for q in questions:
        h = history.get(q.id)
        if flt.domain and q.domain != flt.domain:
            continue
        if flt.task and q.task != flt.task:
            continue
        if flt.qtype and q.kind != flt.qtype:
            continue
        if flt.missed and (h is None or h.last_correct):
            continue
        if flt.new and h is not None:
            continue
        out.append(q)
    return out


def select_questions(pool: list[Question], history: dict[str, QuestionHistory], count: int,
                     rng: random.Random, prefer_unlearned: bool = True) -> list[Question]:
    """Pick up to `count` questions from the pool.

    With `prefer_unlearned`, never-seen and last-missed questions come first (in random
    order), then questions answered right, the longest-unseen first. Without it the draw is
    a plain random sample, so a fixed seed gives the same quiz however the history grows.
    """
    if not prefer_unlearned:
        return rng.sample(pool, min(count, len(pool)))

    def priority(q: Question) -> tuple:
        h = history.get(q.id)
        if h is None or not h.last_correct:
            return (0, "", rng.random())
        return (1, h.last_at, rng.random())

    return sorted(pool, key=priority)[:count]
