"""The bank commands: domains and validate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from aifprep.app import ExitCode
from aifprep.cli.common import (
    packs_option,
    app_state,
    handles_errors,
    new_console,
)


@handles_errors
def domains(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON."),
    tasks: bool = typer.Option(False, "--tasks", help="Also count per task statement."),
    objectives: bool = typer.Option(False, "--objectives",
                                    help="Also count per exam objective (guide v1.1)."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """List the five exam domains with their weights and question counts per type.

    With --objectives, also the questions per v1.1 objective (in JSON, under each task
    statement: every objective id with its count and its counts per type).

    Example: aifprep domains --tasks --objectives
    """
    from aifprep.report import domain_rows, objective_rows

    bank = app_state(ctx).bank()
    rows = domain_rows(bank)
    per_objective = objective_rows(bank) if objectives else []
    if as_json:
        if objectives:
            by_task: dict[str, dict] = {}
            for o in per_objective:
                by_task.setdefault(o["task"], {})[o["objective"]] = {
                    "questions": o["questions"], "types": o["types"], "new": o["new"]}
            for r in rows:
                for t in r["tasks"]:
                    t["objectives"] = by_task.get(t["task"], {})
        elif not tasks:
            rows = [{k: v for k, v in r.items() if k != "tasks"} for r in rows]
        print(json.dumps(rows, indent=2))
        return
    from aifprep.ui.render import domains_table, objectives_table

    console = new_console()
    console.print(domains_table(rows, with_tasks=tasks))
    if objectives:
        console.print(objectives_table(per_objective, width=console.width))


@handles_errors
def validate(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(
        None, metavar="[PATH]...", help="Question files or folders (default: the bundled bank)."),
    stats: bool = typer.Option(False, "--stats",
                               help="Also print the bank-quality figures for authors (key length "
                                    "ranks, stem echoes, qualifiers, objective coverage)."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Check question files and report every problem as FILE:LINE: ID: message.

    Warnings (a name missing from the service catalog, a missing 'why' in a pack) are
    printed too but do not fail. Exits 1 when there is any problem, 0 when the files are
    clean.

    Example: aifprep validate my-pack/
    """
    from aifprep.report import stats_lines, validate_paths

    report = validate_paths(list(paths or []), app_state(ctx).pack_paths)
    for issue in report.issues:
        print(issue)
    for warning in report.warnings:
        print(warning)
    if stats and report.figures is not None:
        for line in stats_lines(report.figures):
            print(line)
    print(report.summary())
    if report.issues:
        raise typer.Exit(ExitCode.PROBLEMS)
