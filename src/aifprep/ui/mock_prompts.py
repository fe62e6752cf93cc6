"""The questionary prompt before a mock exam: resume an unfinished one or not."""

from __future__ import annotations

from aifprep.exam import CLOCK_WALL, ExamState
from aifprep.mock import answered_count
from aifprep.model import Question
from aifprep.ui.console import make_console


def offer_resume(exam: ExamState, by_id: dict[str, Question]) -> str:
    """Ask what to do with an unfinished exam: "resume", "abandon" or "quit"."""
    import questionary

    from aifprep.ui.text import clock_text, local_time

    started = local_time(exam.started)
    clock = " (the clock kept running while closed)" if exam.clock == CLOCK_WALL else ""
    text = (f"You have an unfinished mock exam, started {started}: "
            f"{answered_count(exam, by_id)} of {len(exam.questions)} answered, at question "
            f"{exam.position + 1}, {clock_text(exam.time_left)} left when last saved{clock}.")
    make_console().print(text)  # the start time comes from the progress file: made safe
    choice = questionary.select(
        "What would you like to do?", qmark=">",
        choices=[questionary.Choice("Resume it", value="resume"),
                 questionary.Choice("Abandon it and start a new exam", value="abandon"),
                 questionary.Choice("Quit (keep it for later)", value="quit")],
    ).unsafe_ask()
    return choice


def confirm_takeover(owner: str) -> bool:
    """The exam is open in another terminal: take it over here? (That one stops saving.)"""
    import questionary

    make_console().print(f"This mock exam is open in another terminal ({owner}).")
    return bool(questionary.confirm(
        "Take it over here? The other terminal stops saving it.", default=False, qmark=">",
    ).unsafe_ask())
