"""The mock-exam command."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from aifprep.app import ExitCode, UserError
from aifprep.cli.common import (
    packs_option,
    app_state,
    choice_option,
    complete_domain,
    domain_option,
    error,
    handles_errors,
    new_console,
    require_terminal,
    show_notices,
    shown_time,
)


WALK_CHOICES = ("all", "wrong", "flagged", "unanswered")
CLOCK_CHOICES = ("pause", "wall")


@handles_errors
def mock_exam(
    ctx: typer.Context,
    count: Optional[int] = typer.Option(
        None, "--count", "-n", min=1, help="How many questions (default 65, by domain weight)."),
    minutes: Optional[float] = typer.Option(
        None, "--minutes", min=0.01,
        help="Time limit in minutes (default: the real pace, 90 for 65 questions, rounded up; "
             "fractions allowed)."),
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", callback=domain_option, autocompletion=complete_domain,
        help="A one-domain mini exam: number (1-5), slug or unique prefix."),
    seed: Optional[int] = typer.Option(
        None, "--seed", help="Reproducible draw and option order (ignores your history)."),
    clock: str = typer.Option(
        "pause", "--clock", callback=choice_option(CLOCK_CHOICES, "clock"),
        help="pause: the clock stops while aifprep is closed (default); wall: it keeps running."),
    resume: bool = typer.Option(False, "--resume", help="Resume the unfinished exam directly."),
    abandon: bool = typer.Option(False, "--abandon", help="Discard the unfinished exam."),
    review: bool = typer.Option(
        False, "--review", help="Show a finished exam's result and walk-through again: "
                                "the last one, or number N of 'aifprep history'."),
    review_number: Optional[int] = typer.Argument(
        None, metavar="[N]", min=1, show_default=False,
        help="With --review: the exam's number in 'aifprep history' (default: the last)."),
    only: Optional[str] = typer.Option(
        None, "--only", callback=choice_option(WALK_CHOICES, "filter"),
        help="Walk through only some questions: all, wrong, flagged or unanswered."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Sit a timed mock exam like the real AIF-C01: 65 questions, 90 minutes, no feedback
    until you submit; then a scaled score estimate, a per-domain report and a walk-through.

    The exam is saved after every action: Ctrl-C, a closed terminal or a crash never lose
    it, and the next 'aifprep mock-exam' offers to resume it. By default the clock pauses
    while aifprep is closed (--clock wall keeps it running).

    Example: aifprep mock-exam --count 20 --minutes 30   (or: aifprep mock-exam --review 3)
    """
    from aifprep.progress import utc_now

    if review_number is not None and not review:
        raise UserError("a number is for --review: aifprep mock-exam --review N",
                        ExitCode.USAGE)
    if sum((resume, abandon, review)) > 1:
        raise UserError("use only one of --resume, --abandon and --review", ExitCode.USAGE)
    draw_options = [name for name, value in (("--count", count), ("--minutes", minutes),
                                             ("--domain", domain), ("--seed", seed))
                    if value is not None]
    if (resume or abandon or review) and draw_options:
        raise UserError(f"{draw_options[0]} is for a new exam; it cannot be combined with "
                        f"--resume, --abandon or --review", ExitCode.USAGE)
    state = app_state(ctx)
    store = state.store()
    progress = store.snapshot()
    show_notices(state)
    console = new_console()

    if review:
        import sys

        from aifprep.mock import grade_record
        from aifprep.ui.mock_render import result_view, walk_through

        record = _exam_to_review(store.load(), review_number)  # a rare, full read
        by_id = state.bank().by_id
        if sys.stdin.isatty() and sys.stdout.isatty():
            from aifprep.ui.walkthrough_screen import review_record

            console.print(result_view(review_record(record, by_id, only)))
            return
        result = grade_record(record, by_id)
        console.print(result_view(result))
        console.print(walk_through(result, record.seed, only or "all"), crop=False)
        return

    if abandon:
        from aifprep.exam_session import abandon as abandon_exam

        if progress.exam is None:
            raise UserError("there is no unfinished mock exam to abandon")
        abandon_exam(store, progress.exam, utc_now())
        console.print(f"Abandoned the unfinished mock exam started {shown_time(progress.exam.started)}.")
        return

    require_terminal("mock-exam")
    bank = state.bank()
    exam = progress.exam
    if exam is not None and any(q not in bank.by_id for q in exam.questions):
        raise UserError("the unfinished mock exam uses questions that are no longer in the "
                        "bank; discard it with: aifprep mock-exam --abandon")
    if resume and exam is None:
        raise UserError("there is no unfinished mock exam to resume; start one with: "
                        "aifprep mock-exam")
    if exam is not None and _time_ran_out(exam):
        console.print("Time is up: the exam's clock kept running (--clock wall) and ran out "
                      "while aifprep was closed.", style="bold", markup=False)
    elif exam is not None and not resume:
        from aifprep.ui.mock_prompts import offer_resume

        choice = offer_resume(exam, bank.by_id)
        if choice == "quit":
            return
        if choice == "abandon":
            from aifprep.exam_session import abandon as abandon_exam

            abandon_exam(store, exam, utc_now())
            exam = None
    takeover = False
    if exam is not None:
        owner = store.exam_owner()
        if owner is not None:
            from aifprep.ui.mock_prompts import confirm_takeover

            if not confirm_takeover(owner.describe()):
                return
            takeover = True
    if exam is None:
        exam = _new_exam(store, bank, progress, count, minutes, domain, seed, clock)

    from aifprep.exam_session import INTERRUPTED, TAKEN_OVER, TIMED_OUT, sit
    from aifprep.ui.exam_screen import ExamScreenApp
    from aifprep.ui.text import clock_text

    sitting = sit(store, exam, bank.by_id, ExamScreenApp(), takeover=takeover)
    if sitting.outcome == TAKEN_OVER:
        error(f"{sitting.message}. It goes on in the other terminal.")
        raise typer.Exit(ExitCode.PROBLEMS)
    if sitting.result is None:
        s = sitting.state
        console.print(f"Exam saved at question {s.position + 1} of {len(s.questions)} with "
                      f"{clock_text(s.time_left)} left. Resume it with: "
                      "aifprep mock-exam --resume", soft_wrap=True, markup=False)
        if sitting.outcome == INTERRUPTED:
            raise typer.Exit(ExitCode.INTERRUPTED)
        return
    from aifprep.ui.mock_render import result_view
    from aifprep.ui.walkthrough_screen import review_exam

    note = "Time is up: the exam was submitted." if sitting.outcome == TIMED_OUT else ""
    review_exam(sitting.result, sitting.state.seed, only, note)
    if note:
        console.print(note, style="bold")
    console.print(result_view(sitting.result))
    console.print("See it again any time with: aifprep mock-exam --review", style="dim")


def _exam_to_review(progress, number):
    from aifprep.history import HistoryError, finished_exam

    try:
        return finished_exam(progress, number)
    except HistoryError as exc:
        raise UserError(str(exc)) from None


def _time_ran_out(exam) -> bool:
    from aifprep.mock import reopened
    from aifprep.progress import utc_now

    return reopened(exam, utc_now()).time_left <= 0


def _new_exam(store, bank, progress, count, minutes, domain, seed, clock):
    import random
    import uuid

    from aifprep.exam_session import begin
    from aifprep.mock import DEFAULT_COUNT, DrawError, default_minutes, draw_exam, new_exam
    from aifprep.progress import utc_now

    count = count or DEFAULT_COUNT
    minutes = minutes or default_minutes(count)
    draw_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    try:
        questions = draw_exam(bank.questions, progress.views.question_history(practice=True), count,
                              random.Random(draw_seed), domain, prefer_unseen=seed is None)
    except DrawError as exc:
        raise UserError(str(exc)) from None
    minutes_text = f"{minutes:g} min"
    label = f"{len(questions)} questions, {minutes_text}, {'domain ' + domain if domain else 'all domains'}"
    exam = new_exam(uuid.uuid4().hex, questions, draw_seed, minutes, clock, label, utc_now())
    return begin(store, exam)
