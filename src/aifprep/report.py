"""Data behind `aifprep domains` and `aifprep validate`, as plain values."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aifprep import paths
from aifprep.bank import (
    SERVICES_FILE,
    Bank,
    BankIssue,
    bundled_files,
    check_files,
    find_question_files,
    parse_catalog,
)
from aifprep.domains import DOMAINS, TASK_TITLES
from aifprep.lint import (
    RANK_NAMES,
    BankFigures,
    LongestKeyFigure,
    bank_figures,
    bank_issues,
    bundled_question_issues,
    card_issues,
    catalog_issues,
    deck_issues,
    longest_key_figure,
    question_issues,
)
from aifprep.objectives import NEW_IN_V1_1, OBJECTIVES, task_of

TYPES = ("single", "multiple", "ordering", "matching")


def domain_rows(bank: Bank) -> list[dict]:
    """One row per domain: number, slug, name, weight, question count, count per type,
    and the same counts per task statement."""
    rows = []
    for d in DOMAINS:
        qs = bank.in_domain(d.slug)
        tasks = []
        for task in d.tasks:
            mine = [q for q in qs if q.task == task]
            tasks.append({"task": task, "title": TASK_TITLES[task], "questions": len(mine),
                          "types": _type_counts(mine)})
        rows.append({
            "number": d.number, "slug": d.slug, "name": d.name, "weight": d.weight,
            "questions": len(qs), "types": _type_counts(qs), "tasks": tasks,
        })
    return rows


def _type_counts(questions) -> dict[str, int]:
    kinds = Counter(q.kind for q in questions)
    return {t: kinds.get(t, 0) for t in TYPES}


@dataclass(frozen=True)
class ValidationReport:
    files: int
    questions: int
    issues: tuple[BankIssue, ...]
    longest_key: LongestKeyFigure
    cards: int = 0
    warnings: tuple[BankIssue, ...] = ()
    figures: BankFigures | None = None  # the bank-quality figures for `validate --stats`

    def summary(self) -> str:
        cards = f", {self.cards} flashcards" if self.cards else ""
        warned = f" {len(self.warnings)} warning(s)." if self.warnings else ""
        if self.issues:
            return (f"{len(self.issues)} problem(s) in {self.files} file(s), "
                    f"{self.questions} valid question(s){cards}.{warned}")
        return f"OK: {self.questions} questions{cards} in {self.files} file(s).{warned}"


def validate_paths(given: list[Path], packs: list[Path]) -> ValidationReport:
    """Check the given files (or, with none, the bundled bank plus packs).

    Ids in given files are also checked against the bundled bank, since a pack that
    reuses a bundled id could not be loaded beside it. The bundled bank must also meet
    the bank-level quality rules, and what is only a warning in a pack (a missing 'why')
    is an error there. Every key is checked against the service catalog.
    """
    folder = paths.bundled_questions_dir()
    bundled = bundled_files(folder)
    files, issues = find_question_files(given or packs)
    if not given:
        files = bundled + files
    content = check_files(files)
    questions, cards = content.questions, content.cards
    catalog, catalog_problems = parse_catalog(folder / SERVICES_FILE)
    issues += content.issues + catalog_problems + question_issues(questions) + card_issues(cards)
    bundled_names = {str(f) for f in bundled}
    bundled_paths = {f.resolve() for f in bundled}
    warnings: list[BankIssue] = []
    for warning in content.warnings:
        if Path(warning.file).resolve() in bundled_paths:
            issues.append(BankIssue(warning.file, warning.line, warning.qid,
                                    warning.message.removeprefix("warning: ")))
        else:
            warnings.append(warning)
    errors, name_warnings = catalog_issues(questions, cards, catalog)
    issues += errors
    warnings += name_warnings
    if not given:
        bundled_questions = [q for q in questions if q.source in bundled_names]
        where = {q.domain: q.source for q in bundled_questions}
        issues += bank_issues(bundled_questions, where)
        issues += bundled_question_issues(bundled_questions)
        issues += deck_issues([c for c in cards if c.source in bundled_names])
    if given:
        shipped = check_files(bundled)
        for mine, theirs in ((questions, shipped.questions), (cards, shipped.cards)):
            bundled_ids = {item.id: item for item in theirs}
            for item in mine:
                if item.id in bundled_ids and Path(item.source).resolve() not in bundled_paths:
                    other = bundled_ids[item.id]
                    issues.append(BankIssue(item.source, item.line, item.id,
                                            f"id is already used by the bundled bank ({other.source}:{other.line})"))
    return ValidationReport(len(files), len(questions), tuple(issues),
                            longest_key_figure(questions), len(cards), tuple(warnings),
                            bank_figures(questions))


def stats_lines(figures: BankFigures) -> list[str]:
    """The bank-quality figures as plain lines, for authors (`aifprep validate --stats`)."""
    singles = sum(figures.ranks.values())

    def pct(n: int, total: int) -> str:
        return f"{n / total:.0%}" if total else "-"

    ranks = ", ".join(f"{RANK_NAMES[r]} {n} ({pct(n, singles)})" for r, n in figures.ranks.items())
    covered = sum(1 for n in figures.objectives.values() if n)
    short = figures.objectives_short
    lines = [
        f"Key length rank over {singles} single-answer questions (target 18-32% each): {ranks}",
        f"Key strictly the longest option: {figures.longest.longest} of {figures.longest.singles} "
        f"({pct(figures.longest.longest, figures.longest.singles)})",
        f"Stem echo (key repeats stem words no distractor has): {figures.echoes} of "
        f"{figures.choice_items} choice questions",
        f"Always/never/must/only in distractors but not in the key: {figures.absolute} of "
        f"{figures.choice_items} ({pct(figures.absolute, figures.choice_items)}; at most 5%)",
        f"Objectives with questions: {covered} of {len(figures.objectives)}; below the minimum "
        f"(5, or 8 for objectives new in v1.1): {len(short)}"
        + (f" ({', '.join(short[:12])}{', ...' if len(short) > 12 else ''})" if short else ""),
    ]
    return lines


def objective_rows(bank: Bank) -> list[dict]:
    """One row per v1.1 objective: id, task, summary, whether it is new in v1.1, the
    question count and the count per type."""
    rows = []
    for objective, summary in OBJECTIVES.items():
        mine = [q for q in bank.questions if q.objective == objective]
        rows.append({"objective": objective, "task": task_of(objective), "summary": summary,
                     "new": objective in NEW_IN_V1_1, "questions": len(mine),
                     "types": _type_counts(mine)})
    return rows
