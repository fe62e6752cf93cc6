"""The coach commands: today (the plan) and study (the plan as one session)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from aifprep import sanity
from aifprep.app import ExitCode
from aifprep.cli.common import (
    app_state,
    handles_errors,
    new_console,
    packs_option,
    require_terminal,
    show_notices,
)


@handles_errors
def today(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Show today's study plan: cards and questions due, new material paced to your exam
    date, the task statements to focus on, and whether a full mock exam is due.

    Example: aifprep today
    """
    from aifprep.coach import plan_json, report
    from aifprep.progress import local_tz, utc_now

    state = app_state(ctx)
    progress = state.store().snapshot()
    show_notices(state)
    coach = report(progress, state.bank(), utc_now(), local_tz())
    if as_json:
        print(sanity.dumps({**plan_json(coach.plan), "streak": coach.streak,
                          "done_today": coach.done_today}, indent=2))
        return
    from aifprep.ui.coach_render import forecast_view, plan_view

    console = new_console()
    console.print(plan_view(coach.plan, coach.done_today, coach.streak))
    console.print()
    console.print(forecast_view(coach.forecast))


@handles_errors
def study(
    ctx: typer.Context,
    minutes: Optional[float] = typer.Option(
        None, "--minutes", min=1, help="Fit the session into about this many minutes."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Run today's plan as one session: the flashcards due (and new ones), the questions due
    for review, then new questions from your focus task statements. Everything is saved as
    you go; q or Ctrl-C stops cleanly.

    Example: aifprep study --minutes 20
    """
    import random

    from aifprep.coach import confused_card_ids, report, study_steps
    from aifprep.flashcards import plan_session, run_session
    from aifprep.progress import local_tz, utc_now
    from aifprep.quiz import run_quiz

    require_terminal("study")
    state = app_state(ctx)
    store = state.store()
    progress = store.snapshot()
    show_notices(state)
    bank, tz, now = state.bank(), local_tz(), utc_now()
    coach = report(progress, bank, now, tz)
    seed = random.SystemRandom().randrange(2**31)
    steps = study_steps(progress, bank, coach.plan, now, minutes, seed)
    console = new_console()
    if steps.empty:
        console.print("Nothing to study in that time: no cards or questions are due and no "
                      "new material fits. Try: aifprep quiz --new", markup=False)
        return
    phases = [p for p in (("flashcards", steps.cards), ("questions due for review", len(steps.due_questions)),
                          ("new questions", len(steps.new_questions))) if p[1]]
    console.print("Today's session: " + ", then ".join(f"{n} {name}" for name, n in phases)
                  + (f" (about {minutes:g} min)" if minutes else ""), markup=False, style="bold")
    done = 0
    for number, (name, count) in enumerate(phases, 1):
        console.print(f"\nStep {number} of {len(phases)}: {name} ({count})", markup=False,
                      style="bold")
        if name == "flashcards":
            from aifprep.ui.flashcard_screen import FlashcardScreen

            plan = plan_session(bank.cards, progress, now, tz, limit=count,
                                new_requested=steps.new_cards, new_explicit=True,
                                extra=confused_card_ids(progress, bank))
            result = run_session(plan, FlashcardScreen(), store, tz, progress=progress)
            done += result.reviewed
            stopped, interrupted = result.quit or result.interrupted, result.interrupted
        else:
            from aifprep.ui.quiz_screen import QuizScreen

            questions = list(steps.due_questions if name.startswith("questions") else steps.new_questions)
            outcome = run_quiz(questions, QuizScreen(ask_confidence=progress.settings.ask_confidence), store, seed,
                               label=f"study: {name}", tz=tz)
            done += len(outcome.answered)
            stopped, interrupted = outcome.interrupted or outcome.quit, outcome.interrupted
        if stopped:
            console.print(f"\nStopped after {done} item{'s' if done != 1 else ''}; everything "
                          "is saved. Pick up again with: aifprep study", markup=False)
            if interrupted:
                raise typer.Exit(ExitCode.INTERRUPTED)
            return
    console.print(f"\nSession done: {done} item{'s' if done != 1 else ''}.", markup=False,
                  style="bold")
    if coach.plan.mock_exam:
        console.print(f"Still on today's plan: a full mock exam ({coach.plan.mock_exam}): "
                      "aifprep mock-exam", markup=False)
