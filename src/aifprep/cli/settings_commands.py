"""The settings commands: exam-date and the config group."""

from __future__ import annotations

from typing import Optional

import typer

from aifprep import sanity
from aifprep.app import ExitCode, UserError
from aifprep.cli.common import (
    app_state,
    handles_errors,
    show_notices,
)


@handles_errors
def exam_date(
    ctx: typer.Context,
    when: Optional[str] = typer.Argument(
        None, metavar="[YYYY-MM-DD]", help="Your exam date. Without it, show the stored one."),
    clear: bool = typer.Option(False, "--clear", help="Forget the exam date."),
    retention: Optional[float] = typer.Option(
        None, "--retention", help="Desired recall chance at each review, 0.70-0.97 "
                                  "(default 0.90). Higher means more reviews."),
) -> None:
    """Set the date of your exam: reviews are scheduled before it, new cards paced to it.

    Also: aifprep config exam-date / aifprep config retention.

    Example: aifprep exam-date 2026-12-15
    """
    from aifprep.study import change_settings

    if clear and when:
        raise UserError("give a date or --clear, not both", ExitCode.USAGE)
    state = app_state(ctx)
    lines = change_settings(state.store(), when, clear, retention)
    show_notices(state)
    for line in lines:
        print(line)


config_app = typer.Typer(name="config", no_args_is_help=False, rich_markup_mode=None)


@config_app.callback(invoke_without_command=True)
@handles_errors
def config_show(ctx: typer.Context,
                as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON.")
                ) -> None:
    """Show or change your study settings: exam date, desired retention (and where your
    data lives).

    Example: aifprep config exam-date 2026-12-15
    """
    if ctx.invoked_subcommand is not None:
        return
    from aifprep.study import settings_report

    state = app_state(ctx)
    report = settings_report(state.store())
    show_notices(state)
    if as_json:
        print(sanity.dumps(report, indent=2))
        return
    for key, value in report.items():
        if isinstance(value, dict):
            print(key)
            for name, where in value.items():
                print(f"  {name:<12} {where}")
        else:
            print(f"{key:<14} {value if value is not None else '-'}")


@config_app.command("exam-date")
@handles_errors
def config_exam_date(
    ctx: typer.Context,
    when: Optional[str] = typer.Argument(None, metavar="[YYYY-MM-DD]",
                                         help="Your exam date (omit with --clear)."),
    clear: bool = typer.Option(False, "--clear", help="Forget the exam date."),
) -> None:
    """Set the exam date (same as 'aifprep exam-date').

    Example: aifprep config exam-date 2026-12-15
    """
    from aifprep.study import change_settings

    if not when and not clear:
        raise UserError("give a date (YYYY-MM-DD) or --clear", ExitCode.USAGE)
    state = app_state(ctx)
    for line in change_settings(state.store(), when, clear, None):
        print(line)


@config_app.command("retention")
@handles_errors
def config_retention(
    ctx: typer.Context,
    value: float = typer.Argument(..., help="Desired recall chance, 0.70-0.97 (default 0.90)."),
) -> None:
    """Set the desired retention FSRS aims for (higher: more frequent reviews).

    Example: aifprep config retention 0.85
    """
    from aifprep.study import change_settings

    state = app_state(ctx)
    for line in change_settings(state.store(), None, False, value):
        print(line)


@config_app.command("confidence")
@handles_errors
def config_confidence(
    ctx: typer.Context,
    value: str = typer.Argument(..., metavar="on|off",
                                help="on: quizzes ask how sure you are before each verdict."),
) -> None:
    """Turn the "how sure are you?" step of quizzes on or off (it measures whether your
    confidence can be trusted, and finds misconceptions: answers you were sure of but got wrong).

    Example: aifprep config confidence off
    """
    from aifprep.records import settings_action

    if value not in ("on", "off"):
        raise UserError(f"confidence must be on or off, got {value!r}", ExitCode.USAGE)
    state = app_state(ctx)
    state.store().record(settings_action(ask_confidence=value == "on"))
    show_notices(state)
    print("Quizzes ask how sure you are before each verdict." if value == "on" else
          "Quizzes no longer ask how sure you are (press u after a right guess instead).")
