"""The terminal prompter: questionary prompts for the four question types."""

from __future__ import annotations

from rich.console import Console

from aifprep.grading import Grade, Response
from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.services import Catalog
from aifprep.ui.render import LETTERS, feedback, fit, question_panel


class TerminalPrompter:
    """Asks questions with questionary and shows feedback with Rich."""

    def __init__(self, console: Console, pause_after_feedback: bool = True,
                 catalog: Catalog | None = None) -> None:
        self.console = console
        self.pause = pause_after_feedback
        self.catalog = catalog  # availability notes in the feedback

    def ask(self, question: Question, order: tuple, number: int, total: int) -> Response:
        if self.console.is_terminal:
            self.console.clear()
        self.console.print(question_panel(question, number, total, order))
        try:
            return self._ask(question, order)
        except EOFError:  # Ctrl-D: treat like Ctrl-C
            raise KeyboardInterrupt from None

    def _label(self, letter: str, text: str) -> str:
        """A choice row that fits the terminal; the panel above shows the full text."""
        return fit(f"{letter}. {text}", self.console.width - 8)

    def _ask(self, q: Question, order: tuple) -> Response:
        import questionary

        if isinstance(q, SingleChoice):
            choices = [questionary.Choice(self._label(LETTERS[n], q.options[i].text), value=i)
                       for n, i in enumerate(order)]
            picked = questionary.select("Your answer", choices=choices, qmark=">",
                                        instruction="(↑/↓, Enter)").unsafe_ask()
            return (picked,)
        if isinstance(q, MultipleChoice):
            choices = [questionary.Choice(self._label(LETTERS[n], q.options[i].text), value=i)
                       for n, i in enumerate(order)]
            need = q.picks
            picked = questionary.checkbox(
                f"Your answers (select {need})", choices=choices, qmark=">",
                instruction="(Space to select, Enter to submit)",
                validate=lambda sel: len(sel) == need or f"Select exactly {need} (you have {len(sel)})",
            ).unsafe_ask()
            return tuple(sorted(picked))
        if isinstance(q, Ordering):
            remaining = list(order)
            chosen: list[int] = []
            for pos in range(1, len(q.steps) + 1):
                if len(remaining) == 1:
                    chosen.append(remaining.pop())
                    break
                choices = [questionary.Choice(self._label(LETTERS[order.index(i)], q.steps[i].text),
                                              value=i) for i in remaining]
                pick = questionary.select(f"Step {pos}", choices=choices, qmark=">",
                                          instruction="(↑/↓, Enter)").unsafe_ask()
                chosen.append(pick)
                remaining.remove(pick)
            return tuple(chosen)
        assert isinstance(q, Matching)
        choices = [questionary.Choice(self._label(LETTERS[n], answer), value=answer)
                   for n, answer in enumerate(order)]
        given = []
        for n, pair in enumerate(q.pairs, 1):
            prompt = fit(f"{n}. {pair.prompt}", self.console.width - 18)
            given.append(questionary.select(prompt, choices=choices, qmark="→",
                                            instruction="(↑/↓, Enter)").unsafe_ask())
        return tuple(given)

    def show_feedback(self, question: Question, order: tuple, response: Response,
                      grade: Grade) -> bool:
        """Show the feedback; after a right answer, 'u' says it was a guess (returns True)."""
        from aifprep.ui.keys import press_any_key

        self.console.print(feedback(question, order, response, grade, self.catalog))
        if not self.pause:
            return False
        if grade.correct:
            return press_any_key("Press any key to continue · u: I guessed (ask again sooner)",
                                 {"u": "unsure"}) == "unsure"
        press_any_key("Press any key to continue…")
        return False
