"""Data behind `aifprep domains` and `aifprep validate`, as plain values."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aifprep import paths
from aifprep.bank import Bank, BankIssue, bundled_files, check_files, find_question_files
from aifprep.domains import DOMAINS, TASK_TITLES
from aifprep.lint import (
    LongestKeyFigure,
    bank_issues,
    card_issues,
    deck_issues,
    longest_key_figure,
    question_issues,
)

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

    def summary(self) -> str:
        figure = (f" Key is the strictly longest option in {self.longest_key.longest} of "
                  f"{self.longest_key.singles} single-answer questions "
                  f"({self.longest_key.share:.0%}).") if self.longest_key.singles else ""
        cards = f", {self.cards} flashcards" if self.cards else ""
        if self.issues:
            return (f"{len(self.issues)} problem(s) in {self.files} file(s), "
                    f"{self.questions} valid question(s){cards}.{figure}")
        return f"OK: {self.questions} questions{cards} in {self.files} file(s).{figure}"


def validate_paths(given: list[Path], packs: list[Path]) -> ValidationReport:
    """Check the given files (or, with none, the bundled bank plus packs).

    Ids in given files are also checked against the bundled bank, since a pack that
    reuses a bundled id could not be loaded beside it. The bundled bank must also meet
    the bank-level rules (coverage of every task statement, longest-key share).
    """
    bundled = bundled_files(paths.bundled_questions_dir())
    files, issues = find_question_files(given or packs, empty_is_problem=bool(given))
    if not given:
        files = bundled + files
    content = check_files(files)
    questions, cards = content.questions, content.cards
    issues += content.issues + question_issues(questions) + card_issues(cards)
    if not given:
        bundled_questions = [q for q in questions if q.source in {str(f) for f in bundled}]
        where = {q.domain: q.source for q in bundled_questions}
        issues += bank_issues(bundled_questions, where)
        issues += deck_issues([c for c in cards if c.source in {str(f) for f in bundled}])
    if given:
        shipped = check_files(bundled)
        bundled_paths = {f.resolve() for f in bundled}
        for mine, theirs in ((questions, shipped.questions), (cards, shipped.cards)):
            bundled_ids = {item.id: item for item in theirs}
            for item in mine:
                if item.id in bundled_ids and Path(item.source).resolve() not in bundled_paths:
                    other = bundled_ids[item.id]
                    issues.append(BankIssue(item.source, item.line, item.id,
                                            f"id is already used by the bundled bank ({other.source}:{other.line})"))
    return ValidationReport(len(files), len(questions), tuple(issues),
                            longest_key_figure(questions), len(cards))
