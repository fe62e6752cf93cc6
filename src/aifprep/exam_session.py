"""Sitting a mock exam: start or reopen it, save it after every action, finish it.

The terminal is behind the `ExamScreen` protocol and the files behind `ProgressStore`, so
tests can sit a whole exam with a scripted screen and a temporary folder.

Saving never blocks the screen: `BackgroundSaver` hands each state to one worker thread
that writes only the exam file (the latest state wins; older unsaved ones are skipped).
One terminal owns the exam: `sit` claims it first (`ExamElsewhere` if a live terminal
has it open, unless `takeover`); when another terminal takes it over, the saver stops,
`taken_over` says so, and the sitting ends as TAKEN_OVER without saving again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol

from aifprep.exam import ExamState
from aifprep.mock import (
    ExamResult,
    answer_records,
    exam_record,
    grade_state,
    reopened,
    stamped,
)
from aifprep.model import Question
from aifprep.progress import local_tz, utc_now
from aifprep.store import ExamTakenOver, ProgressStore, StoreError

SUBMITTED, TIMED_OUT, PAUSED, INTERRUPTED = "submitted", "timed-out", "paused", "interrupted"
TAKEN_OVER = "taken-over"  # another terminal took the exam over; this one stopped saving

Save = Callable[[ExamState], ExamState]


class ExamScreen(Protocol):
    def run(self, state: ExamState, by_id: dict[str, Question], save: Save) -> tuple[ExamState, str]:
        """Let the candidate sit the exam; call `save` after every action.

        Returns the last state and how the sitting ended: SUBMITTED, TIMED_OUT, PAUSED
        (the candidate left, to resume later) or INTERRUPTED (Ctrl-C, a closed terminal).
        A screen should stop (any outcome) once `getattr(save, "taken_over", None)` is set.
        """


@dataclass(frozen=True)
class Sitting:
    state: ExamState
    outcome: str
    result: ExamResult | None  # set when the exam was submitted or timed out
    message: str = ""  # why the sitting stopped, when it was taken over


class BackgroundSaver:
    """`save(state)`: stamp the state and queue it for the exam file; return at once.

    One daemon thread writes the latest queued state (`store.save_exam`). `flush()` waits
    until everything queued is written. After a takeover, `taken_over` holds the message
    and nothing more is written; after another error, `error` holds it and the next save
    tries again.
    """

    def __init__(self, store: ProgressStore, clock: Callable[[], datetime] = utc_now) -> None:
        self.store, self.clock = store, clock
        self.taken_over: str | None = None
        self.error: str | None = None
        self._pending: ExamState | None = None
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="aifprep-exam-saver", daemon=True)
        self._thread.start()

    def __call__(self, state: ExamState) -> ExamState:
        state = stamped(state, self.clock())
        with self._cond:
            if self.taken_over is None:
                self._pending = state
                self._cond.notify_all()
        return state

    def flush(self, timeout: float | None = 30) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def close(self) -> None:
        self.flush()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return
                state, self._pending, self._busy = self._pending, None, True
            try:
                self.store.save_exam(state)
                self.error = None
            except ExamTakenOver as exc:
                with self._cond:
                    self.taken_over, self._pending = str(exc), None
            except (StoreError, OSError) as exc:
                self.error = str(exc)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


def saver(store: ProgressStore, clock: Callable[[], datetime] = utc_now) -> BackgroundSaver:
    """A function that saves the exam in progress, stamped with the time of saving."""
    return BackgroundSaver(store, clock)


def begin(store: ProgressStore, state: ExamState) -> ExamState:
    """Start a new exam: its session in the journal, the exam file owned by this terminal."""
    return store.start_exam(state)


def sit(store: ProgressStore, state: ExamState, by_id: dict[str, Question], screen: ExamScreen,
        clock: Callable[[], datetime] = utc_now, takeover: bool = False) -> Sitting:
    """Claim the exam, open it (the wall clock counts the time it was closed) and hand it to
    the screen. Raises `store.ExamElsewhere` if a live terminal has it (unless `takeover`)."""
    claimed = store.claim_exam(takeover)
    if claimed is None or claimed.id != state.id:
        raise StoreError("this mock exam is no longer in progress (it was finished or "
                         "abandoned in another terminal)")
    save = saver(store, clock)
    try:
        state = save(reopened(state, clock()))
        if state.time_left <= 0:
            outcome = TIMED_OUT
        else:
            state, outcome = screen.run(state, by_id, save)
        save.flush()
    finally:
        save.close()
    if save.taken_over:
        return Sitting(state, TAKEN_OVER, None, save.taken_over)
    if save.error and outcome not in (SUBMITTED, TIMED_OUT):
        raise StoreError(f"the exam could not be saved: {save.error}")
    if outcome in (SUBMITTED, TIMED_OUT):
        return Sitting(state, outcome, finish(store, state, by_id, clock(), outcome == TIMED_OUT))
    store.release_exam()
    return Sitting(state, outcome, None)


def finish(store: ProgressStore, state: ExamState, by_id: dict[str, Question], when: datetime,
           timed_out: bool) -> ExamResult:
    """Grade the exam and record it with its answers in one line."""
    result = grade_state(state, by_id, when, timed_out)
    store.finish_exam(exam_record(state, result), answer_records(result), local_tz())
    return result


def abandon(store: ProgressStore, state: ExamState, when: datetime, force: bool = False) -> None:
    store.abandon_exam(state.id, when, force)
