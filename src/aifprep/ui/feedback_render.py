"""Rich renderables for what comes after an answer: the answer against the key, the why of
every option, the explanation and the references. The quiz's feedback page and the mock
exam's walk-through both use them.

Options are numbered 1, 2, 3 ... as they were shown. Question text is always wrapped in
`Text`, never parsed as markup. A URL gets a line of its own and is never broken at a
word; it is a hyperlink where the terminal supports it (not with NO_COLOR, not in plain
output).
"""

from __future__ import annotations

import os

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from aifprep.grading import Grade, Response, describe_response, key_response
from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.services import Catalog, current_catalog, question_texts
from aifprep.ui.text import unwrap

RIGHT, WRONG = "✓", "✗"


def label(n: int) -> str:
    """How the n-th option (0-based) is named on every screen."""
    return str(n + 1)


def verdict(q: Question, grade: Grade, answered: bool = True,
            response: Response | None = None) -> tuple[str, str]:
    """The verdict line and its colour: '✗ Incorrect (2/4 parts right)', 'red'."""
    if not answered:
        return (f"{WRONG} Incomplete answer (counted wrong)" if response
                else f"{WRONG} Unanswered (counted wrong)"), "red"
    if grade.correct:
        return f"{RIGHT} Correct", "green"
    detail = f" ({grade.parts_right}/{grade.parts_total} parts right)" \
        if isinstance(q, (Ordering, Matching)) else ""
    return f"{WRONG} Incorrect{detail}", "red"


def link_style(url: str) -> Style | str:
    if os.environ.get("NO_COLOR") or not url.startswith(("http://", "https://")):
        return ""
    return Style(link=url)


def references_view(references: tuple[str, ...] | list[str], heading: bool = True,
                    fold: bool = True) -> RenderableType:
    """Each reference on its own line, unindented, never broken at a word.

    A URL wider than the screen is folded at the edge when `fold` (a full-screen view has
    a fixed width; the hyperlink still covers the whole of it); otherwise it is left whole
    for the terminal to wrap (print it with `crop=False`)."""
    lines: list[RenderableType] = [Text("References", style="bold")] if heading else []
    for ref in references:
        if ref.startswith(("http://", "https://")):
            lines.append(Text(ref, style=link_style(ref), no_wrap=not fold,
                              overflow="fold" if fold else "ignore"))
        else:
            lines.append(Text(f" {ref}", style="dim"))
    return Group(*lines)


def answer_line(q: Question, order: tuple, response: Response) -> Text | None:
    """'Your answer: 2, 4 · Key: 1, 4' for option questions."""
    if not isinstance(q, (SingleChoice, MultipleChoice)):
        return None
    given = [label(n) for n, i in enumerate(order) if i in tuple(response or ())]
    key = [label(n) for n, i in enumerate(order) if q.options[i].correct]
    line = Text("Your answer: ", style="bold")
    line.append(", ".join(given) or "none")
    line.append("   Key: ", style="bold")
    line.append(", ".join(key))
    return line


def option_review(q: Question, order: tuple, response: Response) -> RenderableType:
    """Every option with its why, numbered as shown; the answer given marked."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    if isinstance(q, (SingleChoice, MultipleChoice)):
        for n, i in enumerate(order):
            opt = q.options[i]
            chosen = i in tuple(response or ())
            mark = RIGHT if opt.correct else (WRONG if chosen else " ")
            text = f"{label(n)}. {opt.text}" + ("   ← your answer" if chosen else "")
            style = "green" if opt.correct else ("red" if chosen else "")
            table.add_row(Text(mark, style=style), Text(text, style=style))
            table.add_row("", Text(unwrap(opt.why), style="dim"))
    elif isinstance(q, Ordering):
        response = tuple(response or ())
        table.add_row("", Text("Correct order:", style="bold"))
        for pos, step in enumerate(q.steps):
            ok = pos < len(response) and response[pos] == pos
            table.add_row(Text(RIGHT if ok else WRONG, style="green" if ok else "red"),
                          Text(f"{pos + 1}. {step.text}"))
            if step.why:  # optional in user packs
                table.add_row("", Text(unwrap(step.why), style="dim"))
        if response != key_response(q):
            table.add_row("", Text("Your order:" if response else "Your order: (none given)",
                                   style="bold"))
            for line in describe_response(q, response):
                table.add_row("", Text(line))
    else:
        assert isinstance(q, Matching)
        for pair, given in zip(q.pairs, tuple(response or ()) + (None,) * len(q.pairs)):
            ok = given == pair.answer
            line = f"{pair.prompt} → {pair.answer}" + (
                "" if ok else f"   (you chose: {given or 'nothing'})")
            table.add_row(Text(RIGHT if ok else WRONG, style="green" if ok else "red"), Text(line))
            if pair.why:
                table.add_row("", Text(unwrap(pair.why), style="dim"))
        for d in q.distractors:
            why = f": {unwrap(d.why)}" if d.why else "."
            table.add_row("", Text(f"{d.text} matches nothing{why}", style="dim"))
    return table


def stem_view(q: Question) -> RenderableType:
    parts: list[RenderableType] = []
    if q.case_text:
        parts += [Text("Scenario", style="bold"), Text(unwrap(q.case_text)), Text("")]
    parts.append(Text(unwrap(q.stem)))
    return Group(*parts)


def availability_notes(texts: list[str], catalog: Catalog | None = None) -> list[RenderableType]:
    """One line per closed, retired or renamed service the texts name, built from the
    service catalog (the loaded bank's, unless one is given), so one catalog change updates
    every question and card. Quiz feedback, the mock-exam walk-through and flashcards use it."""
    notes = (catalog if catalog is not None else current_catalog()).notes(*texts)
    if not notes:
        return []
    return [Text(""), Text("Availability", style="bold")] + [
        Text(f"{note}", style="yellow") for note in notes]


def feedback_body(q: Question, order: tuple, response: Response,
                  verdict_line: tuple[str, str] | None = None,
                  stem_first: bool = False, indent: int = 0,
                  fold_urls: bool = True, catalog: Catalog | None = None) -> RenderableType:
    """The answer against the key, the why of each option, the explanation, the
    references and (after them, unless `stem_first`) the question again.

    Everything but the references is indented by `indent` columns: a URL starts at the
    left edge, so that it fits on one line wherever it can."""
    from rich.padding import Padding

    def indented(part: RenderableType) -> RenderableType:
        return Padding(part, (0, 0, 0, indent)) if indent else part

    parts: list[RenderableType] = []
    if stem_first:
        parts += [indented(stem_view(q)), Text("")]
    if verdict_line:
        parts.append(indented(Text(verdict_line[0], style=f"bold {verdict_line[1]}")))
    line = answer_line(q, order, response)
    if line is not None:
        parts.append(indented(line))
    parts += [indented(option_review(q, order, response)), Text(""),
              indented(Text("Explanation", style="bold")), indented(Text(unwrap(q.explanation)))]
    parts += [indented(part) for part in availability_notes(question_texts(q), catalog)]
    if q.references:
        parts += [Text(""), indented(Text("References", style="bold")),
                  references_view(q.references, heading=False, fold=fold_urls)]
    if not stem_first:
        parts += [Text(""), indented(Text("The question", style="bold")), indented(stem_view(q))]
    return Group(*parts)
