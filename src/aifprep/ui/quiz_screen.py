"""The full-screen quiz: a question, then its feedback page on the same screen.

`QuizScreen` is the terminal `Prompter` of `quiz.py`: `ask` shows the question (the stem
pinned under the header while the options scroll) and returns the response; then
`show_feedback` turns the screen into the feedback page with the verdict pinned in the
header. Keys typed before a question is on screen are discarded (see `Screen.run`).
"""

from __future__ import annotations

from typing import Any

from aifprep.domains import BY_SLUG, TASK_TITLES
from aifprep.grading import Grade, Response
from aifprep.model import MultipleChoice, Ordering, Question, SingleChoice
from aifprep.quiz import QuitQuiz
from aifprep.ui.answer_pad import AnswerPad
from aifprep.ui.feedback_render import feedback_body, verdict
from aifprep.ui.keymap import OPTION_LETTERS
from aifprep.ui.screen import Line, Screen, clip, on_key, rich_lines, text_line

QUIT = "quit"


class QuizScreen(Screen):
    """Asks the questions of a quiz and shows the feedback, full screen."""

    def __init__(self, ask_confidence: bool = True) -> None:
        super().__init__()
        self.mode = "question"  # or "sure" (how sure, before the verdict) or "feedback"
        self.ask_confidence = ask_confidence
        self.confidence: str | None = None
        self.number = self.total = 0
        self.answered = self.correct = 0
        self.question: Question | None = None
        self.pad: AnswerPad | None = None
        self.grade: Grade | None = None
        self.response: Response = ()
        self.unsure = False
        self._cursor_line = 0
        self._body_cache: tuple[int, list[Line]] | None = None

    @property
    def name(self) -> str:  # type: ignore[override]
        return "quiz" if self.mode in ("question", "sure") else "feedback"

    @property
    def arrows_scroll(self) -> bool:  # type: ignore[override]
        return self.mode == "feedback"

    # --- the Prompter protocol ------------------------------------------------------------

    def ask(self, question: Question, order: tuple, number: int, total: int) -> Response:
        self.question, self.number, self.total = question, number, total
        self.pad = AnswerPad(question, order)
        self.confidence = None
        self._reset("question")
        if self.run() == QUIT:
            raise QuitQuiz()
        assert self.pad.response is not None
        return tuple(self.pad.response)

    def how_sure(self) -> str | None:
        return self.confidence

    def show_feedback(self, question: Question, order: tuple, response: Response,
                      grade: Grade) -> bool:
        self.question, self.response, self.grade = question, tuple(response), grade
        self.order = order
        self.answered += 1
        self.correct += int(grade.correct)
        self.unsure = False
        self._reset("feedback")
        if self.run() == QUIT:
            raise QuitQuiz()
        return self.unsure

    def _reset(self, mode: str) -> None:
        self.mode, self.top, self.message = mode, 0, ""
        self.show_help, self._last_cursor, self._body_cache = False, None, None

    # --- drawing --------------------------------------------------------------------------

    def header(self, width: int) -> list[Line]:
        q = self.question
        assert q is not None
        title = f" AIF-C01 quiz · Question {self.number} of {self.total}"
        score = f"Score {self.correct}/{self.answered} "
        line1: Line = [("class:header", title)]
        right: Line = [("class:header", score)]
        if self.mode == "feedback" and self.grade is not None:
            text, colour = verdict(q, self.grade)
            text += " (you guessed)" if self.unsure else ""
            right = [("class:header.right" if colour == "green" else "class:header.wrong",
                      f" {text} "), ("class:header", "  " + score)]
        used = len(title) + sum(len(t) for _, t in right)
        line1 += [("class:header", " " * max(1, width - used))] + right
        d = BY_SLUG[q.domain]
        where = f" Domain {d.number} {d.name} · Task {q.task} {TASK_TITLES.get(q.task, '')}"
        if len(where) > width:
            where = where[: width - 1] + "…"
        return [clip(line1, width), text_line(where, "class:dim")]

    def pinned(self, width: int) -> list[Line]:
        if self.mode not in ("question", "sure") or self.pad is None:
            return []
        return self.pad.stem_lines(width - 1)

    def body(self, width: int) -> list[Line]:
        if self.mode in ("question", "sure"):
            assert self.pad is not None
            lines, self._cursor_line = self.pad.lines(width - 1)
            return lines
        if self._body_cache is None or self._body_cache[0] != width:
            assert self.question is not None
            view = feedback_body(self.question, self.order, self.response, indent=1)
            self._body_cache = (width, rich_lines(view, width))
        return self._body_cache[1]

    def cursor(self) -> int | None:
        return self._cursor_line if self.mode in ("question", "sure") else None

    def footer_keys(self) -> list[tuple[str, str]]:
        if self.mode == "feedback":
            keys = [("Enter/n", "next"), ("PgDn/Space ↑↓", "scroll")]
            if self.grade is not None and self.grade.correct and not self.ask_confidence:
                keys.append(("u", "I guessed" + (" ✓" if self.unsure else "")))
            return keys + [("q", "end quiz"), ("?", "keys")]
        if self.mode == "sure":
            return [("Enter", "sure"), ("u", "unsure"), ("g", "guess"), ("⌫", "change answer"),
                    ("q", "end quiz"), ("?", "keys")]
        q = self.question
        pick = "tick" if isinstance(q, MultipleChoice) else "pick"
        keys = [("1-9", pick), ("↑↓", "move"), ("Space", pick), ("Enter", "confirm")]
        if not isinstance(q, (SingleChoice, MultipleChoice)):
            keys.append(("⌫", "take back"))
        return keys + [("PgDn", "scroll"), ("q", "end quiz"), ("?", "keys")]

    # --- keys -----------------------------------------------------------------------------

    def _key(self, action: Any) -> None:
        assert self.pad is not None
        action()
        self.message = self.pad.message

    def _confirm(self) -> None:
        """Enter: confirm a complete answer; otherwise pick the highlighted option (single
        choice, then confirm) or step (ordering), or say what is missing."""
        pad = self.pad
        assert pad is not None
        if pad.complete:
            self._answered()
        elif isinstance(pad.question, SingleChoice):
            pad.press()
            self._answered()
        elif isinstance(pad.question, Ordering) and pad.items():
            pad.press()
            self.message = "All steps placed: Enter confirms, ⌫ takes the last back." \
                if pad.complete else ""
        else:
            self.message = pad.missing()

    def _answered(self) -> None:
        """The answer is complete: ask how sure (before the verdict), or finish."""
        if not self.ask_confidence:
            self.exit(self.pad.response)
            return
        self.mode = "sure"
        self.message = "How sure are you? Enter sure · u unsure · g guess (⌫ changes the answer)"

    def _sure(self, level: str) -> None:
        self.confidence = level
        self.exit(self.pad.response)

    def _change(self) -> None:
        self.mode, self.message = "question", ""

    def add_keys(self, kb: Any) -> None:
        from prompt_toolkit.filters import Condition

        asking = Condition(lambda: self.mode == "question")
        sure = Condition(lambda: self.mode == "sure")
        feedback = Condition(lambda: self.mode == "feedback")

        on_key(kb, "enter", lambda: self._sure("sure"), filter=sure)
        on_key(kb, "u", lambda: self._sure("unsure"), filter=sure)
        on_key(kb, "g", lambda: self._sure("guess"), filter=sure)
        on_key(kb, ["backspace", "delete"], self._change, filter=sure)

        on_key(kb, "q", lambda: self.exit(QUIT))
        on_key(kb, ["up", "k"], lambda: self._key(lambda: self.pad.move(-1)), filter=asking)
        on_key(kb, ["down", "j"], lambda: self._key(lambda: self.pad.move(1)), filter=asking)
        on_key(kb, " ", lambda: self._key(self.pad.press), filter=asking)
        on_key(kb, "enter", self._confirm, filter=asking)
        on_key(kb, ["backspace", "delete"], lambda: self._key(self.pad.undo), filter=asking)
        for n, keys in enumerate(zip("123456789", OPTION_LETTERS + "    ")):
            on_key(kb, [k for k in keys if k != " "],
                   lambda n=n: self._key(lambda: self.pad.choose(n)), filter=asking)

        on_key(kb, ["enter", "n", "right"], lambda: self.exit(None), filter=feedback)
        on_key(kb, " ", lambda: self.scroll(max(1, self.room - 2)), filter=feedback)

        def guessed() -> None:  # only when confidence is not asked before the verdict
            if self.grade is not None and self.grade.correct and not self.ask_confidence:
                self.unsure = not self.unsure

        on_key(kb, "u", guessed, filter=feedback)
