"""The coach: the forecast, today's plan, confusions, calibration and the mastery map,
computed from the candidate's history and the bank. Pure: no terminal, no files.

This module gathers the evidence (first tries, due items, retention toward exam day,
mock-exam pacing) from a `Progress` and hands it to the pure models in `forecast`,
`plan`, `confusions` and `confidence`. Practice runs excluded from history are left out.

`report`, `evidence` and `study_state` (and `drills.misconceptions`, `drill_questions`,
`confused_card_ids`) also take a `views.Snapshot`: the same figures from the store's
derived views (first tries, calibration counts, wrong responses, activity per quarter
hour, mock-exam pace), so `aifprep stats` and `today` never read the whole history.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Callable

from aifprep.bank import Bank
from aifprep.confidence import Calibration, CalibrationRow, calibration
from aifprep.confusions import (
    Confusion,
    confusions_in_answer,
    top_confusions,
)
from aifprep.domains import ALL_TASKS, TASK_TITLES
from aifprep.forecast import Forecast, FirstTry, first_tries, forecast, task_estimates
from aifprep.history import FULL_LENGTH, counted
from aifprep.objectives import OBJECTIVES
from aifprep.plan import Plan, StudyState, plan_today
from aifprep.progress import Progress, parse_time
from aifprep.scheduling import day_start, item_key, retrievability
from aifprep.views import (
    FIRST_AT,
    FIRST_CORRECT,
    FIRST_ID,
    LAST_AT,
    LAST_CONFIDENCE,
    LAST_CORRECT,
    Snapshot,
)

CHART_WEEKS = 8
CALENDAR_WEEKS = 12


@dataclass(frozen=True)
class MasteryRow:
    key: str  # a task statement ("2.1") or an objective ("2.1.6")
    title: str
    first_tries: int
    first_right: int
    seen: int
    total: int
    estimate: float | None  # chance right on an unseen question (tasks only)
    due: int
    seconds_per_question: float | None  # mock-exam pace (tasks only)

    @property
    def accuracy(self) -> float | None:
        return self.first_right / self.first_tries if self.first_tries else None


@dataclass(frozen=True)
class CoachReport:
    forecast: Forecast
    history: tuple[tuple[str, int | None, int | None, int | None], ...]  # (day, score, low, high)
    plan: Plan
    confusions: tuple[Confusion, ...]
    calibration: Calibration
    tasks: tuple[MasteryRow, ...]
    objectives: tuple[MasteryRow, ...]
    study_days: frozenset[date]  # local days with any answer or rating, last 12 weeks
    streak: int  # consecutive study days ending today (or yesterday)
    done_today: int  # answers and ratings today

    @property
    def still_planned(self) -> int:
        """Cards and questions still on today's plan (the day's goal is done + this)."""
        p = self.plan
        return p.cards_due + p.new_cards + p.questions_due + p.new_questions


def service_names(bank: Bank) -> Callable[[str], set[str]]:
    """The catalog's matcher: which services a text names (by canonical name)."""
    catalog = getattr(bank, "catalog", None)
    if catalog is None:
        return lambda text: set()
    return lambda text: {s.name for s in catalog.named_in(text)}


def evidence(progress: Progress, bank: Bank) -> list[FirstTry]:
    """First tries at the questions still in the bank, practice runs left out."""
    task_by_id = {q.id: q.task for q in bank.questions}
    if isinstance(progress, Snapshot):
        rows = ((qid, q[FIRST_ID], q[FIRST_CORRECT], parse_time(q[FIRST_AT]))
                for qid, q in progress.views.questions.items())
    else:
        rows = ((a.question, a.id, a.correct, parse_time(a.at)) for a in counted(progress).answers)
    return first_tries(rows, task_by_id)


def exam_forecast(progress: Progress, bank: Bank, now: datetime, tz: tzinfo) -> Forecast:
    """The forecast for exam day (or today, without a future exam date)."""
    tries = evidence(progress, bank)
    exam_day = progress.settings.exam_date
    if exam_day is None or day_start(exam_day, tz) <= now:
        return forecast(tries, now)
    return forecast(tries, now, retention=_retention(progress, bank, now, day_start(exam_day, tz)),
                    horizon="exam day")


def _retention(progress: Progress, bank: Bank, now: datetime, then: datetime) -> dict[str, float]:
    """Per task, the share of today's recall still there on exam day (FSRS), for the
    questions studied so far; unstudied tasks keep everything (nothing to forget yet)."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for q in bank.questions:
        memory = progress.schedule.get(item_key("question", q.id))
        if memory is None:
            continue
        r_now = retrievability(memory, now)
        if r_now > 0:
            sums[q.task][0] += retrievability(memory, then)
            sums[q.task][1] += r_now
    return {t: min(1.0, a / b) for t, (a, b) in sums.items() if b > 0}


def report(progress: Progress | Snapshot, bank: Bank, now: datetime, tz: tzinfo) -> CoachReport:
    """Everything the coach shows, for `aifprep stats` and `aifprep today`."""
    if isinstance(progress, Snapshot):
        return _report_from_views(progress, bank, now, tz)
    kept = counted(progress)
    names = service_names(bank)
    tries = evidence(progress, bank)
    fc = exam_forecast(progress, bank, now, tz)
    estimates = task_estimates(tries, now)
    today = now.astimezone(tz).date()
    days = _study_days(kept, tz)
    return CoachReport(
        forecast=fc,
        history=_forecast_history(tries, now, today, tz),
        plan=plan_today(study_state(progress, bank, now, tz, estimates, tries), now, tz),
        confusions=top_confusions(((a.question, a.given, a.correct) for a in kept.answers),
                                  bank.by_id, names),
        calibration=calibration((a.question, getattr(a, "confidence", None), a.correct, a.at)
                                for a in kept.answers),
        tasks=_task_rows(kept, bank, tries, estimates, now),
        objectives=_objective_rows(kept, bank, tries),
        study_days=frozenset(d for d in days if (today - d).days < CALENDAR_WEEKS * 7),
        streak=_streak(days, today),
        done_today=_done_on(kept, tz, today),
    )


def study_state(progress: Progress, bank: Bank, now: datetime, tz: tzinfo,
                estimates: dict[str, float], tries: list[FirstTry] = ()) -> StudyState:
    end_of_today = day_start(now.astimezone(tz).date() + timedelta(days=1), tz)

    def due(keys: list[str]) -> int:
        return sum(1 for k in keys if (m := progress.schedule.get(k)) is not None and m.due < end_of_today)

    card_keys = [item_key("card", c.id) for c in bank.cards]
    question_keys = [item_key("question", q.id) for q in bank.questions]
    evidence_by_task: dict[str, int] = defaultdict(int)
    for t in tries:
        evidence_by_task[t.task] += 1
    if isinstance(progress, Snapshot):
        answered = progress.views.tried
        finished = [m["finished"] for m in progress.views.mock_exams if m["total"] >= FULL_LENGTH]
    else:
        answered = {a.question for a in progress.answers}
        finished = [m.finished for m in counted(progress).mock_exams if m.total >= FULL_LENGTH]
    last_full = max((parse_time(f).astimezone(tz).date() for f in finished), default=None)
    return StudyState(
        cards_due=due(card_keys), questions_due=due(question_keys),
        unseen_cards=sum(1 for k in card_keys if k not in progress.schedule),
        unseen_questions=sum(1 for q in bank.questions if q.id not in answered),
        task_estimates=estimates, task_evidence=evidence_by_task, last_full_mock=last_full,
        exam_date=progress.settings.exam_date)


# --- helpers ---------------------------------------------------------------------------------

def _top_confusions(progress: Progress | Snapshot, bank: Bank, names, limit: int = 5):
    """`confusions.top_confusions` over the answers (practice runs left out); from the
    views, each distinct wrong response is matched once and counted as often as given."""
    if not isinstance(progress, Snapshot):
        return top_confusions(((a.question, a.given, a.correct) for a in counted(progress).answers),
                              bank.by_id, names, limit=limit)
    counts: Counter = Counter()
    for qid, given, n in progress.views.wrong_responses():
        q = bank.by_id.get(qid)
        if q is not None:
            for pair in confusions_in_answer(q, given, names):
                counts[pair] += n
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Confusion(c, r, n) for (c, r), n in ranked[:limit])


def _report_from_views(snap: Snapshot, bank: Bank, now: datetime, tz: tzinfo) -> CoachReport:
    """`report` from the store's derived views: the same figures, O(bank) work."""
    views = snap.views
    names = service_names(bank)
    tries = evidence(snap, bank)
    fc = exam_forecast(snap, bank, now, tz)
    estimates = task_estimates(tries, now)
    today = now.astimezone(tz).date()
    activity = views.days(tz)
    days = {d for d, (answers, _, reviews) in activity.items() if answers or reviews}
    wrong_when_sure = sorted(((q[LAST_AT], qid) for qid, q in views.questions.items()
                              if q[LAST_CONFIDENCE] == "sure" and not q[LAST_CORRECT]),
                             reverse=True)
    calib = Calibration(tuple(CalibrationRow(level, *views.confidence[level])
                              for level in views.confidence),
                        tuple(q for _, q in wrong_when_sure))
    done = activity.get(today, [0, 0, 0])
    return CoachReport(
        forecast=fc,
        history=_forecast_history(tries, now, today, tz, snap.views.memo),
        plan=plan_today(study_state(snap, bank, now, tz, estimates, tries), now, tz),
        confusions=_top_confusions(snap, bank, names),
        calibration=calib,
        tasks=_task_rows_from_views(snap, bank, tries, estimates, now),
        objectives=_objective_rows_from_views(snap, bank),
        study_days=frozenset(d for d in days if (today - d).days < CALENDAR_WEEKS * 7),
        streak=_streak(days, today),
        done_today=done[0] + done[1],
    )


def _task_rows_from_views(snap: Snapshot, bank: Bank, tries: list[FirstTry],
                          estimates: dict[str, float], now: datetime) -> tuple[MasteryRow, ...]:
    first = defaultdict(lambda: [0, 0])
    for t in tries:
        first[t.task][0] += 1
        first[t.task][1] += int(t.correct)
    answered = snap.views.questions
    totals, seen, due = defaultdict(int), defaultdict(int), defaultdict(int)
    pace: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for q in bank.questions:
        totals[q.task] += 1
        seen[q.task] += q.id in answered
        m = snap.schedule.get(item_key("question", q.id))
        due[q.task] += m is not None and m.due <= now
    for qid, (seconds, n) in snap.views.pace.items():
        q = bank.by_id.get(qid)
        if q is not None:
            pace[q.task][0] += seconds
            pace[q.task][1] += n
    return tuple(
        MasteryRow(t, TASK_TITLES.get(t, ""), first[t][0], first[t][1], seen[t], totals[t],
                   estimates.get(t), due[t],
                   pace[t][0] / pace[t][1] if pace[t][1] else None)
        for t in ALL_TASKS)


def _objective_rows_from_views(snap: Snapshot, bank: Bank) -> tuple[MasteryRow, ...]:
    objective_of = {q.id: q.objective for q in bank.questions if getattr(q, "objective", None)}
    if not objective_of:
        return ()
    questions = snap.views.questions
    rows = defaultdict(lambda: [0, 0, 0, 0])  # first tries, right, seen, total
    for qid, objective in objective_of.items():
        rows[objective][3] += 1
        if qid in questions:
            rows[objective][0] += 1
            rows[objective][1] += int(questions[qid][FIRST_CORRECT])
            rows[objective][2] += 1
    return tuple(MasteryRow(o, OBJECTIVES[o], *rows[o][:3], rows[o][3], None, 0, None)
                 for o in OBJECTIVES)


def _forecast_history(tries: list[FirstTry], now: datetime, today: date, tz: tzinfo,
                      memo: dict | None = None) -> tuple[tuple[str, int | None, int | None, int | None], ...]:
    """The forecast as it stood at the end of each of the last weeks (evidence up to then).

    A past week's point depends only on the first tries before its end: with a `memo`
    (kept with the store's views), it is computed once and looked up after that."""
    import hashlib

    points = []
    for weeks_ago in range(CHART_WEEKS - 1, -1, -1):
        day = today - timedelta(days=7 * weeks_ago)
        cutoff = now if weeks_ago == 0 else day_start(day + timedelta(days=1), tz)
        past = [t for t in tries if t.at < cutoff]
        if not past:
            continue
        key = None
        if memo is not None and weeks_ago:
            evidence_id = sorted((t.task, t.correct, t.at.isoformat()) for t in past)
            key = f"forecast|{cutoff.isoformat()}|" + hashlib.sha1(
                repr(evidence_id).encode()).hexdigest()
            if key in memo:
                points.append((day.isoformat(), *memo[key]))
                continue
        f = forecast(past, cutoff)
        if key is not None:
            memo[key] = [f.score, f.low, f.high]
        points.append((day.isoformat(), f.score, f.low, f.high))
    return tuple(points)


def _task_rows(kept: Progress, bank: Bank, tries: list[FirstTry], estimates: dict[str, float],
               now: datetime) -> tuple[MasteryRow, ...]:
    first = defaultdict(lambda: [0, 0])
    for t in tries:
        first[t.task][0] += 1
        first[t.task][1] += int(t.correct)
    answered = {a.question for a in kept.answers}
    totals, seen, due = defaultdict(int), defaultdict(int), defaultdict(int)
    for q in bank.questions:
        totals[q.task] += 1
        seen[q.task] += q.id in answered
        m = kept.schedule.get(item_key("question", q.id))
        due[q.task] += m is not None and m.due <= now
    pace: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for exam in kept.mock_exams:
        for qid, secs in zip(exam.questions, exam.seconds):
            q = bank.by_id.get(qid)
            if q is not None and secs:
                pace[q.task][0] += secs
                pace[q.task][1] += 1
    return tuple(
        MasteryRow(t, TASK_TITLES.get(t, ""), first[t][0], first[t][1], seen[t], totals[t],
                   estimates.get(t), due[t],
                   pace[t][0] / pace[t][1] if pace[t][1] else None)
        for t in ALL_TASKS)


def _objective_rows(kept: Progress, bank: Bank, tries: list[FirstTry]) -> tuple[MasteryRow, ...]:
    del tries  # first tries per objective come from the answers directly
    objective_of = {q.id: q.objective for q in bank.questions if getattr(q, "objective", None)}
    if not objective_of:
        return ()
    first: dict[str, tuple[str, bool]] = {}
    for a in sorted(kept.answers, key=lambda a: (a.at, a.id)):
        first.setdefault(a.question, (a.at, a.correct))
    rows = defaultdict(lambda: [0, 0, 0, 0])  # first tries, right, seen, total
    for qid, objective in objective_of.items():
        rows[objective][3] += 1
        if qid in first:
            rows[objective][0] += 1
            rows[objective][1] += int(first[qid][1])
            rows[objective][2] += 1
    return tuple(MasteryRow(o, OBJECTIVES[o], *rows[o][:3], rows[o][3], None, 0, None)
                 for o in OBJECTIVES)


def _study_days(progress: Progress, tz: tzinfo) -> set[date]:
    days = {parse_time(a.at).astimezone(tz).date() for a in progress.answers}
    days |= {parse_time(r.at).astimezone(tz).date() for r in progress.reviews}
    return days


def _streak(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return n


def _done_on(progress: Progress, tz: tzinfo, day: date) -> int:
    answers = {a.id for a in progress.answers if parse_time(a.at).astimezone(tz).date() == day}
    ratings = {r.id for r in progress.reviews if r.item.startswith("card:")
               and parse_time(r.at).astimezone(tz).date() == day}
    return len(answers) + len(ratings)
