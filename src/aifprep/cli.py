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


WALK_CHOICES = ("all", "wrong", "flagged")
CLOCK_CHOICES = ("pause", "wall")


def _choice_option(valid: tuple[str, ...], what: str) -> Callable[[Optional[str]], Optional[str]]:
    def check(value: Optional[str]) -> Optional[str]:
        if value is None or value in valid:
            return value
        raise typer.BadParameter(f"unknown {what} {value!r}; valid: {', '.join(valid)}")

    return check


@app.command("mock-exam")
@handles_errors
def mock_exam(
    ctx: typer.Context,
    count: Optional[int] = typer.Option(
        None, "--count", "-n", min=1, help="How many questions (default 65, by domain weight)."),
    minutes: Optional[float] = typer.Option(
        None, "--minutes", min=0.01, help="Time limit in minutes (default 90; fractions allowed)."),
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", callback=_domain_option, autocompletion=_complete_domain,
        help="A one-domain mini exam: number (1-5), slug or unique prefix."),
    seed: Optional[int] = typer.Option(
        None, "--seed", help="Reproducible draw and option order (ignores your history)."),
    clock: str = typer.Option(
        "pause", "--clock", callback=_choice_option(CLOCK_CHOICES, "clock"),
        help="pause: the clock stops while aifprep is closed (default); wall: it keeps running."),
    resume: bool = typer.Option(False, "--resume", help="Resume the unfinished exam directly."),
    abandon: bool = typer.Option(False, "--abandon", help="Discard the unfinished exam."),
    review: bool = typer.Option(
        False, "--review", help="Show the last finished exam's result and walk-through again."),
    only: Optional[str] = typer.Option(
        None, "--only", callback=_choice_option(WALK_CHOICES, "filter"),
        help="Walk through only wrong or flagged questions (all, wrong, flagged)."),
) -> None:
    """Sit a timed mock exam like the real AIF-C01: 65 questions, 90 minutes, no feedback
    until you submit; then a scaled score estimate, a per-domain report and a walk-through.

    The exam is saved after every action: Ctrl-C, a closed terminal or a crash never lose
    it, and the next 'aifprep mock-exam' offers to resume it. By default the clock pauses
    while aifprep is closed (--clock wall keeps it running).

    Example: aifprep mock-exam --count 20 --minutes 30
    """
    from aifprep.progress import utc_now

    if sum((resume, abandon, review)) > 1:
        raise UserError("use only one of --resume, --abandon and --review", ExitCode.USAGE)
    draw_options = [name for name, value in (("--count", count), ("--minutes", minutes),
                                             ("--domain", domain), ("--seed", seed))
                    if value is not None]
    if (resume or abandon or review) and draw_options:
        raise UserError(f"{draw_options[0]} is for a new exam; it cannot be combined with "
                        f"--resume, --abandon or --review", ExitCode.USAGE)
    state = _state(ctx)
    store = state.store()
    progress = store.load()
    _show_notices(state)
    console = _console()

    if review:
        from aifprep.mock import grade_record
        from aifprep.ui.mock_render import result_view, walk_through

        if not progress.mock_exams:
            raise UserError("no finished mock exam yet; sit one with: aifprep mock-exam")
        record = progress.mock_exams[-1]
        result = grade_record(record, state.bank().by_id)
        console.print(result_view(result))
        console.print(walk_through(result, record.seed, only or "all"))
        return

    if abandon:
        from aifprep.exam_session import abandon as abandon_exam

        if progress.exam is None:
            raise UserError("there is no unfinished mock exam to abandon")
        abandon_exam(store, progress.exam, utc_now())
        console.print(f"Abandoned the unfinished mock exam started {_when(progress.exam.started)}.")
        return

    _require_terminal("mock-exam")
    bank = state.bank()
    exam = progress.exam
    if exam is not None and any(q not in bank.by_id for q in exam.questions):
        raise UserError("the unfinished mock exam uses questions that are no longer in the "
                        "bank; discard it with: aifprep mock-exam --abandon")
    if resume and exam is None:
        raise UserError("there is no unfinished mock exam to resume; start one with: "
                        "aifprep mock-exam")
    if exam is not None and not resume:
        from aifprep.ui.mock_prompts import offer_resume

        choice = offer_resume(exam, bank.by_id)
        if choice == "quit":
            return
        if choice == "abandon":
            from aifprep.exam_session import abandon as abandon_exam

            abandon_exam(store, exam, utc_now())
            exam = None
    if exam is None:
        exam = _new_exam(store, bank, progress, count, minutes, domain, seed, clock)

    from aifprep.exam_session import INTERRUPTED, TIMED_OUT, sit
    from aifprep.ui.exam_screen import ExamScreenApp, clock_text

    sitting = sit(store, exam, bank.by_id, ExamScreenApp())
    if sitting.result is None:
        s = sitting.state
        console.print(f"Exam saved at question {s.position + 1} of {len(s.questions)} with "
                      f"{clock_text(s.time_left)} left. Resume it with: "
                      "aifprep mock-exam --resume", soft_wrap=True, markup=False)
        if sitting.outcome == INTERRUPTED:
            raise typer.Exit(ExitCode.INTERRUPTED)
        return
    from aifprep.ui.mock_prompts import ask_walk_filter
    from aifprep.ui.mock_render import result_view, walk_through

    if sitting.outcome == TIMED_OUT:
        console.print("Time is up: the exam was submitted.", style="bold")
    console.print(result_view(sitting.result))
    walk = only or ask_walk_filter()
    if walk:
        console.print(walk_through(sitting.result, sitting.state.seed, walk))
    console.print("See it again any time with: aifprep mock-exam --review", style="dim")


def _when(iso_time: str) -> str:
    return iso_time.replace("T", " ").replace("Z", " UTC")


def _new_exam(store, bank, progress, count, minutes, domain, seed, clock):
    import random
    import uuid

    from aifprep.exam_session import begin
    from aifprep.mock import DEFAULT_COUNT, DEFAULT_MINUTES, DrawError, draw_exam, new_exam
    from aifprep.progress import question_history, utc_now

    count = count or DEFAULT_COUNT
    minutes = minutes or DEFAULT_MINUTES
    draw_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    try:
        questions = draw_exam(bank.questions, question_history(progress), count,
                              random.Random(draw_seed), domain, prefer_unseen=seed is None)
    except DrawError as exc:
        raise UserError(str(exc)) from None
    minutes_text = f"{minutes:g} min"
    label = f"{len(questions)} questions, {minutes_text}, {'domain ' + domain if domain else 'all domains'}"
    exam = new_exam(uuid.uuid4().hex, questions, draw_seed, minutes, clock, label, utc_now())
    return begin(store, exam)


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
