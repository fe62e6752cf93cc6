"""Choosing which questions a quiz asks. Pure: history, schedule, time and randomness
are passed in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from aifprep.model import Question
from aifprep.progress import QuestionHistory, parse_time


@dataclass(frozen=True)
class QuizFilter:
    domain: str | None = None  # slug
    task: str | None = None
    qtype: str | None = None
    missed: bool = False  # only questions whose latest answer was wrong
    new: bool = False  # only questions never answered
    due: bool = False  # only questions due for review now (spaced repetition)

    def describe(self) -> str:
        parts = [f"domain {self.domain}" if self.domain else "",
                 f"task {self.task}" if self.task else "",
                 f"type {self.qtype}" if self.qtype else "",
                 "missed" if self.missed else "", "new" if self.new else "",
                 "due" if self.due else ""]
        return ", ".join(p for p in parts if p) or "all domains"


def filter_questions(questions: list[Question] | tuple[Question, ...], flt: QuizFilter,
                     history: dict[str, QuestionHistory],
                     due: dict[str, datetime] | None = None,
                     now: datetime | None = None) -> list[Question]:
    """The questions that match every filter. `due` maps a question id to when it is due
    for review (questions never answered have none)."""
    due = due or {}
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
        if flt.due and (q.id not in due or now is None or due[q.id] > now):
            continue
        out.append(q)
    return out


def select_questions(pool: list[Question], history: dict[str, QuestionHistory], count: int,
                     rng: random.Random, prefer_unlearned: bool = True,
                     due: dict[str, datetime] | None = None,
                     now: datetime | None = None,
                     first: frozenset[str] = frozenset()) -> list[Question]:
    """Pick up to `count` questions from the pool.

    With `prefer_unlearned`: questions due for review now come first (misconceptions,
    `first`, before the others; then most overdue first),
    then never-seen and last-missed ones (in random order), then the rest, the soonest due
    (or longest unseen) first. Without it the draw is a plain random sample, so a fixed seed
    gives the same quiz however the history grows.
    """
    if not prefer_unlearned:
        return rng.sample(pool, min(count, len(pool)))
    due = due or {}

    def priority(q: Question) -> tuple:
        h = history.get(q.id)
        when = due.get(q.id)
        if when is not None and now is not None and when <= now:
            return (0, q.id not in first, when.timestamp(), rng.random())
        if h is None or not h.last_correct:
            return (1, True, 0.0, rng.random())
        return (2, True, (when or parse_time(h.last_at)).timestamp(), rng.random())

    return sorted(pool, key=priority)[:count]
