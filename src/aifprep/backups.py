"""Backups of the progress: named, listed, written and read here.

A backup is a whole progress file (`progress.to_json`) in the `backups/` folder of the
data folder, named `progress-backup-YYYYmmddTHHMMSS-<reason>.json` (UTC time, then why it
was made: `reset-all`, `restore`, `import`, `daily`, ...), so that the store's daily
backups and the ones made before a reset, a restore or an import share the folder and sort
by time.

The store's own daily backups are folders `backups/YYYY-MM-DD/` holding a copy of the
journal (and of `state.json` and `exam.json`): they are listed here with the reason
`daily`, and read by replaying that journal (`store.read_folder`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from aifprep.files import atomic_write
from aifprep import sanity
from aifprep.progress import Progress, SchemaError, from_json, to_json

FOLDER = "backups"
PREFIX = "progress-backup-"
_NAME = re.compile(r"^progress-backup-(\d{8}T\d{6})-([A-Za-z0-9_.-]+?)(?:-(\d+))?\.json$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # the store's daily backup folders
_REASON = re.compile(r"^[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*$")


class BackupError(ValueError):
    """A backup that cannot be found or read; the message is one line for the user."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime  # UTC
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


def folder(data_dir: Path) -> Path:
    return data_dir / FOLDER


def backup_name(when: datetime, reason: str, n: int = 1) -> str:
    """`progress-backup-20261129T203000-reset-all.json` (the time in UTC)."""
    if not _REASON.match(reason):
        raise ValueError(f"a backup reason is letters, digits and dashes, not {reason!r}")
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{PREFIX}{stamp}-{reason}{'' if n == 1 else f'-{n}'}.json"


def parse_name(name: str) -> tuple[datetime, str] | None:
    """The time and reason of a backup file name, or None if it is not one."""
    m = _NAME.match(name)
    if m is None:
        return None
    taken = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    return taken, m.group(2)


def list_backups(data_dir: Path) -> list[Backup]:
    """Every backup in the data folder, newest first."""
    try:
        files = list(folder(data_dir).iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for path in files:
        parsed = parse_name(path.name)
        if parsed is not None and path.is_file():
            found.append(Backup(path, *parsed))
        elif _DAY.match(path.name) and (path / "journal.jsonl").is_file():
            taken = datetime.fromtimestamp(_mtime(path / "journal.jsonl") / 1e9, timezone.utc)
            found.append(Backup(path, taken.replace(microsecond=0), "daily"))
    return sorted(found, key=lambda b: (b.taken, _mtime(b.path), b.name), reverse=True)


def _mtime(path: Path) -> int:
    """Orders backups taken within the same second."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def write_backup(data_dir: Path, progress: Progress, reason: str, when: datetime) -> Path:
    """Keep `progress` as a new backup file (never overwriting one); return its path.
    BackupError if it cannot be written (the caller then changes nothing)."""
    target = folder(data_dir)
    data = sanity.dumps(to_json(progress), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    try:
        target.mkdir(parents=True, exist_ok=True)
        n = 1
        while (target / backup_name(when, reason, n)).exists():
            n += 1
        path = target / backup_name(when, reason, n)
        atomic_write(path, data)
    except OSError as exc:
        raise BackupError(f"cannot keep a backup in {target}: {exc.strerror or exc}; "
                          "nothing was changed") from exc
    return path


def find_backup(data_dir: Path, which: str) -> Path:
    """A backup by its number in `list_backups` (1 = newest), its file name, or a path."""
    backups = list_backups(data_dir)
    if which.isdigit():
        n = int(which)
        if not 1 <= n <= len(backups):
            raise BackupError(f"there is no backup {n}; 'aifprep restore' lists "
                              f"{len(backups)}" if backups else "there are no backups yet")
        return backups[n - 1].path
    by_name = {b.name: b.path for b in backups}
    if which in by_name:
        return by_name[which]
    path = Path(which).expanduser()
    if path.is_file() or (path / "journal.jsonl").is_file():
        return path
    raise BackupError(f"no backup called {which!r}; 'aifprep restore' lists them")


def read_progress_file(path: Path) -> Progress:
    """A progress file (a backup or an export), migrated, or a daily backup folder
    (replayed); BackupError if it cannot be used."""
    if path.is_dir():
        from aifprep.store import read_folder

        try:
            return read_folder(path)
        except OSError as exc:
            raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from exc
    from aifprep.files import read_regular

    try:
        raw = read_regular(path)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        parsed = sanity.loads_legacy(raw)
    except sanity.Invalid as exc:
        raise BackupError(f"{path} is not a progress file: {exc}") from None
    try:
        data, rejected = sanity.salvage_legacy(parsed)
        if rejected:
            where, _, why = rejected[0]
            more = f" and {len(rejected) - 1} more" if len(rejected) > 1 else ""
            raise SchemaError(f"{where} is damaged ({why}){more}")
        return from_json(data)
    except (sanity.Invalid, SchemaError) as exc:
        raise BackupError(f"{path} is not a usable progress file: {exc}") from None
