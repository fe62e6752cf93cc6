"""The stats command."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from aifprep import sanity
from aifprep.cli.common import (
    packs_option,
    app_state,
    handles_errors,
    new_console,
    show_notices,
)


@handles_errors
def stats(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Show your progress: accuracy per domain, coverage, weakest tasks, recent sessions,
    mock exams, and spaced repetition (due counts, retention, predicted recall on exam day,
    a 14-day due forecast). Practice runs ('aifprep history exclude N') are left out.

    Example: aifprep stats --json
    """
    from aifprep.coach import report, report_json
    from aifprep.history import counted
    from aifprep.progress import local_tz, utc_now
    from aifprep.stats import stats_json, summarize

    state = app_state(ctx)
    progress = state.store().snapshot()
    show_notices(state)
    bank, tz, now = state.bank(), local_tz(), utc_now()
    result = summarize(counted(progress), bank, now=now, tz=tz)
    coach = report(progress, bank, now, tz)
    if as_json:
        print(sanity.dumps({**stats_json(result), **report_json(coach)}, indent=2))
        return
    from aifprep.ui.coach_render import coach_view
    from aifprep.ui.render import stats_view

    console = new_console()
    console.print(coach_view(coach, result, now.astimezone(tz).date()))
    console.print(stats_view(result))
    if result.short_trend:  # the score trend above is of full-length (65-question) exams
        full = " → ".join(str(s) for s in result.score_trend[-6:]) or "none yet"
        short = " → ".join(str(s) for s in result.short_trend[-6:])
        console.print(f"Mock-exam score trend: full-length (65 questions) {full}; shorter "
                      f"exams {short}.", style="dim", markup=False)
