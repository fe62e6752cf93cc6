"""The export and import commands: Anki package, CSV, the whole progress between machines."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from aifprep import sanity
from aifprep.app import ExitCode, UserError
from aifprep.cli.common import app_state, echo, handles_errors, show_notices
from aifprep.cli.history_commands import local_time, rewrite, user_errors

export_app = typer.Typer(name="export", no_args_is_help=True, rich_markup_mode=None,
                         help="Export the deck to Anki or CSV, or your progress to a file.\n\n"
                              "Example: aifprep export anki aif-c01.apkg")
import_app = typer.Typer(name="import", no_args_is_help=True, rich_markup_mode=None,
                         help="Merge another machine's progress into this one.\n\n"
                              "Example: aifprep import progress laptop.json")


def _cannot_write(path: Path, exc: OSError) -> UserError:
    return UserError(f"cannot write {path}: {exc.strerror or exc}")


@export_app.command("anki")
@handles_errors
def export_anki(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE.apkg", help="The Anki package to write."),
    questions: bool = typer.Option(False, "--questions", help="Add the questions as notes "
                                   "(options on the front; key, reasons and explanation on "
                                   "the back)."),
) -> None:
    """Write the flashcard deck as an Anki package, tagged by domain and task. Each note
    keeps the same id in every export, so importing a newer one updates your notes
    instead of duplicating them.

    Example: aifprep export anki aif-c01.apkg --questions
    """
    from aifprep.export import DECK_NAME, write_anki

    if file.suffix.lower() != ".apkg":
        raise UserError(f"{file} must end in .apkg (Anki imports only those)", ExitCode.USAGE)
    bank = app_state(ctx).bank()
    try:
        notes = write_anki(bank, file, questions)
    except OSError as exc:
        raise _cannot_write(file, exc) from None
    what = "flashcards and questions" if questions else "flashcards"
    echo(f"Wrote {notes} notes ({what}) to {file}: deck '{DECK_NAME}'. In Anki: "
          "File > Import.")


@export_app.command("csv")
@handles_errors
def export_csv(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="The CSV file to write ('-': "
                                                         "standard output)."),
    history: bool = typer.Option(False, "--history", help="Every answer and review instead "
                                                          "of the cards."),
) -> None:
    """Write the flashcards as CSV (front, back, domain, task, tags, id), or with --history
    every answer and review (UTC times). UTF-8, comma-separated, a header row.

    Example: aifprep export csv history.csv --history
    """
    from aifprep.export import CARD_COLUMNS, HISTORY_COLUMNS, card_rows, history_rows, write_csv

    state = app_state(ctx)
    if history:
        progress = state.store().load()
        show_notices(state)
        header, rows, what = HISTORY_COLUMNS, history_rows(progress), "answers and reviews"
    else:
        header, rows, what = CARD_COLUMNS, card_rows(state.bank()), "flashcards"
    if file == "-":
        write_csv(sys.stdout, header, rows)
        return
    try:
        with open(file, "w", newline="", encoding="utf-8") as out:
            write_csv(out, header, rows)
    except OSError as exc:
        raise _cannot_write(Path(file), exc) from None
    echo(f"Wrote {len(rows)} {what} to {file}.")


@export_app.command("progress")
@handles_errors
def export_progress(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The JSON file to write."),
) -> None:
    """Write your whole progress (answers, mock exams, schedule, reviews, settings, with
    its schema version) to a JSON file, to merge on another machine with
    'aifprep import progress FILE'.

    Example: aifprep export progress laptop.json
    """
    from aifprep.progress import to_json

    state = app_state(ctx)
    progress = state.store().load()
    show_notices(state)
    data = sanity.dumps(to_json(progress), ensure_ascii=False, indent=1) + "\n"
    try:
        file.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise _cannot_write(file, exc) from None
    echo(f"Wrote your progress ({len(progress.answers)} answers, {len(progress.reviews)} "
          f"reviews, {len(progress.mock_exams)} mock exams) to {file}. On the other machine: "
          f"aifprep import progress {file.name}")


@import_app.command("progress")
@handles_errors
def import_progress(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A file written by "
                                                          "'aifprep export progress'."),
) -> None:
    """Merge another machine's progress into this one: answers, sessions, mock exams and
    reviews are combined (nothing twice), the spaced-repetition schedule is rebuilt from
    all reviews in time order, and the settings of the file with the latest activity win.
    Importing the same file again changes nothing. Your progress is backed up first.

    Example: aifprep import progress laptop.json
    """
    from aifprep import paths
    from aifprep.backups import read_progress_file, write_backup
    from aifprep.history import last_activity, merge, repair_phantoms
    from aifprep.progress import local_tz, utc_now

    with user_errors():
        theirs = read_progress_file(file)
    state = app_state(ctx)
    tz = local_tz()
    theirs, _ = repair_phantoms(theirs, tz)  # a file from an aifprep before 0.5
    seen: dict = {}

    def change(mine):
        merged = merge(mine, theirs, tz)
        seen.update(mine=mine, merged=merged)
        if merged == mine:
            return mine
        seen["backup"] = write_backup(paths.data_dir(), mine, "import", utc_now())
        return merged

    with user_errors():  # a backup that cannot be written changes nothing
        rewrite(state, change)
    show_notices(state)
    mine, merged = seen["mine"], seen["merged"]
    added = [(len(merged.answers) - len(mine.answers), "answer"),
             (len(merged.reviews) - len(mine.reviews), "review"),
             (len(merged.sessions) - len(mine.sessions), "session"),
             (len(merged.mock_exams) - len(mine.mock_exams), "mock exam")]
    if merged == mine:
        echo(f"Nothing new in {file}: your progress already holds all of it.")
    else:
        news = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in added if n) \
            or "no new records"
        echo(f"Merged {file}: {news} added; the schedule was rebuilt from every review. "
              f"Your progress before the import is kept as {seen['backup'].name}.")
    echo(_settings_line(mine, theirs, merged, file, last_activity))


def _settings_line(mine, theirs, merged, file: Path, last_activity) -> str:
    s = merged.settings
    shown = (f"exam date {s.exam_date.isoformat() if s.exam_date else 'none'}, "
             f"retention {s.retention:g}")
    if mine.settings == theirs.settings:
        return f"Settings are the same in both ({shown})."
    if s == theirs.settings and s != mine.settings:
        return (f"Settings from {file} won ({shown}): it has the latest activity "
                f"({local_time(last_activity(theirs)) if last_activity(theirs) else '–'}).")
    return (f"Your settings were kept ({shown}): this machine has the latest activity "
            f"({local_time(last_activity(mine)) if last_activity(mine) else '–'}).")
