"""The stats command."""

from __future__ import annotations

import json

import typer

from aifprep.cli.common import (
    app_state,
    handles_errors,
    new_console,
    show_notices,
)


@handles_errors
def stats(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON."),
) -> None:
    """Show your progress: accuracy per domain, coverage, weakest tasks, recent sessions,
    mock exams, and spaced repetition (due counts, retention, predicted recall on exam day,
    a 14-day due forecast).

    Example: aifprep stats --json
    """
    from aifprep.progress import local_tz
    from aifprep.stats import stats_json, summarize

    state = app_state(ctx)
    progress = state.store().snapshot()
    show_notices(state)
    result = summarize(progress, state.bank(), tz=local_tz())
    if as_json:
        print(json.dumps(stats_json(result), indent=2))
        return
    from aifprep.ui.render import stats_view

    new_console().print(stats_view(result))
