"""Sitting a mock exam: start or reopen it, save it after every action, finish it.

The terminal is behind the `ExamScreen` protocol and the file behind `ProgressStore`, so
tests can sit a whole exam with a scripted screen and a temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol

from aifprep.exam import ExamState
from aifprep.mock import (
    ExamResult,
    abandon_exam,
    answer_records,
    exam_record,
    finish_exam,
    grade_state,
    reopened,
    save_exam,
    stamped,
    start_exam,
)
from aifprep.model import Question
from aifprep.progress import local_tz, utc_now
from aifprep.store import ProgressStore

SUBMITTED, TIMED_OUT, PAUSED, INTERRUPTED = "submitted", "timed-out", "paused", "interrupted"

Save = Callable[[ExamState], ExamState]


class ExamScreen(Protocol):
    def run(self, state: ExamState, by_id: dict[str, Question], save: Save) -> tuple[ExamState, str]:
        """Let the candidate sit the exam; call `save` after every action.

        Returns the last state and how the sitting ended: SUBMITTED, TIMED_OUT, PAUSED
        (the candidate left, to resume later) or INTERRUPTED (Ctrl-C, a closed terminal).
        """


@dataclass(frozen=True)
class Sitting:
    state: ExamState
    outcome: str
    result: ExamResult | None  # set when the exam was submitted or timed out


def saver(store: ProgressStore, clock: Callable[[], datetime] = utc_now) -> Save:
    """A function that saves the exam in progress, stamped with the time of saving."""

    def save(state: ExamState) -> ExamState:
        state = stamped(state, clock())
        store.update(save_exam(state))
        return state

    return save


def begin(store: ProgressStore, state: ExamState) -> ExamState:
    store.update(start_exam(state))
    return state


def sit(store: ProgressStore, state: ExamState, by_id: dict[str, Question], screen: ExamScreen,
        clock: Callable[[], datetime] = utc_now) -> Sitting:
    """Open the exam (the wall clock counts the time it was closed) and hand it to the screen."""
    save = saver(store, clock)
    state = save(reopened(state, clock()))
    if state.time_left <= 0:
        outcome = TIMED_OUT
    else:
        state, outcome = screen.run(state, by_id, save)
    if outcome in (SUBMITTED, TIMED_OUT):
        return Sitting(state, outcome, finish(store, state, by_id, clock(), outcome == TIMED_OUT))
    return Sitting(state, outcome, None)


def finish(store: ProgressStore, state: ExamState, by_id: dict[str, Question], when: datetime,
           timed_out: bool) -> ExamResult:
    """Grade the exam and record it with its answers in one change."""
    result = grade_state(state, by_id, when, timed_out)
    store.update(finish_exam(exam_record(state, result), answer_records(result), local_tz()))
    return result


def abandon(store: ProgressStore, state: ExamState, when: datetime) -> None:
    store.update(abandon_exam(state.id, when))
