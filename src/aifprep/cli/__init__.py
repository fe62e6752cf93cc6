"""The command line: parse options, call the core, render the result. No logic here.

One module per command group; this one builds the command tree in the order a candidate
uses the commands (`aifprep --help` lists them so).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
import typer.core

from aifprep.app import App
from aifprep.cli import (
    bank_commands,
    coach_commands,
    export_commands,
    flashcards_command,
    history_commands,
    mock_command,
    quiz_command,
    reset_commands,
    settings_commands,
    stats_command,
)
from aifprep.cli.common import version as _version

class _InOrder(typer.core.TyperGroup):
    """Lists the commands in the order they were added (groups included)."""

    def list_commands(self, ctx):  # noqa: D102
        order = [name for name, _, _ in COMMANDS]
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: order.index(n) if n in order else len(order))


app = typer.Typer(
    name="aifprep",
    cls=_InOrder,
    help="Study for the AWS Certified AI Practitioner exam (AIF-C01) in your terminal.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    questions: Optional[List[Path]] = typer.Option(
        None, "--questions", metavar="PATH",
        help="Add a question pack (a YAML file or a folder of them). Repeatable."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for unexpected errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Study for the AWS Certified AI Practitioner exam (AIF-C01) in your terminal.

    Example: aifprep quiz --domain security -n 5
    """
    ctx.obj = App(extra_packs=list(questions or []), debug=debug)


# The order a candidate uses them in; the summaries `aifprep --help` shows, whole.
COMMANDS = [
    ("today", coach_commands.today, "Today's plan: what is due, what is new, what to focus on."),
    ("study", coach_commands.study, "Run today's plan as one session (cards, then questions)."),
    ("quiz", quiz_command.quiz, "Answer questions one at a time, with feedback after each."),
    ("mock-exam", mock_command.mock_exam, "Sit a timed mock exam, then see a score and walk through it."),
    ("flashcards", flashcards_command.flashcards, "Review flashcards with spaced repetition (FSRS)."),
    ("stats", stats_command.stats, "Would you pass? The forecast, progress, confusions, reviews."),
    ("history", history_commands.history_app, "Your sessions and mock exams: list, exclude, delete."),
    ("undo", history_commands.undo, "Take back your latest answer or flashcard rating."),
    ("exam-date", settings_commands.exam_date, "Set your exam date: reviews are planned before it."),
    ("config", settings_commands.config_app, "Show or change your settings: exam date, desired retention."),
    ("export", export_commands.export_app, "Export the deck to Anki or CSV, or your progress to a file."),
    ("import", export_commands.import_app, "Merge progress exported on another machine into this one."),
    ("reset", reset_commands.reset, "Start over on questions, cards or everything (a backup is kept)."),
    ("restore", reset_commands.restore, "List your progress backups or bring one back."),
    ("domains", bank_commands.domains, "The five exam domains: weights and question counts."),
    ("validate", bank_commands.validate, "Check question files; each problem as FILE:LINE: ID."),
]
for _name, _command, _summary in COMMANDS:
    if isinstance(_command, typer.Typer):
        app.add_typer(_command, name=_name, short_help=_summary)
    else:
        app.command(_name, short_help=_summary)(_command)


def _unescape_help_brackets() -> None:
    """typer < 0.21 escapes '[default: 10]' in option help for Rich markup even when markup
    is off, so help would show '\\[default: 10]'. Only needed when help is printed."""
    from typer import rich_utils

    rich_utils.escape_before_html_export = lambda text: text


def main() -> None:
    """Console-script entry point."""
    from aifprep.cli.common import closed_pipe

    if len(sys.argv) < 2 or {"-h", "--help"} & set(sys.argv[1:]):
        _unescape_help_brackets()
    try:
        app()
    except BrokenPipeError:  # help or a message into a closed pipe
        closed_pipe()
        sys.exit(0)
    except SystemExit as exc:
        from click.utils import PacifyFlushWrapper

        if exc.code == 1 and isinstance(sys.stdout, PacifyFlushWrapper):
            closed_pipe()  # click met the closed pipe (in --help) and exits 1: not an error
            sys.exit(0)
        raise
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            closed_pipe()
