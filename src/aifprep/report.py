"""Data behind `aifprep domains` and `aifprep validate`, as plain values."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aifprep import paths
from aifprep.bank import Bank, BankIssue, bundled_files, check_files, find_question_files
from aifprep.domains import DOMAINS

TYPES = ("single", "multiple", "ordering", "matching")


def domain_rows(bank: Bank) -> list[dict]:
    """One row per domain: number, slug, name, weight, question count, count per type."""
    rows = []
    for d in DOMAINS:
        qs = bank.in_domain(d.slug)
        kinds = Counter(q.kind for q in qs)
        rows.append({
            "number": d.number, "slug": d.slug, "name": d.name, "weight": d.weight,
            "questions": len(qs), "types": {t: kinds.get(t, 0) for t in TYPES},
        })
    return rows


@dataclass(frozen=True)
class ValidationReport:
    files: int
    questions: int
    issues: tuple[BankIssue, ...]

    def summary(self) -> str:
        if self.issues:
            return (f"{len(self.issues)} problem(s) in {self.files} file(s), "
                    f"{self.questions} valid question(s).")
        return f"OK: {self.questions} questions in {self.files} file(s)."


def validate_paths(given: list[Path], packs: list[Path]) -> ValidationReport:
    """Check the given files (or, with none, the bundled bank plus packs).

    Ids in given files are also checked against the bundled bank, since a pack that
    reuses a bundled id could not be loaded beside it.
    """
    bundled = bundled_files(paths.bundled_questions_dir())
    files, issues = find_question_files(given or packs)
    if not given:
        files = bundled + files
    questions, problems = check_files(files)
    issues += problems
    if given:
        bundled_ids = {q.id: q for q in check_files(bundled)[0]}
        for q in questions:
            if q.id in bundled_ids and q.source not in {str(f) for f in bundled}:
                other = bundled_ids[q.id]
                issues.append(BankIssue(q.source, q.line, q.id,
                                        f"id is already used by the bundled bank ({other.source}:{other.line})"))
    return ValidationReport(len(files), len(questions), tuple(issues))
