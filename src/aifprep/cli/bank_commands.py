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
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """List the five exam domains with their weights and question counts per type.

    Example: aifprep domains --tasks
    """
    from aifprep.report import domain_rows

    rows = domain_rows(app_state(ctx).bank())
    if as_json:
        if not tasks:
            rows = [{k: v for k, v in r.items() if k != "tasks"} for r in rows]
        print(json.dumps(rows, indent=2))
        return
    from aifprep.ui.render import domains_table

    new_console().print(domains_table(rows, with_tasks=tasks))


@handles_errors
def validate(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(
        None, metavar="[PATH]...", help="Question files or folders (default: the bundled bank)."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Check question files and report every problem as FILE:LINE: ID: message.

    Exits 1 when there is any problem, 0 when the files are clean.

    Example: aifprep validate my-pack/
    """
    from aifprep.report import validate_paths

    report = validate_paths(list(paths or []), app_state(ctx).pack_paths)
    for issue in report.issues:
        print(issue)
    print(report.summary())
    if report.issues:
        raise typer.Exit(ExitCode.PROBLEMS)
