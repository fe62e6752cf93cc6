"""The journal's records: one JSON object per line of `journal.jsonl`. Pure: no file I/O.

The journal is the study history, append-only. Every line is one record, a JSON object
with a `type`; a line is whole or ignored (`store.py` sets torn and unreadable lines
aside). One user action is one line, so it lands whole or not at all: an action that
makes several records (a quiz answer and its FSRS review; a finished mock exam with its
answers) writes them as one `batch` line.

Record types (format 1). Times are ISO 8601 UTC strings as written by `progress.iso`;
`memory` is `progress.memory_to_json`; fields not listed are kept and ignored. Every line
read back is checked field by field first (`sanity.record`: types, ranges, times, lengths);
one that fails never reaches the code below (the store sets it aside).

| type | fields | meaning |
|---|---|---|
| `journal` | format, id, created, from? | the first line: `id` changes whenever the file is replaced |
| `answer` | id, question, at, mode, session, given, correct, seconds, confidence? | an answer (`AnswerRecord`) |
| `review` | id, item, rating, at, mode, seconds, previous, after | an FSRS review: memory before and after |
| `rerate` | review, item, rating, was, after | a review's rating changed (`u` after a right answer) |
| `session` | id, mode, started, label, finished? | a quiz, flashcard or mock-exam sitting began |
| `session-finished` | session, at, label? | it ended (`label` replaces the old one, e.g. "(abandoned)") |
| `mock-exam` | `exam.mock_exam_to_json` fields | a finished mock exam (its answers are `answer` records) |
| `settings` | exam_date, retention, ask_confidence | the study settings, whole |
| `schedule` | items: {item key: memory or null} | memories set outright (exam date cap, imports, replays) |
| `exclude` / `include` | session | a session or mock exam marked as a practice run, or no longer |
| `extra` | data | keys of a newer progress file, kept as they were |
| `batch` | records: [record, ...] | several records written as one action |

A change that removes or rewrites history (undo, delete, repair, reset, restore) is not
expressed as records: `store.update` then writes a new journal (`progress_records` of the
new history, with a new id). Later types: a reader ignores a type it does not know
(`Replay.unknown` counts them), so old and new versions share a journal.
The record ids of answers and reviews are unique: a quiz answer's review has the answer's id.

Three consumers fold records forward: `Replay` here builds the full `Progress` (rare
commands: history, export, merge); `views.Snapshot.fold` keeps the small state and the
derived views that the hot paths need. Actions (`answer_action`, ...) are pure functions of
the current `Snapshot` returning the record to append; the store runs them under its lock on
the freshest snapshot, so two terminals never schedule from a stale memory.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from aifprep.exam import MockExamRecord, mock_exam_from_json, mock_exam_to_json
from aifprep.progress import (
    AnswerRecord,
    Progress,
    ReviewRecord,
    SessionRecord,
    _confidence,
    _seconds,
    _tuple,
    iso,
    memory_from_json,
    memory_to_json,
    parse_time,
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

if TYPE_CHECKING:
    from aifprep.views import Snapshot

FORMAT = 1
Record = dict[str, Any]
Action = Callable[["Snapshot"], "Record | None"]  # None: nothing to record


class RecordError(ValueError):
    """A line that is JSON but not a record this version can read."""


# --- model values as records ----------------------------------------------------------------

def header(journal_id: str, created: datetime, source: dict | None = None) -> Record:
    record: Record = {"type": "journal", "format": FORMAT, "id": journal_id, "created": iso(created)}
    if source:
        record["from"] = source
    return record


def answer_record(a: AnswerRecord) -> Record:
    record = {"type": "answer", "id": a.id, "question": a.question, "at": a.at, "mode": a.mode,
              "session": a.session, "given": list(a.given), "correct": a.correct,
              "seconds": a.seconds}
    if a.confidence is not None:
        record["confidence"] = a.confidence
    return record


def review_record(r: ReviewRecord, after: Memory | dict | None) -> Record:
    return {"type": "review", "id": r.id, "item": r.item, "rating": int(r.rating), "at": r.at,
            "mode": r.mode, "seconds": r.seconds,
            "previous": None if r.previous is None else memory_to_json(r.previous),
            "after": after if after is None or isinstance(after, dict) else memory_to_json(after)}


def session_record(s: SessionRecord) -> Record:
    return {"type": "session", "id": s.id, "mode": s.mode, "started": s.started,
            "label": s.label, "finished": s.finished}


def settings_record(settings: StudySettings) -> Record:
    return {"type": "settings",
            "exam_date": None if settings.exam_date is None else settings.exam_date.isoformat(),
            "retention": settings.retention, "ask_confidence": settings.ask_confidence}


def mock_exam_record(m: MockExamRecord) -> Record:
    return {"type": "mock-exam", **mock_exam_to_json(m)}


def batch(records: list[Record]) -> Record | None:
    """One line for several records (None for none, the record itself for one)."""
    if not records:
        return None
    return records[0] if len(records) == 1 else {"type": "batch", "records": records}


def flatten(record: Record) -> Iterator[Record]:
    """The records of a line, batches unpacked."""
    if record.get("type") == "batch":
        for inner in record["records"]:
            yield from flatten(inner)
    else:
        yield record


def answer_from(r: Record) -> AnswerRecord:
    return AnswerRecord(id=str(r["id"]), question=str(r["question"]), at=str(r["at"]),
                        mode=str(r["mode"]), session=str(r["session"]), given=_tuple(r["given"]),
                        correct=bool(r["correct"]), seconds=_seconds(r["seconds"]),
                        confidence=_confidence(r.get("confidence")))


def review_from(r: Record) -> ReviewRecord:
    seconds, previous = r.get("seconds"), r.get("previous")
    return ReviewRecord(id=str(r["id"]), item=str(r["item"]), rating=Rating(int(r["rating"])),
                        at=str(r["at"]), mode=str(r["mode"]),
                        seconds=None if seconds is None else float(seconds),
                        previous=None if previous is None else memory_from_json(previous))


def session_from(r: Record) -> SessionRecord:
    return SessionRecord(id=str(r["id"]), mode=str(r["mode"]), started=str(r["started"]),
                         finished=r.get("finished"), label=str(r.get("label", "")))


def settings_from(r: Record) -> StudySettings:
    exam_date = r.get("exam_date")
    return StudySettings(exam_date=None if exam_date is None else date.fromisoformat(exam_date),
                         retention=float(r.get("retention", DEFAULT_RETENTION)),
                         ask_confidence=r.get("ask_confidence") is not False)


# --- a whole Progress as records (migration, export) -----------------------------------------

def progress_records(progress: Progress) -> list[Record]:
    """Records that replay to `progress` (except the exam in progress, which is not history).

    Each review's `after` is the memory before the item's next review, or its memory in the
    schedule for its latest review; a final `schedule` record pins the schedule exactly.
    """
    out: list[Record] = [{"type": "exclude", "session": s} for s in sorted(progress.excluded)]
    if progress.extra:  # (exclusions first: the views then leave practice runs out at once)
        out.append({"type": "extra", "data": dict(progress.extra)})
    if progress.settings != StudySettings():
        out.append(settings_record(progress.settings))
    out += [session_record(s) for s in progress.sessions]
    out += [answer_record(a) for a in progress.answers]
    out += _reviews_with_after(progress.reviews, progress.schedule)
    out += [mock_exam_record(m) for m in progress.mock_exams]
    if progress.schedule:
        out.append({"type": "schedule",
                    "items": {k: memory_to_json(m) for k, m in sorted(progress.schedule.items())}})
    return out


def _reviews_with_after(reviews: Iterable[ReviewRecord], schedule: dict[str, Memory]) -> list[Record]:
    reviews = list(reviews)
    after: dict[int, Memory | None] = {}
    latest: dict[str, int] = {}
    for n, r in enumerate(reviews):
        if r.item in latest:
            after[latest[r.item]] = r.previous
        latest[r.item] = n
    for item, n in latest.items():
        after[n] = schedule.get(item)
    return [review_record(r, after[n]) for n, r in enumerate(reviews)]


# --- replaying records into a Progress (full loads) ------------------------------------------

class Replay:
    """Fold records, oldest first, into a `Progress`. Ids already seen are skipped, so a
    record appended twice counts once. Malformed known records raise `RecordError`."""

    def __init__(self) -> None:
        self.answers: list[AnswerRecord] = []
        self.sessions: list[SessionRecord] = []
        self.reviews: list[ReviewRecord] = []
        self.mock_exams: list[MockExamRecord] = []
        self.schedule: dict[str, dict] = {}  # raw memories, parsed once at the end
        self.settings = StudySettings()
        self.extra: dict[str, Any] = {}
        self.excluded: set[str] = set()
        self.unknown = 0  # records of types this version does not know
        self._ids: dict[str, set[str]] = {"answer": set(), "review": set(), "mock-exam": set()}
        self._session_at: dict[str, int] = {}
        self._review_at: dict[str, int] = {}

    def add(self, record: Record) -> None:
        try:
            for r in flatten(record):
                self._add(r)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RecordError(f"{exc.__class__.__name__}: {exc}") from exc

    def _add(self, r: Record) -> None:
        kind = r["type"]
        if kind == "answer":
            if self._seen("answer", r["id"]):
                return
            self.answers.append(answer_from(r))
        elif kind == "review":
            if self._seen("review", r["id"]):
                return
            self._review_at[r["id"]] = len(self.reviews)
            self.reviews.append(review_from(r))
            if r.get("after") is not None:
                self.schedule[r["item"]] = r["after"]
        elif kind == "rerate":
            n = self._review_at.get(r["review"])
            if n is not None:
                self.reviews[n] = replace(self.reviews[n], rating=Rating(int(r["rating"])))
            if r.get("after") is not None:
                self.schedule[r["item"]] = r["after"]
        elif kind == "session":
            if r["id"] not in self._session_at:
                self._session_at[r["id"]] = len(self.sessions)
                self.sessions.append(session_from(r))
        elif kind == "session-finished":
            n = self._session_at.get(r["session"])
            if n is not None:
                s = self.sessions[n]
                self.sessions[n] = replace(s, finished=s.finished or r.get("at"),
                                           label=str(r.get("label", s.label)))
        elif kind == "mock-exam":
            if not self._seen("mock-exam", r["id"]):
                self.mock_exams.append(mock_exam_from_json(r))
        elif kind == "settings":
            self.settings = settings_from(r)
        elif kind == "schedule":
            for key, memory in r["items"].items():
                if memory is None:
                    self.schedule.pop(key, None)
                else:
                    self.schedule[key] = memory
        elif kind == "extra":
            self.extra = dict(r["data"])
        elif kind == "exclude":
            self.excluded.add(str(r["session"]))
        elif kind == "include":
            self.excluded.discard(str(r["session"]))
        elif kind == "journal":
            pass
        else:
            self.unknown += 1

    def _seen(self, kind: str, record_id: str) -> bool:
        ids = self._ids[kind]
        if record_id in ids:
            return True
        ids.add(record_id)
        return False

    def progress(self, exam=None) -> Progress:
        schedule = {k: memory_from_json(m) for k, m in self.schedule.items()}
        return Progress(tuple(self.answers), tuple(self.sessions), dict(self.extra), exam,
                        tuple(self.mock_exams), schedule, tuple(self.reviews), self.settings,
                        frozenset(self.excluded))


def replay(records: Iterable[Record], exam=None) -> Progress:
    r = Replay()
    for record in records:
        r.add(record)
    return r.progress(exam)


# --- what a Change did, as records (the generic, slow path) ----------------------------------

class NotAppendOnly(ValueError):
    """A change removed history; removing is done with the history records instead."""


def diff_records(before: Progress, after: Progress) -> list[Record]:
    """The records that turn `before` into `after` when folded (exam in progress excluded)."""
    out: list[Record] = []
    if after.settings != before.settings:
        out.append(settings_record(after.settings))
    old_sessions = {s.id: s for s in before.sessions}
    before_sessions = dict(old_sessions)
    finished: list[Record] = []
    for s in after.sessions:
        old = old_sessions.pop(s.id, None)
        if old is None:
            out.append(session_record(s))
        elif old != s:
            finished.append({"type": "session-finished", "session": s.id,
                             "at": s.finished, "label": s.label})
    old_answers = {a.id for a in before.answers}
    new_answers = [a for a in after.answers if a.id not in old_answers]
    old_reviews = {r.id: r for r in before.reviews}
    new_reviews = [r for r in after.reviews if r.id not in old_reviews]
    old_exams = {m.id: m for m in before.mock_exams}
    kept_answers = {a.id: a for a in before.answers}
    if (old_sessions or not _prefix(before.answers, after.answers)
            or not _prefix(before.reviews, after.reviews)
            or not _prefix(before.sessions, after.sessions)
            or not _prefix(before.mock_exams, after.mock_exams)
            or len(after.answers) - len(new_answers) != len(before.answers)
            or len(after.reviews) - len(new_reviews) != len(before.reviews)
            or any(kept_answers[a.id] != a for a in after.answers if a.id in kept_answers)
            or any(replace(old_reviews[r.id], rating=r.rating) != r
                   for r in after.reviews if r.id in old_reviews)
            or any(old_exams[m.id] != m for m in after.mock_exams if m.id in old_exams)
            or len({m.id for m in after.mock_exams} & set(old_exams)) != len(old_exams)
            or any((s.mode, s.started) != (before_sessions[s.id].mode, before_sessions[s.id].started)
                   or (before_sessions[s.id].finished or s.finished) != s.finished
                   for s in after.sessions if s.id in before_sessions)):
        raise NotAppendOnly("a change may only add to the history")
    out += [{"type": "exclude", "session": s} for s in sorted(after.excluded - before.excluded)]
    out += [{"type": "include", "session": s} for s in sorted(before.excluded - after.excluded)]
    out += [answer_record(a) for a in new_answers]
    # the schedule as folding the new reviews would leave it; what still differs is pinned
    folded = dict(before.schedule)
    reviews = _reviews_with_after(new_reviews, after.schedule)
    for record in reviews:
        if record["after"] is not None:
            folded[record["item"]] = memory_from_json(record["after"])
    out += reviews
    for r in after.reviews:
        old = old_reviews.get(r.id)
        if old is not None and old.rating != r.rating:
            memory = after.schedule.get(r.item)
            out.append({"type": "rerate", "review": r.id, "item": r.item, "rating": int(r.rating),
                        "was": int(old.rating),
                        "after": None if memory is None else memory_to_json(memory)})
            if memory is not None:
                folded[r.item] = memory
    out += [mock_exam_record(m) for m in after.mock_exams if m.id not in old_exams]
    out += finished
    pinned = {k: memory_to_json(m) for k, m in after.schedule.items() if folded.get(k) != m}
    pinned.update({k: None for k in folded if k not in after.schedule})
    if pinned:
        out.append({"type": "schedule", "items": pinned})
    if after.extra != before.extra:
        out.append({"type": "extra", "data": dict(after.extra)})
    return out


def _prefix(before: tuple, after: tuple) -> bool:
    """Whether `after` keeps `before`'s records, by id, first and in order."""
    return len(after) >= len(before) and all(a.id == b.id for a, b in zip(after, before))


# --- actions: what the hot paths record -------------------------------------------------------

def _review(snapshot: "Snapshot", review_id: str, key: str, rating: Rating, when: datetime,
            mode: str, seconds: float | None, tz: tzinfo, fuzz: bool) -> Record:
    before = snapshot.memory(key)
    after = review(key, before, rating, when, snapshot.settings, tz, fuzz)
    return review_record(ReviewRecord(review_id, key, rating, iso(when), mode, seconds, before),
                         after)


def session_action(session: SessionRecord) -> Action:
    """Open a session (a quiz, a flashcard sitting, a mock exam)."""
    return lambda snapshot: session_record(session)


def finish_session_action(session_id: str, when: datetime, label: str | None = None) -> Action:
    """Close a session (`label` replaces its label, e.g. to say it was abandoned)."""

    def action(snapshot: "Snapshot") -> Record:
        record: Record = {"type": "session-finished", "session": session_id, "at": iso(when)}
        if label is not None:
            record["label"] = label
        return record

    return action


def answer_action(answer: AnswerRecord, rating: Rating, tz: tzinfo = timezone.utc,
                  fuzz: bool = True) -> Action:
    """A quiz answer and the FSRS review of its question (same id), as one line."""

    def action(snapshot: "Snapshot") -> Record:
        return batch([answer_record(answer),
                      _review(snapshot, answer.id, item_key("question", answer.question), rating,
                              parse_time(answer.at), answer.mode, answer.seconds, tz, fuzz)])

    return action


def review_action(review_id: str, key: str, rating: Rating, when: datetime, mode: str,
                  seconds: float | None, tz: tzinfo = timezone.utc, fuzz: bool = True) -> Action:
    """One FSRS review of an item (a flashcard rating)."""
    return lambda snapshot: _review(snapshot, review_id, key, rating, when, mode, seconds, tz, fuzz)


def rerate_action(review_id: str, rating: Rating, tz: tzinfo = timezone.utc,
                  fuzz: bool = True) -> Action:
    """Change a review's rating if it is still the latest review of its item."""

    def action(snapshot: "Snapshot") -> Record | None:
        old = snapshot.latest_review(review_id)
        if old is None or int(old["rating"]) == int(rating):
            return None
        previous = None if old["previous"] is None else memory_from_json(old["previous"])
        after = review(old["item"], previous, rating, parse_time(old["at"]), snapshot.settings,
                       tz, fuzz)
        return {"type": "rerate", "review": review_id, "item": old["item"],
                "rating": int(rating), "was": int(old["rating"]), "after": memory_to_json(after)}

    return action


def settings_action(exam_date: date | None | str = "keep", retention: float | None = None,
                    now: datetime | None = None, tz: tzinfo = timezone.utc,
                    ask_confidence: bool | None = None) -> Action:
    """New settings; with an exam date, memories due after it are brought forward to it."""

    def action(snapshot: "Snapshot") -> Record | None:
        settings = snapshot.settings
        if exam_date != "keep":
            settings = replace(settings, exam_date=exam_date)
        if retention is not None:
            settings = replace(settings, retention=retention)
        if ask_confidence is not None:
            settings = replace(settings, ask_confidence=ask_confidence)
        records = [settings_record(settings)]
        cap = exam_cap(settings, now or datetime.now(timezone.utc), tz) \
            if exam_date not in ("keep", None) else None
        if cap is not None:
            moved = {k: memory_to_json(replace(m, due=cap))
                     for k, m in snapshot.schedule.items() if m.due > cap}
            if moved:
                records.append({"type": "schedule", "items": moved})
        return batch(records)

    return action


def finish_exam_action(record: MockExamRecord, answers: tuple[AnswerRecord, ...],
                       tz: tzinfo = timezone.utc, fuzz: bool = True) -> Action:
    """A finished mock exam, its session closed, and each answer with its FSRS review
    (unanswered = Again), as one line. Recorded once, however often it is applied."""

    def action(snapshot: "Snapshot") -> Record | None:
        if snapshot.views.has_mock_exam(record.id):
            return None
        records = [mock_exam_record(record),
                   {"type": "session-finished", "session": record.id, "at": record.finished}]
        memories: dict[str, Memory | None] = {}
        for a in answers:
            key = item_key("question", a.question)
            before = memories[key] if key in memories else snapshot.memory(key)
            rating = rating_for_answer(a.correct, a.seconds)
            after = review(key, before, rating, parse_time(a.at), snapshot.settings, tz, fuzz)
            memories[key] = after
            records.append(answer_record(a))
            records.append(review_record(
                ReviewRecord(a.id, key, rating, a.at, a.mode, a.seconds, before), after))
        return batch(records)

    return action
