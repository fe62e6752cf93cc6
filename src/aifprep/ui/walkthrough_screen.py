"""The walk-through of a finished mock exam: a pager, one question a page.

`review_record` takes any finished exam record (the last one, or an earlier one), so a
review of exam N uses the same pager. Keys: n/p (→/←) move, a number and Enter jump, a w f u
filter (all, wrong, flagged, unanswered: only the filters that have questions are
offered), PgUp/PgDn/Space/↑/↓ scroll, q closes.
"""

from __future__ import annotations

from typing import Any

from aifprep.exam import MockExamRecord
from aifprep.mock import ExamResult, grade_record
from aifprep.model import Question
from aifprep.ui.feedback_render import verdict
from aifprep.ui.mock_render import duration, item_body, walk_filters, walk_items
from aifprep.ui.result_screen import WALK, ResultScreen
from aifprep.ui.screen import Line, Screen, on_key, rich_lines, text_line

FILTER_KEYS = {"a": "all", "w": "wrong", "f": "flagged", "u": "unanswered"}


class PagerScreen(Screen):
    name = "pager"

    def __init__(self, result: ExamResult, seed: int, only: str = "all") -> None:
        super().__init__()
        self.result, self.seed = result, seed
        self.filters = walk_filters(result)
        self.only = only if only in self.filters else "all"
        self.at = 0  # index in the filtered list
        self.typed = ""  # digits of a question number to jump to
        self._lines: tuple[tuple, list[Line]] | None = None

    @property
    def items(self) -> list:
        return walk_items(self.result, self.only)

    @property
    def item(self):
        return self.items[self.at]

    def header(self, width: int) -> list[Line]:
        item, total = self.item, len(self.result.items)
        title = f" Walk-through · Question {item.number} of {total}"
        if item.flagged:
            title += " · ⚑ flagged"
        text, colour = verdict(item.question, item.grade, item.answered, item.response)
        right = f" {text} "
        gap = max(1, width - len(title) - len(right))
        style = "class:header.right" if colour == "green" else "class:header.wrong"
        shown = f" Showing {self.only}: {self.at + 1} of {len(self.items)} · " \
                f"{duration(item.seconds)} on it"
        if self.typed:
            shown += f" · go to question {self.typed}_"
        return [[("class:header", (title + " " * gap)[: width - len(right)]), (style, right)],
                text_line(shown[:width], "class:dim")]

    def body(self, width: int) -> list[Line]:
        key = (width, self.only, self.at)
        if self._lines is None or self._lines[0] != key:
            self._lines = (key, rich_lines(
                item_body(self.item, self.seed, indent=1, with_verdict=False), width))
        return self._lines[1]

    def footer_keys(self) -> list[tuple[str, str]]:
        keys = [("n/p", "next/prev"), ("number Enter", "go to"), ("PgDn/Space", "scroll")]
        if len(self.filters) > 1:
            keys.append(("/".join(k for k, f in FILTER_KEYS.items() if f in self.filters),
                         "/".join(f for f in self.filters)))
        return keys + [("q", "close"), ("?", "keys")]

    def _move(self, step: int) -> None:
        at = max(0, min(len(self.items) - 1, self.at + step))
        if at == self.at:
            self.message = "That is the last one." if step > 0 else "That is the first one."
        self.at, self.top, self.typed = at, 0, ""

    def _filter(self, name: str) -> None:
        if name not in self.filters:
            self.message = f"No {name} questions in this exam."
            return
        number = self.item.number
        self.only, self.top, self.message = name, 0, ""
        numbers = [i.number for i in self.items]
        later = [k for k, n in enumerate(numbers) if n >= number]
        self.at = later[0] if later else 0

    def _jump(self) -> None:
        number, self.typed = int(self.typed or 0), ""
        if not 1 <= number <= len(self.result.items):
            self.message = f"There is no question {number}: 1 to {len(self.result.items)}."
            return
        if number not in [i.number for i in self.items]:
            self.only = "all"
        self.at = [i.number for i in self.items].index(number)
        self.top, self.message = 0, ""

    def add_keys(self, kb: Any) -> None:
        from prompt_toolkit.filters import Condition

        typing = Condition(lambda: bool(self.typed))

        def keyed(action):
            def run() -> None:
                self.message = ""
                action()
            return run

        on_key(kb, ["n", "right"], keyed(lambda: self._move(1)))
        on_key(kb, ["p", "left"], keyed(lambda: self._move(-1)))
        on_key(kb, " ", lambda: self.scroll(max(1, self.room - 2)))
        on_key(kb, ["q", "escape"], lambda: self.exit(None), eager=True)
        for key, name in FILTER_KEYS.items():
            on_key(kb, key, keyed(lambda name=name: self._filter(name)))
        for digit in "0123456789":
            on_key(kb, digit, lambda d=digit: setattr(self, "typed", (self.typed + d)[-3:]))
        on_key(kb, "enter", self._jump, filter=typing)
        on_key(kb, "enter", keyed(lambda: self._move(1)), filter=~typing)
        on_key(kb, "backspace", lambda: setattr(self, "typed", self.typed[:-1]), filter=typing)


def review_exam(result: ExamResult, seed: int, only: str | None = None, note: str = "") -> None:
    """The result screen until a key, then (on Enter) the pager, showing `only` first."""
    if ResultScreen(result, note).run() != WALK:
        return
    PagerScreen(result, seed, only or "all").run()


def review_record(record: MockExamRecord, by_id: dict[str, Question],
                  only: str | None = None) -> ExamResult:
    """Review any finished exam record; returns its graded result."""
    result = grade_record(record, by_id)
    review_exam(result, record.seed, only)
    return result
