"""The reset and restore commands: start over, bring a backup back (`backups.py` names,
lists, writes and reads them; `history.reset` is the change)."""

from __future__ import annotations

from typing import Optional

import typer

from aifprep import sanity
from aifprep.app import ExitCode, UserError
from aifprep.cli.common import app_state, handles_errors, new_console, show_notices
from aifprep.cli.history_commands import confirm, rewrite, user_errors


@handles_errors
def reset(
    ctx: typer.Context,
    questions: bool = typer.Option(False, "--questions", help="Forget answers, sessions, "
                                   "mock exams and the questions' schedule."),
    cards: bool = typer.Option(False, "--cards", help="Forget flashcard ratings and schedule."),
    everything: bool = typer.Option(False, "--all", help="Forget both."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Start over with the questions, the flashcards or both, after a confirmation. Your
    progress is kept as a backup first ('aifprep restore' brings it back); settings (exam
    date, retention) are kept.

    Example: aifprep reset --cards --yes
    """
    from aifprep import paths
    from aifprep.backups import write_backup
    from aifprep.history import reset as reset_progress
    from aifprep.progress import utc_now

    chosen = [name for name, on in (("questions", questions), ("cards", cards),
                                    ("all", everything)) if on]
    if len(chosen) != 1:
        raise UserError("choose one of --questions, --cards and --all", ExitCode.USAGE)
    scope = chosen[0]
    state = app_state(ctx)
    store = state.store()
    progress = store.load()
    show_notices(state)
    what = {"questions": f"{len(progress.answers)} answers, {len(progress.mock_exams)} mock "
                         "exams and the questions' schedule",
            "cards": f"{sum(1 for r in progress.reviews if r.item.startswith('card:'))} "
                     "flashcard ratings and the cards' schedule",
            "all": "all your answers, mock exams, flashcard ratings and schedules"}[scope]
    if not confirm(f"Forget {what}? (A backup is kept first.)", yes):
        print("Nothing reset.")
        return
    kept = []

    def change(current):
        kept.append(write_backup(paths.data_dir(), current, f"reset-{scope}", utc_now()))
        return reset_progress(current, scope)

    with user_errors():  # a backup that cannot be written changes nothing
        rewrite(state, change)
    print(f"Reset: forgot {what}. Your previous progress is kept as {kept[-1].name}; "
          "bring it back with: aifprep restore " + kept[-1].name)


def backups_table(found: list):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE, title="Backups (newest first)", title_justify="left")
    for col in ("#", "Taken", "Why", "File"):
        table.add_column(col, justify="right" if col == "#" else "left",
                         overflow="fold")
    for n, b in enumerate(found, 1):
        table.add_row(str(n), b.taken.astimezone(_tz()).strftime("%Y-%m-%d %H:%M:%S"),
                      b.reason, b.name)
    return table


def _tz():
    from aifprep.progress import local_tz

    return local_tz()


@handles_errors
def restore(
    ctx: typer.Context,
    backup: Optional[str] = typer.Argument(
        None, metavar="[BACKUP]", help="The backup's number in the list, its file name or a "
                                       "path. Without it, list the backups."),
    as_json: bool = typer.Option(False, "--json", help="List the backups as JSON."),
) -> None:
    """List your progress backups, or bring one back. The progress it replaces is kept as a
    backup too, so a restore can itself be undone.

    Example: aifprep restore 1
    """
    from aifprep import paths
    from aifprep.backups import find_backup, list_backups, read_progress_file, write_backup
    from aifprep.progress import utc_now

    state = app_state(ctx)
    data_dir = paths.data_dir()
    if backup is None:
        found = list_backups(data_dir)
        if as_json:
            print(sanity.dumps([{"number": n, "file": b.name, "reason": b.reason,
                               "taken": b.taken.isoformat().replace("+00:00", "Z")}
                              for n, b in enumerate(found, 1)], indent=2))
            return
        if not found:
            print("No backups yet: 'aifprep reset' and 'aifprep import progress' keep one "
                  "before they change your progress.")
            return
        console = new_console()
        console.print(backups_table(found))
        console.print(f"Restore one with: aifprep restore N (they are in {data_dir / 'backups'})",
                      style="dim", markup=False, soft_wrap=True)
        return
    from aifprep.history import repair_phantoms

    with user_errors():
        path = find_backup(data_dir, backup)
        restored, _ = repair_phantoms(read_progress_file(path), _tz())  # from before 0.5
    kept = []

    def change(current):
        kept.append(write_backup(data_dir, current, "restore", utc_now()))
        return restored

    with user_errors():  # a backup that cannot be written changes nothing
        rewrite(state, change)
    show_notices(state)
    cards = sum(1 for r in restored.reviews if r.item.startswith("card:"))
    print(f"Restored {path.name}: {len(restored.answers)} answers, {len(restored.mock_exams)} "
          f"mock exams, {cards} flashcard ratings. The progress it replaced is kept as "
          f"{kept[-1].name}.")
