"""Study statistics computed from the progress and the bank. Pure functions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from aifprep.bank import Bank
from aifprep.domains import DOMAINS, TASK_TITLES
from aifprep.progress import Progress, question_history

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

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def score_trend(self) -> tuple[int, ...]:
        """The estimated scaled scores of the mock exams, oldest first."""
        return tuple(m.scaled for m in self.mock_exams)

    @property
    def score_change(self) -> int | None:
        """The latest mock exam's score minus the one before it."""
        trend = self.score_trend
        return trend[-1] - trend[-2] if len(trend) >= 2 else None


def summarize(progress: Progress, bank: Bank) -> Stats:
    """Everything `aifprep stats` shows."""
    history = question_history(progress)
    per_domain: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_task: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in progress.answers:
        q = bank.by_id.get(a.question)
        if q is None:  # a retired question or a pack not loaded now
            continue
        for bucket in (per_domain[q.domain], per_task[q.task]):
            bucket[0] += 1
            bucket[1] += int(a.correct)

    domains = []
    for d in DOMAINS:
        ids = [q.id for q in bank.in_domain(d.slug)]
        answered, correct = per_domain[d.slug]
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

    by_session: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in progress.answers:
        by_session[a.session][0] += 1
        by_session[a.session][1] += int(a.correct)
    sessions = [
        SessionSummary(s.id, s.mode, s.started, s.finished, s.label, *by_session[s.id])
        for s in sorted(progress.sessions, key=lambda s: s.started)
    ][-RECENT_SESSIONS:]

    return Stats(
        answered=len(progress.answers),
        correct=sum(1 for a in progress.answers if a.correct),
        seen=sum(d.seen for d in domains),
        total=len(bank.questions),
        readiness=readiness,
        domains=tuple(domains),
        weakest_tasks=tuple(weakest),
        sessions=tuple(reversed(sessions)),
        mock_exams=tuple(
            MockExamSummary(m.id, m.started, m.finished, m.scaled, m.passed, m.correct,
                            m.total, dict(m.domains))
            for m in sorted(progress.mock_exams, key=lambda m: m.finished)
        ),
    )


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
             "domains": {slug: {"correct": c, "total": t} for slug, (c, t) in m.domains.items()}}
            for m in stats.mock_exams
        ],
        "mock_exam_trend": {
            "scores": list(stats.score_trend),
            "latest": stats.score_trend[-1] if stats.score_trend else None,
            "best": max(stats.score_trend) if stats.score_trend else None,
            "change": stats.score_change,
        },
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
