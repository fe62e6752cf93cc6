"""The mock exam's logic: draw, sit, grade and score. Pure functions over frozen data.

Time, randomness and the study history are passed in; nothing here reads a clock, a file
or the terminal. Every step of sitting an exam is a function `ExamState -> ExamState`, and
every change to the progress file a function `Progress -> Progress` (see `progress.py`).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo

from aifprep.domains import BY_SLUG, DOMAINS, TASK_TITLES, exam_allocation
from aifprep.exam import CLOCK_WALL, ExamState, MockExamRecord
from aifprep.grading import Grade, Response, grade_answer
from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.progress import (
    AnswerRecord,
    Change,
    Progress,
    QuestionHistory,
    SessionRecord,
    answer_and_review,
    iso,
)
from aifprep.scheduling import rating_for_answer

DEFAULT_COUNT = 65
DEFAULT_MINUTES = 90.0


def default_minutes(count: int) -> float:
    """The real exam's pace (90 minutes for 65 questions), rounded up to a whole minute."""
    import math

    return float(math.ceil(count * DEFAULT_MINUTES / DEFAULT_COUNT))
PASS_SCALED = 700
MEETS, NEEDS = "Meets competencies", "Needs improvement"
WEAKEST_TASKS = 3


class DrawError(ValueError):
    """The bank cannot supply the exam asked for."""


# --- drawing ------------------------------------------------------------------------------

def draw_exam(questions: list[Question] | tuple[Question, ...],
              history: dict[str, QuestionHistory], count: int, rng: random.Random,
              domain: str | None = None, prefer_unseen: bool = True) -> list[Question]:
    """Draw `count` questions by the exam's domain weights, in a random exam order.

    Domains get their share by largest remainder (13/16/18/9/9 of 65); inside a domain the
    questions are spread over its task statements in turn; no question comes twice. With
    `prefer_unseen`, the questions this user has answered least come first in each task;
    without it the draw depends on `rng` only, so a fixed seed gives the same exam however
    the history grows. `domain` (a slug) makes a single-domain exam.
    """
    domains = DOMAINS if domain is None else (BY_SLUG[domain],)
    pools = {d.slug: [q for q in questions if q.domain == d.slug] for d in domains}
    available = sum(len(p) for p in pools.values())
    if count > available:
        where = f"domain {domain}" if domain else "the bank"
        raise DrawError(f"{where} has {available} questions; an exam of {count} needs "
                        f"more (try --count {available})")
    allocation = _fit_allocation(exam_allocation(count, domains),
                                 {slug: len(p) for slug, p in pools.items()}, domains)
    drawn: list[Question] = []
    for d in domains:
        drawn += _spread(pools[d.slug], d.tasks, allocation[d.slug], history, rng,
                         prefer_unseen)
    rng.shuffle(drawn)
    return drawn


def _fit_allocation(allocation: dict[str, int], sizes: dict[str, int],
                    domains: tuple) -> dict[str, int]:
    """Move the share a domain cannot fill to the others, heaviest weight first."""
    allocation = dict(allocation)
    short = sum(max(0, n - sizes[s]) for s, n in allocation.items())
    allocation = {s: min(n, sizes[s]) for s, n in allocation.items()}
    by_weight = sorted(domains, key=lambda d: (-d.weight, d.number))
    while short:
        for d in by_weight:
            if short and allocation[d.slug] < sizes[d.slug]:
                allocation[d.slug] += 1
                short -= 1
    return allocation


def _spread(pool: list[Question], tasks: tuple[str, ...], n: int,
            history: dict[str, QuestionHistory], rng: random.Random,
            prefer_unseen: bool) -> list[Question]:
    """Take `n` questions from a domain, one task statement after another."""
    by_task: dict[str, list[Question]] = defaultdict(list)
    for q in pool:
        by_task[q.task].append(q)
    for task, qs in by_task.items():
        keys = {q.id: (history[q.id].seen if prefer_unseen and q.id in history else 0,
                       rng.random()) for q in qs}
        qs.sort(key=lambda q: keys[q.id])
    order = [t for t in tasks if t in by_task] + sorted(t for t in by_task if t not in tasks)
    rng.shuffle(order)  # which tasks get one more when n does not divide evenly
    taken: list[Question] = []
    while len(taken) < n:
        for task in order:
            if by_task[task] and len(taken) < n:
                taken.append(by_task[task].pop(0))
    return taken


# --- sitting the exam ---------------------------------------------------------------------

def new_exam(exam_id: str, questions: list[Question], seed: int, minutes: float, clock: str,
             label: str, now: datetime) -> ExamState:
    n = len(questions)
    return ExamState(id=exam_id, started=iso(now), seed=seed, minutes=minutes, clock=clock,
                     label=label, questions=tuple(q.id for q in questions),
                     responses=(None,) * n, flags=(False,) * n, seconds=(0.0,) * n,
                     saved_at=iso(now))


def _set(values: tuple, index: int, value) -> tuple:
    return values[:index] + (value,) + values[index + 1:]


def set_response(state: ExamState, index: int, response: tuple | None) -> ExamState:
    return replace(state, responses=_set(state.responses, index, response))


def toggle_flag(state: ExamState, index: int) -> ExamState:
    return replace(state, flags=_set(state.flags, index, not state.flags[index]))


def go_to(state: ExamState, index: int) -> ExamState:
    return replace(state, position=max(0, min(index, len(state.questions) - 1)))


def spend(state: ExamState, seconds: float) -> ExamState:
    """Count `seconds` of exam time, on the question on screen."""
    seconds = max(0.0, seconds)
    used = min(state.limit_seconds, state.elapsed + seconds)
    per = _set(state.seconds, state.position,
               round(state.seconds[state.position] + seconds, 2))
    return replace(state, elapsed=round(used, 2), seconds=per)


def stamped(state: ExamState, now: datetime) -> ExamState:
    return replace(state, saved_at=iso(now))


def reopened(state: ExamState, now: datetime) -> ExamState:
    """The state when aifprep opens it again: the wall clock counts the time it was closed."""
    if state.clock != CLOCK_WALL or not state.saved_at:
        return stamped(state, now)
    closed = (now - datetime.fromisoformat(state.saved_at.replace("Z", "+00:00"))).total_seconds()
    used = min(state.limit_seconds, state.elapsed + max(0.0, closed))
    return replace(state, elapsed=round(used, 1), saved_at=iso(now))


def is_answered(question: Question, response: Response | None) -> bool:
    """Whether a (possibly partial) response is a complete answer."""
    if response is None:
        return False
    if isinstance(question, SingleChoice):
        return len(response) == 1
    if isinstance(question, MultipleChoice):
        return len(response) == question.picks
    if isinstance(question, Ordering):
        return len(response) == len(question.steps)
    assert isinstance(question, Matching)
    return len(response) == len(question.pairs) and None not in response


def answered_count(state: ExamState, by_id: dict[str, Question]) -> int:
    return sum(is_answered(by_id[q], r) for q, r in zip(state.questions, state.responses))


@dataclass(frozen=True)
class Pace:
    per_question: float  # seconds a question at an even pace
    behind: int  # questions behind an even pace (0 = on pace)

    def describe(self) -> str:
        each = f"~{self.per_question:.0f} s a question"
        if not self.behind:
            return f"On pace ({each})"
        return f"Behind by {self.behind} question{'s' * (self.behind != 1)} ({each})"


def pace(state: ExamState, answered: int) -> Pace:
    """Compare the answers given with an even pace over the whole time limit."""
    per = state.limit_seconds / len(state.questions)
    due = int(state.elapsed // per) if per else 0
    return Pace(per, max(0, due - answered))


# --- grading and scoring ------------------------------------------------------------------

def scaled_score(correct: int, total: int) -> int:
    """aifprep's estimate of the 100-1000 scale: 100 + 900 x correct/total, rounded down.

    Rounding down keeps "700 passes" exact: 700 or more exactly when at least 2/3 is right.
    """
    return 100 + (900 * correct) // total if total else 100


def meets(correct: int, total: int) -> bool:
    return total > 0 and 3 * correct >= 2 * total


@dataclass(frozen=True)
class ExamItem:
    number: int
    question: Question
    response: Response | None
    grade: Grade
    answered: bool
    flagged: bool
    seconds: float


@dataclass(frozen=True)
class DomainScore:
    number: int
    slug: str
    name: str
    correct: int
    total: int

    @property
    def label(self) -> str:
        return MEETS if meets(self.correct, self.total) else NEEDS


@dataclass(frozen=True)
class TaskScore:
    task: str
    title: str
    correct: int
    total: int


@dataclass(frozen=True)
class ExamResult:
    exam_id: str
    started: str
    finished: str
    minutes: float
    elapsed: float
    timed_out: bool
    items: tuple[ExamItem, ...]
    correct: int
    total: int
    domains: tuple[DomainScore, ...]
    weakest_tasks: tuple[TaskScore, ...]

    @property
    def scaled(self) -> int:
        return scaled_score(self.correct, self.total)

    @property
    def passed(self) -> bool:
        return self.scaled >= PASS_SCALED

    @property
    def unanswered(self) -> int:
        return sum(not i.answered for i in self.items)


def grade_exam(exam_id: str, started: str, finished: str, minutes: float, elapsed: float,
               timed_out: bool, question_ids: tuple[str, ...],
               responses: tuple[tuple | None, ...], flags: tuple[bool, ...],
               seconds: tuple[float, ...], by_id: dict[str, Question]) -> ExamResult:
    """Grade every question (unanswered and partial answers are wrong) and score the exam.

    Questions no longer in the bank are left out.
    """
    items = []
    for n, (qid, response, flag, secs) in enumerate(zip(question_ids, responses, flags,
                                                        seconds), 1):
        q = by_id.get(qid)
        if q is None:
            continue
        answered = is_answered(q, response)
        grade = grade_answer(q, response) if answered else Grade(False, 0, q.parts)
        items.append(ExamItem(n, q, response, grade, answered, flag, secs))
    correct = sum(i.grade.correct for i in items)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tasks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in items:
        for bucket in (tally[i.question.domain], tasks[i.question.task]):
            bucket[0] += int(i.grade.correct)
            bucket[1] += 1
    domains = tuple(DomainScore(d.number, d.slug, d.name, *tally[d.slug])
                    for d in DOMAINS if d.slug in tally)
    weak = sorted((TaskScore(t, TASK_TITLES.get(t, ""), c, n)
                   for t, (c, n) in tasks.items() if c < n),
                  key=lambda t: (t.correct / t.total, -t.total, t.task))
    return ExamResult(exam_id, started, finished, minutes, elapsed, timed_out, tuple(items),
                      correct, len(items), domains, tuple(weak[:WEAKEST_TASKS]))


def grade_state(state: ExamState, by_id: dict[str, Question], finished: datetime,
                timed_out: bool) -> ExamResult:
    return grade_exam(state.id, state.started, iso(finished), state.minutes, state.elapsed,
                      timed_out, state.questions, state.responses, state.flags,
                      state.seconds, by_id)


def grade_record(record: MockExamRecord, by_id: dict[str, Question]) -> ExamResult:
    return grade_exam(record.id, record.started, record.finished, record.minutes,
                      record.elapsed, record.timed_out, record.questions, record.responses,
                      record.flags, record.seconds, by_id)


def exam_record(state: ExamState, result: ExamResult) -> MockExamRecord:
    return MockExamRecord(
        id=state.id, started=state.started, finished=result.finished, minutes=state.minutes,
        clock=state.clock, seed=state.seed, label=state.label, questions=state.questions,
        responses=state.responses, flags=state.flags, seconds=state.seconds,
        elapsed=state.elapsed, timed_out=result.timed_out, correct=result.correct,
        total=result.total, scaled=result.scaled, passed=result.passed,
        domains={d.slug: (d.correct, d.total) for d in result.domains},
    )


def answer_records(result: ExamResult) -> tuple[AnswerRecord, ...]:
    """The answered questions of a finished exam, as answers.

    An unanswered question counts as wrong in the exam's own score and report, and nowhere
    else: it is not an answer, not "seen", not a review and not "missed" (time running out
    says nothing about what the candidate knows).
    """
    return tuple(
        AnswerRecord(id=f"{result.exam_id}-{i.number}", question=i.question.id,
                     at=result.finished, mode="mock-exam", session=result.exam_id,
                     given=tuple(i.response), correct=i.grade.correct,
                     seconds=i.seconds)
        for i in result.items if i.answered
    )


# --- changes to the progress file ---------------------------------------------------------

def start_exam(state: ExamState) -> Change:
    """Make `state` the exam in progress and open its session."""

    def change(progress: Progress) -> Progress:
        sessions = progress.sessions
        if not any(s.id == state.id for s in sessions):
            sessions += (SessionRecord(state.id, "mock-exam", state.started, label=state.label),)
        return replace(progress, exam=state, sessions=sessions)

    return change


def save_exam(state: ExamState) -> Change:
    """Save the exam in progress (unless it has been finished meanwhile)."""

    def change(progress: Progress) -> Progress:
        if any(m.id == state.id for m in progress.mock_exams):
            return progress
        return replace(progress, exam=state)

    return change


def abandon_exam(exam_id: str, when: datetime) -> Change:
    """Discard the exam in progress; its session is closed and marked abandoned."""

    def change(progress: Progress) -> Progress:
        if progress.exam is None or progress.exam.id != exam_id:
            return progress
        sessions = tuple(
            replace(s, finished=iso(when), label=f"{s.label} (abandoned)")
            if s.id == exam_id and not s.finished else s
            for s in progress.sessions
        )
        return replace(progress, exam=None, sessions=sessions)

    return change


def finish_exam(record: MockExamRecord, answers: tuple[AnswerRecord, ...],
                tz: tzinfo = timezone.utc) -> Change:
    """Keep a finished exam and its answers, and clear it as the exam in progress.

    Each answer is also a spaced-repetition review of its question (unanswered questions
    have no answer record, so no review).
    """

    def change(progress: Progress) -> Progress:
        if any(m.id == record.id for m in progress.mock_exams):
            return progress
        known = {a.id for a in progress.answers}
        sessions = tuple(replace(s, finished=record.finished)
                         if s.id == record.id and not s.finished else s
                         for s in progress.sessions)
        exam = None if progress.exam is not None and progress.exam.id == record.id \
            else progress.exam
        progress = replace(progress, exam=exam, sessions=sessions,
                           mock_exams=progress.mock_exams + (record,))
        for answer in answers:
            if answer.id not in known:
                progress = answer_and_review(
                    answer, rating_for_answer(answer.correct, answer.seconds), tz)(progress)
        return progress

    return change
