"""The flashcard review screen: Rich panels for the card, single-key prompts for the rest.

The prompts are tiny inline prompt_toolkit applications, so a key acts at once (no Enter
needed) and the arrows move the rating selector.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from aifprep.domains import BY_SLUG
from aifprep.flashcards import QUIT, DeckCounts, SessionResult
from aifprep.model import Flashcard
from aifprep.scheduling import Rating
from aifprep.services import Catalog, card_texts
from aifprep.ui.keys import run_key_prompt

RATING_STYLES = {Rating.AGAIN: "red", Rating.HARD: "yellow", Rating.GOOD: "green",
                 Rating.EASY: "cyan"}
STATUS_LABELS = {"new": "New", "learning": "Learning", "relearning": "Relearning",
                 "review": "Review", "cram": "Cram (schedule unchanged)"}


def card_header(card: Flashcard, number: int, total: int, status: str) -> str:
    domain = BY_SLUG[card.domain]
    return (f"Card {number} of {total} · {STATUS_LABELS.get(status, status)} · "
            f"Domain {domain.number} · Task {card.task}")


def question_side(card: Flashcard, number: int, total: int, status: str,
                  reverse: bool) -> Panel:
    if reverse:
        body = Group(Text(card.back), Text(""), Text("Which term is this?", style="dim"))
    else:
        body = Text(card.front, style="bold")
    return Panel(body, title=card_header(card, number, total, status), title_align="left",
                 padding=(1, 2))


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
    from aifprep.ui.render import availability_notes

    parts += availability_notes(catalog, card_texts(card))
    return Panel(Group(*parts), border_style="green", padding=(1, 2))


def counts_line(label: str, counts: DeckCounts) -> Text:
    return Text(f"{label}: {counts.describe()}")


def session_summary(result: SessionResult, before: DeckCounts, after: DeckCounts,
                    cram: bool) -> RenderableType:
    lines: list[RenderableType] = []
    if result.reviewed:
        tally = Text(f"Reviewed {result.reviewed} card{'s' if result.reviewed != 1 else ''}: ")
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


# --- keys -----------------------------------------------------------------------------------

def ask_reveal(can_hint: bool) -> str:
    """Wait for Space/Enter (reveal), h (hint) or q (quit); Ctrl-C raises KeyboardInterrupt."""
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    def done(value: str):
        return lambda event: event.app.exit(result=value)

    for key in (" ", "enter"):
        kb.add(key)(done("reveal"))
    if can_hint:
        kb.add("h")(done("hint"))
    kb.add("q")(done(QUIT))
    kb.add("escape", eager=True)(done(QUIT))
    hint = " · h hint" if can_hint else ""
    text = [("bold", "> "), ("", f"Space/Enter show the answer{hint} · q quit")]
    return run_key_prompt(lambda: text, kb)


def ask_rating(intervals: dict[Rating, str] | None) -> Rating | None:
    """Pick Again/Hard/Good/Easy: 1-4 at once, or ←/→ and Enter. q quits (None)."""
    from prompt_toolkit.key_binding import KeyBindings

    selected = [Rating.GOOD]
    kb = KeyBindings()

    @kb.add("left")
    def _left(event) -> None:
        selected[0] = Rating(max(1, selected[0] - 1))

    @kb.add("right")
    def _right(event) -> None:
        selected[0] = Rating(min(4, selected[0] + 1))

    @kb.add("enter")
    @kb.add(" ")
    def _enter(event) -> None:
        event.app.exit(result=selected[0])

    for rating in Rating:
        kb.add(str(int(rating)))(lambda event, r=rating: event.app.exit(result=r))
    kb.add("q")(lambda event: event.app.exit(result=None))
    kb.add("escape", eager=True)(lambda event: event.app.exit(result=None))

    def render():
        parts = [("bold", "> ")]
        for rating in Rating:
            label = f"{int(rating)} {rating.label}"
            if intervals:
                label += f" {intervals[rating]}"
            style = f"reverse {RATING_STYLES[rating]}" if rating == selected[0] else RATING_STYLES[rating]
            parts += [(style, f" {label} "), ("", " ")]
        parts.append(("", " ←/→ Enter · q quit"))
        return parts

    return run_key_prompt(render, kb)


class TerminalReviewer:
    """Shows cards with Rich and reads single keys with prompt_toolkit."""

    def __init__(self, console: Console, catalog: Catalog | None = None) -> None:
        self.console = console
        self.catalog = catalog  # availability notes under the answer

    def show(self, card: Flashcard, number: int, total: int, status: str, reverse: bool) -> str:
        if self.console.is_terminal and number > 1:  # keep the counts above the first card
            self.console.clear()
        self.console.print(question_side(card, number, total, status, reverse))
        can_hint = bool(card.hint) and not reverse
        while True:
            choice = ask_reveal(can_hint)
            if choice != "hint":
                return choice
            self.console.print(Text(f"Hint: {card.hint}", style="italic"))
            can_hint = False

    def rate(self, card: Flashcard, reverse: bool,
             intervals: dict[Rating, str] | None) -> Rating | None:
        self.console.print(answer_side(card, reverse, self.catalog))
        return ask_rating(intervals)


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
    return f"Next card due {when} ({same_day} card{'s' if same_day != 1 else ''} that day)."
