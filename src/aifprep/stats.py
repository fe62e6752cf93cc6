"""Study statistics computed from the progress and the bank. Pure functions."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone, tzinfo

from aifprep.bank import Bank
from aifprep.domains import DOMAINS, TASK_TITLES
from aifprep.history import FULL_LENGTH  # shorter mock exams have a trend of their own
from aifprep.progress import Progress, utc_now
from aifprep.scheduling import (
    Memory,
    day_start,
    days_left,
    due_forecast,
    end_of_day,
    item_key,
    retrievability,
)
from aifprep.views import S_ANSWERED, S_CORRECT, S_FINISHED, S_LABEL, S_MODE, S_STARTED, Snapshot, snapshot_of

WEAKEST_MIN_ANSWERS = 3  # a task needs this many answers before it can be called weak
RECENT_SESSIONS = 5


@dataclass(frozen=True)
class DomainStats:
    number: int
    slug: str
    name: str
    weight: float
    answered: int
    correct: int
    seen: int  # distinct questions answered at least once
    known: int  # distinct questions whose latest answer was right
    total: int  # questions in the bank

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class TaskStats:
    task: str
    title: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class SessionSummary:
    id: str
    mode: str
    started: str
    finished: str | None
    label: str
    answered: int
    correct: int


@dataclass(frozen=True)
class MockExamSummary:
    id: str
    started: str
    finished: str
    scaled: int
    passed: bool
    correct: int
    total: int
    domains: dict[str, tuple[int, int]]  # slug -> (correct, total)
    full_length: bool = True  # as many questions as the real exam (65)


@dataclass(frozen=True)
class RepetitionStats:
    """Spaced-repetition figures for one kind of item (flashcards or questions)."""

    total: int
    new: int  # never reviewed
    learning: int  # in FSRS learning or relearning steps
    review: int  # learned: in FSRS review state
    due_now: int
    due_today: int  # by the end of the local day
    due_week: int  # by the end of the seventh local day
    reviews: int  # reviews logged
    retention: float | None  # share of reviews rated Good or Easy
    recall_seen: float | None  # mean predicted recall at `recall_at` over reviewed items
    recall_all: float | None  # the same over every item, unseen ones counting as 0
    forecast: tuple[tuple[str, int], ...]  # (local date, items due) for the next 14 days


@dataclass(frozen=True)
class Stats:
    answered: int
    correct: int
    seen: int
    total: int
    readiness: float  # share of the bank answered right at the latest try, exam-weighted
    domains: tuple[DomainStats, ...]
    weakest_tasks: tuple[TaskStats, ...]
    sessions: tuple[SessionSummary, ...]
    mock_exams: tuple[MockExamSummary, ...] = ()  # oldest first
    flashcards: RepetitionStats | None = None
    question_reviews: RepetitionStats | None = None
    exam_date: str | None = None
    days_left: int | None = None
    desired_retention: float = 0.9
    recall_at: str = ""  # when the predicted recall is for: the exam day, or now

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def score_trend(self) -> tuple[int, ...]:
        """The estimated scaled scores of the full-length mock exams, oldest first (short
        exams are a trend of their own: `short_trend`)."""
        return tuple(m.scaled for m in self.mock_exams if m.full_length)

    @property
    def score_change(self) -> int | None:
        """The latest full-length mock exam's score minus the one before it."""
        return _change(self.score_trend)

    @property
    def short_trend(self) -> tuple[int, ...]:
        """The estimated scaled scores of the shorter mock exams, oldest first."""
        return tuple(m.scaled for m in self.mock_exams if not m.full_length)


def _change(trend: tuple[int, ...]) -> int | None:
    return trend[-1] - trend[-2] if len(trend) >= 2 else None


def repetition_stats(keys: list[str], progress: Progress | Snapshot, now: datetime, tz: tzinfo,
                     recall_at: datetime) -> RepetitionStats:
    """Where the given items stand in spaced repetition."""
    snap = snapshot_of(progress)
    schedule = snap.schedule
    memories: list[Memory] = [schedule[k] for k in keys if k in schedule]
    reviews, good = snap.views.item_reviews(keys)
    today_end, week_end = end_of_day(now, tz), end_of_day(now, tz, 6)
    recalls = [retrievability(m, recall_at) for m in memories]
    return RepetitionStats(
        total=len(keys),
        new=len(keys) - len(memories),
        learning=sum(1 for m in memories if not m.learned),
        review=sum(1 for m in memories if m.learned),
        due_now=sum(1 for m in memories if m.due <= now),
        due_today=sum(1 for m in memories if m.due < today_end),
        due_week=sum(1 for m in memories if m.due < week_end),
        reviews=reviews,
        retention=good / reviews if reviews else None,
        recall_seen=sum(recalls) / len(recalls) if recalls else None,
        recall_all=sum(recalls) / len(keys) if keys else None,
        forecast=tuple((day.isoformat(), n) for day, n in
                       due_forecast((m.due for m in memories), now, tz)),
    )


def summarize(progress: Progress | Snapshot, bank: Bank, now: datetime | None = None,
              tz: tzinfo = timezone.utc) -> Stats:
    """Everything `aifprep stats` shows (`now` and `tz` fix the clock for tests).

    Reads only the snapshot's views and schedule, never the whole history."""
    now = now or utc_now()
    snap = snapshot_of(progress)
    views = snap.views
    settings = snap.settings
    left = days_left(settings, now, tz)
    exam_start = day_start(settings.exam_date, tz) if settings.exam_date else None
    recall_at = exam_start if exam_start is not None and exam_start > now else now
    card_keys = [item_key("card", c.id) for c in bank.cards]
    question_keys = [item_key("question", q.id) for q in bank.questions]
    history = views.question_history()

    def domain_of(qid: str) -> str | None:
        q = bank.by_id.get(qid)  # None: a retired question or a pack not loaded now
        return None if q is None else q.domain

    def task_of(qid: str) -> str | None:
        q = bank.by_id.get(qid)
        return None if q is None else q.task

    per_domain = views.by_group(domain_of)
    per_task = views.by_group(task_of)

    domains = []
    for d in DOMAINS:
        ids = [q.id for q in bank.in_domain(d.slug)]
        answered, correct = per_domain.get(d.slug, (0, 0))
        domains.append(DomainStats(
            d.number, d.slug, d.name, d.weight, answered, correct,
            seen=sum(1 for i in ids if i in history),
            known=sum(1 for i in ids if i in history and history[i].last_correct),
            total=len(ids),
        ))
    readiness = sum(d.weight * d.known / d.total for d in domains if d.total)
    weight_with_questions = sum(d.weight for d in domains if d.total)
    readiness = readiness / weight_with_questions if weight_with_questions else 0.0

    tasks = [TaskStats(t, TASK_TITLES.get(t, ""), n, c)
             for t, (n, c) in per_task.items() if n >= WEAKEST_MIN_ANSWERS]
    weakest = sorted(tasks, key=lambda t: (t.accuracy, -t.answered, t.task))[:3]

    sessions = [
        SessionSummary(sid, s[S_MODE], s[S_STARTED], s[S_FINISHED], s[S_LABEL], s[S_ANSWERED],
                       s[S_CORRECT])
        for sid, s in views.recent_sessions(RECENT_SESSIONS)
    ]

    return Stats(
        answered=views.answered,
        correct=views.correct,
        seen=sum(d.seen for d in domains),
        total=len(bank.questions),
        readiness=readiness,
        domains=tuple(domains),
        weakest_tasks=tuple(weakest),
        sessions=tuple(sessions),
        mock_exams=tuple(
            MockExamSummary(m["id"], m["started"], m["finished"], m["scaled"], m["passed"],
                            m["correct"], m["total"],
                            {slug: (c, t) for slug, (c, t) in m["domains"].items()},
                            m["total"] >= FULL_LENGTH)
            for m in sorted(views.mock_exams, key=lambda m: m["finished"])
        ),
        flashcards=repetition_stats(card_keys, snap, now, tz, recall_at),
        question_reviews=repetition_stats(question_keys, snap, now, tz, recall_at),
        exam_date=None if settings.exam_date is None else settings.exam_date.isoformat(),
        days_left=left,
        desired_retention=settings.retention,
        recall_at="exam day" if recall_at != now else "now",
    )


def repetition_json(r: RepetitionStats) -> dict:
    return {
        "total": r.total, "new": r.new, "learning": r.learning, "review": r.review,
        "due_now": r.due_now, "due_today": r.due_today, "due_week": r.due_week,
        "reviews": r.reviews, "retention": _round(r.retention),
        "predicted_recall": {"studied": _round(r.recall_seen), "all": _round(r.recall_all)},
        "forecast": [{"date": day, "due": n} for day, n in r.forecast],
    }


def stats_json(stats: Stats) -> dict:
    """The data of `aifprep stats --json`."""
    return {
        "answered": stats.answered,
        "correct": stats.correct,
        "accuracy": _round(stats.accuracy),
        "seen": stats.seen,
        "total": stats.total,
        "readiness": round(stats.readiness, 4),
        "domains": {
            d.slug: {"number": d.number, "name": d.name, "weight": d.weight,
                     "answered": d.answered, "correct": d.correct, "accuracy": _round(d.accuracy),
                     "seen": d.seen, "known": d.known, "total": d.total}
            for d in stats.domains
        },
        "weakest_tasks": [
            {"task": t.task, "title": t.title, "answered": t.answered, "correct": t.correct,
             "accuracy": _round(t.accuracy)}
            for t in stats.weakest_tasks
        ],
        "sessions": [asdict(s) for s in stats.sessions],
        "mock_exams": [
            {"started": m.started, "finished": m.finished, "scaled": m.scaled,
             "passed": m.passed, "correct": m.correct, "total": m.total,
             "full_length": m.full_length,
             "domains": {slug: {"correct": c, "total": t} for slug, (c, t) in m.domains.items()}}
            for m in stats.mock_exams
        ],
        "mock_exam_trend": {"full_length": _trend_json(stats.score_trend),
                            "short": _trend_json(stats.short_trend)},
        "exam_date": stats.exam_date,
        "days_left": stats.days_left,
        "desired_retention": stats.desired_retention,
        "predicted_recall_at": stats.recall_at,
        "flashcards": None if stats.flashcards is None else repetition_json(stats.flashcards),
        "question_reviews": (None if stats.question_reviews is None
                             else repetition_json(stats.question_reviews)),
    }


def _trend_json(trend: tuple[int, ...]) -> dict:
    return {"scores": list(trend), "latest": trend[-1] if trend else None,
            "best": max(trend) if trend else None, "change": _change(trend)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
