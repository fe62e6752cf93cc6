"""The command line: parse options, call the core, render the result. No logic here."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer

from aifprep import __version__
from aifprep.app import App, ExitCode, UserError
from aifprep.domains import DOMAINS, UnknownDomain, UnknownTask, resolve_domain, resolve_task

app = typer.Typer(
    name="aifprep",
    help="Study for the AWS Certified AI Practitioner exam (AIF-C01) in your terminal.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

QUESTION_TYPES = ("single", "multiple", "ordering", "matching")


# --- shared plumbing ----------------------------------------------------------------------

def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _error(message: str) -> None:
    _console(stderr=True).print(f"aifprep: {message}", markup=False, style="red", soft_wrap=True)


def _state(ctx: typer.Context) -> App:
    if not isinstance(ctx.obj, App):
        ctx.obj = App()
    return ctx.obj


def handles_errors(command: Callable) -> Callable:
    """Turn the core's typed errors into one clear line and an exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from aifprep.bank import BankError
        from aifprep.store import StoreError

        ctx = kwargs.get("ctx")
        debug = bool(ctx and isinstance(ctx.obj, App) and ctx.obj.debug)
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BankError as exc:
            for issue in exc.issues[:5]:
                _error(f"broken question file: {issue}")
            if len(exc.issues) > 5:
                _error(f"... and {len(exc.issues) - 5} more problems; run 'aifprep validate'")
            raise typer.Exit(ExitCode.PROBLEMS) from None
        except (UserError, StoreError) as exc:
            _error(str(exc))
            raise typer.Exit(getattr(exc, "code", ExitCode.PROBLEMS)) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Exception as exc:
            if debug:
                raise
            _error(f"unexpected error: {exc.__class__.__name__}: {exc} (run with --debug "
                   "for the traceback)")
            raise typer.Exit(ExitCode.PROBLEMS) from None

    return wrapper


def _show_notices(state: App) -> None:
    store = state._store
    for notice in getattr(store, "notices", []):
        _error(notice)
    if store is not None:
        store.notices.clear()


def _require_terminal(command: str) -> None:
    if not sys.stdin.isatty():
        raise UserError(f"'aifprep {command}' is interactive and needs a terminal; stdin is "
                        "not one. (For data, try 'aifprep stats --json'.)", ExitCode.USAGE)


def _domain_option(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return resolve_domain(value).slug
    except UnknownDomain as exc:
        raise typer.BadParameter(str(exc)) from None


def _task_option(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return resolve_task(value)
    except UnknownTask as exc:
        raise typer.BadParameter(str(exc)) from None


def _type_option(value: Optional[str]) -> Optional[str]:
    if value is None or value in QUESTION_TYPES:
        return value
    raise typer.BadParameter(f"unknown type {value!r}; valid: {', '.join(QUESTION_TYPES)}")


def _complete_domain(incomplete: str) -> list[str]:
    return [d.slug for d in DOMAINS if d.slug.startswith(incomplete)]


def _complete_type(incomplete: str) -> list[str]:
    return [t for t in QUESTION_TYPES if t.startswith(incomplete)]


def _version(value: bool) -> None:
    if value:
        print(f"aifprep {__version__}")
        raise typer.Exit()


# --- commands -----------------------------------------------------------------------------

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


@app.command()
@handles_errors
def domains(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON."),
    tasks: bool = typer.Option(False, "--tasks", help="Also count per task statement."),
) -> None:
    """List the five exam domains with their weights and question counts per type.

    Example: aifprep domains --tasks
    """
    from aifprep.report import domain_rows

    rows = domain_rows(_state(ctx).bank())
    if as_json:
        if not tasks:
            rows = [{k: v for k, v in r.items() if k != "tasks"} for r in rows]
        print(json.dumps(rows, indent=2))
        return
    from aifprep.ui.render import domains_table

    _console().print(domains_table(rows, with_tasks=tasks))


@app.command()
@handles_errors
def validate(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(
        None, metavar="[PATH]...", help="Question files or folders (default: the bundled bank)."),
) -> None:
    """Check question files and report every problem as FILE:LINE: ID: message.

    Exits 1 when there is any problem, 0 when the files are clean.

    Example: aifprep validate my-pack/
    """
    from aifprep.report import validate_paths

    report = validate_paths(list(paths or []), _state(ctx).pack_paths)
    for issue in report.issues:
        print(issue)
    print(report.summary())
    if report.issues:
        raise typer.Exit(ExitCode.PROBLEMS)


@app.command()
@handles_errors
def quiz(
    ctx: typer.Context,
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", callback=_domain_option, autocompletion=_complete_domain,
        help="Domain number (1-5), slug or unique prefix (e.g. 3, foundation, sec)."),
    task: Optional[str] = typer.Option(None, "--task", callback=_task_option,
                                       help="Task statement, e.g. 3.2."),
    qtype: Optional[str] = typer.Option(None, "--type", callback=_type_option,
                                        autocompletion=_complete_type,
                                        help="single, multiple, ordering or matching."),
    count: int = typer.Option(10, "--count", "-n", min=1, help="How many questions."),
    seed: Optional[int] = typer.Option(
        None, "--seed", help="Reproducible quiz: same seed, same questions, same option order."),
    missed: bool = typer.Option(False, "--missed", help="Only questions you last answered wrong."),
    new: bool = typer.Option(False, "--new", help="Only questions you have never answered."),
) -> None:
    """Answer questions one at a time, with the explanation after each answer.

    Never-seen and previously missed questions come first. Every answer is saved as you
    give it; Ctrl-C ends the quiz with a summary of what you answered.

    Example: aifprep quiz -d genai -n 5
    """
    from aifprep.progress import question_history
    from aifprep.quiz import draw_quiz, run_quiz
    from aifprep.selection import QuizFilter

    _require_terminal("quiz")
    if missed and new:
        raise UserError("--missed and --new exclude each other (a missed question has been seen)",
                        ExitCode.USAGE)
    state = _state(ctx)
    store = state.store()
    history = question_history(store.load())
    _show_notices(state)
    flt = QuizFilter(domain=domain, task=task, qtype=qtype, missed=missed, new=new)
    questions, draw_seed = draw_quiz(state.bank().questions, history, flt, count, seed)
    if not questions:
        raise UserError(f"no questions match ({flt.describe()})." +
                        (" You have no missed questions there: well done." if missed else ""))

    from aifprep.ui.prompts import TerminalPrompter
    from aifprep.ui.render import quiz_summary

    console = _console()
    label = f"{flt.describe()}, {len(questions)} questions"
    result = run_quiz(questions, TerminalPrompter(console), store, draw_seed, label=label)
    console.print()
    console.print(quiz_summary(result))
    if result.interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)


@app.command()
@handles_errors
def stats(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON."),
) -> None:
    """Show your progress: accuracy per domain, coverage, weakest tasks, recent sessions.

    Example: aifprep stats --json
    """
    from aifprep.stats import stats_json, summarize

    state = _state(ctx)
    progress = state.store().load()
    _show_notices(state)
    result = summarize(progress, state.bank())
    if as_json:
        print(json.dumps(stats_json(result), indent=2))
        return
    from aifprep.ui.render import stats_view

    _console().print(stats_view(result))


def main() -> None:
    """Console-script entry point."""
    app()
