"""The flashcards command."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from aifprep.app import ExitCode, UserError
from aifprep.cli.common import (
    packs_option,
    app_state,
    complete_domain,
    domain_option,
    error,
    handles_errors,
    new_console,
    require_terminal,
    show_notices,
    task_option,
)


@handles_errors
def flashcards(
    ctx: typer.Context,
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", callback=domain_option, autocompletion=complete_domain,
        help="Domain number (1-5), slug or unique prefix."),
    task: Optional[str] = typer.Option(None, "--task", callback=task_option,
                                       help="Task statement, e.g. 2.3."),
    limit: Optional[int] = typer.Option(
        None, "--limit", min=1,
        help="At most this many different cards (a card you miss comes back as a repeat)."),
    new: Optional[int] = typer.Option(
        None, "--new", min=0,
        help="New cards in this session (default 20, more if your exam date needs it)."),
    reverse: bool = typer.Option(False, "--reverse",
                                 help="Show the description and ask for the term."),
    cram: bool = typer.Option(False, "--cram",
                              help="Review cards in scope, weakest first, without changing "
                                   "the schedule."),
    packs: Optional[List[Path]] = packs_option(),
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

    require_terminal("flashcards")
    state = app_state(ctx)
    store = state.store()
    progress = store.snapshot()
    show_notices(state)
    cards = cards_in_scope(state.bank().cards, domain, task)
    if not cards:
        raise UserError("no flashcards match" + (f" (domain {domain})" if domain else "")
                        + (f" (task {task})" if task else ""))
    tz, now = local_tz(), utc_now()
    from aifprep.drills import confused_card_ids

    plan = plan_session(cards, progress, now, tz, limit=limit,
                        new_requested=DEFAULT_NEW if new is None else new,
                        new_explicit=new is not None, cram=cram,
                        extra=confused_card_ids(progress, state.bank()))
    console = new_console()
    before = deck_counts(cards, progress.schedule, now)
    console.print(f"Flashcards{' (' + domain + ')' if domain else ''}: {before.describe()}",
                  markup=False, highlight=False)
    if plan.quota and plan.quota.warning:
        error(plan.quota.warning)
    if not plan.cards:
        from aifprep.ui.flashcard_screen import next_due_line

        console.print("Nothing to review now. " + next_due_line(cards, progress.schedule, now, tz),
                      markup=False)
        return

    from aifprep.ui.flashcard_screen import FlashcardScreen, session_summary

    result = run_session(plan, FlashcardScreen(), store, tz, reverse=reverse, cram=cram,
                         progress=progress)
    progress = store.snapshot()
    after = deck_counts(cards, progress.schedule, utc_now())
    console.print(session_summary(result, before, after, cram))
    if result.interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)
