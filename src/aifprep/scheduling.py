"""Spaced repetition with FSRS, aimed at the exam date. Pure: times and settings come in.

Flashcards and quiz questions are both *items*, keyed "card:<id>" or "question:<id>". Each
reviewed item has a `Memory` (its FSRS state); an item without one is new. The scheduler is
py-fsrs; this module only adds what aifprep needs on top of it:

- the exam date: no review is scheduled after it, because an interval that ends after the
  exam is useless to a candidate (`exam_cap`);
- new-card pacing, so that every card is seen at least twice before the exam (`new_quota`);
- predictions: retrievability on exam day and a due forecast.

Day boundaries ("today", "the exam day") are the user's local days: functions that need
them take the time zone as an argument, so tests can pin it.
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import IntEnum
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # fsrs is imported only when something is actually scheduled
    import fsrs

DEFAULT_RETENTION = 0.9
MIN_RETENTION, MAX_RETENTION = 0.7, 0.97  # the range FSRS is tuned for
SLOW_ANSWER_SECONDS = 90  # a right answer slower than the exam's pace (~83 s) rates Hard
LEARN_AHEAD = timedelta(minutes=20)  # a card due this soon comes back in the same session


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Memory:
    """The FSRS state of one reviewed item."""

    state: str  # "learning", "review" or "relearning"
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime  # UTC
    last_review: datetime | None  # UTC

    @property
    def learned(self) -> bool:
        return self.state == "review"


@dataclass(frozen=True)
class StudySettings:
    exam_date: date | None = None
    retention: float = DEFAULT_RETENTION
    ask_confidence: bool = True  # ask "how sure?" before each quiz verdict


def item_key(kind: str, item_id: str) -> str:
    """The key of an item in the schedule: 'card:<id>' or 'question:<id>'."""
    return f"{kind}:{item_id}"


def fsrs_card_id(key: str) -> int:
    """A stable FSRS card id derived from our stable item key (not from the clock, as
    py-fsrs does by default), so the same item has the same id on every machine."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=6).digest(), "big")


def rating_for_answer(correct: bool, seconds: float | None, unsure: bool = False) -> Rating:
    """How a quiz answer counts: wrong is Again; right is Good, or Hard when it was slow
    or the user said they were unsure."""
    if not correct:
        return Rating.AGAIN
    if unsure or (seconds is not None and seconds > SLOW_ANSWER_SECONDS):
        return Rating.HARD
    return Rating.GOOD


# --- the exam day -------------------------------------------------------------------------

def day_start(day: date, tz: tzinfo) -> datetime:
    """Midnight at the start of a local day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def days_left(settings: StudySettings, now: datetime, tz: tzinfo) -> int | None:
    """Whole days from today to the exam day (0 on the day itself, negative after)."""
    if settings.exam_date is None:
        return None
    return (settings.exam_date - local_day(now, tz)).days


def exam_cap(settings: StudySettings, now: datetime, tz: tzinfo) -> datetime | None:
    """The latest moment a review may be scheduled for, or None when there is no limit.

    Reviews should land before the exam: at the latest at the start of the day before it.
    On that last day the limit is the start of the exam day, and once the exam has begun
    there is no limit any more (the candidate may have moved their exam).
    """
    if settings.exam_date is None:
        return None
    eve = day_start(settings.exam_date - timedelta(days=1), tz)
    exam_day = day_start(settings.exam_date, tz)
    for cap in (eve, exam_day):
        if now < cap:
            return cap
    return None


# --- FSRS ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _scheduler(retention: float, fuzz: bool) -> "fsrs.Scheduler":
    import fsrs

    return fsrs.Scheduler(desired_retention=retention, enable_fuzzing=fuzz)


_STATES = ("learning", "review", "relearning")  # fsrs.State 1, 2, 3


def _to_fsrs(key: str, memory: Memory | None) -> "fsrs.Card":
    import fsrs

    if memory is None:
        return fsrs.Card(card_id=fsrs_card_id(key))
    return fsrs.Card(card_id=fsrs_card_id(key), state=fsrs.State(_STATES.index(memory.state) + 1),
                     step=memory.step, stability=memory.stability,
                     difficulty=memory.difficulty, due=memory.due,
                     last_review=memory.last_review)


def _from_fsrs(card: "fsrs.Card") -> Memory:
    return Memory(state=_STATES[int(card.state) - 1], step=card.step, stability=card.stability,
                  difficulty=card.difficulty, due=card.due, last_review=card.last_review)


def review(key: str, memory: Memory | None, rating: Rating, now: datetime,
           settings: StudySettings, tz: tzinfo, fuzz: bool = True) -> Memory:
    """The item's memory after a review at `now`, capped by the exam date."""
    card, _ = _scheduler(settings.retention, fuzz).review_card(
        _to_fsrs(key, memory), _fsrs_rating(rating), now.astimezone(timezone.utc))
    after = _from_fsrs(card)
    cap = exam_cap(settings, now, tz)
    if cap is not None and after.due > cap:
        after = Memory(after.state, after.step, after.stability, after.difficulty, cap,
                       after.last_review)
    return after


def preview(key: str, memory: Memory | None, now: datetime, settings: StudySettings,
            tz: tzinfo) -> dict[Rating, timedelta]:
    """How long until the item is due again after each rating (shown on the rating keys)."""
    return {r: review(key, memory, r, now, settings, tz, fuzz=False).due - now for r in Rating}


def retrievability(memory: Memory | None, at: datetime) -> float:
    """The predicted chance (0-1) of recalling the item at `at`; 0 for a new item."""
    if memory is None or memory.stability is None or memory.last_review is None:
        return 0.0
    card = _to_fsrs("", memory)
    return float(_scheduler(DEFAULT_RETENTION, False).get_card_retrievability(
        card, max(at, memory.last_review)))


def _fsrs_rating(rating: Rating) -> "fsrs.Rating":
    import fsrs

    return fsrs.Rating(int(rating))


# --- pacing and forecasts -----------------------------------------------------------------

@dataclass(frozen=True)
class NewQuota:
    limit: int  # new cards for this session
    pace: int | None  # new cards a day needed to see every card twice before the exam
    warning: str = ""


def new_quota(unseen: int, introduced_today: int, requested: int, explicit: bool,
              settings: StudySettings, now: datetime, tz: tzinfo) -> NewQuota:
    """How many new cards to introduce in this session.

    Without an exam date it is the requested number. With one, the unseen cards are spread
    over the days left before the eve of the exam, so each new card can come back at least
    once more before the exam; when that pace needs more than requested, the pace wins
    unless the user chose the number explicitly (then they are warned).
    """
    left = days_left(settings, now, tz)
    if left is None or left < 1 or unseen == 0:
        return NewQuota(min(requested, unseen), None)
    intake_days = max(1, left - 1)  # the last day before the exam is for second looks
    pace = math.ceil(unseen / intake_days) if left > 1 else unseen
    needed_now = max(0, pace - introduced_today)
    if needed_now <= requested:
        return NewQuota(min(requested, unseen), pace)
    if explicit:
        return NewQuota(min(requested, unseen), pace,
                        f"{unseen} cards are still new and the exam is in {left} days: "
                        f"about {pace} new cards a day are needed to see every card twice "
                        "before it")
    return NewQuota(min(needed_now, unseen), pace)


def due_forecast(dues: Iterable[datetime], now: datetime, tz: tzinfo,
                 days: int = 14) -> list[tuple[date, int]]:
    """How many items fall due on each of the next `days` local days (overdue ones today)."""
    today = local_day(now, tz)
    counts = [0] * days
    for due in dues:
        offset = max(0, (local_day(due, tz) - today).days)
        if offset < days:
            counts[offset] += 1
    return [(today + timedelta(days=i), n) for i, n in enumerate(counts)]


def end_of_day(now: datetime, tz: tzinfo, days_ahead: int = 0) -> datetime:
    """The end of today (or of a later local day), in UTC: 'due today' means due before it."""
    return day_start(local_day(now, tz) + timedelta(days=days_ahead + 1), tz)


def describe_interval(delta: timedelta) -> str:
    """A short interval for the rating keys: '<1m', '10m', '5h', '3d', '2mo', '1.2y'."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y"
