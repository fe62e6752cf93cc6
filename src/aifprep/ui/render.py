"""Rich renderables for questions, feedback, summaries and tables.

Question text is always wrapped in `Text`, never parsed as markup: a `[bold]` in a stem is
shown as written.
"""

from __future__ import annotations

import re
import string

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from aifprep.domains import BY_SLUG, TASK_TITLES
from aifprep.grading import Grade, Response, describe_response, key_response
from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.quiz import QuizResult
from aifprep.services import Catalog
from aifprep.stats import Stats

LETTERS = string.ascii_uppercase
RIGHT, WRONG = "✓", "✗"
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


def reflow(text: str) -> str:
    """Join the hard-wrapped lines of YAML prose so the terminal can wrap it to its width.

    Blank lines (paragraphs) and lines that start a list item are kept.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            if lines and not _LIST_LINE.match(line):
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def fit(text: str, width: int) -> str:
    """One line of at most `width` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(1, width - 1)].rstrip() + "…"


def how_to_answer(q: Question) -> str:
    if isinstance(q, SingleChoice):
        return "Choose ONE answer."
    if isinstance(q, MultipleChoice):
        return f"Choose {q.picks} answers."
    if isinstance(q, Ordering):
        return "Put the steps in the right order."
    return "Match each item to its answer."


def question_panel(q: Question, number: int, total: int, order: tuple = ()) -> Panel:
    """The question with every option in full, so long options wrap instead of being cut."""
    d = BY_SLUG[q.domain]
    body: list[RenderableType] = []
    if q.case_text:
        body += [Text("Scenario", style="bold"), Text(reflow(q.case_text)), Text("")]
    body.append(Text(reflow(q.stem)))
    if order:
        body.append(Text(""))
        body.append(_choices_grid(q, order))
    body += [Text(""), Text(how_to_answer(q), style="dim")]
    title = Text(f" Question {number}/{total} ", style="bold")
    subtitle = Text(f" Domain {d.number} {d.slug} · Task {q.task} ")
    return Panel(Group(*body), title=title, subtitle=subtitle, title_align="left",
                 subtitle_align="left", box=box.ROUNDED, padding=(0, 1))


def _choices_grid(q: Question, order: tuple) -> RenderableType:
    def grid(rows: list[tuple[str, str]]) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for label, text in rows:
            table.add_row(Text(label, style="bold"), Text(text))
        return table

    if isinstance(q, (SingleChoice, MultipleChoice)):
        return grid([(f"{LETTERS[n]}.", q.options[i].text) for n, i in enumerate(order)])
    if isinstance(q, Ordering):
        return grid([(f"{LETTERS[n]}.", q.steps[i].text) for n, i in enumerate(order)])
    assert isinstance(q, Matching)
    return Group(
        grid([(f"{n}.", pair.prompt) for n, pair in enumerate(q.pairs, 1)]),
        Text("Answers", style="bold"),
        grid([(f"{LETTERS[n]}.", answer) for n, answer in enumerate(order)]),
    )


def availability_notes(catalog: Catalog | None, texts: list[str]) -> list[RenderableType]:
    """One line per closed, retired or renamed service the texts name, built from the
    service catalog (so one catalog change updates every question and card). Shared by
    quiz feedback, the mock-exam walk-through and flashcards."""
    notes = catalog.notes(*texts) if catalog is not None else []
    if not notes:
        return []
    return [Text(""), Text("Availability", style="bold")] + [
        Text(f"  {note}", style="yellow") for note in notes]


def feedback(q: Question, order: tuple, response: Response, grade: Grade,
             catalog: Catalog | None = None) -> RenderableType:
    """Right or wrong, the key, why each option is right or wrong, the explanation, and
    the availability of the services the question names."""
    from aifprep.services import question_texts

    parts: list[RenderableType] = []
    if grade.correct:
        parts.append(Text(f"{RIGHT} Correct", style="bold green"))
    else:
        detail = f" ({grade.parts_right}/{grade.parts_total} parts right)" \
            if isinstance(q, (Ordering, Matching)) else ""
        parts.append(Text(f"{WRONG} Incorrect{detail}", style="bold red"))
    parts.append(Text(""))
    parts.append(_option_review(q, order, response))
    parts += [Text(""), Text("Explanation", style="bold"), Text(reflow(q.explanation))]
    parts += availability_notes(catalog, question_texts(q))
    if q.references:
        parts += [Text(""), Text("References", style="bold")]
        parts += [Text(f"  {r}", style="dim") for r in q.references]
    return Panel(Group(*parts), box=box.ROUNDED, padding=(0, 2),
                 border_style="green" if grade.correct else "red")


def _option_review(q: Question, order: tuple, response: Response,
                   labels: str | list[str] = LETTERS) -> RenderableType:
    """Every option with its why; `labels` name the options as they were shown."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=2)
    table.add_column(ratio=1)
    if isinstance(q, (SingleChoice, MultipleChoice)):
        for n, i in enumerate(order):
            opt = q.options[i]
            chosen = i in response
            mark = RIGHT if opt.correct else (WRONG if chosen else " ")
            label = f"{labels[n]}. {opt.text}" + ("   ← your answer" if chosen else "")
            style = "green" if opt.correct else ("red" if chosen else "")
            table.add_row(Text(mark, style=style), Text(label, style=style))
            table.add_row("", Text(reflow(opt.why), style="dim"))
    elif isinstance(q, Ordering):
        table.add_row("", Text("Correct order:", style="bold"))
        for pos, step in enumerate(q.steps):
            ok = pos < len(response) and response[pos] == pos
            table.add_row(Text(RIGHT if ok else WRONG, style="green" if ok else "red"),
                          Text(f"{pos + 1}. {step.text}"))
            if step.why:
                table.add_row("", Text(reflow(step.why), style="dim"))
        if response != key_response(q):
            table.add_row("", Text("Your order:" if response else "Your order: (none given)",
                                   style="bold"))
            for line in describe_response(q, response):
                table.add_row("", Text(line))
    else:
        assert isinstance(q, Matching)
        for pair, given in zip(q.pairs, tuple(response) + (None,) * len(q.pairs)):
            ok = given == pair.answer
            line = f"{pair.prompt} → {pair.answer}" + (
                "" if ok else f"   (you chose: {given or 'nothing'})")
            table.add_row(Text(RIGHT if ok else WRONG, style="green" if ok else "red"), Text(line))
            if pair.why:
                table.add_row("", Text(reflow(pair.why), style="dim"))
        for d in q.distractors:
            table.add_row("", Text(f"{d.text} matches nothing" + (f": {d.why}" if d.why else "."),
                                   style="dim"))
    return table


def quiz_summary(result: QuizResult) -> RenderableType:
    n = len(result.answered)
    if n == 0:
        return Text("No questions answered.")
    pct = 100 * result.correct / n
    head = Text(f"Score: {result.correct}/{n} ({pct:.0f}%)", style="bold")
    if result.interrupted and n < result.planned:
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
        table.add_row(r["objective"] + ("*" if r["new"] else ""), fit(r["summary"], topic_width),
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
    parts.append(Text(
        f"Readiness {_pct(stats.readiness)}: share of the bank you answered right at your "
        f"latest try, weighted like the exam (700/1000 needs about 67%).", style="dim"))
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
        for col in ("Started (UTC)", "Mode", "Asked for", "Score"):
            recent.add_column(col)
        for s in stats.sessions:
            score = f"{s.correct}/{s.answered}" if s.answered else "–"
            recent.add_row(s.started.replace("T", " ").rstrip("Z"), s.mode, s.label, score)
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
                                           f"{-left} days ago")
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
    for col, justify in [("Finished (UTC)", "left"), ("Score", "right"), ("Result", "left"),
                         ("Raw", "right")] + [(f"D{d.number}", "right") for d in DOMAINS]:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for m in list(stats.mock_exams)[-10:]:
        per = [f"{m.domains[d.slug][0]}/{m.domains[d.slug][1]}" if d.slug in m.domains else "–"
               for d in DOMAINS]
        table.add_row(m.finished.replace("T", " ").rstrip("Z"), str(m.scaled),
                      Text("pass", style="green") if m.passed else Text("fail", style="red"),
                      f"{m.correct}/{m.total}", *per)
    trend = Text(f"Score trend {score_trend(stats.score_trend)}  "
                 + " → ".join(str(s) for s in stats.score_trend[-6:]))
    if stats.score_change is not None:
        trend.append(f"  ({stats.score_change:+d} since the previous exam)")
    return Group(table, trend)
