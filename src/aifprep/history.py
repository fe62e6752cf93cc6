"""The candidate's history as theirs to edit: undo, practice runs, deletion, repair, merge.

Pure functions `Progress -> Progress` (or with a description of what they did). Wherever
reviews are removed or added, the FSRS schedule of the items concerned is rebuilt by
replaying their remaining reviews in time order, so the state is as if the removed ones
never happened (replays run without interval fuzz, so they are deterministic).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timezone, tzinfo
from typing import Iterable

from aifprep.progress import (
    AnswerRecord,
    Progress,
    ReviewRecord,
    SessionRecord,
    parse_time,
)
from aifprep.scheduling import Memory, StudySettings, review


class HistoryError(ValueError):
    """A history change that cannot be made (nothing to undo, unknown session, ...)."""


# --- replaying the schedule ----------------------------------------------------------------

def replay(reviews: Iterable[ReviewRecord], settings: StudySettings,
           tz: tzinfo = timezone.utc) -> tuple[dict[str, Memory], tuple[ReviewRecord, ...]]:
    """The schedule that these reviews give, oldest first, and the reviews with each one's
    `previous` memory set to what the replay had before it."""
    schedule: dict[str, Memory] = {}
    out = []
    for r in sorted(reviews, key=lambda r: (r.at, r.id)):
        before = schedule.get(r.item)
        schedule[r.item] = review(r.item, before, r.rating, parse_time(r.at), settings, tz,
                                  fuzz=False)
        out.append(replace(r, previous=before))
    return schedule, tuple(out)


def _replay_items(progress: Progress, items: set[str], tz: tzinfo) -> Progress:
    """Rebuild the schedule of `items` only from their remaining reviews."""
    if not items:
        return progress
    mine = [r for r in progress.reviews if r.item in items]
    rebuilt, replayed = replay(mine, progress.settings, tz)
    by_id = {r.id: r for r in replayed}
    schedule = {k: m for k, m in progress.schedule.items() if k not in items}
    schedule.update(rebuilt)
    reviews = tuple(by_id.get(r.id, r) for r in progress.reviews)
    return replace(progress, schedule=schedule, reviews=reviews)


def _without(progress: Progress, answer_ids: set[str], review_ids: set[str],
             tz: tzinfo) -> Progress:
    touched = {r.item for r in progress.reviews if r.id in review_ids}
    progress = replace(
        progress,
        answers=tuple(a for a in progress.answers if a.id not in answer_ids),
        reviews=tuple(r for r in progress.reviews if r.id not in review_ids))
    return _replay_items(progress, touched, tz)


# --- phantom answers -----------------------------------------------------------------------

def phantom_answers(progress: Progress) -> list[AnswerRecord]:
    """Mock-exam answers with no response: questions left unanswered, recorded as wrong
    answers by aifprep before 0.5 (they were never answers)."""
    return [a for a in progress.answers if a.mode == "mock-exam" and not a.given]


def repair_phantoms(progress: Progress, tz: tzinfo = timezone.utc) -> tuple[Progress, int]:
    """Remove phantom answers and their reviews, replaying the schedule of their questions."""
    phantoms = {a.id for a in phantom_answers(progress)}
    if not phantoms:
        return progress, 0
    return _without(progress, phantoms, phantoms, tz), len(phantoms)


# --- undo ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Undone:
    kind: str  # "answer" or "rating"
    item: str  # question or card id
    at: str
    detail: str  # e.g. "answered wrong in a quiz", "rated Good"


def undo_last(progress: Progress, tz: tzinfo = timezone.utc) -> tuple[Progress, Undone]:
    """Take back the most recent quiz answer or flashcard rating (and its review).

    Mock-exam answers are not taken back one by one (the exam's score would no longer
    match its answers): remove the whole exam from history instead.
    """
    latest_answer = max(progress.answers, key=lambda a: (a.at, a.id), default=None)
    latest_review = max(progress.reviews, key=lambda r: (r.at, r.id), default=None)
    if latest_answer is None and latest_review is None:
        raise HistoryError("there is nothing to undo yet")
    answer_first = latest_answer is not None and (
        latest_review is None or (latest_answer.at, latest_answer.id) >= (latest_review.at, latest_review.id)
        or latest_review.id == latest_answer.id)
    if answer_first:
        a = latest_answer
        if a.mode == "mock-exam":
            raise HistoryError("the most recent answer belongs to a finished mock exam; "
                               "remove the whole exam with: aifprep history delete N "
                               "(see aifprep history)")
        ids = {a.id}
        done = Undone("answer", a.question, a.at,
                      f"answered {'right' if a.correct else 'wrong'} in a {a.mode}")
        return _undo(progress, ids, ids, tz), done
    r = latest_review
    if r.mode == "mock-exam":
        raise HistoryError("the most recent review belongs to a finished mock exam; remove "
                           "the whole exam with: aifprep history delete N")
    kind, _, item = r.item.partition(":")
    done = Undone("rating" if kind == "card" else "answer", item, r.at,
                  f"rated {r.rating.label}" + (" in flashcards" if kind == "card" else ""))
    answer_ids = {r.id} if any(a.id == r.id for a in progress.answers) else set()
    return _undo(progress, answer_ids, {r.id}, tz), done


def _undo(progress: Progress, answer_ids: set[str], review_ids: set[str], tz: tzinfo) -> Progress:
    """The latest review of an item is undone exactly by restoring its `previous` memory."""
    target = next((r for r in progress.reviews if r.id in review_ids), None)
    progress = replace(
        progress,
        answers=tuple(a for a in progress.answers if a.id not in answer_ids),
        reviews=tuple(r for r in progress.reviews if r.id not in review_ids))
    if target is None:
        return progress
    schedule = dict(progress.schedule)
    if target.previous is None:
        schedule.pop(target.item, None)
    else:
        schedule[target.item] = target.previous
    return replace(progress, schedule=schedule)


# --- sessions and exams: list, exclude, include, delete -------------------------------------

@dataclass(frozen=True)
class HistoryEntry:
    number: int  # 1 = oldest; what `history exclude N` takes
    id: str
    mode: str  # "quiz", "mock-exam", "flashcards", ...
    started: str
    finished: str | None
    label: str
    questions: int  # answers given (for a mock exam: questions on the exam)
    correct: int
    scaled: int | None  # mock exams only
    passed: bool | None
    seconds: float  # time used
    full_length: bool
    excluded: bool


FULL_LENGTH = 65


def entries(progress: Progress) -> list[HistoryEntry]:
    """Every session and finished mock exam, oldest first, numbered from 1."""
    exams = {m.id: m for m in progress.mock_exams}
    tally: dict[str, list[float]] = {}
    for a in progress.answers:
        t = tally.setdefault(a.session, [0, 0, 0.0])
        t[0] += 1
        t[1] += int(a.correct)
        t[2] += a.seconds or 0.0
    out = []
    sessions = sorted(progress.sessions, key=lambda s: (s.started, s.id))
    for n, s in enumerate(sessions, 1):
        m = exams.get(s.id)
        answered, right, seconds = tally.get(s.id, [0, 0, 0.0])
        if m is not None:
            out.append(HistoryEntry(n, s.id, s.mode, s.started, s.finished, s.label, m.total,
                                    m.correct, m.scaled, m.passed, m.elapsed,
                                    m.total >= FULL_LENGTH, s.id in progress.excluded))
        else:
            out.append(HistoryEntry(n, s.id, s.mode, s.started, s.finished, s.label,
                                    int(answered), int(right), None, None, seconds,
                                    False, s.id in progress.excluded))
    return out


def entry(progress: Progress, number: int) -> HistoryEntry:
    found = entries(progress)
    if not 1 <= number <= len(found):
        raise HistoryError(f"there is no history entry {number}; 'aifprep history' lists "
                           f"{len(found)}" if found else "your history is empty")
    return found[number - 1]


def exclude(progress: Progress, session_id: str) -> Progress:
    """Mark a session or exam as practice: kept, but out of the trend, forecast and stats."""
    return replace(progress, excluded=progress.excluded | {session_id})


def include(progress: Progress, session_id: str) -> Progress:
    return replace(progress, excluded=progress.excluded - {session_id})


def delete_session(progress: Progress, session_id: str, tz: tzinfo = timezone.utc) -> Progress:
    """Remove a session or exam with its answers and reviews, as if it never happened."""
    answer_ids = {a.id for a in progress.answers if a.session == session_id}
    progress = replace(
        progress,
        sessions=tuple(s for s in progress.sessions if s.id != session_id),
        mock_exams=tuple(m for m in progress.mock_exams if m.id != session_id),
        excluded=progress.excluded - {session_id})
    # question reviews share their answer's id; flashcard reviews carry the session in theirs
    review_ids = answer_ids | {r.id for r in progress.reviews if r.id.startswith(session_id + "-")
                               or r.id.startswith(session_id + ":")}
    return _without(progress, answer_ids, review_ids, tz)


def counted(progress: Progress) -> Progress:
    """The history that stats, the trend and the forecast count: practice runs left out.
    (A `views.Snapshot` is returned as it is: its views leave practice runs out already.)"""
    if not isinstance(progress, Progress) or not progress.excluded:
        return progress
    out = progress.excluded
    dropped = {a.id for a in progress.answers if a.session in out}
    return replace(
        progress,
        answers=tuple(a for a in progress.answers if a.session not in out),
        sessions=tuple(s for s in progress.sessions if s.id not in out),
        mock_exams=tuple(m for m in progress.mock_exams if m.id not in out),
        reviews=tuple(r for r in progress.reviews if r.id not in dropped))


# --- two machines --------------------------------------------------------------------------

def merge(mine: Progress, theirs: Progress, tz: tzinfo = timezone.utc) -> Progress:
    """Both histories in one: records unioned by id (nothing twice), the schedule rebuilt by
    replaying every review in time order, settings from the file with the latest activity.

    Commutative and idempotent: merge(a, b) == merge(b, a), merge(a, merge(a, b)) == merge(a, b).
    """
    newer = max((mine, theirs), key=lambda p: (_last_activity(p), repr(p.settings)))
    settings = newer.settings
    answers = _union(mine.answers, theirs.answers, key=lambda a: (a.at, a.id))
    sessions = _union(mine.sessions, theirs.sessions, key=lambda s: (s.started, s.id),
                      prefer=_more_finished)
    mock_exams = _union(mine.mock_exams, theirs.mock_exams, key=lambda m: (m.finished, m.id))
    reviews = _union(mine.reviews, theirs.reviews, key=lambda r: (r.at, r.id))
    schedule, reviews = replay(reviews, settings, tz)
    finished = {m.id for m in mock_exams}
    exam = min((e for e in (mine.exam, theirs.exam) if e is not None and e.id not in finished),
               key=lambda e: (e.started, e.id), default=None)
    extra = {**theirs.extra, **mine.extra} if newer is mine else {**mine.extra, **theirs.extra}
    return Progress(answers=answers, sessions=sessions, extra=extra, exam=exam,
                    mock_exams=mock_exams, schedule=schedule, reviews=reviews,
                    settings=settings, excluded=mine.excluded | theirs.excluded)


def _last_activity(progress: Progress) -> str:
    times = [a.at for a in progress.answers[-1:]] + [r.at for r in progress.reviews[-1:]] + \
        [s.started for s in progress.sessions[-1:]]
    return max(times, default="")


def _more_finished(a: SessionRecord, b: SessionRecord) -> SessionRecord:
    return a if (a.finished or "") >= (b.finished or "") else b


def _union(a: tuple, b: tuple, key, prefer=None) -> tuple:
    by_id: dict = {}
    for record in a + b:
        old = by_id.get(record.id)
        by_id[record.id] = record if old is None else (prefer(old, record) if prefer else
                                                       min(old, record, key=repr))
    return tuple(sorted(by_id.values(), key=key))


# --- starting over ---------------------------------------------------------------------------

RESET_SCOPES = ("questions", "cards", "all")


def reset(progress: Progress, scope: str) -> Progress:
    """Start over with the questions (answers, sessions, mock exams, their schedule), the
    flashcards (ratings and schedule) or both. Settings (exam date, retention) are kept."""
    if scope not in RESET_SCOPES:
        raise ValueError(f"unknown reset scope {scope!r}")
    if scope == "all":
        return Progress(settings=progress.settings)
    prefix = "question:" if scope == "questions" else "card:"
    progress = replace(
        progress,
        schedule={k: m for k, m in progress.schedule.items() if not k.startswith(prefix)},
        reviews=tuple(r for r in progress.reviews if not r.item.startswith(prefix)))
    if scope == "questions":
        progress = replace(progress, answers=(), sessions=(), mock_exams=(), exam=None,
                           excluded=frozenset())
    return progress


def last_activity(progress: Progress) -> str:
    """The UTC time of the latest answer, review or session start ("" if none)."""
    return _last_activity(progress)


def finished_exam(progress: Progress, number: int | None = None):
    """The finished mock exam with this history number, or the latest one."""
    if number is None:
        if not progress.mock_exams:
            raise HistoryError("no finished mock exam yet; sit one with: aifprep mock-exam")
        return progress.mock_exams[-1]
    found = entry(progress, number)
    record = next((m for m in progress.mock_exams if m.id == found.id), None)
    if record is None:
        what = "an unfinished or abandoned mock exam" if found.mode == "mock-exam" \
            else f"a {found.mode} session"
        raise HistoryError(f"history entry {number} is {what}, not a finished mock exam; "
                           "'aifprep history' lists them")
    return record
