"""Processes the store tests start and kill: `python store_workers.py COMMAND FOLDER ...`.

Each prints one line per thing it has saved, after the save returned, so a test that
kills it knows what must be on disk.
"""

from __future__ import annotations

import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from aifprep.progress import AnswerRecord, iso
from aifprep.records import answer_action, batch, answer_record
from aifprep.scheduling import Rating
from aifprep.store import ProgressStore

T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def answer(tag: str, n: int, question: str | None = None) -> AnswerRecord:
    return AnswerRecord(f"{tag}-{n}-{uuid.uuid4().hex[:6]}", question or f"q{n % 40}",
                        iso(T0 + timedelta(seconds=n)), "quiz", tag, (n % 4,), n % 3 != 0, 4.0)


def write(folder: Path, tag: str, count: int, big: bool) -> None:
    """Save answers (with their reviews) one action at a time; print each id once saved.
    `big` makes every action a 40-answer batch (a line of ~10 KB), so that kills land
    in the middle of a write more often. count < 0: forever."""
    store = ProgressStore(folder)
    n = 0
    while count < 0 or n < count:
        if big:
            answers = [answer(tag, n * 40 + i) for i in range(40)]
            store.record(lambda snap: batch([answer_record(a) for a in answers]))
            ids = [a.id for a in answers]
        else:
            a = answer(tag, n)
            store.record(answer_action(a, Rating.GOOD if a.correct else Rating.AGAIN))
            ids = [a.id]
        print(" ".join(ids), flush=True)
        n += 1
    store.close()


def sit_exam(folder: Path, seconds: float) -> None:
    """Resume the exam in progress with a screen that flags questions in turn, saving each
    time, until it is taken over or `seconds` pass. Prints the outcome."""
    from aifprep.exam_session import sit
    from aifprep.mock import toggle_flag

    class Screen:
        def run(self, state, by_id, save):
            end = time.monotonic() + seconds
            i = 0
            while time.monotonic() < end and not getattr(save, "taken_over", None):
                state = save(toggle_flag(state, i % len(state.questions)))
                print(f"saved {i}", flush=True)
                i += 1
                time.sleep(0.05)
            return state, "paused"

    store = ProgressStore(folder)
    exam = store.snapshot().exam
    sitting = sit(store, exam, {}, Screen())
    print(f"outcome {sitting.outcome}", flush=True)


def save_exam_forever(folder: Path) -> None:
    """Claim the exam and save it forever, one position further each time; print each."""
    from dataclasses import replace

    store = ProgressStore(folder)
    state = store.claim_exam()
    n = 0
    while True:
        n += 1
        state = replace(state, position=n % len(state.questions), elapsed=float(n))
        store.save_exam(state)
        print(n, flush=True)


if __name__ == "__main__":
    command, folder = sys.argv[1], Path(sys.argv[2])
    if command == "write":
        write(folder, sys.argv[3], int(sys.argv[4]), sys.argv[5:] == ["big"])
    elif command == "sit":
        sit_exam(folder, float(sys.argv[3]))
    elif command == "save-exam":
        save_exam_forever(folder)
