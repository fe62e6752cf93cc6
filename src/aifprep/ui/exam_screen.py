"""The mock exam screen: a full-screen view over the shared screen parts.

The header is a function of the clock and the screen redraws every second, so the
countdown ticks while the candidate reads or picks; a background task submits the exam
when time runs out and saves the time used every few seconds. Every key that changes
anything goes through `ExamScreenApp._act`, which counts the time spent, applies a pure
step from `mock.py` and calls the save hook (one call, so the way of saving can change).

The save hook (`exam_session.BackgroundSaver`) only queues the state for a worker thread,
so the clock never waits for the disk. When another terminal takes the exam over, the
screen closes (TAKEN_OVER) within a fraction of a second and saves nothing more.
"""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import replace
from typing import Any, Callable

from aifprep.exam import ExamState
from aifprep.exam_session import INTERRUPTED, PAUSED, SUBMITTED, TAKEN_OVER, TIMED_OUT, Save
from aifprep.grading import presentation_order
from aifprep.mock import answered_count, go_to, is_answered, pace, set_response, spend, toggle_flag
from aifprep.model import Question
from aifprep.ui.answer_pad import AnswerPad
from aifprep.ui.keymap import OPTION_LETTERS
from aifprep.ui.screen import Line, Screen, on_key, text_line
from aifprep.ui.text import clock_text

__all__ = ["ExamScreenApp", "clock_text"]

AUTOSAVE_SECONDS = 10  # the time used is saved at least this often
LOW_TIME_SECONDS = 300  # the clock turns red in the last five minutes


class ExamScreenApp(Screen):
    """One sitting of the exam screen; `run()` returns the last state and the outcome."""

    name = "exam"
    refresh_interval = 1.0
    arrows_scroll = False

    def __init__(self, timer: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.timer = timer

    # --- the ExamScreen protocol ----------------------------------------------------------

    def run(self, state: ExamState, by_id: dict[str, Question], save: Save) -> tuple[ExamState, str]:  # type: ignore[override]
        self.start(state, by_id, save)
        outcome = super().run()
        self._commit_time()
        if outcome != TAKEN_OVER:
            self.state = self.save(self.state)
        return self.state, outcome or INTERRUPTED

    def start(self, state: ExamState, by_id: dict[str, Question], save: Save) -> None:
        self.state, self.by_id, self.save = state, by_id, save
        self.mark = self.last_save = self.timer()
        self.mode = "question"  # or "review" or "confirm"
        self.back_to = "question"  # the screen a cancelled confirmation returns to
        self.review_cursor = state.position
        self._pad: tuple[int, AnswerPad] | None = None
        self._cursor_line = 0

    # --- time -----------------------------------------------------------------------------

    def _commit_time(self) -> None:
        now = self.timer()
        self.state = spend(self.state, now - self.mark)
        self.mark = now

    def _time_left(self) -> float:
        return self.state.time_left - (self.timer() - self.mark)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            if getattr(self.save, "taken_over", None):
                self.exit(TAKEN_OVER)
                return
            if getattr(self.save, "error", None):
                self.message = f"Not saved: {self.save.error}"
            if self._time_left() <= 0:
                self.exit(TIMED_OUT)
                return
            if self.timer() - self.last_save >= AUTOSAVE_SECONDS:
                self._act(lambda s: s)

    def pre_run(self, app: Any) -> None:
        app.create_background_task(self._watch())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, lambda: self.exit(INTERRUPTED))
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
                pass

    def on_interrupt(self) -> None:
        self.exit(INTERRUPTED)

    def _act(self, step: Callable[[ExamState], ExamState]) -> None:
        """Count the time, apply a pure step, save: after every action."""
        self._commit_time()
        self.state = self.save(step(self.state))
        self.last_save = self.timer()

    # --- the current question -------------------------------------------------------------

    @property
    def index(self) -> int:
        return self.state.position

    @property
    def pad(self) -> AnswerPad:
        if self._pad is None or self._pad[0] != self.index:
            index = self.index
            q = self.by_id[self.state.questions[index]]
            pad = AnswerPad(q, presentation_order(q, self.state.seed),
                            self.state.responses[index],
                            lambda r: self._act(lambda s: set_response(s, index, r)))
            self._pad = (index, pad)
        return self._pad[1]

    def _go(self, index: int) -> None:
        if 0 <= index < len(self.state.questions) and index != self.index:
            self._act(lambda s: go_to(s, index))
            self.message = ""
            self.top = 0
            self._last_cursor = None

    def _key(self, action: Callable[[], None]) -> None:
        """Run a pad key and show what the pad says."""
        action()
        self.message = self.pad.message

    # --- drawing --------------------------------------------------------------------------

    def header(self, width: int) -> list[Line]:
        s = self.state
        n = len(s.questions)
        answered = answered_count(s, self.by_id)
        left = self._time_left()
        where = "Review" if self.mode == "review" else f"Question {self.index + 1} of {n}"
        flag = "  ⚑ Flagged" if s.flags[self.index] and self.mode != "review" else ""
        title = f" AIF-C01 mock exam · {where}{flag}"
        clock = f"Time left {clock_text(left)} "
        pad = max(1, width - len(title) - len(clock))
        style = "class:header.low" if left <= LOW_TIME_SECONDS else "class:header"
        hint = pace(replace(s, elapsed=s.elapsed + (self.timer() - self.mark)), answered).describe()
        line2 = f" Answered {answered} of {n} · Flagged {sum(s.flags)} · {hint}"
        return [text_line((title + " " * pad + clock)[:width], style), text_line(line2[:width])]

    def footer_keys(self) -> list[tuple[str, str]]:
        if self.mode == "confirm":
            return [("y", "submit"), ("any other key", "go back")]
        if self.mode == "review":
            return [("↑↓", "move"), ("Enter", "go to question"), ("f", "flag"),
                    ("r/Esc", "back"), ("s", "submit"), ("q", "pause & save"), ("?", "keys")]
        return [("1-9", "pick"), ("↑↓ Space", "choose"), ("⌫", "undo"), ("←→ p/n", "prev/next"),
                ("f", "flag"), ("r", "review"), ("s", "submit"), ("q", "pause & save"),
                ("?", "keys")]

    def pinned(self, width: int) -> list[Line]:
        if self.mode == "review" or (self.mode == "confirm" and self.back_to == "review"):
            return []
        return self.pad.stem_lines(width - 1)

    def body(self, width: int) -> list[Line]:
        if self.mode == "review" or (self.mode == "confirm" and self.back_to == "review"):
            return self._review_body(width - 1)
        lines, self._cursor_line = self.pad.lines(width - 1)
        return lines

    def cursor(self) -> int | None:
        if self.mode == "review":
            return self.review_cursor + 1
        return self._cursor_line

    def compose(self, width: int, height: int) -> list[Line]:
        if self.mode == "confirm":
            s = self.state
            unanswered = len(s.questions) - answered_count(s, self.by_id)
            self.message = (f"Submit the exam now? {unanswered} unanswered, {sum(s.flags)} "
                            "flagged. Unanswered questions count as wrong.")
        return super().compose(width, height)

    def _review_body(self, width: int) -> list[Line]:
        s = self.state
        out: list[Line] = [text_line(" #   Flag  State       Question", "class:dim")]
        for i, (qid, resp, flag) in enumerate(zip(s.questions, s.responses, s.flags)):
            q = self.by_id[qid]
            state = "Answered" if is_answered(q, resp) else ("Incomplete" if resp else "Unanswered")
            stem = " ".join(q.stem.split())
            line = f" {i + 1:>2}  {'⚑' if flag else ' '}     {state:<11} {stem}"
            line = line if len(line) <= width else line[: width - 1] + "…"
            style = "class:hl" if i == self.review_cursor else ("class:dim" if state == "Answered" else "")
            out.append(text_line(line.ljust(width), style))
        return out

    # --- keys -----------------------------------------------------------------------------

    def add_keys(self, kb: Any) -> None:
        from prompt_toolkit.filters import Condition

        question = Condition(lambda: self.mode == "question")
        review = Condition(lambda: self.mode == "review")
        confirming = Condition(lambda: self.mode == "confirm")

        on_key(kb, "q", lambda: self.exit(PAUSED), filter=~confirming)
        on_key(kb, ["up", "k"], lambda: self._key(lambda: self.pad.move(-1)), filter=question)
        on_key(kb, ["down", "j"], lambda: self._key(lambda: self.pad.move(1)), filter=question)
        on_key(kb, [" ", "enter"], lambda: self._key(self.pad.press), filter=question)
        for n, keys in enumerate(zip("123456789", OPTION_LETTERS + "    ")):
            on_key(kb, [k for k in keys if k != " "],
                   lambda n=n: self._key(lambda: self.pad.choose(n)), filter=question)
        on_key(kb, ["backspace", "delete"], lambda: self._key(self.pad.undo), filter=question)

        def forward() -> None:
            if self.index + 1 == len(self.state.questions):
                self.message = "That was the last question: r opens the review, s submits."
            self._go(self.index + 1)

        on_key(kb, ["right", "n"], forward, filter=question)
        on_key(kb, ["left", "p"], lambda: self._go(self.index - 1), filter=question)
        on_key(kb, "f", lambda: self._flag(self.index), filter=question)
        on_key(kb, "f", lambda: self._flag(self.review_cursor), filter=review)

        def open_review() -> None:
            self.mode, self.review_cursor, self.message = "review", self.index, ""
            self.top, self._last_cursor = 0, None

        def close_review() -> None:
            self.mode, self.top, self._last_cursor = "question", 0, None

        on_key(kb, "r", open_review, filter=question)
        on_key(kb, ["r", "escape"], close_review, filter=review)

        def review_move(step: int) -> None:
            self.review_cursor = max(0, min(len(self.state.questions) - 1,
                                            self.review_cursor + step))

        on_key(kb, ["up", "k"], lambda: review_move(-1), filter=review)
        on_key(kb, ["down", "j"], lambda: review_move(1), filter=review)

        def jump() -> None:
            close_review()
            self._go(self.review_cursor)

        on_key(kb, ["enter", " "], jump, filter=review)

        def confirm() -> None:
            self.back_to, self.mode = self.mode, "confirm"

        on_key(kb, "s", confirm, filter=~confirming)
        on_key(kb, ["y", "Y"], lambda: self.exit(SUBMITTED), filter=confirming)

        @kb.add("<any>", filter=confirming)
        def _(event) -> None:
            self.mode, self.message = self.back_to, ""

    def _flag(self, index: int) -> None:
        self._act(lambda s: toggle_flag(s, index))

