"""The user's study history as plain data, and pure functions over it.

No file I/O here. `Progress` is the canonical model of the whole history: `store.load()`
replays the journal into one (`records.Replay`) for the rare commands that need all of it
(history, export, merge). Every change is a function `Progress -> Progress`;
`store.update(change)` applies one to the full history and appends what it added. The hot
paths (a quiz answer, a flashcard rating, a mock-exam key, stats) never build a
`Progress`: they record actions (`records.py`) and read a `views.Snapshot`.

The JSON functions below are the schema 1-3 `progress.json` format: the upgrade reads it
(migrating older versions first) and `to_json` still writes it for exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Callable

from aifprep.exam import (
    ExamState,
    MockExamRecord,
    exam_state_from_json,
    exam_state_to_json,
    mock_exam_from_json,
    mock_exam_to_json,
)
from aifprep.scheduling import (
    DEFAULT_RETENTION,
    Memory,
    Rating,
    StudySettings,
    exam_cap,
    item_key,
    rating_for_answer,
    review,
)

SCHEMA_VERSION = 3


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
    confidence: str | None = None  # "sure", "unsure" or "guess", said before the verdict


@dataclass(frozen=True)
class SessionRecord:
    """One sitting: a quiz or a mock exam."""

    id: str
    mode: str
    started: str
    finished: str | None = None
    label: str = ""  # what was asked for, e.g. "domain security, 10 questions"


@dataclass(frozen=True)
class ReviewRecord:
    """One spaced-repetition review of a flashcard or a question (the FSRS review log)."""

    id: str
    item: str  # "card:<id>" or "question:<id>"
    rating: Rating
    at: str  # ISO 8601, UTC
    mode: str  # "flashcards", "quiz", "mock-exam"
    seconds: float | None
    previous: Memory | None  # the memory before this review, so a rating can be changed


@dataclass(frozen=True)
class Progress:
    answers: tuple[AnswerRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # keys of newer versions, kept as is
    exam: ExamState | None = None  # the mock exam in progress, if any
    mock_exams: tuple[MockExamRecord, ...] = ()  # finished mock exams, oldest first
    schedule: dict[str, Memory] = field(default_factory=dict)  # item key -> FSRS memory
    reviews: tuple[ReviewRecord, ...] = ()  # oldest first
    settings: StudySettings = StudySettings()
    excluded: frozenset[str] = frozenset()  # session and exam ids marked as practice


Change = Callable[[Progress], Progress]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def local_tz() -> tzinfo:
    """The user's time zone, for day boundaries; the edges pass it to the pure core."""
    return datetime.now(timezone.utc).astimezone().tzinfo or timezone.utc


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """Read a time written by `iso` (or any ISO 8601 time with an offset) as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no time zone")
    return moment.astimezone(timezone.utc)


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


def _reviewed(progress: Progress, review_id: str, key: str, rating: Rating, when: datetime,
              mode: str, seconds: float | None, tz: tzinfo, fuzz: bool) -> Progress:
    before = progress.schedule.get(key)
    after = review(key, before, rating, when, progress.settings, tz, fuzz)
    record = ReviewRecord(review_id, key, rating, iso(when), mode, seconds, before)
    return replace(progress, schedule={**progress.schedule, key: after},
                   reviews=progress.reviews + (record,))


def review_item(review_id: str, key: str, rating: Rating, when: datetime, mode: str,
                seconds: float | None, tz: tzinfo = timezone.utc, fuzz: bool = True) -> Change:
    """A change that reviews one item with FSRS and logs the review.

    FSRS runs inside the change, on the freshest copy of the file, so two terminals
    reviewing at once both count. Applying the same change twice reviews once.
    """

    def change(progress: Progress) -> Progress:
        if any(r.id == review_id for r in progress.reviews):
            return progress
        return _reviewed(progress, review_id, key, rating, when, mode, seconds, tz, fuzz)

    return change


def answer_and_review(answer: AnswerRecord, rating: Rating, tz: tzinfo = timezone.utc,
                      fuzz: bool = True) -> Change:
    """A quiz answer and the FSRS review of its question, saved together."""

    def change(progress: Progress) -> Progress:
        if any(a.id == answer.id for a in progress.answers):
            return progress
        progress = replace(progress, answers=progress.answers + (answer,))
        return _reviewed(progress, answer.id, item_key("question", answer.question), rating,
                         parse_time(answer.at), answer.mode, answer.seconds, tz, fuzz)

    return change


def rerate(review_id: str, rating: Rating, tz: tzinfo = timezone.utc, fuzz: bool = True) -> Change:
    """Change the rating of a review, if it is still the latest review of its item
    (e.g. a right answer the user then marks as a guess)."""

    def change(progress: Progress) -> Progress:
        index = next((i for i, r in enumerate(progress.reviews) if r.id == review_id), None)
        if index is None:
            return progress
        old = progress.reviews[index]
        if old.rating == rating or any(r.item == old.item for r in progress.reviews[index + 1:]):
            return progress
        when = parse_time(old.at)
        after = review(old.item, old.previous, rating, when, progress.settings, tz, fuzz)
        reviews = list(progress.reviews)
        reviews[index] = replace(old, rating=rating)
        return replace(progress, schedule={**progress.schedule, old.item: after},
                       reviews=tuple(reviews))

    return change


def set_exam_date(exam_date: date | None, now: datetime, tz: tzinfo = timezone.utc) -> Change:
    """Store (or clear) the exam date; reviews already scheduled after it are brought
    forward so that they land before the exam."""

    def change(progress: Progress) -> Progress:
        settings = replace(progress.settings, exam_date=exam_date)
        cap = exam_cap(settings, now, tz)
        schedule = progress.schedule
        if cap is not None:
            schedule = {k: replace(m, due=cap) if m.due > cap else m for k, m in schedule.items()}
        return replace(progress, settings=settings, schedule=schedule)

    return change


def set_ask_confidence(ask: bool) -> Change:
    """Store whether quizzes ask how sure the candidate is before each verdict."""

    def change(progress: Progress) -> Progress:
        return replace(progress, settings=replace(progress.settings, ask_confidence=ask))

    return change


def set_retention(retention: float) -> Change:
    """Store the desired retention (the recall chance FSRS aims for at each review)."""

    def change(progress: Progress) -> Progress:
        return replace(progress, settings=replace(progress.settings, retention=retention))

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
        answers=[_answer_json(a) for a in progress.answers],
        sessions=[
            {"id": s.id, "mode": s.mode, "started": s.started, "finished": s.finished,
             "label": s.label}
            for s in progress.sessions
        ],
        exam_in_progress=None if progress.exam is None else exam_state_to_json(progress.exam),
        mock_exams=[mock_exam_to_json(m) for m in progress.mock_exams],
        settings={"exam_date": None if progress.settings.exam_date is None
                  else progress.settings.exam_date.isoformat(),
                  "retention": progress.settings.retention,
                  "ask_confidence": progress.settings.ask_confidence},
        schedule={key: memory_to_json(m) for key, m in sorted(progress.schedule.items())},
        reviews=[
            {"id": r.id, "item": r.item, "rating": int(r.rating), "at": r.at, "mode": r.mode,
             "seconds": r.seconds,
             "previous": None if r.previous is None else memory_to_json(r.previous)}
            for r in progress.reviews
        ],
        excluded=sorted(progress.excluded),
    )
    return data


def _answer_json(a: AnswerRecord) -> dict[str, Any]:
    data = {"id": a.id, "question": a.question, "at": a.at, "mode": a.mode,
            "session": a.session, "given": list(a.given), "correct": a.correct,
            "seconds": a.seconds}
    if a.confidence is not None:
        data["confidence"] = a.confidence
    return data


def memory_to_json(m: Memory) -> dict[str, Any]:
    return {"state": m.state, "step": m.step, "stability": m.stability,
            "difficulty": m.difficulty, "due": iso(m.due),
            "last_review": None if m.last_review is None else iso(m.last_review)}


def memory_from_json(data: dict[str, Any]) -> Memory:
    state = data["state"]
    if state not in ("learning", "review", "relearning"):
        raise ValueError(f"unknown memory state {state!r}")
    return Memory(state=state, step=_optional(data.get("step"), int),
                  stability=_optional(data.get("stability"), float),
                  difficulty=_optional(data.get("difficulty"), float),
                  due=parse_time(data["due"]),
                  last_review=_optional(data.get("last_review"), parse_time))


def _optional(value: Any, convert: Callable) -> Any:
    return None if value is None else convert(value)


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the mock exam in progress and the finished mock exams."""
    return {**data, "schema_version": 2, "exam_in_progress": None, "mock_exams": []}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds spaced repetition: settings, the FSRS schedule and its review log.

    Questions answered before the upgrade are not forgotten: their answers are replayed,
    oldest first, as FSRS reviews (wrong = Again, right = Good, slow = Hard).
    """
    progress = Progress()
    for a in sorted(data.get("answers", []), key=lambda a: str(a["at"])):
        seconds = a.get("seconds")
        rating = rating_for_answer(bool(a["correct"]), None if seconds is None else float(seconds))
        progress = _reviewed(progress, str(a["id"]), item_key("question", str(a["question"])),
                             rating, parse_time(str(a["at"])), str(a["mode"]),
                             None if seconds is None else float(seconds), timezone.utc,
                             fuzz=False)
    replayed = to_json(progress)
    return {**data, "schema_version": 3,
            "settings": {"exam_date": None, "retention": DEFAULT_RETENTION},
            "schedule": replayed["schedule"], "reviews": replayed["reviews"]}


# Each entry upgrades a file of schema version N to N + 1. Never edit an old one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}

KNOWN_KEYS = ("schema_version", "answers", "sessions", "exam_in_progress", "mock_exams",
              "settings", "schedule", "reviews", "excluded")


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
        try:
            data = MIGRATIONS[version](data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SchemaError(f"its version {version} records are malformed "
                              f"({exc.__class__.__name__}: {exc})") from exc
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
                         seconds=_seconds(a["seconds"]), confidence=_confidence(a.get("confidence")))
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
        raw_settings = data.get("settings") or {}
        settings = StudySettings(
            exam_date=_optional(raw_settings.get("exam_date"), date.fromisoformat),
            retention=float(raw_settings.get("retention", DEFAULT_RETENTION)),
            ask_confidence=raw_settings.get("ask_confidence") is not False)
        schedule = {str(k): memory_from_json(v) for k, v in (data.get("schedule") or {}).items()}
        reviews = tuple(
            ReviewRecord(id=str(r["id"]), item=str(r["item"]), rating=Rating(int(r["rating"])),
                         at=str(r["at"]), mode=str(r["mode"]),
                         seconds=_optional(r.get("seconds"), float),
                         previous=_optional(r.get("previous"), memory_from_json))
            for r in data.get("reviews", [])
        )
        excluded = frozenset(str(x) for x in data.get("excluded") or ())
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SchemaError(f"a record is malformed ({exc.__class__.__name__}: {exc})") from exc
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return Progress(answers, sessions, extra, exam, mock_exams, schedule, reviews, settings,
                    excluded)


def _seconds(value: Any) -> float:
    """An answer's time; null (an unknown time, which schema 1-2 files may hold) is 0."""
    return 0.0 if value is None else float(value)


def _confidence(value: Any) -> str | None:
    return value if value in ("sure", "unsure", "guess") else None


def _tuple(value: Any) -> tuple:
    if not isinstance(value, list):
        raise TypeError("'given' must be a list")
    return tuple(value)
