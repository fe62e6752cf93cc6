"""The history commands: history (list, exclude, include, delete) and undo, and what the
commands that edit the history share (`rewrite`, `confirm`, errors, local times).

Thin shells: the changes are pure functions of `history.py`, applied with `rewrite`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

import typer

from aifprep import sanity
from aifprep.app import ExitCode, UserError
from aifprep.cli.common import app_state, handles_errors, new_console, show_notices


@contextmanager
def user_errors() -> Iterator[None]:
    """The history and backup modules' errors are the user's to fix: one line, exit 1."""
    from aifprep.backups import BackupError
    from aifprep.history import HistoryError

    try:
        yield
    except (HistoryError, BackupError) as exc:
        raise UserError(str(exc)) from None


def rewrite(state, change):
    """Apply a change that may remove history (undo, delete, exclude, reset, restore,
    import) to the freshest progress, under the store's lock.

    The one place where these commands write: with a store whose `update` only appends
    records, this is what to point at its whole-history rewrite.
    """
    return state.store().update(change)


def confirm(question: str, yes: bool, flag: str = "--yes") -> bool:
    """True if the user agreed (or passed --yes); without a terminal, a usage error."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UserError(f"not asking without a terminal (stdin is not one); add {flag} to "
                        "confirm", ExitCode.USAGE)
    return typer.confirm(question, default=False)


def local_time(iso_time: str | None) -> str:
    """A UTC time of the progress file as local date and time, e.g. '2026-11-29 21:34'."""
    if not iso_time:
        return "–"
    from aifprep.progress import local_tz, parse_time

    return parse_time(iso_time).astimezone(local_tz()).strftime("%Y-%m-%d %H:%M")


def duration(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


# --- aifprep history --------------------------------------------------------------------------

history_app = typer.Typer(name="history", no_args_is_help=False, rich_markup_mode=None)


def entry_json(e) -> dict:
    return {"number": e.number, "id": e.id, "mode": e.mode, "started": e.started,
            "started_local": local_time(e.started), "finished": e.finished, "label": e.label,
            "questions": e.questions, "correct": e.correct, "scaled": e.scaled,
            "passed": e.passed, "seconds": round(e.seconds, 1), "full_length": e.full_length,
            "excluded": e.excluded}


def history_table(found: list):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE, title="Your history (oldest first)", title_justify="left",
                  padding=(0, 1, 0, 0), pad_edge=False)
    for col, justify in (("#", "right"), ("Started", "left"), ("Mode", "left"),
                         ("Qs", "right"), ("Score", "right"), ("Time", "right"),
                         ("Notes", "left")):
        table.add_column(col, justify=justify, no_wrap=col != "Notes")  # type: ignore[arg-type]
    for e in found:
        notes = []
        if e.scaled is not None:
            score = f"{e.scaled} {'pass' if e.passed else 'fail'} ({e.correct}/{e.questions})"
            notes.append("full" if e.full_length else "short")
        else:
            score = f"{e.correct}/{e.questions}" if e.questions else "–"
        if e.excluded:
            notes.append("practice")
        if not e.finished:
            notes.append("unfinished")
        elif e.label.endswith("(abandoned)"):
            notes.append("abandoned")
        table.add_row(str(e.number), local_time(e.started), e.mode, str(e.questions), score,
                      duration(e.seconds), ", ".join(notes),
                      style="dim" if e.excluded else None)
    return table


@history_app.callback(invoke_without_command=True)
@handles_errors
def history_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the list as JSON."),
) -> None:
    """List your quiz sessions and mock exams, oldest first and numbered: local date and
    time, mode, questions, score (scaled for mock exams), time used, full-length or short,
    practice runs. The number is what 'history exclude/include/delete N' and
    'mock-exam --review N' take.

    Example: aifprep history exclude 3
    """
    if ctx.invoked_subcommand is not None:
        return
    from aifprep.history import entries

    state = app_state(ctx)
    found = entries(state.store().load())
    show_notices(state)
    if as_json:
        print(sanity.dumps([entry_json(e) for e in found], indent=2))
        return
    if not found:
        print("No sessions or mock exams yet: start with 'aifprep quiz' or 'aifprep mock-exam'.")
        return
    console = new_console()
    console.print(history_table(found))
    console.print("Practice runs are kept but left out of stats and the score trend. "
                  "'aifprep history exclude N' marks one, 'include N' counts it again, "
                  "'delete N' removes it; 'aifprep mock-exam --review N' shows an exam again.",
                  style="dim", markup=False)


def _entry(ctx: typer.Context, number: int):
    from aifprep.history import entry

    state = app_state(ctx)
    progress = state.store().load()
    show_notices(state)
    with user_errors():
        return state, entry(progress, number)


def _what(e) -> str:
    kind = "mock exam" if e.mode == "mock-exam" else f"{e.mode} session"
    return f"{kind} {e.number} of {local_time(e.started)}"


NUMBER = typer.Argument(..., min=1, help="The number 'aifprep history' shows.")


@history_app.command("exclude")
@handles_errors
def history_exclude(ctx: typer.Context, number: int = NUMBER) -> None:
    """Mark a session or mock exam as a practice run: kept, but left out of stats and the
    mock-exam score trend ('include N' counts it again).

    Example: aifprep history exclude 3
    """
    from aifprep.history import exclude

    state, e = _entry(ctx, number)
    rewrite(state, lambda p: exclude(p, e.id))
    print(f"The {_what(e)} is now a practice run: left out of stats and the score trend.")


@history_app.command("include")
@handles_errors
def history_include(ctx: typer.Context, number: int = NUMBER) -> None:
    """Count a practice run again in stats and the score trend.

    Example: aifprep history include 3
    """
    from aifprep.history import include

    state, e = _entry(ctx, number)
    rewrite(state, lambda p: include(p, e.id))
    print(f"The {_what(e)} counts again in stats and the score trend.")


@history_app.command("delete")
@handles_errors
def history_delete(
    ctx: typer.Context,
    number: int = NUMBER,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a session or mock exam with its answers and reviews, as if it never happened
    (the spaced-repetition schedule of its questions is replayed without them).

    Example: aifprep history delete 3 --yes
    """
    from aifprep.history import delete_session
    from aifprep.progress import local_tz

    state, e = _entry(ctx, number)
    if not e.finished and e.mode == "mock-exam":
        raise UserError(f"entry {number} is the unfinished mock exam; discard it with: "
                        "aifprep mock-exam --abandon")
    answers = f"{e.questions} question{'s' if e.questions != 1 else ''}"
    if not confirm(f"Delete the {_what(e)} ({answers}) with its answers and reviews?", yes):
        print("Nothing deleted.")
        return
    tz = local_tz()
    rewrite(state, lambda p: delete_session(p, e.id, tz))
    print(f"Deleted the {_what(e)} with its answers and reviews; the schedule of its "
          "questions was replayed without them.")


# --- aifprep undo -----------------------------------------------------------------------------

@handles_errors
def undo(ctx: typer.Context) -> None:
    """Take back your most recent quiz answer or flashcard rating (and its review), as if
    it never happened. Run it again to take back the one before.

    Example: aifprep undo
    """
    from aifprep.history import undo_last
    from aifprep.progress import local_tz

    state = app_state(ctx)
    tz = local_tz()
    done = []

    def change(progress):
        progress, what = undo_last(progress, tz)
        done.append(what)
        return progress

    with user_errors():
        rewrite(state, change)
    show_notices(state)
    what = done[-1]
    item = "card" if what.kind == "rating" else "question"
    print(f"Undone: {what.detail}, {item} {what.item}, {local_time(what.at)}. "
          "Run 'aifprep undo' again to take back the one before.")
