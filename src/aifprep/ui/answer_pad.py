"""Answering one question by keys, the same way in the quiz and the mock exam.

An `AnswerPad` holds the question, its option order, the response so far and the
highlight. Keys call `choose`, `press`, `undo` and `move`; every change of the response is
passed to `on_change` (the exam saves it). `lines()` lays the question out: the stem to pin
above the options, the options with the highlight, and which line the highlight is on.
Text from the bank is passed to prompt_toolkit as plain fragments, never as markup.
"""

from __future__ import annotations

from typing import Callable

from aifprep.mock import is_answered
from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.ui.screen import Line
from aifprep.ui.text import wrap

Response = tuple | None


class AnswerPad:
    def __init__(self, question: Question, order: tuple, response: Response = None,
                 on_change: Callable[[Response], None] | None = None) -> None:
        self.question, self.order = question, order
        self.response = response
        self.on_change = on_change
        self.cursor = 0
        self.message = ""

    # --- state ----------------------------------------------------------------------------

    def items(self) -> list:
        """What ↑/↓ move over: options, the steps not placed yet, or the prompts."""
        q = self.question
        if isinstance(q, Ordering):
            placed = self.response or ()
            return [i for i in self.order if i not in placed]
        if isinstance(q, Matching):
            return list(range(len(q.pairs)))
        return list(self.order)

    @property
    def complete(self) -> bool:
        return is_answered(self.question, self.response)

    def missing(self) -> str:
        """Why the answer cannot be confirmed yet ('' when it can)."""
        q, resp = self.question, self.response or ()
        if self.complete:
            return ""
        if isinstance(q, SingleChoice):
            return "Choose an answer first (its number, or ↑/↓ and Space)."
        if isinstance(q, MultipleChoice):
            return f"Choose exactly {q.picks} answers: {len(resp)} chosen so far."
        if isinstance(q, Ordering):
            return f"Place every step: {len(resp)} of {len(q.steps)} placed."
        unmatched = sum(g is None for g in resp) if resp else len(q.pairs)
        return f"Match every item: {unmatched} not matched yet."

    def _set(self, response: Response) -> None:
        self.response = response
        if self.on_change is not None:
            self.on_change(response)

    def move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.items()) - 1, self.cursor + step))

    # --- keys -----------------------------------------------------------------------------

    def choose(self, n: int) -> None:
        """Choose the n-th item as numbered on screen (0-based)."""
        q, resp = self.question, self.response
        self.message = ""
        if isinstance(q, SingleChoice):
            if n < len(q.options):
                self.cursor = n
                self._set((self.order[n],))
        elif isinstance(q, MultipleChoice):
            if n >= len(q.options):
                return
            self.cursor = n
            option, picked = self.order[n], set(resp or ())
            if option in picked:
                picked.discard(option)
            elif len(picked) >= q.picks:
                self.message = (f"This question asks for exactly {q.picks} answers and "
                                f"{len(picked)} are ticked: untick one first (its number "
                                f"or Space).")
                return
            else:
                picked.add(option)
            self._set(tuple(sorted(picked)) or None)
        elif isinstance(q, Ordering):
            placed = list(resp or ())
            if n >= len(self.order) or self.order[n] in placed:
                return
            placed.append(self.order[n])
            left = [i for i in self.order if i not in placed]
            if len(left) == 1:
                placed += left
            self.cursor = 0
            self._set(tuple(placed))
        else:
            assert isinstance(q, Matching)
            if n >= len(self.order):
                return
            given = list(resp or (None,) * len(q.pairs))
            given[self.cursor] = self.order[n]
            self._set(tuple(given))
            if None in given:  # on to the next item not matched yet
                later = [k for k, g in enumerate(given) if g is None and k > self.cursor]
                self.cursor = later[0] if later else given.index(None)

    def press(self) -> None:
        """Space: tick or choose the highlighted item (cycle a matching item's answer)."""
        q = self.question
        items = self.items()
        if not items:
            return
        self.cursor = min(self.cursor, len(items) - 1)
        if isinstance(q, Ordering):
            self.choose(self.order.index(items[self.cursor]))
        elif isinstance(q, Matching):
            given = list(self.response or (None,) * len(q.pairs))
            now = given[self.cursor]
            nxt = 0 if now is None else (self.order.index(now) + 1) % len(self.order)
            given[self.cursor] = self.order[nxt]
            self.message = ""
            self._set(tuple(given))
        else:
            self.choose(self.cursor)

    def undo(self) -> None:
        """⌫: take back the last step placed or matched, or clear the answer."""
        q, resp = self.question, self.response
        self.message = ""
        if not resp:
            return
        if isinstance(q, Ordering):
            placed = list(resp)[:-1]
            if len(q.steps) - len(placed) < 2 and placed:
                placed.pop()
            self.cursor = 0
            self._set(tuple(placed) or None)
        elif isinstance(q, Matching):
            given = list(resp)
            if given[self.cursor] is None and self.cursor > 0:
                self.cursor -= 1
            given[self.cursor] = None
            self._set(None if all(g is None for g in given) else tuple(given))
        else:
            self._set(None)

    # --- layout ---------------------------------------------------------------------------

    def stem_lines(self, width: int) -> list[Line]:
        q = self.question
        lines: list[Line] = []
        if q.case_text:
            lines.append([("class:chosen", " Scenario:")])
            lines += [[("", line)] for line in wrap(q.case_text, width, " ")]
            lines.append([])
        lines += [[("", line)] for line in wrap(q.stem, width, " ")]
        return lines

    def lines(self, width: int) -> tuple[list[Line], int]:
        """The instruction and the options with the highlight; the highlighted line."""
        q, resp = self.question, self.response
        lines: list[Line] = []
        cursor_line = 0

        def add(text: str, style: str = "", first: str = " ", rest: str | None = None,
                highlight: bool = False) -> None:
            for line in wrap(text, width, first, rest):
                lines.append([(style, line.ljust(width) if highlight else line)])

        items = self.items()
        self.cursor = max(0, min(self.cursor, len(items) - 1))
        if isinstance(q, (SingleChoice, MultipleChoice)):
            picked = set(resp or ())
            single = isinstance(q, SingleChoice)
            add("Choose ONE answer." if single else
                f"Choose {q.picks} answers ({len(picked)} of {q.picks} chosen).", "class:dim")
            for n, opt in enumerate(self.order):
                box = ("(•)" if opt in picked else "( )") if single else \
                    ("[x]" if opt in picked else "[ ]")
                here = n == self.cursor
                if here:
                    cursor_line = len(lines)
                style = "class:hl" if here else ("class:chosen" if opt in picked else "")
                add(q.options[opt].text, style, f" {box} {n + 1}. ", highlight=here)
        elif isinstance(q, Ordering):
            placed = resp or ()
            add("Put the steps in order: pick the step for each position in turn "
                "(⌫ takes the last one back).", "class:dim")
            for pos in range(len(q.steps)):
                if pos < len(placed):
                    add(q.steps[placed[pos]].text, "class:chosen", f"   {pos + 1}. ")
                else:
                    add("…", "class:dim", f"   {pos + 1}. ")
            lines.append([])
            if items:
                add(f"Pick the step for position {len(placed) + 1}:", "class:dim")
                for k, step in enumerate(items):
                    if k == self.cursor:
                        cursor_line = len(lines)
                    add(q.steps[step].text, "class:hl" if k == self.cursor else "",
                        f" {self.order.index(step) + 1}. ", highlight=k == self.cursor)
            else:
                add("All steps placed. ⌫ takes the last ones back.", "class:dim")
        else:
            assert isinstance(q, Matching)
            given = resp or (None,) * len(q.pairs)
            add("Give each item (▸) an answer's number; an answer may fit several or none.",
                "class:dim")
            for n, a in enumerate(self.order):
                add(a, "", f"   {n + 1}. ")
            lines.append([])
            for k, pair in enumerate(q.pairs):
                here = k == self.cursor
                if here:
                    cursor_line = len(lines)
                choice = "(not matched yet)" if given[k] is None else \
                    f"{self.order.index(given[k]) + 1}. {given[k]}"
                add(pair.prompt, "class:hl" if here else "", " ▸ " if here else "   ",
                    highlight=here)
                add(choice, "class:chosen" if given[k] is not None else "class:dim", "     → ")
        return lines, cursor_line
