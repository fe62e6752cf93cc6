"""The command line: parse options, call the core, render the result. No logic here.

One module per command group; this one builds the command tree in the order a candidate
uses the commands (`aifprep --help` lists them so).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

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

app = typer.Typer(
    name="aifprep",
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


app.command("today")(coach_commands.today)
app.command("study")(coach_commands.study)
app.command("quiz")(quiz_command.quiz)
app.command("mock-exam")(mock_command.mock_exam)
app.command("flashcards")(flashcards_command.flashcards)
app.command("stats")(stats_command.stats)
app.add_typer(history_commands.history_app)
app.command("undo")(history_commands.undo)
app.command("exam-date")(settings_commands.exam_date)
app.add_typer(settings_commands.config_app)
app.add_typer(export_commands.export_app)
app.add_typer(export_commands.import_app)
app.command("reset")(reset_commands.reset)
app.command("restore")(reset_commands.restore)
app.command("domains")(bank_commands.domains)
app.command("validate")(bank_commands.validate)


def _unescape_help_brackets() -> None:
    """typer < 0.21 escapes '[default: 10]' in option help for Rich markup even when markup
    is off, so help would show '\\[default: 10]'. Only needed when help is printed."""
    from typer import rich_utils

    rich_utils.escape_before_html_export = lambda text: text


def main() -> None:
    """Console-script entry point."""
    if len(sys.argv) < 2 or {"-h", "--help"} & set(sys.argv[1:]):
        _unescape_help_brackets()
    app()
