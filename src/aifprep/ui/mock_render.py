"""Rich renderables for a mock exam's result and its question-by-question walk-through."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from aifprep.domains import BY_SLUG
from aifprep.grading import presentation_order
from aifprep.mock import MEETS, PASS_SCALED, ExamItem, ExamResult
from aifprep.services import Catalog, question_texts
from aifprep.ui.render import RIGHT, WRONG, _option_review, availability_notes, weakest_tasks_table
from aifprep.ui.text import unwrap

WALK_FILTERS = ("all", "wrong", "flagged")


def duration(seconds: float) -> str:
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600}h {s % 3600 // 60:02d}m {s % 60:02d}s"
    return f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"


def result_view(result: ExamResult) -> RenderableType:
    verdict = Text("PASS", style="bold green") if result.passed else Text("FAIL", style="bold red")
    head = Text("Estimated scaled score: ", style="bold")
    head.append(f"{result.scaled}", style="bold")
    head.append(" / 1000   ")
    head.append_text(verdict)
    head.append(f"  ({PASS_SCALED} passes)")
    pct = 100 * result.correct / result.total if result.total else 0
    lines = [
        head,
        Text("An estimate: 100 + 900 × correct/total. AWS's real scaling is not public.",
             style="dim"),
        Text(f"Raw score: {result.correct} of {result.total} correct ({pct:.0f}%) · "
             f"{result.unanswered} unanswered · "
             f"{sum(i.flagged for i in result.items)} flagged"),
        Text(f"Time used: {duration(result.elapsed)} of {duration(result.minutes * 60)}"
             + ("   (time ran out: the exam submitted itself)" if result.timed_out else "")),
    ]
    table = Table(box=box.SIMPLE, title="By domain", title_justify="left")
    for name, justify in [("#", "right"), ("Domain", "left"), ("Score", "right"),
                          ("%", "right"), ("Result", "left")]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in result.domains:
        table.add_row(str(d.number), d.name, f"{d.correct}/{d.total}",
                      f"{100 * d.correct / d.total:.0f}%",
                      Text(d.label, style="green" if d.label == MEETS else "red"))
    parts: list[RenderableType] = [Panel(Group(*lines), title=" Mock exam result ",
                                         title_align="left", box=box.ROUNDED), table]
    if result.weakest_tasks:
        parts.append(weakest_tasks_table(
            "Score", [(t.task, t.title, f"{t.correct}/{t.total}") for t in result.weakest_tasks]))
    if result.correct < result.total:
        parts.append(Text("Drill the questions you missed with: aifprep quiz --missed",
                          style="dim"))
    return Group(*parts)


def walk_items(result: ExamResult, only: str = "all") -> list[ExamItem]:
    if only == "wrong":
        return [i for i in result.items if not i.grade.correct]
    if only == "flagged":
        return [i for i in result.items if i.flagged]
    return list(result.items)


def walk_through(result: ExamResult, seed: int, only: str = "all",
                 catalog: Catalog | None = None) -> RenderableType:
    """Every question (or only the wrong / flagged ones): answer, key, the why of each option."""
    items = walk_items(result, only)
    if not items:
        return Text(f"No {only} questions in this exam.")
    return Group(*(item_view(i, len(result.items), seed, catalog) for i in items))


def item_view(item: ExamItem, total: int, seed: int,
              catalog: Catalog | None = None) -> RenderableType:
    q = item.question
    order = presentation_order(q, seed)
    if not item.answered:
        verdict = Text(f"{WRONG} Incomplete answer (counted wrong)" if item.response
                       else f"{WRONG} Unanswered (counted wrong)", style="bold red")
    elif item.grade.correct:
        verdict = Text(f"{RIGHT} Correct", style="bold green")
    else:
        verdict = Text(f"{WRONG} Incorrect", style="bold red")
    title = Text(f" Question {item.number} of {total} ")
    if item.flagged:
        title.append("⚑ flagged ", style="bold yellow")
    title.append(f"· {duration(item.seconds)} ")
    d = BY_SLUG[q.domain]
    subtitle = Text(f" Domain {d.number} · Task {q.task} · {q.id} ")
    labels = [str(n) for n in range(1, 10)]
    body: list[RenderableType] = []
    if q.case_text:
        body += [Text("Scenario", style="bold"), Text(unwrap(q.case_text)), Text("")]
    body += [Text(unwrap(q.stem)), Text(""), verdict, Text(""),
             _option_review(q, order, tuple(item.response or ()), labels),
             Text(""), Text("Explanation", style="bold"), Text(unwrap(q.explanation))]
    body += availability_notes(catalog, question_texts(q))
    border = "green" if item.grade.correct else "red"
    return Panel(Group(*body), title=title, subtitle=subtitle, title_align="left",
                 subtitle_align="left", box=box.ROUNDED, border_style=border, padding=(0, 1))
