"""A flashcard session: which cards to show, and running the review loop.

Choosing the cards (`plan_session`) is pure. `run_session` talks to the terminal through
the `Reviewer` protocol and saves each rating the moment it is given, as `quiz.py` does.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Callable, Protocol

from aifprep.model import Flashcard
from aifprep.progress import Progress, parse_time, utc_now
from aifprep.records import review_action
from aifprep.scheduling import (
    LEARN_AHEAD,
    Memory,
    NewQuota,
    Rating,
    item_key,
    local_day,
    new_quota,
    preview,
    retrievability,
)
from aifprep.store import ProgressStore
from aifprep.views import Snapshot, snapshot_of

DEFAULT_NEW = 20


def card_key(card: Flashcard) -> str:
    return item_key("card", card.id)


def cards_in_scope(cards: tuple[Flashcard, ...] | list[Flashcard], domain: str | None,
                   task: str | None) -> list[Flashcard]:
    """The cards of one domain and/or task statement (all cards without either)."""
    return [c for c in cards
            if (domain is None or c.domain == domain) and (task is None or c.task == task)]


@dataclass(frozen=True)
class DeckCounts:
    """Where the cards stand: due now, never seen, in learning, learned (in review)."""

    total: int
    due: int
    new: int
    learning: int
    learned: int

    def describe(self) -> str:
        return (f"Due {self.due} · New {self.new} · Learning {self.learning} · "
                f"Learned {self.learned} (of {self.total} card{'s' * (self.total != 1)})")


def deck_counts(cards: list[Flashcard] | tuple[Flashcard, ...], schedule: dict[str, Memory],
                now: datetime) -> DeckCounts:
    memories = [schedule.get(card_key(c)) for c in cards]
    seen = [m for m in memories if m is not None]
    return DeckCounts(
        total=len(cards),
        due=sum(1 for m in seen if m.due <= now),
        new=len(memories) - len(seen),
        learning=sum(1 for m in seen if not m.learned),
        learned=sum(1 for m in seen if m.learned),
    )


def introduced_on(progress: Progress | Snapshot, day_of: Callable[[datetime], object],
                  today: object) -> int:
    """How many cards had their first review on `today` (a local day)."""
    views = snapshot_of(progress).views
    return views.introduced_on(lambda at: day_of(parse_time(at)), today)


@dataclass(frozen=True)
class SessionPlan:
    cards: tuple[Flashcard, ...]
    due: int  # of them, cards due for review
    new: int  # of them, new cards
    quota: NewQuota | None  # None when cramming


def _round_robin(cards: list[Flashcard]) -> list[Flashcard]:
    """Deck order, interleaved across domains, so new cards do not come one domain at a time."""
    by_domain: dict[str, list[Flashcard]] = {}
    for c in cards:
        by_domain.setdefault(c.domain, []).append(c)
    lanes = list(by_domain.values())
    out: list[Flashcard] = []
    for i in range(max((len(lane) for lane in lanes), default=0)):
        out.extend(lane[i] for lane in lanes if i < len(lane))
    return out


def plan_session(cards: list[Flashcard] | tuple[Flashcard, ...], progress: Progress | Snapshot,
                 now: datetime, tz: tzinfo, limit: int | None = None,
                 new_requested: int = DEFAULT_NEW, new_explicit: bool = False,
                 cram: bool = False, extra: frozenset[str] = frozenset()) -> SessionPlan:
    """The cards of one session.

    A review session shows the cards due now (most overdue first), then the `extra` cards
    already studied but not due (e.g. services the candidate confuses), then new cards up to
    the quota (see `scheduling.new_quota`), interleaved across domains. A cram session
    shows every card in scope, the weakest (lowest predicted recall) first, new ones last.
    `limit` caps the total.
    """
    schedule = progress.schedule
    if cram:
        seen = [c for c in cards if card_key(c) in schedule]
        seen.sort(key=lambda c: retrievability(schedule[card_key(c)], now))
        unseen = [c for c in cards if card_key(c) not in schedule]
        chosen = (seen + _round_robin(unseen))[:limit]
        return SessionPlan(tuple(chosen), 0, 0, None)

    due = sorted((c for c in cards if card_key(c) in schedule and schedule[card_key(c)].due <= now),
                 key=lambda c: schedule[card_key(c)].due)
    due += [c for c in cards if c.id in extra and card_key(c) in schedule
            and schedule[card_key(c)].due > now]
    unseen = _round_robin([c for c in cards if card_key(c) not in schedule])
    today = local_day(now, tz)
    introduced = introduced_on(progress, lambda t: local_day(t, tz), today)
    quota = new_quota(len(unseen), introduced, new_requested, new_explicit,
                      progress.settings, now, tz)
    if limit is not None:
        due = due[:limit]
    new = unseen[:quota.limit]
    if limit is not None:
        new = new[:max(0, limit - len(due))]
    return SessionPlan(tuple(due + new), len(due), len(new), quota)


# --- running a session --------------------------------------------------------------------

QUIT = "quit"


class Reviewer(Protocol):
    def show(self, card: Flashcard, number: int, total: int, status: str, reverse: bool,
             repeat: bool = False) -> str:
        """Show the question side of card `number` of `total` different cards (`repeat`:
        it comes back a second time); return "reveal" or QUIT (raise KeyboardInterrupt on
        Ctrl-C)."""

    def rate(self, card: Flashcard, reverse: bool, intervals: dict[Rating, str] | None) -> Rating | None:
        """Show the answer side and return a rating, or None to quit."""


@dataclass
class SessionResult:
    ratings: Counter = field(default_factory=Counter)  # Rating -> count
    interrupted: bool = False  # Ctrl-C
    quit: bool = False  # the user chose to stop
    repeats: int = 0  # of the ratings, those of cards shown again in the session

    @property
    def reviewed(self) -> int:
        """Ratings given, repeats included."""
        return sum(self.ratings.values())

    @property
    def cards(self) -> int:
        """Different cards rated."""
        return self.reviewed - self.repeats


def run_session(plan: SessionPlan, reviewer: Reviewer, store: ProgressStore, tz: tzinfo,
                reverse: bool = False, cram: bool = False,
                clock: Callable[[], datetime] = utc_now,
                timer: Callable[[], float] = time.monotonic,
                progress: Progress | Snapshot | None = None) -> SessionResult:
    """Show each card and save each rating as it is given.

    Cards that come due again within a few minutes (Again, or a learning step) are shown
    once more at the end of the session, as Anki does. With `cram`, nothing is saved and
    Again puts the card back at the end of the queue. `progress` is the copy the plan was
    made from, if the caller has it (saves reading the file again).
    """
    from aifprep.scheduling import describe_interval

    queue = list(plan.cards)
    result = SessionResult()
    seen: dict[str, int] = {}  # card id -> its number among the different cards
    progress = progress if progress is not None else store.snapshot()
    try:
        while queue:
            card = queue.pop(0)
            repeat = card.id in seen
            number = seen.setdefault(card.id, len(seen) + 1)
            key = card_key(card)
            memory = progress.schedule.get(key)
            status = "cram" if cram else ("new" if memory is None else memory.state)
            if reviewer.show(card, number, len(plan.cards), status, reverse,
                             repeat=repeat) == QUIT:
                result.quit = True
                break
            started = timer()
            intervals = None
            if not cram:
                now = clock()
                intervals = {r: describe_interval(d)
                             for r, d in preview(key, memory, now, progress.settings, tz).items()}
            rating = reviewer.rate(card, reverse, intervals)
            if rating is None:
                result.quit = True
                break
            result.ratings[rating] += 1
            result.repeats += int(repeat)
            if cram:
                if rating == Rating.AGAIN:
                    queue.append(card)
                continue
            now = clock()
            progress = store.record(review_action(uuid.uuid4().hex, key, rating, now, "flashcards",
                                                  round(timer() - started, 1), tz))
            if progress.schedule[key].due <= now + LEARN_AHEAD and card not in queue:
                queue.append(card)
    except KeyboardInterrupt:
        result.interrupted = True
    return result

