"""A mock exam as it is stored: the exam in progress and finished exams. Pure data.

These values live in the progress file (`progress.py` reads and writes them through the
JSON functions below); `mock.py` holds the logic that changes them.

Responses are stored like quiz answers (see `grading.py`), in the question's own order.
A response may be partial while the exam runs: a multiple-response question with fewer
ticks than asked, an ordering with the first steps placed, a matching with `None` for a
prompt not matched yet. `None` instead of a tuple means the question was never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CLOCK_PAUSE = "pause"  # the clock stops while aifprep is closed (default)
CLOCK_WALL = "wall"  # the clock keeps running while aifprep is closed
CLOCKS = (CLOCK_PAUSE, CLOCK_WALL)


@dataclass(frozen=True)
class ExamState:
    """An exam being sat: everything needed to resume it at the same question."""

    id: str
    started: str  # ISO 8601, UTC
    seed: int  # option order of every question
    minutes: float  # the time limit
    clock: str  # CLOCK_PAUSE or CLOCK_WALL
    label: str  # what was asked for, e.g. "65 questions, all domains"
    questions: tuple[str, ...]  # question ids in exam order
    responses: tuple[tuple | None, ...]
    flags: tuple[bool, ...]
    seconds: tuple[float, ...]  # time spent on each question
    position: int = 0  # index of the question on screen
    elapsed: float = 0.0  # seconds of the time limit used
    saved_at: str = ""  # when the state was last saved (for the wall clock)

    def __post_init__(self) -> None:
        n = len(self.questions)
        if not (len(self.responses) == len(self.flags) == len(self.seconds) == n) or n == 0:
            raise ValueError("an exam needs one response, flag and time per question")
        if not 0 <= self.position < n:
            raise ValueError(f"position {self.position} is outside the exam")
        if self.clock not in CLOCKS:
            raise ValueError(f"unknown clock {self.clock!r}")

    @property
    def limit_seconds(self) -> float:
        return self.minutes * 60

    @property
    def time_left(self) -> float:
        return max(0.0, self.limit_seconds - self.elapsed)


@dataclass(frozen=True)
class MockExamRecord:
    """A finished (submitted or timed-out) exam, kept for stats and `--review`."""

    id: str
    started: str
    finished: str
    minutes: float
    clock: str
    seed: int
    label: str
    questions: tuple[str, ...]
    responses: tuple[tuple | None, ...]
    flags: tuple[bool, ...]
    seconds: tuple[float, ...]
    elapsed: float
    timed_out: bool
    correct: int
    total: int
    scaled: int
    passed: bool
    domains: dict[str, tuple[int, int]]  # slug -> (correct, total)


# --- JSON ---------------------------------------------------------------------------------

def _responses_json(responses: tuple[tuple | None, ...]) -> list:
    return [None if r is None else list(r) for r in responses]


def _responses(value: Any) -> tuple[tuple | None, ...]:
    if not isinstance(value, list):
        raise TypeError("'responses' must be a list")
    out: list[tuple | None] = []
    for r in value:
        if r is not None and not isinstance(r, list):
            raise TypeError("a response must be a list or null")
        out.append(None if r is None else tuple(r))
    return tuple(out)


def exam_state_to_json(state: ExamState) -> dict[str, Any]:
    return {
        "id": state.id, "started": state.started, "seed": state.seed,
        "minutes": state.minutes, "clock": state.clock, "label": state.label,
        "questions": list(state.questions), "responses": _responses_json(state.responses),
        "flags": list(state.flags), "seconds": list(state.seconds),
        "position": state.position, "elapsed": state.elapsed, "saved_at": state.saved_at,
    }


def exam_state_from_json(data: dict[str, Any]) -> ExamState:
    return ExamState(
        id=str(data["id"]), started=str(data["started"]), seed=int(data["seed"]),
        minutes=float(data["minutes"]), clock=str(data["clock"]), label=str(data["label"]),
        questions=tuple(str(q) for q in data["questions"]),
        responses=_responses(data["responses"]),
        flags=tuple(bool(f) for f in data["flags"]),
        seconds=tuple(float(s) for s in data["seconds"]),
        position=int(data["position"]), elapsed=float(data["elapsed"]),
        saved_at=str(data.get("saved_at", "")),
    )


def mock_exam_to_json(record: MockExamRecord) -> dict[str, Any]:
    return {
        "id": record.id, "started": record.started, "finished": record.finished,
        "minutes": record.minutes, "clock": record.clock, "seed": record.seed,
        "label": record.label, "questions": list(record.questions),
        "responses": _responses_json(record.responses), "flags": list(record.flags),
        "seconds": list(record.seconds), "elapsed": record.elapsed,
        "timed_out": record.timed_out, "correct": record.correct, "total": record.total,
        "scaled": record.scaled, "passed": record.passed,
        "domains": {slug: {"correct": c, "total": t} for slug, (c, t) in record.domains.items()},
    }


def mock_exam_from_json(data: dict[str, Any]) -> MockExamRecord:
    return MockExamRecord(
        id=str(data["id"]), started=str(data["started"]), finished=str(data["finished"]),
        minutes=float(data["minutes"]), clock=str(data["clock"]), seed=int(data["seed"]),
        label=str(data["label"]), questions=tuple(str(q) for q in data["questions"]),
        responses=_responses(data["responses"]),
        flags=tuple(bool(f) for f in data["flags"]),
        seconds=tuple(float(s) for s in data["seconds"]), elapsed=float(data["elapsed"]),
        timed_out=bool(data["timed_out"]), correct=int(data["correct"]),
        total=int(data["total"]), scaled=int(data["scaled"]), passed=bool(data["passed"]),
        domains={str(slug): (int(v["correct"]), int(v["total"]))
                 for slug, v in data["domains"].items()},
    )
