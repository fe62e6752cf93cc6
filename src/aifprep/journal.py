"""`journal.jsonl` on disk: append one line, read whole lines from an offset. No locking
here (`store.py` holds the lock around appends and repairs).

- A line is written with one `os.write` of `json + "\\n"` through an O_APPEND descriptor;
  the C JSON encoder, no indent, `allow_nan=False`.
- Only lines that end in a newline are ever read. A last line without one is a torn write
  (a kill mid-append) or a write still in progress: readers stop before it, and the
  writer, under the lock, moves it to the side file (`cut_torn_tail`).
- A whole line that is not JSON, or not a record this version reads (a field of the wrong
  type or out of range: `sanity.record`), is returned as bad so the store can quarantine
  it (once) and go on.
"""

from __future__ import annotations

import gc
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from aifprep import sanity
from aifprep.records import Record

CHUNK = 8 * 1024 * 1024  # bytes read at a time when scanning a long journal
MAX_LINE = 16 * 1024 * 1024  # a longer line is damage (a finished 65-question exam is ~60 KB)
TAG_BYTES = 16  # bytes before an offset that a checkpoint remembers, to recognise its journal

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def encode(record: Record) -> bytes:
    return (_encode(record) + "\n").encode("utf-8")


class BadLine(Exception):
    def __init__(self, offset: int, raw: bytes, reason: str) -> None:
        super().__init__(reason)
        self.offset, self.raw, self.reason = offset, raw, reason


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._ino: int | None = None

    # --- writing (the caller holds the lock) ------------------------------------------------

    def append(self, record: Record) -> tuple[int, int]:
        """Append one line; return its offset and the offset after it. No fsync: `sync`."""
        data = encode(record)
        fd = self._writer()
        start = os.fstat(fd).st_size
        try:
            written = os.write(fd, data)
            while written < len(data):  # a short write (full disk, signal): finish or fail
                n = os.write(fd, data[written:])
                if n <= 0:
                    raise OSError(28, "short write (is the disk full?)", str(self.path))
                written += n
        except OSError:
            try:  # nothing half written: cut what did land (the lock is held)
                if os.fstat(fd).st_size > start:
                    os.ftruncate(fd, start)
            except OSError:
                pass  # the next writer cuts the torn line off (cut_torn_tail)
            raise
        return start, start + len(data)

    def sync(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)

    def _writer(self) -> int:
        if self._fd is not None:
            try:
                if os.stat(self.path).st_ino == self._ino:
                    return self._fd
            except FileNotFoundError:
                pass
            self.close()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._ino = os.fstat(self._fd).st_ino
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = self._ino = None

    def cut_torn_tail(self) -> tuple[int, bytes] | None:
        """If the file does not end in a newline, cut the unfinished last line off and
        return (its offset, its bytes). Only under the lock: no writer may be active."""
        try:
            with open(self.path, "rb+") as fh:
                size = fh.seek(0, os.SEEK_END)
                if size == 0:
                    return None
                fh.seek(size - 1)
                if fh.read(1) == b"\n":
                    return None
                pos = size
                while pos > 0:  # find the last newline
                    step = min(65536, pos)
                    fh.seek(pos - step)
                    block = fh.read(step)
                    i = block.rfind(b"\n")
                    if i >= 0:
                        pos = pos - step + i + 1
                        break
                    pos -= step
                fh.seek(pos)
                torn = fh.read()
                fh.truncate(pos)
                fh.flush()
                os.fsync(fh.fileno())
                return pos, torn
        except FileNotFoundError:
            return None

    # --- reading ----------------------------------------------------------------------------

    def size(self) -> int:
        try:
            return os.stat(self.path).st_size
        except FileNotFoundError:
            return 0

    def tag(self, offset: int) -> str:
        """The bytes just before `offset`, hex: a checkpoint's check that the journal it
        was made from is still the same file up to there."""
        if offset <= 0:
            return ""
        with open(self.path, "rb") as fh:
            fh.seek(max(0, offset - TAG_BYTES))
            return fh.read(min(offset, TAG_BYTES)).hex()

    def header(self) -> Record | None:
        """The first line, if it is a journal header."""
        try:
            with open(self.path, "rb") as fh:
                line = fh.readline()
        except FileNotFoundError:
            return None
        if not line.endswith(b"\n"):
            return None
        try:
            record = sanity.record(sanity.loads(line))
        except ValueError:
            return None
        return record if record.get("type") == "journal" else None

    def line_at(self, offset: int) -> Record:
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            return sanity.loads(fh.readline())

    def lines(self, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, Record | BadLine]]:
        """(offset, next offset, record or BadLine) for each whole line from `start`
        (a line start) up to `end` (default: the end of the file now)."""
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return
        with fh:
            if end is None:
                end = os.fstat(fh.fileno()).st_size
            fh.seek(start)
            pos = read_to = start
            rest = b""
            while read_to < end:
                chunk = fh.read(min(CHUNK, end - read_to))
                if not chunk:
                    break
                read_to += len(chunk)
                buf = rest + chunk if rest else chunk
                cut = buf.rfind(b"\n") + 1
                rest = buf[cut:]
                for line in buf[:cut].split(b"\n")[:-1]:
                    nxt = pos + len(line) + 1
                    yield pos, nxt, _parse(pos, line)
                    pos = nxt


def _parse(offset: int, line: bytes) -> Record | BadLine:
    """A record whose every field has the right type and range (`sanity.record`), or a
    BadLine saying why not (not JSON, NaN, a huge number, deep nesting, a bad field)."""
    if len(line) > MAX_LINE:
        return BadLine(offset, line[:MAX_LINE], f"a line of {len(line)} bytes (at most "
                                                f"{MAX_LINE} are read; the start is kept)")
    try:
        return sanity.record(sanity.loads(line))
    except ValueError as exc:  # sanity.Invalid
        return BadLine(offset, line, str(exc))


@contextmanager
def no_gc() -> Iterator[None]:
    """No garbage collection while many small containers are built (bulk parses)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
