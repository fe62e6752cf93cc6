"""Running a quiz: ask, grade, save each answer as it is given, summarise.

The terminal is behind the `Prompter` protocol and the file behind `ProgressStore`, so
tests can drive a whole quiz with a scripted prompter and a temporary folder.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Callable, Protocol

from aifprep.grading import Grade, Response, grade_answer, presentation_order
from aifprep.model import Question
from aifprep.progress import AnswerRecord, QuestionHistory, SessionRecord, iso, utc_now
from aifprep.records import answer_action, finish_session_action, rerate_action, session_action
from aifprep.confidence import rating_with_confidence
from aifprep.scheduling import Memory, Rating
from aifprep.selection import QuizFilter, filter_questions, select_questions
from aifprep.store import ProgressStore


class QuitQuiz(Exception):
    """Raised by a prompter when the user ends the quiz (the `q` key)."""


class Prompter(Protocol):
    def ask(self, question: Question, order: tuple, number: int, total: int) -> Response:
        """Show a question and return the response; raise KeyboardInterrupt (Ctrl-C) or
        QuitQuiz (the user ends the quiz) to stop."""

    def show_feedback(self, question: Question, order: tuple, response: Response,
                      grade: Grade) -> bool:
        """Show whether the response was right, the key and the explanations. Return True
        when the user says a right answer was a guess (it then counts as Hard)."""

    # Optional: `how_sure() -> "sure" | "unsure" | "guess" | None`, the confidence the
    # candidate gave with the last answer, before its verdict (see `confidence.py`).


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    response: Response
    grade: Grade
    seconds: float


@dataclass(frozen=True)
class QuizResult:
    session_id: str
    planned: int
    answered: tuple[AnsweredQuestion, ...]
    interrupted: bool  # Ctrl-C
    quit: bool = False  # the user ended the quiz early

    @property
    def correct(self) -> int:
        return sum(1 for a in self.answered if a.grade.correct)

    @property
    def missed(self) -> list[Question]:
        return [a.question for a in self.answered if not a.grade.correct]

    def by_task(self) -> dict[str, tuple[int, int]]:
        """Task statement -> (correct, answered)."""
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for a in self.answered:
            tally[a.question.task][0] += int(a.grade.correct)
            tally[a.question.task][1] += 1
        return {task: (c, n) for task, (c, n) in sorted(tally.items())}


def draw_quiz(questions: tuple[Question, ...], history: dict[str, QuestionHistory],
              flt: QuizFilter, count: int, seed: int | None,
              entropy: Callable[[], int] = lambda: random.SystemRandom().randrange(2**31),
              due: dict[str, datetime] | None = None, now: datetime | None = None,
              first: frozenset[str] = frozenset()) -> tuple[list[Question], int]:
    """The questions of a quiz and the seed that shows them (the given one, or a new one).

    Without a seed, questions due for review come first, then unlearned ones; with one, the
    draw ignores the history so the same seed always gives the same quiz.
    """
    pool = filter_questions(questions, flt, history, due, now)
    draw_seed = seed if seed is not None else entropy()
    picked = select_questions(pool, history, count, random.Random(draw_seed),
                              prefer_unlearned=seed is None, due=due, now=now, first=first)
    return picked, draw_seed


def question_dues(schedule: dict[str, Memory]) -> dict[str, datetime]:
    """Question id -> when it is due for review, from the spaced-repetition schedule."""
    prefix = "question:"
    return {key[len(prefix):]: m.due for key, m in schedule.items() if key.startswith(prefix)}


def run_quiz(questions: list[Question], prompter: Prompter, store: ProgressStore, seed: int,
             label: str = "", clock: Callable[[], datetime] = utc_now,
             timer: Callable[[], float] = time.monotonic,
             tz: tzinfo = timezone.utc) -> QuizResult:
    """Ask each question in turn, saving every answer the moment it is graded.

    Each answer is also a spaced-repetition review of its question: wrong is Again, right
    is Good, or Hard when it was slow or the user then marks it as a guess.
    Ctrl-C (KeyboardInterrupt from the prompter) or QuitQuiz ends the quiz; what was
    answered is kept.
    """
    session_id = uuid.uuid4().hex
    store.record(session_action(SessionRecord(session_id, "quiz", iso(clock()), label=label)))
    answered: list[AnsweredQuestion] = []
    interrupted = quit_early = False
    try:
        for number, question in enumerate(questions, 1):
            order = presentation_order(question, seed)
            started = timer()
            response = prompter.ask(question, order, number, len(questions))
            seconds = round(timer() - started, 1)
            grade = grade_answer(question, response)
            sure = getattr(prompter, "how_sure", lambda: None)()
            answer = AnswerRecord(
                id=uuid.uuid4().hex, question=question.id, at=iso(clock()), mode="quiz",
                session=session_id, given=tuple(response), correct=grade.correct,
                seconds=seconds, confidence=sure,
            )
            rating = rating_with_confidence(grade.correct, seconds, sure)
            store.record(answer_action(answer, rating, tz))
            answered.append(AnsweredQuestion(question, tuple(response), grade, seconds))
            unsure = prompter.show_feedback(question, order, response, grade)
            if unsure and grade.correct and rating != Rating.HARD:
                store.record(rerate_action(answer.id, Rating.HARD, tz))
    except KeyboardInterrupt:
        interrupted = True
    except QuitQuiz:
        quit_early = True
    store.record(finish_session_action(session_id, clock()))
    return QuizResult(session_id, len(questions), tuple(answered), interrupted, quit_early)
