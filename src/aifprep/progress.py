"""The user's study history as plain data, and pure functions over it.

No file I/O here: `store.py` reads and writes the JSON; this module turns JSON into a
`Progress` value (migrating old schema versions), back into JSON, and answers questions
about it. Every change is a function `Progress -> Progress`, so the store can apply it to
the freshest copy on disk under its lock and never lose another terminal's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable

from aifprep.exam import (
    ExamState,
    MockExamRecord,
    exam_state_from_json,
    exam_state_to_json,
    mock_exam_from_json,
    mock_exam_to_json,
)

SCHEMA_VERSION = 2


class SchemaError(ValueError):
    """The JSON is not a progress file this version of aifprep understands."""


@dataclass(frozen=True)
class AnswerRecord:
    """One answer to one question."""

    id: str  # unique per record, so applying the same change twice adds it once
    question: str
    at: str  # ISO 8601, UTC
    mode: str  # "quiz", "mock-exam", ...
    session: str
    given: tuple
    correct: bool
    seconds: float


@dataclass(frozen=True)
class SessionRecord:
    """One sitting: a quiz or a mock exam."""

    id: str
    mode: str
    started: str
    finished: str | None = None
    label: str = ""  # what was asked for, e.g. "domain security, 10 questions"


@dataclass(frozen=True)
class Progress:
    answers: tuple[AnswerRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # keys of newer versions, kept as is
    exam: ExamState | None = None  # the mock exam in progress, if any
    mock_exams: tuple[MockExamRecord, ...] = ()  # finished mock exams, oldest first


Change = Callable[[Progress], Progress]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- changes ------------------------------------------------------------------------------

def add_answer(answer: AnswerRecord) -> Change:
    """A change that records an answer (once, however often it is applied)."""

    def change(progress: Progress) -> Progress:
        if any(a.id == answer.id for a in progress.answers):
            return progress
        return replace(progress, answers=progress.answers + (answer,))

    return change


def add_session(session: SessionRecord) -> Change:
    def change(progress: Progress) -> Progress:
        if any(s.id == session.id for s in progress.sessions):
            return progress
        return replace(progress, sessions=progress.sessions + (session,))

    return change


def finish_session(session_id: str, when: datetime) -> Change:
    def change(progress: Progress) -> Progress:
        sessions = tuple(
            replace(s, finished=iso(when)) if s.id == session_id and not s.finished else s
            for s in progress.sessions
        )
        return replace(progress, sessions=sessions)

    return change


# --- questions about the history -----------------------------------------------------------

@dataclass(frozen=True)
class QuestionHistory:
    seen: int
    right: int
    last_correct: bool
    last_at: str


def question_history(progress: Progress) -> dict[str, QuestionHistory]:
    """Per question id: how often seen and answered right, and the latest result."""
    history: dict[str, QuestionHistory] = {}
    for a in sorted(progress.answers, key=lambda a: a.at):
        old = history.get(a.question)
        history[a.question] = QuestionHistory(
            seen=(old.seen if old else 0) + 1,
            right=(old.right if old else 0) + int(a.correct),
            last_correct=a.correct,
            last_at=a.at,
        )
    return history


# --- JSON ---------------------------------------------------------------------------------

def to_json(progress: Progress) -> dict[str, Any]:
    data: dict[str, Any] = dict(progress.extra)
    data.update(
        schema_version=SCHEMA_VERSION,
        answers=[
            {"id": a.id, "question": a.question, "at": a.at, "mode": a.mode,
             "session": a.session, "given": list(a.given), "correct": a.correct,
             "seconds": a.seconds}
            for a in progress.answers
        ],
        sessions=[
            {"id": s.id, "mode": s.mode, "started": s.started, "finished": s.finished,
             "label": s.label}
            for s in progress.sessions
        ],
        exam_in_progress=None if progress.exam is None else exam_state_to_json(progress.exam),
        mock_exams=[mock_exam_to_json(m) for m in progress.mock_exams],
    )
    return data


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the mock exam in progress and the finished mock exams."""
    return {**data, "schema_version": 2, "exam_in_progress": None, "mock_exams": []}


# Each entry upgrades a file of schema version N to N + 1. Never edit an old one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}

KNOWN_KEYS = ("schema_version", "answers", "sessions", "exam_in_progress", "mock_exams")


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older progress file up to SCHEMA_VERSION."""
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SchemaError("it has no schema_version")
    if version > SCHEMA_VERSION:
        raise SchemaError(f"it has schema version {version}, newer than this aifprep "
                          f"understands ({SCHEMA_VERSION}); upgrade aifprep")
    while version < SCHEMA_VERSION:
        if version not in MIGRATIONS:
            raise SchemaError(f"it has unknown schema version {version}")
        data = MIGRATIONS[version](data)
        version = data["schema_version"]
    return data


def from_json(data: Any) -> Progress:
    """Read a parsed progress file, migrating it; raise SchemaError if it is not one."""
    if not isinstance(data, dict):
        raise SchemaError("it is not a JSON object")
    data = migrate(dict(data))
    try:
        answers = tuple(
            AnswerRecord(id=str(a["id"]), question=str(a["question"]), at=str(a["at"]),
                         mode=str(a["mode"]), session=str(a["session"]),
                         given=_tuple(a["given"]), correct=bool(a["correct"]),
                         seconds=float(a["seconds"]))
            for a in data.get("answers", [])
        )
        sessions = tuple(
            SessionRecord(id=str(s["id"]), mode=str(s["mode"]), started=str(s["started"]),
                          finished=s.get("finished"), label=str(s.get("label", "")))
            for s in data.get("sessions", [])
        )
        raw_exam = data.get("exam_in_progress")
        exam = None if raw_exam is None else exam_state_from_json(raw_exam)
        mock_exams = tuple(mock_exam_from_json(m) for m in data.get("mock_exams", []))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SchemaError(f"a record is malformed ({exc.__class__.__name__}: {exc})") from exc
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return Progress(answers, sessions, extra, exam, mock_exams)


def _tuple(value: Any) -> tuple:
    if not isinstance(value, list):
        raise TypeError("'given' must be a list")
    return tuple(value)
