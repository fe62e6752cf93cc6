"""The coach commands: today (the plan) and study (the plan as one session)."""

from __future__ import annotations

import json

import typer

from aifprep.cli.common import app_state, handles_errors, new_console, show_notices


@handles_errors
def today(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show today's study plan: cards and questions due, new material paced to your exam
    date, the task statements to focus on, and whether a full mock exam is due.

    Example: aifprep today
    """
    from aifprep.coach import plan_json, report
    from aifprep.progress import local_tz, utc_now

    state = app_state(ctx)
    progress = state.store().load()
    show_notices(state)
    coach = report(progress, state.bank(), utc_now(), local_tz())
    if as_json:
        print(json.dumps({**plan_json(coach.plan), "streak": coach.streak,
                          "done_today": coach.done_today}, indent=2))
        return
    from aifprep.ui.coach_render import forecast_view, plan_view

    console = new_console()
    console.print(plan_view(coach.plan, coach.done_today, coach.streak))
    console.print()
    console.print(forecast_view(coach.forecast))
