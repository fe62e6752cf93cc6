"""Today's study plan. Pure: counts and dates in, a `Plan` out.

The plan answers "what do I do today?": the flashcards and questions due, how many new
cards and questions to introduce so the whole deck and bank are covered a few days before
the exam, the task statements to focus on (the most exam points at stake), and whether a
full mock exam is due (one a week, and one 3-5 days before the exam).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Mapping

from aifprep.domains import TASK_TITLES
from aifprep.forecast import exam_form

DEFAULT_NEW_CARDS = 20  # a day, without an exam date
DEFAULT_NEW_QUESTIONS = 15
FINISH_DAYS_BEFORE_EXAM = 3  # see everything at least this long before the exam
MOCK_EVERY_DAYS = 7
FINAL_MOCK_WINDOW = (3, 5)  # days before the exam
SECONDS_PER_CARD = 15
SECONDS_PER_QUESTION = 90
MOCK_MINUTES = 90
FOCUS_TASKS = 3
MAX_DUE_QUESTIONS = 40  # a day; a longer backlog is worked down over several days


@dataclass(frozen=True)
class StudyState:
    """What the plan needs to know about the candidate's history today."""

    cards_due: int
    questions_due: int
    unseen_cards: int
    unseen_questions: int
    task_estimates: Mapping[str, float]  # chance right on an unseen question, per task
    task_evidence: Mapping[str, int]  # first tries behind each estimate
    last_full_mock: date | None  # local day of the last full-length mock exam
    exam_date: date | None


@dataclass(frozen=True)
class FocusTask:
    task: str
    title: str
    estimate: float
    points_at_stake: float  # expected questions lost on a 50-question form
    evidence: int = 0  # first tries behind the estimate


@dataclass(frozen=True)
class Plan:
    today: date
    days_left: int | None
    cards_due: int
    questions_due: int
    new_cards: int
    new_questions: int
    focus: tuple[FocusTask, ...]
    mock_exam: str | None  # why a full mock exam is due today, or None
    notes: tuple[str, ...] = field(default=())

    @property
    def minutes(self) -> int:
        """A rough estimate of today's study time."""
        seconds = ((self.cards_due + self.new_cards) * SECONDS_PER_CARD
                   + (self.questions_due + self.new_questions) * SECONDS_PER_QUESTION)
        return math.ceil(seconds / 60) + (MOCK_MINUTES if self.mock_exam else 0)

    @property
    def empty(self) -> bool:
        return not (self.cards_due or self.questions_due or self.new_cards
                    or self.new_questions or self.mock_exam)


def plan_today(state: StudyState, now: datetime, tz: tzinfo) -> Plan:
    """The plan for the candidate's local day containing `now`."""
    today = now.astimezone(tz).date()
    days_left = (state.exam_date - today).days if state.exam_date else None
    notes: list[str] = []
    if days_left is None:
        new_cards = min(DEFAULT_NEW_CARDS, state.unseen_cards)
        new_questions = min(DEFAULT_NEW_QUESTIONS, state.unseen_questions)
        notes.append("no exam date set: planning on a default daily budget; set one with "
                      "'aifprep exam-date YYYY-MM-DD' to pace everything to it")
    elif days_left < 0:
        new_cards = min(DEFAULT_NEW_CARDS, state.unseen_cards)
        new_questions = min(DEFAULT_NEW_QUESTIONS, state.unseen_questions)
        notes.append("your exam date has passed: set the next one with 'aifprep exam-date'")
    else:
        study_days = max(1, days_left - FINISH_DAYS_BEFORE_EXAM)
        new_cards = _pace(state.unseen_cards, study_days)
        new_questions = _pace(state.unseen_questions, study_days)
        if days_left <= 1:
            notes.append("exam tomorrow or today: review what is due, nothing new; rest well")
            new_cards = new_questions = 0
    questions_due = min(state.questions_due, MAX_DUE_QUESTIONS)
    if state.questions_due > questions_due:
        notes.append(f"{state.questions_due} questions are due: today's plan takes the "
                     f"{questions_due} most overdue (misconceptions first); the rest follow "
                     "on the next days")
    return Plan(
        today=today, days_left=days_left,
        cards_due=state.cards_due, questions_due=questions_due,
        new_cards=new_cards, new_questions=new_questions,
        focus=focus_tasks(state.task_estimates, state.task_evidence),
        mock_exam=_mock_due(state, today, days_left),
        notes=tuple(notes),
    )


def focus_tasks(estimates: Mapping[str, float], evidence: Mapping[str, int] | None = None,
                limit: int = FOCUS_TASKS) -> tuple[FocusTask, ...]:
    """The task statements with the most expected exam points lost: questions on the form
    times the chance of missing one. Without any evidence yet, that is simply exam weight."""
    form = exam_form()
    evidence = evidence or {}
    ranked = sorted(((form[t] * (1 - p), t, p) for t, p in estimates.items() if t in form),
                    key=lambda x: (-x[0], x[1]))
    return tuple(FocusTask(t, TASK_TITLES.get(t, ""), p, lost, evidence.get(t, 0))
                 for lost, t, p in ranked[:limit])


def _pace(unseen: int, study_days: int) -> int:
    return min(unseen, math.ceil(unseen / study_days)) if unseen else 0


def _mock_due(state: StudyState, today: date, days_left: int | None) -> str | None:
    since = None if state.last_full_mock is None else (today - state.last_full_mock).days
    if days_left is not None and 0 <= days_left <= 2:
        return None  # too late to learn from a full mock; review instead
    if days_left is not None and FINAL_MOCK_WINDOW[0] <= days_left <= FINAL_MOCK_WINDOW[1]:
        if since is None or since >= 2:
            return f"a final full mock exam {days_left} days before the exam"
        return None
    if since is None:
        return "no full-length mock exam yet: sit one for a baseline"
    if since >= MOCK_EVERY_DAYS:
        return f"your last full mock exam was {since} days ago (one a week)"
    return None

