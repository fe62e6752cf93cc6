"""Rich renderables for summaries and tables (quiz summary, domains, stats).

Question text is always wrapped in `Text`, never parsed as markup: a `[bold]` in a stem is
shown as written.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from aifprep.domains import TASK_TITLES
from aifprep.quiz import QuizResult
from aifprep.stats import Stats
from aifprep.ui.text import local_time, plural


def quiz_summary(result: QuizResult) -> RenderableType:
    n = len(result.answered)
    if n == 0:
        return Text("No questions answered.")
    pct = 100 * result.correct / n
    head = Text(f"Score: {result.correct}/{n} ({pct:.0f}%)", style="bold")
    if (result.interrupted or result.quit) and n < result.planned:
        head.append(f"   (stopped after {n} of {result.planned})", style="dim")
    table = Table(box=box.SIMPLE, title="By task statement", title_justify="left")
    table.add_column("Task")
    table.add_column("Topic")
    table.add_column("Score", justify="right")
    for task, (correct, answered) in result.by_task().items():
        table.add_row(task, TASK_TITLES.get(task, ""), f"{correct}/{answered}")
    parts: list[RenderableType] = [head, table]
    if result.missed:
        parts.append(Text("Missed questions (drill them with: aifprep quiz --missed)", style="bold"))
        for q in result.missed:
            parts.append(Text(f"  {q.id}  [{q.task}]  {_first_line(q.stem)}"))
    return Group(*parts)


def _first_line(text: str, width: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _bar(fraction: float | None, width: int = 20) -> str:
    if fraction is None:
        return "·" * width
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


def _pct(fraction: float | None) -> str:
    return "–" if fraction is None else f"{100 * fraction:.0f}%"


def domains_table(rows: list[dict], with_tasks: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAVY, title="AIF-C01 exam domains", title_justify="left",
                  padding=(0, 1), pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("#", justify="right")
    table.add_column("Slug", no_wrap=True)
    table.add_column("Domain", ratio=1, min_width=12)
    table.add_column("Weight", justify="right")
    table.add_column("Qs", justify="right")
    for short in ("Single", "Multi", "Order", "Match"):
        table.add_column(short, justify="right")
    kinds = ("single", "multiple", "ordering", "matching")
    for r in rows:
        table.add_row(str(r["number"]), r["slug"], r["name"], f"{r['weight']:.0%}",
                      str(r["questions"]), *(str(r["types"][k]) for k in kinds),
                      style="bold" if with_tasks else None)
        if with_tasks:
            for t in r["tasks"]:
                table.add_row("", f"  {t['task']}", t["title"], "", str(t["questions"]),
                              *(str(t["types"][k]) for k in kinds))
    total = sum(r["questions"] for r in rows)
    table.add_section()
    table.add_row("", "", "All domains", "100%", str(total),
                  *(str(sum(r["types"][k] for r in rows))
                    for k in ("single", "multiple", "ordering", "matching")))
    return table


def objectives_table(rows: list[dict], width: int = 80, minimum: int = 5,
                     new_minimum: int = 8) -> Table:
    """Questions per v1.1 objective, one line each (the topic is cut so a row fits `width`
    columns); counts under the bank's minimum are shown in red, objectives new in v1.1
    marked *."""
    topic_width = max(16, width - 38)
    table = Table(box=box.SIMPLE_HEAVY, title="Questions per exam objective (guide v1.1; * new)",
                  title_justify="left", padding=(0, 1), pad_edge=False, show_edge=False,
                  collapse_padding=True)
    table.add_column("Obj", no_wrap=True, min_width=6)
    table.add_column("Topic", no_wrap=True)
    table.add_column("Qs", justify="right", no_wrap=True, min_width=3)
    for short in ("Sgl", "Mul", "Ord", "Mat"):
        table.add_column(short, justify="right", no_wrap=True, min_width=3)
    kinds = ("single", "multiple", "ordering", "matching")
    for r in rows:
        need = new_minimum if r["new"] else minimum
        topic = " ".join(r["summary"].split())
        if len(topic) > topic_width:
            topic = topic[: topic_width - 1].rstrip() + "…"
        table.add_row(r["objective"] + ("*" if r["new"] else ""), topic,
                      Text(str(r["questions"]), style="red" if r["questions"] < need else ""),
                      *(str(r["types"][k]) for k in kinds))
    return table


def weakest_tasks_table(score_header: str, rows: list[tuple[str, str, str]]) -> Table:
    """Task, topic and score of the weakest task statements."""
    table = Table(box=box.SIMPLE, title="Weakest task statements", title_justify="left")
    table.add_column("Task")
    table.add_column("Topic")
    table.add_column(score_header, justify="right")
    for row in rows:
        table.add_row(*row)
    return table


def stats_view(stats: Stats) -> RenderableType:
    parts: list[RenderableType] = [exam_line(stats)]
    cards = stats.flashcards
    if stats.answered == 0:
        parts.append(Text("No answers yet. Start with: aifprep quiz"))
        if cards and cards.reviews:
            parts.append(repetition_view(stats))
        else:
            parts.append(Text("No flashcards reviewed yet. Start with: aifprep flashcards"))
        return Group(*parts)
    parts.append(Text(
        f"Answered {stats.answered} · correct {stats.correct} ({_pct(stats.accuracy)}) · "
        f"seen {stats.seen} of {stats.total} questions ({_pct(stats.seen / stats.total if stats.total else None)})",
        style="bold"))
    table = Table(box=box.SIMPLE, title="By domain", title_justify="left")
    for name, justify in [("#", "right"), ("Domain", "left"), ("Weight", "right"),
                          ("Accuracy", "left"), ("", "right"), ("Answered", "right"),
                          ("Seen", "right")]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in stats.domains:
        # The bar's length follows the exam weight: a 28% domain gets a longer bar.
        width = max(4, round(d.weight * 60))
        table.add_row(str(d.number), d.name, f"{d.weight:.0%}", _bar(d.accuracy, width),
                      _pct(d.accuracy), f"{d.correct}/{d.answered}", f"{d.seen}/{d.total}")
    parts.append(table)
    if stats.weakest_tasks:
        parts.append(weakest_tasks_table(
            "Accuracy", [(t.task, t.title, f"{_pct(t.accuracy)} of {t.answered}")
                         for t in stats.weakest_tasks]))
    if stats.sessions:
        recent = Table(box=box.SIMPLE, title="Recent sessions", title_justify="left")
        for col in ("Started", "Mode", "Asked for", "Score"):
            recent.add_column(col)
        for s in stats.sessions:
            score = f"{s.correct}/{s.answered}" if s.answered else "–"
            recent.add_row(local_time(s.started), s.mode, s.label, score)
        parts.append(recent)
    if stats.mock_exams:
        parts.append(mock_exams_table(stats))
    parts.append(repetition_view(stats))
    return Group(*parts)


def exam_line(stats: Stats) -> Text:
    if stats.exam_date is None:
        return Text("No exam date set: aifprep exam-date YYYY-MM-DD aims your reviews at it.",
                    style="dim")
    left = stats.days_left
    assert left is not None
    when = {0: "today", 1: "tomorrow"}.get(left, f"in {left} days" if left > 0 else
                                           f"{plural(-left, 'day')} ago")
    return Text(f"Exam {stats.exam_date}: {when}", style="bold")


def repetition_table(stats: Stats) -> Table:
    table = Table(box=box.SIMPLE, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False,
                  title=f"\nSpaced repetition (FSRS, aiming at {stats.desired_retention:.0%} recall)",
                  title_justify="left")
    for name in ("", "Total", "New", "Learning", "Learned", "Due", "Today", "Week",
                 "Retained", "Recall*"):
        table.add_column(name, justify="left" if not name else "right", no_wrap=True)
    for name, r in (("Flashcards", stats.flashcards), ("Questions", stats.question_reviews)):
        assert r is not None
        table.add_row(name, str(r.total), str(r.new), str(r.learning), str(r.review),
                      str(r.due_now), str(r.due_today), str(r.due_week), _pct(r.retention),
                      _pct(r.recall_seen))
    return table


def recall_note(stats: Stats) -> Text:
    cards, questions = stats.flashcards, stats.question_reviews
    assert cards is not None and questions is not None
    when = "on exam day" if stats.recall_at == "exam day" else "now"
    return Text(f"Due: now; Today/Week: by the end of today / of the 7th day. Retained: reviews "
                f"rated Good or Easy. *Recall: predicted recall {when} of what you have "
                f"studied, if you stopped reviewing now (over everything, unseen counting as "
                f"forgotten: cards {_pct(cards.recall_all)}, questions "
                f"{_pct(questions.recall_all)}).", style="dim")


def forecast_chart(days: list[tuple[str, int]], width: int = 30) -> Table:
    """A bar per day: how many reviews fall due."""
    from datetime import date

    table = Table(box=None, title="\nDue in the next 14 days (cards + questions)",
                  title_justify="left", show_header=False, padding=(0, 1))
    table.add_column("Day")
    table.add_column("Bar")
    table.add_column("Due", justify="right")
    peak = max((n for _, n in days), default=0)
    for i, (day, n) in enumerate(days):
        label = "Today" if i == 0 else f"{date.fromisoformat(day):%a %d %b}"
        bar = "█" * max(1 if n else 0, round(n / peak * width)) if peak else ""
        table.add_row(label, Text(bar, style="cyan"), str(n))
    return table


def repetition_view(stats: Stats) -> RenderableType:
    """Spaced repetition: counts, retention, predicted recall and the due forecast."""
    cards, questions = stats.flashcards, stats.question_reviews
    if cards is None or questions is None:
        return Text("")
    parts: list[RenderableType] = [repetition_table(stats), recall_note(stats)]
    combined = [(day, n + m) for (day, n), (_, m) in zip(cards.forecast, questions.forecast)]
    if any(n for _, n in combined):
        parts.append(forecast_chart(combined))
    return Group(*parts)


SPARKS = "▁▂▃▄▅▆▇█"


def score_trend(scores: tuple[int, ...]) -> str:
    """Scores 100-1000 as a sparkline, e.g. ▃▅▇."""
    return "".join(SPARKS[min(7, max(0, (s - 100) * 8 // 901))] for s in scores)


def mock_exams_table(stats: Stats) -> RenderableType:
    from aifprep.domains import DOMAINS

    table = Table(box=box.SIMPLE, title="Mock exams (scores are estimates)", title_justify="left")
    for col, justify in [("Finished", "left"), ("Score", "right"), ("Result", "left"),
                         ("Raw", "right")] + [(f"D{d.number}", "right") for d in DOMAINS]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for m in list(stats.mock_exams)[-10:]:
        per = [f"{m.domains[d.slug][0]}/{m.domains[d.slug][1]}" if d.slug in m.domains else "–"
               for d in DOMAINS]
        table.add_row(local_time(m.finished), str(m.scaled),
                      Text("pass", style="green") if m.passed else Text("fail", style="red"),
                      f"{m.correct}/{m.total}", *per)
    trend = Text(f"Score trend {score_trend(stats.score_trend)}  "
                 + " → ".join(str(s) for s in stats.score_trend[-6:]))
    if stats.score_change is not None:
        trend.append(f"  ({stats.score_change:+d} since the previous exam)")
    return Group(table, trend)
