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
from aifprep.ui.feedback_render import feedback_body, verdict
from aifprep.ui.render import weakest_tasks_table

WALK_FILTERS = ("all", "wrong", "flagged", "unanswered")


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
        Text(f"Pace: {duration(result.elapsed / max(1, result.total))} a question on average "
             f"(the limit allows {duration(result.minutes * 60 / max(1, result.total))})"),
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
    if only == "unanswered":
        return [i for i in result.items if not i.answered]
    return list(result.items)


def walk_filters(result: ExamResult) -> list[str]:
    """The filters that have questions in them."""
    return [f for f in WALK_FILTERS if walk_items(result, f)]


def walk_through(result: ExamResult, seed: int, only: str = "all") -> RenderableType:
    """Every question (or only the wrong / flagged / unanswered ones), as plain output.
    Print it with `crop=False`, so that a long URL stays whole."""
    items = walk_items(result, only)
    if not items:
        return Text(f"No {only} questions in this exam.")
    parts: list[RenderableType] = []
    for item in items:
        parts += [item_title(item, len(result.items)), item_body(item, seed, fold_urls=False),
                  Text("")]
    return Group(*parts)


def item_title(item: ExamItem, total: int) -> Text:
    q = item.question
    d = BY_SLUG[q.domain]
    title = Text(f"── Question {item.number} of {total} ", style="bold")
    if item.flagged:
        title.append("⚑ flagged ", style="bold yellow")
    title.append(f"· Domain {d.number} · Task {q.task} · {q.id} · {duration(item.seconds)}")
    return title


def item_body(item: ExamItem, seed: int, indent: int = 0, with_verdict: bool = True,
              fold_urls: bool = True) -> RenderableType:
    """The question, the verdict, the answer against the key, the why of every option, the
    explanation and the references."""
    q = item.question
    order = presentation_order(q, seed)
    line = verdict(q, item.grade, item.answered, item.response) if with_verdict else None
    return feedback_body(q, order, tuple(item.response or ()), line, stem_first=True,
                         indent=indent, fold_urls=fold_urls)
