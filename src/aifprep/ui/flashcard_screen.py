"""The flashcard review screen: a full-screen view over the shared screen parts.

The card and its answer are Rich panels; a key acts at once (no Enter needed), the arrows
move the rating selector, and keys typed before a card is on screen are discarded.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from aifprep.domains import BY_SLUG, TASK_TITLES
from aifprep.flashcards import QUIT, DeckCounts, SessionResult
from aifprep.model import Flashcard
from aifprep.scheduling import Rating
from aifprep.services import Catalog, card_texts
from aifprep.ui.feedback_render import availability_notes
from aifprep.ui.text import plural
from aifprep.ui.screen import Line, Screen, on_key, rich_lines, text_line

RATING_STYLES = {Rating.AGAIN: "red", Rating.HARD: "yellow", Rating.GOOD: "green",
                 Rating.EASY: "cyan"}
STATUS_LABELS = {"new": "New", "learning": "Learning", "relearning": "Relearning",
                 "review": "Review", "cram": "Cram (schedule unchanged)"}


def answer_side(card: Flashcard, reverse: bool, catalog: Catalog | None = None) -> Panel:
    parts: list[RenderableType] = []
    if reverse:
        parts.append(Text(card.front, style="bold"))
    else:
        parts.append(Text(card.back))
    if card.confused_with:
        other, _, difference = card.confused_with.partition(": ")
        line = Text("Not to be confused with ", style="dim")
        line.append(other, style="bold")
        if difference:
            line.append(f": {difference}")
        parts += [Text(""), line]
    parts += availability_notes(card_texts(card), catalog)
    return Panel(Group(*parts), border_style="green", padding=(1, 2))


def counts_line(label: str, counts: DeckCounts) -> Text:
    return Text(f"{label}: {counts.describe()}")


def session_summary(result: SessionResult, before: DeckCounts, after: DeckCounts,
                    cram: bool) -> RenderableType:
    lines: list[RenderableType] = []
    if result.reviewed:
        repeats = f" and {plural(result.repeats, 'repeat')}" if result.repeats else ""
        tally = Text(f"Reviewed {plural(result.cards, 'card')}{repeats}: ")
        tally.append(" · ".join(f"{r.label} {result.ratings[r]}" for r in Rating
                                if result.ratings[r]))
        lines.append(tally)
    else:
        lines.append(Text("No cards reviewed."))
    if cram:
        lines.append(Text("Cram session: your schedule was not changed.", style="dim"))
    else:
        lines.append(counts_line("Before", before))
        lines.append(counts_line("Now   ", after))
    return Group(*lines)


# --- the screen -----------------------------------------------------------------------------

class FlashcardScreen(Screen):
    """The flashcard `Reviewer`, full screen: the card, then its answer and the ratings."""

    name = "cards"

    def __init__(self) -> None:
        super().__init__()
        self.card: Flashcard | None = None
        self.mode = "front"  # or "rate"
        self.hint = False
        self.selected = Rating.GOOD
        self.intervals: dict[Rating, str] | None = None
        self.rated = 0

    # --- the Reviewer protocol ------------------------------------------------------------

    def show(self, card: Flashcard, number: int, total: int, status: str, reverse: bool,
             repeat: bool = False) -> str:
        self.card, self.number, self.total = card, number, total
        self.status, self.reverse, self.repeat = status, reverse, repeat
        self.mode, self.hint, self.top, self.message = "front", False, 0, ""
        return self.run()

    def rate(self, card: Flashcard, reverse: bool,
             intervals: dict[Rating, str] | None) -> Rating | None:
        self.mode, self.intervals, self.selected = "rate", intervals, Rating.GOOD
        rating = self.run()
        if rating is not None:
            self.rated += 1
        return rating

    # --- drawing --------------------------------------------------------------------------

    def header(self, width: int) -> list[Line]:
        card = self.card
        assert card is not None
        status = STATUS_LABELS.get(self.status, self.status)
        again = " · again" if self.repeat else ""
        title = f" Flashcards · Card {self.number} of {self.total}{again} · {status}"
        right = f"Rated {self.rated} "
        d = BY_SLUG[card.domain]
        where = f" Domain {d.number} {d.name} · Task {card.task} {TASK_TITLES.get(card.task, '')}"
        gap = max(1, width - len(title) - len(right))
        return [text_line((title + " " * gap + right)[:width], "class:header"),
                text_line(where if len(where) <= width else where[: width - 1] + "…", "class:dim")]

    def body(self, width: int) -> list[Line]:
        card = self.card
        assert card is not None
        parts: list[RenderableType] = [front_view(card, self.reverse)]
        if self.hint and card.hint:
            parts.append(Text(f"Hint: {card.hint}", style="italic"))
        if self.mode == "rate":
            parts.append(answer_side(card, self.reverse))
        return rich_lines(Group(*parts), width)

    def status_lines(self, width: int) -> list[Line]:
        if self.mode != "rate":
            return []
        line: Line = [("", " ")]
        for rating in Rating:
            label = f"{int(rating)} {rating.label}"
            if self.intervals:
                label += f" {self.intervals[rating]}"
            style = "class:hl" if rating == self.selected else ""
            line += [(style, f" {label} "), ("", " ")]
        return [line]

    def footer_keys(self) -> list[tuple[str, str]]:
        if self.mode == "rate":
            return [("1-4", "rate"), ("←→ Enter", "choose"), ("PgDn", "scroll"), ("q", "stop"),
                    ("?", "keys")]
        keys = [("Space/Enter", "show the answer")]
        if self.card is not None and self.card.hint and not self.reverse and not self.hint:
            keys.append(("h", "hint"))
        return keys + [("PgDn", "scroll"), ("q", "stop"), ("?", "keys")]

    # --- keys -----------------------------------------------------------------------------

    def add_keys(self, kb: Any) -> None:
        from prompt_toolkit.filters import Condition

        front = Condition(lambda: self.mode == "front")
        rating = Condition(lambda: self.mode == "rate")

        on_key(kb, [" ", "enter"], lambda: self.exit("reveal"), filter=front)
        on_key(kb, "h", lambda: setattr(self, "hint", True), filter=front)
        on_key(kb, ["q", "escape"], lambda: self.exit(QUIT if self.mode == "front" else None),
               eager=True)
        on_key(kb, "left", lambda: setattr(self, "selected", Rating(max(1, self.selected - 1))),
               filter=rating)
        on_key(kb, "right", lambda: setattr(self, "selected", Rating(min(4, self.selected + 1))),
               filter=rating)
        on_key(kb, [" ", "enter"], lambda: self.exit(self.selected), filter=rating)
        for r in Rating:
            on_key(kb, str(int(r)), lambda r=r: self.exit(r), filter=rating)


def front_view(card: Flashcard, reverse: bool) -> RenderableType:
    if reverse:
        return Panel(Group(Text(card.back), Text(""), Text("Which term is this?", style="dim")),
                     padding=(1, 2))
    return Panel(Text(card.front, style="bold"), padding=(1, 2))


def next_due_line(cards, schedule, now, tz) -> str:
    """When the next card in scope falls due, e.g. 'Next card due tomorrow (12 cards).'"""
    from aifprep.flashcards import card_key
    from aifprep.scheduling import local_day

    dues = sorted(schedule[card_key(c)].due for c in cards if card_key(c) in schedule)
    upcoming = [d for d in dues if d > now]
    if not upcoming:
        return "No cards are scheduled yet."
    first_day = local_day(upcoming[0], tz)
    same_day = sum(1 for d in upcoming if local_day(d, tz) == first_day)
    offset = (first_day - local_day(now, tz)).days
    when = {0: "later today", 1: "tomorrow"}.get(offset, f"on {first_day:%a %d %b} (in {offset} days)")
    if offset == 0:
        when = f"at {upcoming[0].astimezone(tz):%H:%M}"
    return f"Next card due {when} ({plural(same_day, 'card')} that day)."
