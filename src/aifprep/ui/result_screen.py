"""The mock exam's result as its own screen: it stays until a key."""

from __future__ import annotations

from typing import Any

from aifprep.mock import ExamResult
from aifprep.ui.mock_render import result_view
from aifprep.ui.screen import Line, Screen, on_key, rich_lines

WALK = "walk"


class ResultScreen(Screen):
    """Scaled score, PASS/FAIL, per-domain report, time used and pace; Enter walks through
    the questions, q closes."""

    name = "result"

    def __init__(self, result: ExamResult, note: str = "") -> None:
        super().__init__()
        self.result = result
        self.message = note
        self._lines: tuple[int, list[Line]] | None = None

    def header(self, width: int) -> list[Line]:
        r = self.result
        title = " AIF-C01 mock exam · Result"
        verdict = f" {'PASS' if r.passed else 'FAIL'} · {r.scaled} / 1000 "
        style = "class:header.right" if r.passed else "class:header.wrong"
        gap = max(1, width - len(title) - len(verdict))
        return [[("class:header", title + " " * gap), (style, verdict)]]

    def body(self, width: int) -> list[Line]:
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, rich_lines(result_view(self.result), width))
        return self._lines[1]

    def footer_keys(self) -> list[tuple[str, str]]:
        return [("Enter/w", "walk through the questions"), ("PgDn", "scroll"), ("q", "done"),
                ("?", "keys")]

    def add_keys(self, kb: Any) -> None:
        on_key(kb, ["enter", "w"], lambda: self.exit(WALK))
        on_key(kb, ["q", "escape"], lambda: self.exit(None), eager=True)
        on_key(kb, " ", lambda: self.scroll(max(1, self.room - 2)))
