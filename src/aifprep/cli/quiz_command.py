"""The quiz command."""

from __future__ import annotations

import random
from pathlib import Path
from typing import List, Optional

import typer

from aifprep.app import ExitCode, UserError
from aifprep.cli.common import (
    packs_option,
    app_state,
    complete_domain,
    complete_type,
    domain_option,
    handles_errors,
    new_console,
    require_terminal,
    show_notices,
    shown_time,
    task_option,
    type_option,
)


@handles_errors
def quiz(
    ctx: typer.Context,
    domain: Optional[str] = typer.Option(
        None, "--domain", "-d", callback=domain_option, autocompletion=complete_domain,
        help="Domain number (1-5), slug or unique prefix (e.g. 3, foundation, sec)."),
    task: Optional[str] = typer.Option(None, "--task", callback=task_option,
                                       help="Task statement, e.g. 3.2."),
    qtype: Optional[str] = typer.Option(None, "--type", callback=type_option,
                                        autocompletion=complete_type,
                                        help="single, multiple, ordering or matching."),
    count: int = typer.Option(10, "--count", "-n", min=1, help="How many questions."),
    seed: Optional[int] = typer.Option(
        None, "--seed", help="Reproducible quiz: same seed, same questions, same option order."),
    missed: bool = typer.Option(False, "--missed", help="Only questions you last answered wrong."),
    new: bool = typer.Option(False, "--new", help="Only questions you have never answered."),
    due: bool = typer.Option(False, "--due",
                             help="Only questions due for review now (spaced repetition)."),
    confusions: bool = typer.Option(
        False, "--confusions",
        help="Questions where AWS services you have mixed up stand as key and distractor."),
    packs: Optional[List[Path]] = packs_option(),
) -> None:
    """Answer questions one at a time, with the explanation after each answer.

    Questions due for review come first, then never-seen and previously missed ones. Each
    answer also schedules the question's next review (FSRS): wrong comes back soon, right
    later; press u after a right answer you guessed. Every answer is saved as you give it;
    q (or Ctrl-C) ends the quiz with a summary of what you answered. ? shows the keys.

    Example: aifprep quiz --due
    """
    from aifprep.progress import iso, local_tz, utc_now
    from aifprep.quiz import draw_quiz, run_quiz
    from aifprep.selection import QuizFilter

    require_terminal("quiz")
    if sum((missed, new, due, confusions)) > 1:
        raise UserError("use only one of --missed, --new, --due and --confusions", ExitCode.USAGE)
    state = app_state(ctx)
    store = state.store()
    snapshot = store.snapshot()
    history = snapshot.views.question_history(practice=True)
    show_notices(state)
    flt = QuizFilter(domain=domain, task=task, qtype=qtype, missed=missed, new=new, due=due)
    dues, now = snapshot.question_dues(), utc_now()
    if confusions:
        from aifprep.drills import confusion_quiz

        draw_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        questions = confusion_quiz(store.load(), state.bank(), count, draw_seed)
        if not questions:
            raise UserError("no confusions between AWS services recorded yet: they appear "
                            "when a wrong answer picks one service where the key is another")
    else:
        questions, draw_seed = draw_quiz(state.bank().questions, history, flt, count, seed,
                                         due=dues, now=now,
                                         first=snapshot.views.misconceptions())
    if not questions:
        message = f"no questions match ({flt.describe()})."
        if missed and not history:
            message = ("there is no history yet, so nothing was missed; answer some "
                       "questions first with: aifprep quiz")
        elif missed:
            message += " You have no missed questions there: well done."
        if due:
            later = sorted(d for d in dues.values() if d > now)
            message = "no questions are due for review now" + (
                f"; the next is due {shown_time(iso(later[0]))}" if later else
                "; answer some first with: aifprep quiz") + "."
        raise UserError(message)

    from aifprep.ui.quiz_screen import QuizScreen
    from aifprep.ui.render import quiz_summary

    console = new_console()
    label = f"{flt.describe()}, {len(questions)} questions"
    result = run_quiz(questions, QuizScreen(ask_confidence=snapshot.settings.ask_confidence), store,
                      draw_seed, label=label, tz=local_tz())
    console.print(quiz_summary(result))
    if result.interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)
