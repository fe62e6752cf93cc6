"""Rich renderables for the coach: the pass forecast, today's plan, confusions, calibration,
the mastery map, the forecast chart and the study calendar."""

from __future__ import annotations

from datetime import date, timedelta

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from aifprep.coach import CALENDAR_WEEKS, CoachReport, MasteryRow
from aifprep.history import FULL_LENGTH
from aifprep.domains import BY_SLUG
from aifprep.forecast import PASS_SCALED, Forecast
from aifprep.plan import Plan


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def forecast_view(f: Forecast) -> RenderableType:
    """The forecast's headline: score, interval, pass chance, evidence; or what is missing."""
    if not f.ready:
        return Text(f"Pass forecast: {f.reason}.", style="bold")
    verdict = ("likely to pass" if f.p_pass >= 0.8 else "on the edge" if f.p_pass >= 0.4
               else "not ready yet")
    style = "green" if f.p_pass >= 0.8 else "yellow" if f.p_pass >= 0.4 else "red"
    when = "on exam day" if f.horizon == "exam day" else "if you sat the exam today"
    head = Text.assemble(("Pass forecast ", "bold"), (f"{when}: ", "bold"),
                         (f"{f.score}", f"bold {style}"),
                         f" (80% range {f.low}-{f.high}; {PASS_SCALED} passes) · ",
                         (f"{f.p_pass:.0%} chance to pass", f"bold {style}"), f" · {verdict}")
    shares = " · ".join(f"{BY_SLUG[d.slug].number} {d.slug} {d.expected_share:.0%}"
                        for d in f.per_domain)
    return Group(head, Text(f"Expected share right by domain: {shares}", style="dim"),
                 Text(f"Based on {f.describe_evidence()[5:]}; repeat answers do not count.",
                      style="dim"))


def plan_view(plan: Plan, done_today: int = 0, streak: int = 0) -> RenderableType:
    """Today's plan as a short checklist."""
    lines: list[RenderableType] = []
    when = "" if plan.days_left is None else (
        " · exam today" if plan.days_left == 0 else " · exam tomorrow" if plan.days_left == 1
        else f" · {plural(plan.days_left, 'day')} to the exam" if plan.days_left > 0 else "")
    lines.append(Text(f"Today, {plan.today:%A %d %B}{when} · about {plan.minutes} min",
                      style="bold"))
    steps = []
    if plan.cards_due:
        steps.append(f"review {plural(plan.cards_due, 'flashcard')} due")
    if plan.questions_due:
        steps.append(f"answer {plural(plan.questions_due, 'question')} due for review")
    if plan.new_cards:
        steps.append(f"learn {plural(plan.new_cards, 'new flashcard')}")
    if plan.new_questions:
        steps.append(f"try {plural(plan.new_questions, 'new question')}"
                     + (f", mostly from {', '.join(t.task for t in plan.focus)}" if plan.focus else ""))
    if plan.mock_exam:
        steps.append(f"sit a full mock exam: {plan.mock_exam}")
    if not steps:
        steps.append("nothing due: you are up to date. Try new questions: aifprep quiz --new")
    for n, step in enumerate(steps, 1):
        lines.append(Text(f"  {n}. {step}"))
    if plan.focus:
        lines.append(Text("Focus: " + "; ".join(
            f"{t.task} {t.title} (" + (f"{t.estimate:.0%} right on new questions)" if t.evidence
                                       else "heavy on the exam, not tried yet)")
            for t in plan.focus), style="dim"))
    lines.append(Text("Run it all in one session: aifprep study", style="dim"))
    if done_today or streak:
        lines.append(Text(f"Done today: {plural(done_today, 'item')} · streak: "
                          f"{plural(streak, 'day')}", style="dim"))
    lines += [Text(n, style="yellow") for n in plan.notes]
    return Group(*lines)


def confusions_view(report: CoachReport) -> RenderableType | None:
    if not report.confusions:
        return None
    lines: list[RenderableType] = [Text("\nServices you mix up", style="bold")]
    lines += [Text(f"  {c.describe()}") for c in report.confusions]
    lines.append(Text("Drill them: aifprep quiz --confusions", style="dim"))
    return Group(*lines)


def calibration_view(report: CoachReport) -> RenderableType | None:
    cal = report.calibration
    if not cal.answered:
        return None
    table = Table(box=box.SIMPLE, title="Confidence (said before the verdict)", title_justify="left")
    for col in ("When you were", "Answered", "Right"):
        table.add_column(col, justify="left" if col == "When you were" else "right")
    for row in cal.rows:
        table.add_row(row.level, str(row.answered),
                      "–" if row.accuracy is None else f"{row.accuracy:.0%}")
    parts: list[RenderableType] = [table]
    verdict = cal.verdict()
    if verdict:
        parts.append(Text(verdict, style="dim"))
    if cal.misconceptions:
        parts.append(Text(f"Sure but wrong: {plural(len(cal.misconceptions), 'question')}, "
                          "likely misconceptions; they come first in: aifprep quiz --due",
                          style="yellow"))
    return Group(*parts)


def mastery_table(rows: tuple[MasteryRow, ...], title: str = "Mastery by task statement") -> Table:
    table = Table(box=box.SIMPLE, title=title, title_justify="left", pad_edge=False, expand=True)
    table.add_column("Task", no_wrap=True, overflow="ellipsis", ratio=1)
    for col in ("First try", "Seen", "Forecast", "Due", "Pace"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in rows:
        style = _distance_style(r.estimate if r.estimate is not None else r.accuracy)
        table.add_row(
            Text(f"{r.key} {r.title}"),
            "–" if r.accuracy is None else f"{r.accuracy:.0%} of {r.first_tries}",
            f"{r.seen}/{r.total}",
            Text("–" if r.estimate is None else f"{r.estimate:.0%}", style=style),
            str(r.due) if r.due else "",
            "" if r.seconds_per_question is None else f"{r.seconds_per_question:.0f}s",
        )
    return table


def objectives_table(rows: tuple[MasteryRow, ...]) -> Table:
    table = Table(box=box.SIMPLE, title="Mastery by objective (v1.1)", title_justify="left",
                  pad_edge=False)
    for col, justify in (("Objective", "left"), ("First try", "right"), ("Seen", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        table.add_row(Text(f"{r.key} {r.title}"[:48]),
                      Text("–" if r.accuracy is None else f"{r.accuracy:.0%} of {r.first_tries}",
                           style=_distance_style(r.accuracy)),
                      f"{r.seen}/{r.total}")
    return table


GRID_MARKS = (("■", "green", "75%+"), ("▣", "yellow", "62-74%"), ("□", "red", "under 62%"),
              ("·", "dim", "not tried"))


def objectives_grid(rows: tuple[MasteryRow, ...]) -> RenderableType:
    """The 69 objectives, one line per task statement: first-try accuracy as a mark
    (the same marks without colour, so NO_COLOR and plain output still read)."""
    lines: list[RenderableType] = [Text("Mastery by objective (first tries)", style="bold")]
    by_task: dict[str, list[MasteryRow]] = {}
    for r in rows:
        by_task.setdefault(r.key.rsplit(".", 1)[0], []).append(r)
    for task, objectives in by_task.items():
        line = Text(f" {task} ")
        for r in objectives:
            p = r.accuracy
            mark, style, _ = GRID_MARKS[3 if p is None else 0 if p >= 0.75 else 1 if p >= 0.62 else 2]
            line.append(f" .{r.key.rsplit('.', 1)[1]}")
            line.append(mark, style=style)
        lines.append(line)
    lines.append(Text("  " + "  ".join(f"{m} {label}" for m, _, label in GRID_MARKS)
                      + " (aifprep domains --objectives lists them)", style="dim"))
    return Group(*lines)


def _distance_style(p: float | None) -> str:
    """Colour by distance to the pass line (about 2/3 right)."""
    if p is None:
        return "dim"
    return "green" if p >= 0.75 else "yellow" if p >= 0.62 else "red"


def forecast_chart(report: CoachReport, mock_scores: list[tuple[str, int, bool]],
                   width: int = 70, height: int = 12) -> RenderableType | None:
    """The forecast by week, and mock-exam scores (short exams apart), with the 700 line.

    Drawn with plotext (imported only here) in its colourless theme, as plain text.
    """
    points = [(d, s) for d, s, _, _ in report.history if s is not None]
    if len(points) + len(mock_scores) < 2:
        return None
    import plotext as plt

    plt.clear_figure()
    plt.theme("clear")
    plt.plotsize(width, height)
    plt.date_form("Y-m-d", "d/m")
    if points:
        plt.plot([d for d, _ in points], [s for _, s in points], marker="dot", label="forecast")
    full = [(d, s) for d, s, is_full in mock_scores if is_full]
    short = [(d, s) for d, s, is_full in mock_scores if not is_full]
    if full:
        plt.scatter([d for d, _ in full], [s for _, s in full], marker="*", label="full mock")
    if short:
        plt.scatter([d for d, _ in short], [s for _, s in short], marker="x", label="short mock")
    plt.horizontal_line(PASS_SCALED)
    plt.ylim(100, 1000)
    plt.title(f"Forecast and mock exams ({PASS_SCALED} passes)")
    return Text(plt.build())


def calendar_view(days: frozenset[date], today: date, weeks: int = CALENDAR_WEEKS) -> RenderableType:
    """Study days of the last weeks, one row per weekday, one column per week."""
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    rows = []
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            cells.append(" " if day > today else "■" if day in days else "·")
        rows.append(Text(f"{'MTWTFSS'[weekday]} " + " ".join(cells),
                         style=None if weekday < 5 else "dim"))
    studied = sum(1 for d in days if d >= start)
    return Group(Text(f"\nStudy days, last {weeks} weeks: {studied}", style="bold"), *rows)


def coach_view(report: CoachReport, stats, today: date) -> RenderableType:
    """The head of `aifprep stats`: forecast, chart, confusions, calibration, mastery, calendar."""
    parts: list[RenderableType] = [forecast_view(report.forecast)]
    mocks = [(m.finished[:10], m.scaled, m.total >= FULL_LENGTH) for m in stats.mock_exams]
    chart = forecast_chart(report, mocks)
    if chart is not None:
        parts.append(chart)
    for view in (confusions_view(report), calibration_view(report)):
        if view is not None:
            parts.append(view)
    if any(r.first_tries or r.seen for r in report.tasks):
        parts.append(mastery_table(report.tasks))
        if report.objectives:
            parts.append(objectives_grid(report.objectives))
    if report.study_days:
        parts.append(calendar_view(report.study_days, today))
    goal = report.done_today + report.still_planned
    parts.append(Text(f"Today's goal: {report.done_today} of {plural(goal, 'item')} done"
                      f"{' ✓' if goal and not report.still_planned else ''} · streak: "
                      f"{plural(report.streak, 'day')} (aifprep today)", style="dim"))
    return Group(*parts)
