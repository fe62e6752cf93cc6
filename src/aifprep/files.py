"""File helpers of the progress store: paths, atomic writes, backups, leftovers. No
knowledge of what the files hold (that is `store.py`, `records.py`, `views.py`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

BACKUPS_KEPT = 7
LEGACY = "progress.json"


@dataclass(frozen=True)
class StorePaths:
    """Where the store's files live: `folder` is the data folder, `cache` the cache folder
    (see the table in `store.py`)."""

    folder: Path
    cache: Path

    @property
    def journal(self) -> Path:
        return self.folder / "journal.jsonl"

    @property
    def state(self) -> Path:
        return self.folder / "state.json"

    @property
    def exam(self) -> Path:
        return self.folder / "exam.json"

    @property
    def rejected(self) -> Path:
        return self.folder / "journal.rejected.jsonl"

    @property
    def backups(self) -> Path:
        return self.folder / "backups"

    @property
    def lock(self) -> Path:
        return self.folder / "journal.lock"

    @property
    def legacy(self) -> Path:
        return self.folder / LEGACY

    def views(self, journal_id: str) -> Path:
        return self.cache / f"views-{journal_id}.json"

    def describe(self) -> dict[str, str]:
        """Where each file lives, for `aifprep config`."""
        return {"data": str(self.folder), "journal": str(self.journal),
                "state": str(self.state), "exam": str(self.exam),
                "backups": str(self.backups), "views": str(self.cache / "views-*.json")}


MAX_FILE_BYTES = 1 << 30  # a state, exam, views or old progress file larger than this is damage


class SpecialFile(OSError):
    """A FIFO, device, socket or folder where a progress file should be."""


def kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def check_regular(path: Path) -> bool:
    """Whether `path` exists (following symlinks); raise `SpecialFile` if it is anything
    but a regular file. Never opens it, so a FIFO cannot block."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return False
    if not stat.S_ISREG(mode):
        raise SpecialFile(21, f"{path} is {kind_of(mode)}, not a file aifprep can use; "
                              "move it away", str(path))
    return True


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file: opened without blocking (O_NONBLOCK: a FIFO put there
    meanwhile cannot hang us), checked with fstat, at most `limit` bytes. Raises
    FileNotFoundError, `SpecialFile`, or OSError (with `filename` set)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SpecialFile(21, f"{path} is {kind_of(st.st_mode)}, not a file aifprep can "
                                  "use; move it away", str(path))
        if st.st_size > limit:
            raise OSError(27, f"{path} is larger than {limit} bytes", str(path))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise OSError(27, f"{path} is larger than {limit} bytes", str(path))
        return data
    finally:
        os.close(fd)


def write_target(path: Path) -> Path:
    """Where a write to `path` must go: through a symlink to its target, so a progress
    file that is a symlink stays one."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write(path: Path, data: bytes, sync: bool = True) -> None:
    """Temp file in the same folder (named with our pid, so a later start can tell a dead
    writer's leftovers), flushed, fsynced, renamed over `path` (over its target if `path`
    is a symlink: the link stays)."""
    path = write_target(path)
    try:
        _atomic_write(path, data, sync)
    except OSError as exc:
        if exc.filename is None:  # name the file in the error line
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


def _atomic_write(path: Path, data: bytes, sync: bool) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync and hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def readable_json(data: dict) -> bytes:
    """JSON with one top-level key, and one entry of each nested object, per line: easy to
    read and diff, and written by the C encoder."""
    enc = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode

    def block(value, indent: str) -> str:
        if isinstance(value, dict) and value and any(isinstance(v, dict) for v in value.values()):
            inner = f",\n{indent} ".join(f"{enc(k)}: {block(v, indent + ' ')}"
                                         for k, v in value.items())
            return f"{{\n{indent} {inner}\n{indent}}}"
        return enc(value)

    return (block(data, "") + "\n").encode("utf-8")


_SEAL = b'{"sha256":"'


def seal(data: bytes) -> bytes:
    """A JSON object's text with its own checksum as the first key: a checkpoint that was
    damaged or edited by hand is then recognised (`unseal`) and rebuilt, never trusted."""
    import hashlib

    assert data.startswith(b"{") and not data.startswith(b"{}")
    return _SEAL + hashlib.sha256(data).hexdigest().encode("ascii") + b'",' + data[1:]


def unseal(raw: bytes) -> bytes | None:
    """The text `seal` was given, or None if the checksum is missing or does not match."""
    import hashlib

    n = len(_SEAL)
    if not raw.startswith(_SEAL) or raw[n + 64:n + 66] != b'",':
        return None
    data = b"{" + raw[n + 66:]
    if hashlib.sha256(data).hexdigest().encode("ascii") != raw[n:n + 64]:
        return None
    return data


def copy_backup(paths: StorePaths, target: Path, size: int) -> None:
    """Copy the first `size` bytes of the journal (whole lines: the journal is append-only)
    and the state and exam files into `target` (a day's folder), then keep the newest
    BACKUPS_KEPT days. Never raises: a backup is a convenience."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}-",
                                    suffix=".tmp"))
        with open(paths.journal, "rb") as src, open(tmp / "journal.jsonl", "wb") as dst:
            copy_prefix(src, dst, size)
        for path in (paths.state, paths.exam):
            if path.exists():
                shutil.copyfile(path, tmp / path.name)
        try:
            os.rename(tmp, target)
        except OSError:  # another terminal made today's backup meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
        days = sorted(p for p in target.parent.iterdir()
                      if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name))
        for old in days[:-BACKUPS_KEPT]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass  # a backup is a convenience: never fail a command for it


def clean_temp_files(folders: list[Path]) -> list[str]:
    """Remove temp files (`.NAME.PID-XXXX.tmp`) left by writers that are gone (killed
    mid-write); return their names. Those of a live process are left alone."""
    cleaned: list[str] = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            match = re.search(r"\.(\d+)-[^.]*\.tmp$", name)
            if match and pid_alive(int(match.group(1))):
                continue
            path = folder / name
            try:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                cleaned.append(name)
            except OSError:
                pass
    return cleaned


def copy_prefix(src, dst, size: int) -> None:
    left = size
    try:
        while left > 0:
            n = os.copy_file_range(src.fileno(), dst.fileno(), left)
            if n == 0:
                break
            left -= n
        return
    except (AttributeError, OSError):
        src.seek(size - left)
    while left > 0:
        chunk = src.read(min(1 << 20, left))
        if not chunk:
            break
        dst.write(chunk)
        left -= len(chunk)


def free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def pid_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # (on Windows, os.kill(pid, 0) ends it)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextmanager
def nothing() -> Iterator[None]:
    yield


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold back Ctrl-C while a change is written, then deliver it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt

