"""The mock exam screen: a full-screen prompt_toolkit application.

The header is a function of the clock and the application redraws every second
(`refresh_interval`), so the countdown ticks while the candidate reads or picks; a
background task submits the exam when time runs out and saves the time used every few
seconds. Saving only queues the state for `exam_session.BackgroundSaver`'s thread, so the
clock never waits for the disk; when another terminal takes the exam over, the screen
closes (TAKEN_OVER) within a fraction of a second. Every key that changes anything goes through `ExamScreenApp._act`, which counts
the time spent, applies a pure step from `mock.py` and saves the state.

Question text is passed to prompt_toolkit as plain text fragments, never as markup.
"""

from __future__ import annotations

import asyncio
import math
import signal
import textwrap
import time
from typing import Callable

from aifprep.exam import ExamState
from aifprep.exam_session import INTERRUPTED, PAUSED, SUBMITTED, TAKEN_OVER, TIMED_OUT, Save
from aifprep.grading import presentation_order
from aifprep.mock import (
    answered_count,
    go_to,
    is_answered,
    pace,
    set_response,
    spend,
    toggle_flag,
)
from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.ui.text import unwrap

AUTOSAVE_SECONDS = 10  # the time used is saved at least this often
LOW_TIME_SECONDS = 300  # the clock turns red in the last five minutes

Fragments = list[tuple[str, str]]

STYLE = {
    "header": "reverse",
    "header.low": "reverse bold fg:ansired",
    "rule": "fg:ansibrightblack",
    "dim": "fg:ansibrightblack",
    "hl": "reverse",
    "chosen": "bold",
    "flag": "bold fg:ansiyellow",
    "msg": "bold fg:ansiyellow",
    "key": "bold",
}


def clock_text(seconds: float) -> str:
    """Seconds left as H:MM:SS (rounded up, so 0:00:00 only when time is up)."""
    s = max(0, math.ceil(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """Word-wrap text (keeping its own line breaks) with a first-line and a hanging indent."""
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    for para in unwrap(text).split("\n"):
        prefix = first if not lines else rest
        lines += textwrap.wrap(para, max(10, width), initial_indent=prefix,
                               subsequent_indent=rest) or [prefix]
    return lines


class ExamScreenApp:
    """One sitting of the exam screen; `run()` returns the last state and the outcome."""

    def __init__(self, timer: Callable[[], float] = time.monotonic) -> None:
        self.timer = timer

    # --- the ExamScreen protocol ----------------------------------------------------------

    def run(self, state: ExamState, by_id: dict[str, Question], save: Save) -> tuple[ExamState, str]:
        self.state, self.by_id, self.save = state, by_id, save
        self.mark = self.last_save = self.timer()
        self.mode = "question"  # or "review" or "confirm"
        self.back_to = "question"  # the screen a cancelled confirmation returns to
        self.cursor = 0  # highlighted option / step / prompt
        self.review_cursor = state.position
        self.message = ""
        self._orders: dict[str, tuple] = {}
        app = self._application()
        outcome = app.run(pre_run=lambda: self._pre_run(app))
        self._commit_time()
        if outcome != TAKEN_OVER:
            self.state = self.save(self.state)
        return self.state, outcome or INTERRUPTED

    # --- time -----------------------------------------------------------------------------

    def _commit_time(self) -> None:
        now = self.timer()
        self.state = spend(self.state, now - self.mark)
        self.mark = now

    def _time_left(self) -> float:
        return self.state.time_left - (self.timer() - self.mark)

    async def _watch(self, app) -> None:
        while True:
            await asyncio.sleep(0.2)
            if getattr(self.save, "taken_over", None):
                app.exit(result=TAKEN_OVER)
                return
            if getattr(self.save, "error", None):
                self.message = f"Not saved: {self.save.error}"
            if self._time_left() <= 0:
                app.exit(result=TIMED_OUT)
                return
            if self.timer() - self.last_save >= AUTOSAVE_SECONDS:
                self._act(lambda s: s)

    def _pre_run(self, app) -> None:
        app.create_background_task(self._watch(app))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, lambda: app.exit(result=INTERRUPTED))
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
                pass

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
    def question(self) -> Question:
        return self.by_id[self.state.questions[self.index]]

    @property
    def response(self) -> tuple | None:
        return self.state.responses[self.index]

    def order(self, q: Question) -> tuple:
        if q.id not in self._orders:
            self._orders[q.id] = presentation_order(q, self.state.seed)
        return self._orders[q.id]

    def _items(self) -> list:
        """What the up/down keys move over on the question screen."""
        q = self.question
        if isinstance(q, Ordering):
            placed = self.response or ()
            return [i for i in self.order(q) if i not in placed]
        if isinstance(q, Matching):
            return list(range(len(q.pairs)))
        return list(self.order(q))

    def _respond(self, response: tuple | None) -> None:
        index = self.index
        self._act(lambda s: set_response(s, index, response))

    def _choose(self, n: int) -> None:
        """Choose the n-th item as numbered on screen (0-based)."""
        q, resp = self.question, self.response
        self.message = ""
        if isinstance(q, SingleChoice):
            if n < len(q.options):
                self.cursor = n
                self._respond((self.order(q)[n],))
        elif isinstance(q, MultipleChoice):
            if n >= len(q.options):
                return
            self.cursor = n
            option, picked = self.order(q)[n], set(resp or ())
            if option in picked:
                picked.discard(option)
            elif len(picked) >= q.picks:
                self.message = f"Choose exactly {q.picks}: untick one first (Space)."
                return
            else:
                picked.add(option)
            self._respond(tuple(sorted(picked)) or None)
        elif isinstance(q, Ordering):
            order, placed = self.order(q), list(resp or ())
            if n >= len(order) or order[n] in placed:
                return
            placed.append(order[n])
            left = [i for i in order if i not in placed]
            if len(left) == 1:
                placed += left
            self.cursor = 0
            self._respond(tuple(placed))
        else:
            assert isinstance(q, Matching)
            answers = self.order(q)
            if n >= len(answers):
                return
            given = list(resp or (None,) * len(q.pairs))
            given[self.cursor] = answers[n]
            self._respond(tuple(given))
            self.cursor = min(self.cursor + 1, len(q.pairs) - 1)

    def _press(self) -> None:
        """Space / Enter on the highlighted item."""
        q = self.question
        items = self._items()
        if not items:
            return
        if isinstance(q, Ordering):
            self._choose(self.order(q).index(items[self.cursor]))
        elif isinstance(q, Matching):
            answers = self.order(q)
            given = list(self.response or (None,) * len(q.pairs))
            now = given[self.cursor]
            nxt = 0 if now is None else (answers.index(now) + 1) % len(answers)
            given[self.cursor] = answers[nxt]
            self._respond(tuple(given))
        else:
            self._choose(self.cursor)

    def _undo(self) -> None:
        """Backspace: take back the last step placed, or clear the highlighted answer."""
        q, resp = self.question, self.response
        self.message = ""
        if not resp:
            return
        if isinstance(q, Ordering):
            placed = list(resp)[:-1]
            if len(q.steps) - len(placed) < 2 and placed:
                placed.pop()
            self._respond(tuple(placed) or None)
        elif isinstance(q, Matching):
            given = list(resp)
            given[self.cursor] = None
            self._respond(None if all(g is None for g in given) else tuple(given))
        else:
            self._respond(None)

    def _go(self, index: int) -> None:
        if 0 <= index < len(self.state.questions) and index != self.index:
            self._act(lambda s: go_to(s, index))
            self.cursor = 0
            self.message = ""

    # --- drawing --------------------------------------------------------------------------

    def _width(self) -> int:
        from prompt_toolkit.application import get_app

        return get_app().output.get_size().columns

    def header(self) -> Fragments:
        width = self._width()
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
        elapsed = s.elapsed + (self.timer() - self.mark)
        hint = pace(_with_elapsed(s, elapsed), answered).describe()
        line2 = f" Answered {answered} of {n} · Flagged {sum(s.flags)} · {hint}"
        return [(style, title + " " * pad + clock), ("", "\n"), ("", line2[:width]),
                ("", "\n"), ("class:rule", "─" * width)]

    def footer(self) -> Fragments:
        width = self._width()
        out: Fragments = [("class:rule", "─" * width + "\n")]
        if self.mode == "confirm":
            s = self.state
            unanswered = len(s.questions) - answered_count(s, self.by_id)
            text = (f" Submit the exam now? {unanswered} unanswered, {sum(s.flags)} flagged. "
                    "Unanswered questions count as wrong.")
            out += [("class:msg", "\n".join(wrap(text, width - 1)) + "\n"),
                    ("class:key", " y"), ("", " submit   "), ("class:key", "any other key"),
                    ("", " go back")]
            return out
        if self.message:
            out += [("class:msg", " " + self.message[: width - 2] + "\n")]
        if self.mode == "review":
            keys = [("↑↓", "move"), ("Enter", "go to question"), ("f", "flag"),
                    ("r/Esc", "back"), ("s", "submit"), ("q", "pause & save")]
        else:
            keys = [("↑↓", "move"), ("Space/Enter", "choose"), ("1-9", "pick"),
                    ("⌫", "undo"), ("←→ p/n", "prev/next"), ("f", "flag"), ("r", "review"),
                    ("s", "submit"), ("q", "pause & save")]
        line_len = 0
        for key, what in keys:
            piece = len(key) + len(what) + 3
            if line_len + piece > width - 1:
                out.append(("", "\n"))
                line_len = 0
            out += [("class:key", " " + key), ("", f" {what} ")]
            line_len += piece
        return out

    def body(self) -> Fragments:
        if self.mode == "review" or (self.mode == "confirm" and self.back_to == "review"):
            return self._review_body()
        return self._question_body()

    def _question_body(self) -> Fragments:
        width = self._width() - 3  # room for the scrollbar
        q, resp = self.question, self.response
        out: Fragments = []
        lines: list[tuple[str, str]] = []  # (style, line)
        cursor_line = 0

        def add(text: str, style: str = "", first: str = " ", rest: str | None = None) -> None:
            for line in wrap(text, width, first, rest):
                lines.append((style, line))

        if q.case_text:
            add("Scenario:", "class:chosen")
            add(q.case_text)
            lines.append(("", ""))
        add(q.stem)
        lines.append(("", ""))
        items = self._items()
        self.cursor = max(0, min(self.cursor, len(items) - 1))
        if isinstance(q, (SingleChoice, MultipleChoice)):
            picked = set(resp or ())
            single = isinstance(q, SingleChoice)
            add("Choose ONE answer." if single else
                f"Choose {q.picks} answers ({len(picked)} of {q.picks} chosen).", "class:dim")
            for n, opt in enumerate(self.order(q)):
                box = ("(•)" if opt in picked else "( )") if single else \
                    ("[x]" if opt in picked else "[ ]")
                style = "class:hl" if n == self.cursor else ("class:chosen" if opt in picked else "")
                if n == self.cursor:
                    cursor_line = len(lines)
                add(q.options[opt].text, style, f" {box} {n + 1}. ")
        elif isinstance(q, Ordering):
            placed = resp or ()
            order = self.order(q)
            add("Put the steps in order: pick the step for each position in turn.", "class:dim")
            for pos in range(len(q.steps)):
                if pos < len(placed):
                    add(q.steps[placed[pos]].text, "class:chosen", f"   {pos + 1}. ")
                else:
                    add("…", "class:dim", f"   {pos + 1}. ")
            lines.append(("", ""))
            if items:
                add(f"Pick the step for position {len(placed) + 1}:", "class:dim")
                for k, step in enumerate(items):
                    if k == self.cursor:
                        cursor_line = len(lines)
                    add(q.steps[step].text, "class:hl" if k == self.cursor else "",
                        f" {order.index(step) + 1}. ")
            else:
                add("All steps placed. ⌫ takes the last ones back.", "class:dim")
        else:
            assert isinstance(q, Matching)
            answers = self.order(q)
            given = resp or (None,) * len(q.pairs)
            add("Match each item to an answer (an answer may fit none or several items).",
                "class:dim")
            add("Answers:", "class:dim")
            for n, a in enumerate(answers):
                add(a, "", f"   {n + 1}. ")
            lines.append(("", ""))
            for k, pair in enumerate(q.pairs):
                if k == self.cursor:
                    cursor_line = len(lines)
                choice = "(not matched yet)" if given[k] is None else \
                    f"{answers.index(given[k]) + 1}. {given[k]}"
                style = "class:hl" if k == self.cursor else ""
                add(pair.prompt, style, " ▸ " if k == self.cursor else "   ")
                add(choice, "class:chosen" if given[k] is not None else "class:dim", "     → ")
        if self.cursor == 0 and len(items) and not isinstance(q, Matching):
            cursor_line = 0 if len(lines) < 40 else cursor_line  # show the stem from its top
        for n, (style, line) in enumerate(lines):
            if n == cursor_line:
                out.append(("[SetCursorPosition]", ""))
            out.append((style, line.ljust(width) if "hl" in style else line))
            out.append(("", "\n"))
        return out

    def _review_body(self) -> Fragments:
        width = self._width() - 3
        s = self.state
        out: Fragments = [("class:dim", " #   Flag  State       Question\n")]
        for i, (qid, resp, flag) in enumerate(zip(s.questions, s.responses, s.flags)):
            q = self.by_id[qid]
            state = "Answered" if is_answered(q, resp) else ("Incomplete" if resp else "Unanswered")
            stem = " ".join(q.stem.split())
            line = f" {i + 1:>2}  {'⚑' if flag else ' '}     {state:<11} {stem}"
            line = line if len(line) <= width else line[: width - 1] + "…"
            if i == self.review_cursor:
                out.append(("[SetCursorPosition]", ""))
            style = "class:hl" if i == self.review_cursor else ("class:dim" if state == "Answered" else "")
            out += [(style, line.ljust(width)), ("", "\n")]
        return out

    # --- keys -----------------------------------------------------------------------------

    def _bindings(self, app_exit: Callable[[str], None]):
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings

        kb = KeyBindings()
        in_question = Condition(lambda: self.mode == "question")
        in_review = Condition(lambda: self.mode == "review")
        confirming = Condition(lambda: self.mode == "confirm")

        @kb.add("c-c")
        def _(event) -> None:
            app_exit(INTERRUPTED)

        @kb.add("q", filter=~confirming)
        def _(event) -> None:
            app_exit(PAUSED)

        @kb.add("up", filter=in_question)
        @kb.add("k", filter=in_question)
        def _(event) -> None:
            self.cursor = max(0, self.cursor - 1)

        @kb.add("down", filter=in_question)
        @kb.add("j", filter=in_question)
        def _(event) -> None:
            self.cursor = min(len(self._items()) - 1, self.cursor + 1)

        @kb.add(" ", filter=in_question)
        @kb.add("enter", filter=in_question)
        def _(event) -> None:
            self._press()

        for digit in "123456789":
            @kb.add(digit, filter=in_question)
            def _(event, n=int(digit) - 1) -> None:
                self._choose(n)

        @kb.add("backspace", filter=in_question)
        @kb.add("delete", filter=in_question)
        def _(event) -> None:
            self._undo()

        @kb.add("right", filter=in_question)
        @kb.add("n", filter=in_question)
        @kb.add("pagedown", filter=in_question)
        def _(event) -> None:
            if self.index + 1 == len(self.state.questions):
                self.message = "That was the last question: r opens the review, s submits."
            self._go(self.index + 1)

        @kb.add("left", filter=in_question)
        @kb.add("p", filter=in_question)
        @kb.add("pageup", filter=in_question)
        def _(event) -> None:
            self._go(self.index - 1)

        @kb.add("f", filter=in_question)
        def _(event) -> None:
            index = self.index
            self._act(lambda s: toggle_flag(s, index))

        @kb.add("f", filter=in_review)
        def _(event) -> None:
            index = self.review_cursor
            self._act(lambda s: toggle_flag(s, index))

        @kb.add("r", filter=in_question)
        def _(event) -> None:
            self.mode, self.review_cursor, self.message = "review", self.index, ""

        @kb.add("r", filter=in_review)
        @kb.add("escape", filter=in_review)
        def _(event) -> None:
            self.mode = "question"

        @kb.add("up", filter=in_review)
        @kb.add("k", filter=in_review)
        def _(event) -> None:
            self.review_cursor = max(0, self.review_cursor - 1)

        @kb.add("down", filter=in_review)
        @kb.add("j", filter=in_review)
        def _(event) -> None:
            self.review_cursor = min(len(self.state.questions) - 1, self.review_cursor + 1)

        @kb.add("enter", filter=in_review)
        @kb.add(" ", filter=in_review)
        def _(event) -> None:
            self.mode = "question"
            self._go(self.review_cursor)

        @kb.add("s", filter=~confirming)
        def _(event) -> None:
            self.back_to, self.mode, self.message = self.mode, "confirm", ""

        @kb.add("y", filter=confirming)
        @kb.add("Y", filter=confirming)
        def _(event) -> None:
            app_exit(SUBMITTED)

        @kb.add("<any>", filter=confirming)
        def _(event) -> None:
            self.mode = self.back_to

        return kb

    def _application(self):
        from prompt_toolkit.application import Application
        from prompt_toolkit.layout import HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl
        from prompt_toolkit.layout.margins import ScrollbarMargin
        from prompt_toolkit.layout.dimension import Dimension
        from prompt_toolkit.layout.containers import ScrollOffsets
        from prompt_toolkit.styles import Style

        holder: dict = {}

        def app_exit(outcome: str) -> None:
            app = holder["app"]
            if not app.future.done():
                app.exit(result=outcome)

        body = FormattedTextControl(self.body, focusable=True, show_cursor=False)
        layout = Layout(HSplit([
            Window(FormattedTextControl(self.header), height=3),
            Window(body, wrap_lines=False, always_hide_cursor=True,
                   right_margins=[ScrollbarMargin(display_arrows=False)],
                   scroll_offsets=ScrollOffsets(top=1, bottom=1), height=Dimension(min=3)),
            Window(FormattedTextControl(self.footer), dont_extend_height=True),
        ]), focused_element=body)
        app = Application(layout=layout, key_bindings=self._bindings(app_exit),
                          style=Style.from_dict(STYLE), full_screen=True, mouse_support=False,
                          refresh_interval=1.0)
        holder["app"] = app
        return app


def _with_elapsed(state: ExamState, elapsed: float) -> ExamState:
    from dataclasses import replace

    return replace(state, elapsed=elapsed)
