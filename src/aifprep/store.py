"""The progress file on disk: the only module that reads or writes it.

- Atomic writes: a temp file in the same folder, flushed and fsynced, then renamed over
  the old file, so a crash or kill leaves either the old or the new file, never half.
- A lock around read-change-write, so two terminals never lose each other's answers:
  each change is applied to what is on disk at that moment.
- A damaged file (not JSON, or a schema this version does not know) is kept byte for byte
  as a backup next to it and replaced by a fresh one; `notices` says what happened.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from aifprep.progress import Change, Progress, SchemaError, from_json, to_json

LOCK_TIMEOUT_SECONDS = 15


class StoreError(Exception):
    """The progress file cannot be used (permissions, lock held too long, ...)."""


class ProgressStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "progress.json"
        self.notices: list[str] = []

    def load(self) -> Progress:
        """The current progress (empty if there is none yet)."""
        with self._locked():
            return self._read()

    def update(self, change: Change) -> Progress:
        """Apply a change to the freshest progress on disk and save it atomically."""
        with self._locked(), _deferred_interrupt():
            progress = change(self._read())
            self._write(progress)
            return progress

    # --- internals ------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {self.folder}: {exc.strerror}") from exc
        lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        try:
            with lock:
                yield
        except Timeout as exc:
            raise StoreError(f"another aifprep has held {lock.lock_file} for "
                             f"{LOCK_TIMEOUT_SECONDS}s; try again") from exc

    def _read(self) -> Progress:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Progress()
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from exc
        try:
            return from_json(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = "it is not valid JSON" + (f" (line {exc.lineno})" if hasattr(exc, "lineno") else "")
        except SchemaError as exc:
            reason = str(exc)
        backup = self._backup(raw)
        self.notices.append(
            f"The progress file {self.path} could not be used: {reason}. It was kept "
            f"unchanged as {backup}, and a fresh progress file was started."
        )
        fresh = Progress()
        self._write(fresh)
        return fresh

    def _backup(self, raw: bytes) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"progress.json.damaged-{stamp}")
        n = 1
        while backup.exists():
            n += 1
            backup = self.path.with_name(f"progress.json.damaged-{stamp}-{n}")
        _atomic_write(backup, raw)
        return backup

    def _write(self, progress: Progress) -> None:
        data = json.dumps(to_json(progress), ensure_ascii=False, indent=1).encode("utf-8")
        try:
            _atomic_write(self.path, data + b"\n")
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror}") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
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
