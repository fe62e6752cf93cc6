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
    due: bool = typer.Option(False, "--due",
                             help="Only questions due for review now (spaced repetition)."),
) -> None:
    """Answer questions one at a time, with the explanation after each answer.

    Questions due for review come first, then never-seen and previously missed ones. Each
    answer also schedules the question's next review (FSRS): wrong comes back soon, right
    later; press u after a right answer you guessed. Every answer is saved as you give it;
    Ctrl-C ends the quiz with a summary of what you answered.

    Example: aifprep quiz --due
    """
    from aifprep.progress import iso, local_tz, question_history, utc_now
    from aifprep.quiz import draw_quiz, question_dues, run_quiz
    from aifprep.selection import QuizFilter

    _require_terminal("quiz")
    if sum((missed, new, due)) > 1:
        raise UserError("use only one of --missed, --new and --due", ExitCode.USAGE)
    state = _state(ctx)
    store = state.store()
    progress = store.load()
    history = question_history(progress)
    _show_notices(state)
    flt = QuizFilter(domain=domain, task=task, qtype=qtype, missed=missed, new=new, due=due)
    dues, now = question_dues(progress.schedule), utc_now()
    questions, draw_seed = draw_quiz(state.bank().questions, history, flt, count, seed,
                                     due=dues, now=now)
    if not questions:
        message = f"no questions match ({flt.describe()})."
        if missed:
            message += " You have no missed questions there: well done."
        if due:
            later = sorted(d for d in dues.values() if d > now)
            message = "no questions are due for review now" + (
                f"; the next is due {_when(iso(later[0]))}" if later else
                "; answer some first with: aifprep quiz") + "."
        raise UserError(message)

    from aifprep.ui.prompts import TerminalPrompter
    from aifprep.ui.render import quiz_summary

    console = _console()
    label = f"{flt.describe()}, {len(questions)} questions"
    result = run_quiz(questions, TerminalPrompter(console), store, draw_seed, label=label,
                      tz=local_tz())
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
    return iso_time.replace("T", " ").replace("Z", " UTC").replace("+00:00", " UTC")


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
def flashcards(
    ctx: typer.Context,
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", callback=_domain_option, autocompletion=_complete_domain,
        help="Domain number (1-5), slug or unique prefix."),
    task: Optional[str] = typer.Option(None, "--task", callback=_task_option,
                                       help="Task statement, e.g. 2.3."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1,
                                        help="At most this many cards in this session."),
    new: Optional[int] = typer.Option(
        None, "--new", min=0,
        help="New cards in this session (default 20, more if your exam date needs it)."),
    reverse: bool = typer.Option(False, "--reverse",
                                 help="Show the description and ask for the term."),
    cram: bool = typer.Option(False, "--cram",
                              help="Review cards in scope, weakest first, without changing "
                                   "the schedule."),
) -> None:
    """Review flashcards with spaced repetition (FSRS): the cards due now, then new ones.

    Each card shows its front; Space or Enter reveals the back; rate your recall with
    1 Again, 2 Hard, 3 Good, 4 Easy (or ←/→ and Enter). Every rating is saved as you give
    it; q or Ctrl-C stops. With an exam date set (aifprep exam-date), nothing is scheduled
    after the exam and new cards are paced so that you see every card twice before it.

    Example: aifprep flashcards -d genai --new 10
    """
    from aifprep.flashcards import (
        DEFAULT_NEW,
        cards_in_scope,
        deck_counts,
        plan_session,
        run_session,
    )
    from aifprep.progress import local_tz, utc_now

    _require_terminal("flashcards")
    state = _state(ctx)
    store = state.store()
    progress = store.load()
    _show_notices(state)
    cards = cards_in_scope(state.bank().cards, domain, task)
    if not cards:
        raise UserError("no flashcards match" + (f" (domain {domain})" if domain else "")
                        + (f" (task {task})" if task else ""))
    tz, now = local_tz(), utc_now()
    plan = plan_session(cards, progress, now, tz, limit=limit,
                        new_requested=DEFAULT_NEW if new is None else new,
                        new_explicit=new is not None, cram=cram)
    console = _console()
    before = deck_counts(cards, progress.schedule, now)
    console.print(f"Flashcards{' (' + domain + ')' if domain else ''}: {before.describe()}",
                  markup=False, highlight=False)
    if plan.quota and plan.quota.warning:
        _error(plan.quota.warning)
    if not plan.cards:
        from aifprep.ui.flashcard_screen import next_due_line

        console.print("Nothing to review now. " + next_due_line(cards, progress.schedule, now, tz),
                      markup=False)
        return

    from aifprep.ui.flashcard_screen import TerminalReviewer, session_summary

    result = run_session(plan, TerminalReviewer(console), store, tz, reverse=reverse, cram=cram,
                         progress=progress)
    progress = store.load()
    after = deck_counts(cards, progress.schedule, utc_now())
    console.print()
    console.print(session_summary(result, before, after, cram))
    if result.interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)


@app.command("exam-date")
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
    state = _state(ctx)
    lines = change_settings(state.store(), when, clear, retention)
    _show_notices(state)
    for line in lines:
        print(line)


config_app = typer.Typer(name="config", no_args_is_help=False, rich_markup_mode=None)
app.add_typer(config_app)


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

    state = _state(ctx)
    report = settings_report(state.store())
    _show_notices(state)
    if as_json:
        print(json.dumps(report, indent=2))
        return
    for key, value in report.items():
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
    state = _state(ctx)
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

    state = _state(ctx)
    for line in change_settings(state.store(), None, False, value):
        print(line)


@app.command()
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

    state = _state(ctx)
    progress = state.store().load()
    _show_notices(state)
    result = summarize(progress, state.bank(), tz=local_tz())
    if as_json:
        print(json.dumps(stats_json(result), indent=2))
        return
    from aifprep.ui.render import stats_view

    _console().print(stats_view(result))


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
