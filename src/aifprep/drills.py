"""What to drill: misconceptions, confused services, and the steps of `aifprep study`.

Pure: progress (or the store's snapshot), the bank, the clock and a seed in; questions,
cards and counts out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from aifprep.bank import Bank
from aifprep.coach import _top_confusions, service_names
from aifprep.confidence import calibration
from aifprep.confusions import Confusion, questions_for_confusions
from aifprep.history import counted
from aifprep.plan import SECONDS_PER_CARD, SECONDS_PER_QUESTION, Plan
from aifprep.progress import Progress, question_history
from aifprep.quiz import question_dues
from aifprep.selection import QuizFilter, filter_questions, select_questions
from aifprep.views import Snapshot


def drill_questions(progress: Progress, bank: Bank, limit: int = 5) -> list:
    """Questions where a service the candidate confused stands as key and distractor."""
    names = service_names(bank)
    top = _top_confusions(progress, bank, names, limit=limit)
    return questions_for_confusions(top, bank.questions, names)


def confused_cards(confusions: tuple[Confusion, ...], bank: Bank) -> list:
    """The flashcards of the services in the top confusions (they join the next session)."""
    wanted = {c.chosen for c in confusions} | {c.right for c in confusions}
    return [card for card in bank.cards if card.front in wanted or any(w in card.front for w in wanted)]



def misconceptions(progress: Progress | Snapshot) -> frozenset[str]:
    """Questions last answered wrong while the candidate said they were sure."""
    if isinstance(progress, Snapshot):
        return progress.views.misconceptions()
    rows = ((a.question, a.confidence, a.correct, a.at) for a in counted(progress).answers)
    return frozenset(calibration(rows).misconceptions)


def confusion_quiz(progress: Progress, bank: Bank, count: int, seed: int) -> list:
    """Up to `count` questions that pit the services the candidate confuses against each
    other, in an order fixed by `seed`."""
    drill = drill_questions(progress, bank)
    random.Random(seed).shuffle(drill)
    return drill[:count]


@dataclass(frozen=True)
class StudySteps:
    """What `aifprep study` runs, in order, trimmed to the time budget."""

    cards: int  # due cards plus new ones (the flashcard plan decides which)
    new_cards: int
    due_questions: tuple  # Question objects
    new_questions: tuple
    budget_minutes: float | None

    @property
    def empty(self) -> bool:
        return not (self.cards or self.due_questions or self.new_questions)


def study_steps(progress: Progress | Snapshot, bank: Bank, plan: Plan, now: datetime,
                minutes: float | None, seed: int) -> StudySteps:
    """Due cards, due questions (misconceptions first), then new questions from the focus
    task statements; cut to fit `minutes` at the plan's pace (cards first, as they are quick)."""
    if isinstance(progress, Snapshot):
        history = progress.views.question_history(practice=True)
    else:
        history = question_history(progress)
    dues = question_dues(progress.schedule)
    rng = random.Random(seed)
    due_pool = filter_questions(bank.questions, QuizFilter(due=True), history, dues, now)
    due_qs = select_questions(due_pool, history, plan.questions_due, rng, due=dues, now=now,
                              first=misconceptions(progress))
    focus = {t.task for t in plan.focus}
    new_pool = filter_questions(bank.questions, QuizFilter(new=True), history)
    rng.shuffle(new_pool)
    new_pool.sort(key=lambda q: q.task not in focus)
    new_qs = new_pool[:plan.new_questions]
    cards, new_cards = plan.cards_due + plan.new_cards, plan.new_cards
    if minutes is not None:
        budget = minutes * 60
        cards = min(cards, int(budget // SECONDS_PER_CARD))
        new_cards = min(new_cards, max(0, cards - plan.cards_due))
        budget -= cards * SECONDS_PER_CARD
        due_qs = due_qs[:max(0, int(budget // SECONDS_PER_QUESTION))]
        budget -= len(due_qs) * SECONDS_PER_QUESTION
        new_qs = new_qs[:max(0, int(budget // SECONDS_PER_QUESTION))]
    return StudySteps(cards, new_cards, tuple(due_qs), tuple(new_qs), minutes)


def confused_card_ids(progress: Progress | Snapshot, bank: Bank) -> frozenset[str]:
    """Ids of the flashcards of the services in the candidate's top confusions."""
    top = _top_confusions(progress, bank, service_names(bank))
    return frozenset(c.id for c in confused_cards(top, bank))
