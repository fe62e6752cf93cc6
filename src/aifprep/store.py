"""The progress files on disk: the only module that reads or writes them.

Files in the data folder (`paths.data_dir()`, `$AIFPREP_DATA_DIR`):

| file | what | written |
|---|---|---|
| `journal.jsonl` | the history: one record per line (`records.py`), append-only | one line + one fsync per action, under the lock |
| `state.json` | checkpoint of settings + FSRS schedule + latest review per item, with the journal offset it reflects | atomically, every 64 KiB of journal and when a command ends |
| `exam.json` | the mock exam in progress and its owner (`examfile.py`) | atomically by the exam's owner, off the screen's event loop |
| `journal.rejected.jsonl` | torn last lines, unreadable or invalid lines (`sanity.record`), and the records of an old `progress.json` that failed their checks, set aside verbatim | when one is found (once) |
| `backups/YYYY-MM-DD/` | a daily copy of the three files; the last 7 days are kept | at the first use of a day, in the background |
| `progress.json.v3-backup` | a schema 1-3 `progress.json`, byte for byte, after its upgrade | once |

and in the cache folder (`paths.cache_dir()`): `views-<journal id>.json`, the derived views
(`views.py`) with the offset they reflect. (`files.py` has the paths and the file helpers:
atomic writes, backups, clean-up of leftovers.) `state.json` and the views are derived from the
journal: when missing, damaged or out of step they are rebuilt from it, so the journal
alone is the history (`backups/` copies all three to make restoring quick).

API (`ProgressStore(folder)`):

- reading: `snapshot()` -> `views.Snapshot` (settings, schedule, views, exam in progress),
  O(new lines): checkpoints + the journal lines after them. `load()` -> the full
  `progress.Progress`, replaying the whole journal (rare commands: history, export, merge).
- writing: `record(action)` runs `action(snapshot) -> record | None` (`records.py`) under the
  lock on the freshest snapshot and appends the record as one line: O(1). `record_many`
  appends many ready-made records (imports, merges) under one lock and one fsync;
  `replace_journal(records)` swaps in a new journal atomically (compaction, restore,
  reset). `update(change)` applies a `progress.Change` to the full history (the generic,
  O(history) path, for rare commands: history, reset, restore, import): what it added is
  appended (practice runs as `exclude`/`include` records); a change that removes or
  rewrites records writes a new journal of the new history, atomically.
- exam in progress (one owner): `start_exam`, `claim_exam(takeover)` (raises
  `ExamElsewhere` while another live terminal has it), `save_exam` (raises `ExamTakenOver`
  once another terminal took it over), `release_exam`, `finish_exam`, `abandon_exam`.
- `checkpoint()`, `close()` (checkpoint + wait for the daily backup; also run at exit),
  `backup(day, wait)`, `paths` (where everything lives), `notices` (one line per thing
  the user should know: an upgrade, a line set aside, a damaged file kept).
- `read_folder(path)`: the `Progress` in a folder of store files (a daily backup), read
  without side effects.

Everything read back is checked first (`sanity.py`): journal lines field by field (a line
that fails is quarantined alone, with one notice line for all of them), `exam.json` (kept
aside when it fails), the checkpoints by a checksum written with them (`files.seal`: an
edited or damaged one is rebuilt), an old `progress.json` record by record. Files are
opened only if they are regular files (`files.read_regular`, `check_regular`): a FIFO,
device, socket or folder in their place is a `StoreError` naming it. Writes through a
symlink go to its target. A lock that cannot be made (a read-only folder, no inodes)
leaves the store `read_only`: reads work, writes raise `StoreError`.

Guarantees: a line is whole or ignored (a torn last line is cut off and kept in the side
file by the next writer, a bad line quarantined once with a notice and skipped); the lock
is held for milliseconds (fsync happens after it is released); a kill leaves the files
valid, and its temp files are removed by the next start. Anything that replaces the
journal (compaction, restore, reset) must write it to a temp file, rename it over, and give
it a new `id` in its header line: checkpoints then see they are stale and rebuild.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import threading
import uuid
import weakref
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import Iterable, Iterator

from aifprep import examfile, sanity
from aifprep.files import (
    LEGACY,
    SpecialFile,
    StorePaths,
    atomic_write,
    check_regular,
    clean_temp_files,
    copy_backup,
    deferred_interrupt,
    free_name,
    nothing,
    read_regular,
    readable_json,
    seal,
    unseal,
)
from aifprep.exam import ExamState, MockExamRecord
from aifprep.examfile import ExamOwner
from aifprep.history import repair_phantoms
from aifprep.journal import BadLine, Journal, encode, no_gc
from aifprep.progress import (
    AnswerRecord,
    Change,
    Progress,
    SchemaError,
    from_json,
    iso,
    utc_now,
)
from aifprep.records import (
    Action,
    NotAppendOnly,
    Record,
    RecordError,
    Replay,
    batch,
    diff_records,
    flatten,
    finish_exam_action,
    finish_session_action,
    header,
    progress_records,
    session_action,
)
from aifprep.progress import SessionRecord
from aifprep.views import REBUILD_TYPES, Snapshot, State, Views

LOCK_TIMEOUT_SECONDS = 15
LOCK_POLL_SECONDS = 0.002
CHECKPOINT_LAG = 64 * 1024  # journal bytes folded since the last checkpoint before a new one
CHECKPOINT_FORMAT = 1


class StoreError(Exception):
    """The progress files cannot be used (permissions, lock held too long, ...)."""


class ExamElsewhere(StoreError):
    """The exam in progress is open in another terminal that is still running."""

    def __init__(self, owner: ExamOwner) -> None:
        super().__init__(f"the unfinished mock exam is open in another terminal "
                         f"({owner.describe()})")
        self.owner = owner


class ExamTakenOver(StoreError):
    """Another terminal took the exam over (or finished it): this one must stop saving."""

    def __init__(self, owner: ExamOwner | None) -> None:
        where = f"by another terminal ({owner.describe()})" if owner else "elsewhere"
        super().__init__(f"this mock exam was taken over {where}; this terminal stopped "
                         "saving it")
        self.owner = owner


_open_stores: "weakref.WeakSet[ProgressStore]" = weakref.WeakSet()


@atexit.register
def _close_all() -> None:  # pragma: no cover - runs at interpreter exit
    for store in list(_open_stores):
        try:
            store.close()
        except Exception:
            pass


class ProgressStore:
    def __init__(self, folder: Path, cache: Path | None = None,
                 identity: ExamOwner | None = None) -> None:
        if cache is None:
            from aifprep import paths

            cache = paths.cache_dir()
        self.folder = folder
        self.paths = StorePaths(folder, cache)
        self.notices: list[str] = []
        self.journal = Journal(self.paths.journal)
        self.identity = identity or examfile.this_process()
        self.cleaned: list[str] = []  # temp files removed at start (for tests and curiosity)
        self._snap: Snapshot | None = None
        self._jid: str | None = None  # id of the journal the snapshot folds
        self._ino: int | None = None
        self._offset = 0  # journal offset the snapshot reflects
        self._saved = {"state": -1, "views": -1}  # offsets of the checkpoints on disk
        self._rejected: set[int] | None = None
        self._backup_thread: threading.Thread | None = None
        self._depth = threading.local()  # re-entrant lock depth, per thread
        self._opened = False
        self.read_only = False  # no lock could be made (a read-only folder): reads only
        self._why_read_only = ""
        self._quarantined = 0  # damaged records set aside by this store (one notice)
        self._quarantine_notice: int | None = None
        self._first_damage: str | None = None
        self._legacy: Progress | None = None  # an old file read in place (read-only folder)

    # --- reading --------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Settings, schedule, derived views and the exam in progress: cheap at any size."""
        with _reading():
            snap = self._fresh(locked=False)
        if self._legacy is not None:
            return snap
        exam, _ = self._read_exam()
        snap.exam = None if exam is not None and snap.views.has_mock_exam(exam.id) else exam
        self._maybe_checkpoint()
        return snap

    def load(self) -> Progress:
        """The whole history as a `Progress`, replayed from the journal (O(history))."""
        with _reading():
            self._fresh(locked=False)
            if self._legacy is not None:  # read-only folder, not upgraded: read as it is
                return self._legacy
            progress = self._replay()
        exam, _ = self._read_exam()
        if exam is not None and any(m.id == exam.id for m in progress.mock_exams):
            exam = None
        return replace(progress, exam=exam)

    # --- writing --------------------------------------------------------------------------

    def record(self, action: Action) -> Snapshot:
        """Append what `action` makes of the freshest snapshot, as one line; O(1)."""
        with deferred_interrupt():
            with self._locked():
                snap = self._fresh(locked=True)
                self._append(action(snap))
            self.journal.sync()
        self._maybe_checkpoint()
        return snap

    def record_many(self, records: Iterable[Record]) -> int:
        """Append records that need no snapshot (an import, a merge, a benchmark's history),
        one line each, under one lock and one fsync. Returns how many were appended. Not
        atomic as a whole: a kill keeps a prefix of them."""
        n = 0
        with deferred_interrupt():
            with self._locked():
                self._fresh(locked=True)
                with no_gc():
                    for record in records:
                        self._append(record)
                        n += 1
            self.journal.sync()
        self._maybe_checkpoint()
        return n

    def replace_journal(self, records: Iterable[Record], source: dict | None = None) -> None:
        """Write a new journal (a new id, then `records`) in place of the current one,
        atomically, under the lock: for compaction, restore or reset. The caller keeps what
        it needs of the old one first (e.g. `backup(wait=True)`); checkpoints rebuild."""
        with deferred_interrupt():
            with self._locked():
                self._fresh(locked=True)
                self._create_journal(list(records), source)
                self._snap = None
                self.journal.close()

    def update(self, change: Change) -> Progress:
        """Apply a `Change` to the full history (O(history): for rare commands). What it
        added is appended; a change that removes or rewrites records (undo, delete, reset,
        restore) makes a new journal of the new history, atomically (`replace_journal`)."""
        with deferred_interrupt():
            with self._locked():
                self._fresh(locked=True)
                before = self._replay()
                exam, owner = self._read_exam()
                before = replace(before, exam=exam)
                after = change(before)
                try:
                    self._append(batch(diff_records(before, after)))
                except NotAppendOnly:  # history removed or rewritten: a new journal
                    self._create_journal(progress_records(after), {"rewrite": iso(utc_now())})
                    self._snap = None
                    self.journal.close()
                if after.exam != before.exam:
                    if after.exam is None:
                        self._remove_exam()
                    else:
                        keep = owner if exam is not None and exam.id == after.exam.id else None
                        self._write_exam(after.exam, keep)
            self.journal.sync()
        self._maybe_checkpoint()
        return after

    def checkpoint(self) -> None:
        """Write `state.json` and the views if they lag behind the journal."""
        self._maybe_checkpoint(force=True)

    def close(self) -> None:
        """Checkpoint, and let the daily backup finish. Safe to call more than once."""
        try:
            if self._snap is not None:
                self.checkpoint()
        finally:
            if self._backup_thread is not None:
                self._backup_thread.join(timeout=30)
            self.journal.close()

    # --- the exam in progress ---------------------------------------------------------------

    def exam_owner(self) -> ExamOwner | None:
        """The live terminal other than this one that has the exam open, if any."""
        _, owner = self._read_exam()
        if owner is None or self.identity.same_process(owner) or not owner.alive():
            return None
        return owner

    def start_exam(self, state: ExamState) -> ExamState:
        """Open a new exam: its session in the journal, the exam file owned by us."""
        with deferred_interrupt():
            with self._locked():
                snap = self._fresh(locked=True)
                exam, owner = self._read_exam(notice=False)
                if exam is not None and exam.id != state.id and owner is not None \
                        and not self.identity.same_process(owner) and owner.alive():
                    raise ExamElsewhere(owner)
                self._append(session_action(SessionRecord(
                    state.id, "mock-exam", state.started, label=state.label))(snap))
                self._write_exam(state, self._owner())
            self.journal.sync()
        return state

    def claim_exam(self, takeover: bool = False) -> ExamState | None:
        """Become the owner of the exam in progress (None if there is none).

        Raises `ExamElsewhere` if another terminal that is still running has it open,
        unless `takeover`: that terminal then stops saving at its next save."""
        with self._locked():
            snap = self._fresh(locked=True)
            exam, owner = self._read_exam()
            if exam is None:
                return None
            if snap.views.has_mock_exam(exam.id):  # finished, the file not yet removed
                self._remove_exam()
                return None
            if (owner is not None and not self.identity.same_process(owner) and owner.alive()
                    and not takeover):
                raise ExamElsewhere(owner)
            self._write_exam(exam, self._owner())
            return exam

    def save_exam(self, state: ExamState) -> None:
        """Save the exam in progress (only the exam file). Raises `ExamTakenOver` when this
        terminal no longer owns it."""
        with self._locked():
            exam, owner = self._read_exam(notice=False)
            if exam is None or exam.id != state.id or not self.identity.same_process(owner):
                raise ExamTakenOver(owner if exam is not None else None)
            self._write_exam(state, owner, sync=True)

    def release_exam(self) -> None:
        """Leave the exam (paused): the next terminal resumes it without being asked."""
        with self._locked():
            exam, owner = self._read_exam(notice=False)
            if exam is not None and self.identity.same_process(owner):
                self._write_exam(exam, None)

    def finish_exam(self, record: MockExamRecord, answers: tuple[AnswerRecord, ...],
                    tz: tzinfo = timezone.utc, fuzz: bool = True) -> Snapshot:
        """Record a finished exam with its answers and reviews (one line), and remove the
        exam file. Raises `ExamTakenOver` if another terminal owns the exam now."""
        with deferred_interrupt():
            with self._locked():
                snap = self._fresh(locked=True)
                exam, owner = self._read_exam(notice=False)
                if exam is not None and exam.id == record.id and owner is not None \
                        and not self.identity.same_process(owner) and owner.alive():
                    raise ExamTakenOver(owner)
                self._append(finish_exam_action(record, answers, tz, fuzz)(snap))
                if exam is not None and exam.id == record.id:
                    self._remove_exam()
            self.journal.sync()
        self._maybe_checkpoint()
        return snap

    def abandon_exam(self, exam_id: str, when: datetime, force: bool = False) -> bool:
        """Discard the exam in progress and close its session as abandoned. Raises
        `ExamElsewhere` if a live terminal has it open (unless `force`)."""
        with deferred_interrupt():
            with self._locked():
                snap = self._fresh(locked=True)
                exam, owner = self._read_exam(notice=False)
                if exam is None or exam.id != exam_id:
                    return False
                if owner is not None and not self.identity.same_process(owner) \
                        and owner.alive() and not force:
                    raise ExamElsewhere(owner)
                self._append(finish_session_action(exam_id, when, f"{exam.label} (abandoned)")(snap))
                self._remove_exam()
            self.journal.sync()
        return True

    # --- backups ------------------------------------------------------------------------------

    def backup(self, day: date | None = None, wait: bool = False) -> Path | None:
        """Start today's backup if there is none yet (in the background unless `wait`)."""
        day = day or date.today()
        target = self.paths.backups / day.isoformat()
        if target.exists() or not self.paths.journal.exists():
            return None
        size = self.journal.size()
        if wait:
            copy_backup(self.paths, target, size)
        elif self._backup_thread is None or not self._backup_thread.is_alive():
            self._backup_thread = threading.Thread(target=copy_backup, args=(self.paths, target, size),
                                                   name="aifprep-backup", daemon=True)
            self._backup_thread.start()
        return target

    # --- internals: opening, catching up --------------------------------------------------------

    def _fresh(self, locked: bool) -> Snapshot:
        """The snapshot, caught up with every whole line of the journal."""
        if not self._opened:
            with self._locked(reading=True) as held:
                self._open(writable=held)
                return self._catch_up(locked=held)
        return self._catch_up(locked and not self.read_only)

    def _catch_up(self, locked: bool) -> Snapshot:
        try:
            stat = os.stat(self.paths.journal)
        except FileNotFoundError:
            stat = None
        if self._snap is not None and stat is not None and (
                stat.st_ino != self._ino or stat.st_size < self._offset):
            self._snap = None  # the journal was replaced: start again from its checkpoints
        if locked and stat is not None:
            self._repair_tail()
        if self._snap is None:
            self._snap = self._load_snapshot()
        elif stat is not None and stat.st_size > self._offset:
            self._fold(self._snap, self._offset, self._offset, self._offset)
        return self._snap

    def _open(self, writable: bool = True) -> None:
        """Once per store, under the lock: tidy up, upgrade an old file, start a backup.
        Not `writable` (no lock could be made: a read-only folder): only read."""
        for path in (self.paths.journal, self.paths.state, self.paths.exam, self.paths.legacy):
            try:
                check_regular(path)
            except SpecialFile as exc:
                raise StoreError(exc.strerror) from None
            except OSError as exc:
                raise StoreError(f"cannot use {path}: {exc.strerror}") from None
        legacy = self.paths.legacy
        if writable:
            self._clean_temp_files()
            if legacy.exists():
                self._upgrade_legacy(legacy)
        else:
            self.read_only = True
            if legacy.exists() and not self.paths.journal.exists():
                self._read_legacy(legacy)
        self._opened = True
        _open_stores.add(self)
        if writable:
            self.backup()

    def _load_snapshot(self) -> Snapshot:
        if self._legacy is not None:
            return Snapshot.from_progress(self._legacy)
        head = self.journal.header()
        self._jid = head["id"] if head else "no-header"
        try:
            self._ino = os.stat(self.paths.journal).st_ino
        except FileNotFoundError:
            self._ino = None
        size = self.journal.size()
        state, s_off = self._read_checkpoint(self.paths.state, size, State.from_json, "state")
        views, v_off = self._read_checkpoint(self.paths.views(self._jid), size, Views.from_json,
                                             "views")
        snap = Snapshot(state, views, read_line=self._line_at)
        self._offset = min(s_off, v_off)
        self._fold(snap, self._offset, s_off, v_off)
        return snap

    def _fold(self, snap: Snapshot, start: int, s_off: int, v_off: int) -> None:
        rebuild = False
        big = self.journal.size() - start > 1 << 20
        with no_gc() if big else nothing():
            for offset, nxt, record in self.journal.lines(start):
                if isinstance(record, BadLine):
                    self._quarantine(record)
                else:
                    try:
                        snap.fold(record, offset, state=offset >= s_off, views=offset >= v_off)
                    except (KeyError, TypeError, ValueError, AttributeError) as exc:
                        self._quarantine(BadLine(offset, encode(record)[:-1],
                                                 f"not a valid record ({exc.__class__.__name__}: {exc})"))
                    rebuild = rebuild or (offset >= v_off and bool(REBUILD_TYPES) and any(
                        r.get("type") in REBUILD_TYPES for r in flatten(record)))
                self._offset = nxt
        if rebuild:
            self._rebuild_views(snap)

    def _rebuild_views(self, snap: Snapshot) -> None:
        """Recompute the views from the whole journal (after a record they cannot fold)."""
        snap.views = Views(snap.state.excluded)
        with no_gc():
            for offset, nxt, record in self.journal.lines(0, self._offset):
                if not isinstance(record, BadLine):
                    try:
                        snap.fold(record, offset, state=False)
                    except (KeyError, TypeError, ValueError, AttributeError):
                        pass

    def _replay(self) -> Progress:
        replay = Replay()
        with no_gc():
            for offset, nxt, record in self.journal.lines(0):
                if isinstance(record, BadLine):
                    self._quarantine(record)
                    continue
                try:
                    replay.add(record)
                except RecordError as exc:
                    self._quarantine(BadLine(offset, encode(record)[:-1],
                                             f"not a valid record ({exc})"))
            return replay.progress()

    def _line_at(self, offset: int) -> Record:
        return self.journal.line_at(offset)

    def _append(self, record: Record | None) -> None:
        """Append one line (the caller holds the lock) and fold it into the snapshot."""
        if record is None:
            return
        if not self.paths.journal.exists():
            had_history = self._offset > 0
            self._create_journal([])
            if had_history:  # the journal was deleted under us: what we held is gone too
                self._snap = Snapshot(read_line=self._line_at)
        offset, nxt = self.journal.append(record)
        assert self._snap is not None
        self._snap.fold(record, offset)
        self._offset = nxt
        if any(r.get("type") in REBUILD_TYPES for r in flatten(record)):
            self._rebuild_views(self._snap)

    def _create_journal(self, records: list[Record], source: dict | None = None) -> None:
        jid = uuid.uuid4().hex
        data = b"".join(encode(r) for r in [header(jid, utc_now(), source), *records])
        atomic_write(self.paths.journal, data)
        if records or self._snap is None:
            self._snap = None  # loaded (and checkpointed) from the new journal on first use
            return
        self._jid, self._ino = jid, os.stat(self.paths.journal).st_ino
        self._offset = len(data)
        self._saved = {"state": -1, "views": -1}

    # --- internals: checkpoints ---------------------------------------------------------------

    def _read_checkpoint(self, path: Path, size: int, parse, part: str):
        try:
            body = unseal(read_regular(path))
            if body is None:
                raise ValueError("no checksum, or not the one written")
            data = json.loads(body)
            mark = data["journal"]
            offset = int(mark["offset"])
            if (data.get("format") != CHECKPOINT_FORMAT or mark["id"] != self._jid
                    or offset > size or mark["tag"] != self.journal.tag(offset)):
                raise ValueError("stale")
            value = parse(data[part])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self._saved[part] = -1
            return (State() if part == "state" else Views()), 0
        self._saved[part] = offset
        return value, offset

    def _maybe_checkpoint(self, force: bool = False) -> None:
        snap = self._snap
        if snap is None or self._jid is None or not self.paths.journal.exists():
            return
        for part in ("state", "views"):
            lag = self._offset - self._saved[part]
            memo = part == "views" and force and snap.views.memo.dirty
            if (lag <= 0 and not memo) or (0 < lag < CHECKPOINT_LAG and not force):
                continue
            mark = {"id": self._jid, "offset": self._offset, "tag": self.journal.tag(self._offset)}
            try:
                if part == "state":
                    data = readable_json({"format": CHECKPOINT_FORMAT, "journal": mark,
                                           "state": snap.state.to_json()})
                    atomic_write(self.paths.state, seal(data), sync=False)
                else:
                    self.paths.cache.mkdir(parents=True, exist_ok=True)
                    data = encode({"format": CHECKPOINT_FORMAT, "journal": mark,
                                   "views": snap.views.to_json()})
                    atomic_write(self.paths.views(self._jid), seal(data), sync=False)
                    snap.views.memo.dirty = False
            except (OSError, ValueError):  # (ValueError: something not JSON; never expected)
                continue  # a checkpoint is only a shortcut
            self._saved[part] = self._offset

    # --- internals: damage, upgrades, temp files ------------------------------------------------

    def _repair_tail(self) -> None:
        torn = self.journal.cut_torn_tail()
        if torn is None:
            return
        offset, raw = torn
        self._set_aside("torn", offset, raw, "the last line was cut short")
        self.notices.append(
            f"The last line of {self.paths.journal} was cut short (aifprep was stopped while "
            f"writing it); it was set aside in {self.paths.rejected}.")

    def _quarantine(self, bad: BadLine) -> None:
        if self._rejected is None:
            self._rejected = set()
            try:
                for line in read_regular(self.paths.rejected).splitlines():
                    try:
                        entry = sanity.loads(line)
                        if entry.get("journal") == self._jid and entry.get("kind") == "invalid":
                            self._rejected.add(int(entry["offset"]))
                    except (ValueError, TypeError, KeyError, AttributeError):
                        continue
            except OSError:
                pass
        if bad.offset in self._rejected:
            return
        self._rejected.add(bad.offset)
        kept = self._set_aside("invalid", bad.offset, bad.raw, bad.reason)
        self._note_damaged(1, kept, f"the line at byte {bad.offset} of "
                                    f"{self.paths.journal.name}: {bad.reason}")

    def _note_damaged(self, n: int, kept: bool, first: str) -> None:
        """One notice line for all the damaged records this store set aside."""
        self._quarantined += n
        if self._first_damage is None:
            self._first_damage = first
        n, first = self._quarantined, self._first_damage
        records = "1 damaged record" if n == 1 else f"{n} damaged records"
        if kept:
            line = f"{records} kept aside in {self.paths.rejected} (the first: {first})."
        else:
            line = f"{records} skipped (the first: {first}); they could not be kept aside."
        at = self._quarantine_notice
        if at is not None and at < len(self.notices) and self.notices[at].startswith(
                ("1 damaged record", f"{n - 1} damaged records")):  # not yet shown: update it
            self.notices[at] = line
        else:
            self._quarantine_notice = len(self.notices)
            self.notices.append(line)

    def _set_aside(self, kind: str, offset: int, raw: bytes, reason: str) -> bool:
        """Append a damaged line, verbatim (base64), to the side file; False if it could
        not be written (a read-only folder, a full disk)."""
        if self.read_only:
            return False
        entry = {"kind": kind, "journal": self._jid, "offset": offset, "at": iso(utc_now()),
                 "reason": reason, "text": raw.decode("utf-8", "replace"),
                 "base64": base64.b64encode(raw).decode("ascii")}
        try:
            check_regular(self.paths.rejected)
            fd = os.open(self.paths.rejected, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, encode(entry))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            return False
        return True

    def _upgrade_legacy(self, legacy: Path) -> None:
        """Turn a schema 1-3 `progress.json` into the journal; keep it byte for byte.

        If a journal exists, the file is renamed only if it is the one the journal was
        made from (an upgrade stopped before its last step); any other is left alone."""
        import hashlib

        head = self.journal.header()
        if head is not None:
            source = head.get("from") if isinstance(head.get("from"), dict) else {}
            if source.get("bytes") == legacy.stat().st_size and \
                    source.get("sha256") == hashlib.sha256(read_regular(legacy)).hexdigest():
                self._keep_legacy(legacy, source.get("schema_version"))
            return
        if self.paths.journal.exists():
            return  # a journal without a header line: never mix an old file into it
        try:
            raw = read_regular(legacy)
        except SpecialFile as exc:
            raise StoreError(exc.strerror) from None
        except OSError as exc:
            raise StoreError(f"cannot read {legacy}: {exc.strerror or exc}") from None
        digest = hashlib.sha256(raw).hexdigest()
        try:
            with no_gc():
                data, rejected = sanity.salvage_legacy(sanity.loads_legacy(raw))
                version = data.get("schema_version")
                progress = from_json(data)
        except (sanity.Invalid, SchemaError) as exc:
            self._keep_damaged(legacy, str(exc))
            return
        # Mock-exam questions left unanswered were recorded as wrong answers and reviews
        # before aifprep 0.5: they were never answers, so they do not come along.
        progress, phantoms = repair_phantoms(progress)
        if progress.exam is not None:
            self._write_exam(progress.exam, None)
        with no_gc():
            records = progress_records(progress)
        self._create_journal(records, {"file": LEGACY, "schema_version": version,
                                       "sha256": digest, "bytes": len(raw)})
        self._jid = (self.journal.header() or {}).get("id")
        kept = self._keep_legacy(legacy, version)
        legacy.with_name(f"{LEGACY}.lock").unlink(missing_ok=True)  # the old store's lock
        self.notices.append(f"Your progress was upgraded to the journal format "
                            f"({self.paths.journal}); the old file is kept unchanged as {kept}.")
        if phantoms:
            self.notices.append(
                f"{phantoms} unanswered mock-exam question{'s' if phantoms != 1 else ''} that an "
                "older aifprep recorded as wrong answers (and reviews) were left out: they "
                "count in their exam's score only.")
        stored = 0
        for n, (where, value, reason) in enumerate(rejected):
            stored += self._set_aside("legacy", n, sanity.show(value), f"{where}: {reason}")
        if rejected:
            self._note_damaged(len(rejected), stored == len(rejected),
                               f"{rejected[0][0]} of {legacy.name}: {rejected[0][2]}")

    def _read_legacy(self, legacy: Path) -> None:
        """Read an old `progress.json` in place, without upgrading it (the folder cannot be
        written to): commands that only read still work."""
        try:
            data, rejected = sanity.salvage_legacy(sanity.loads_legacy(read_regular(legacy)))
            self._legacy = from_json(data)
        except (sanity.Invalid, SchemaError) as exc:
            raise StoreError(f"the progress file {legacy} could not be used: {exc}; "
                             f"{self.folder} cannot be written to ({self._why_read_only}), "
                             "so it was left as it is") from None
        except OSError as exc:
            raise StoreError(f"cannot read {legacy}: {exc.strerror or exc}") from None
        skipped = f", skipping {len(rejected)} damaged records" if rejected else ""
        self.notices.append(f"{legacy} was read as it is{skipped}: it will be upgraded to the "
                            f"journal format once {self.folder} can be written to "
                            f"({self._why_read_only}).")

    def _keep_legacy(self, legacy: Path, version) -> Path:
        target = free_name(legacy.with_name(f"{LEGACY}.v{version}-backup"))
        os.replace(legacy, target)
        return target

    def _keep_damaged(self, legacy: Path, reason: str) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = free_name(legacy.with_name(f"{LEGACY}.damaged-{stamp}"))
        os.replace(legacy, target)
        self.notices.append(f"The progress file {legacy} could not be used: {reason}. It was "
                            f"kept unchanged as {target}, and a fresh progress file was started.")

    def _clean_temp_files(self) -> None:
        self.cleaned += clean_temp_files([self.folder, self.paths.backups])

    # --- internals: the exam file ----------------------------------------------------------

    def _owner(self) -> ExamOwner:
        return replace(self.identity, since=iso(utc_now()))

    def _read_exam(self, notice: bool = True) -> tuple[ExamState | None, ExamOwner | None]:
        try:
            raw = read_regular(self.paths.exam)
        except FileNotFoundError:
            return None, None
        except SpecialFile as exc:
            raise StoreError(exc.strerror) from None
        except OSError as exc:
            raise StoreError(f"cannot read {self.paths.exam}: {exc.strerror}") from exc
        try:
            return examfile.decode(raw)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            if not notice:
                return None, None
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            target = free_name(self.paths.exam.with_name(f"exam.json.damaged-{stamp}"))
            if self.read_only:
                self.notices.append(f"The unfinished mock exam in {self.paths.exam} could not be "
                                    f"read ({_reason(exc)}); it is left as it is.")
                return None, None
            try:
                os.replace(self.paths.exam, target)
            except OSError:
                return None, None
            self.notices.append(f"The unfinished mock exam in {self.paths.exam} could not be read "
                                f"({_reason(exc)}); it was kept as {target}.")
            return None, None

    def _write_exam(self, state: ExamState, owner: ExamOwner | None, sync: bool = True) -> None:
        try:
            atomic_write(self.paths.exam, examfile.encode(state, owner), sync=sync)
        except OSError as exc:
            raise StoreError(f"cannot write {self.paths.exam}: {exc.strerror}") from exc

    def _remove_exam(self) -> None:
        self.paths.exam.unlink(missing_ok=True)

    # --- internals: the lock ------------------------------------------------------------------

    @contextmanager
    def _locked(self, reading: bool = False) -> Iterator[bool]:
        """The store's lock (re-entrant within one store object and thread); yields True.

        With `reading`, a lock that cannot be made (a read-only folder or file system, no
        inodes, no permission) is not an error: it yields False and the caller only
        reads. Otherwise that is a `StoreError` naming the lock file."""
        depth = getattr(self._depth, "n", 0)
        if depth:
            self._depth.n = depth + 1
            try:
                yield True
            finally:
                self._depth.n = depth
            return
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.paths.lock), timeout=LOCK_TIMEOUT_SECONDS, thread_local=False)
        failed: OSError | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock.acquire(poll_interval=LOCK_POLL_SECONDS)
        except Timeout as exc:
            raise StoreError(f"another aifprep has held {self.paths.lock} for "
                             f"{LOCK_TIMEOUT_SECONDS}s; try again") from exc
        except OSError as exc:
            failed = exc
        if failed is not None:
            why = failed.strerror or str(failed)
            if not reading:
                if not self.folder.is_dir():
                    raise StoreError(f"cannot create the data folder {self.folder}: {why}")
                raise StoreError(f"cannot create the lock file {self.paths.lock}: {why}; "
                                 f"aifprep needs to write to {self.folder}")
            self._why_read_only = why
            with _reading():
                yield False
            return
        self._depth.n = 1
        self.read_only = False  # (a store opened without the lock may write once it has it)
        try:
            yield True
        except OSError as exc:
            raise StoreError(f"cannot write {exc.filename or self.folder}: "
                             f"{exc.strerror or exc}") from None
        finally:
            self._depth.n = 0
            lock.release()


@contextmanager
def _reading() -> Iterator[None]:
    """A file that cannot be read is one line (`StoreError`), not a traceback."""
    try:
        yield
    except OSError as exc:
        name = exc.filename or "a progress file"
        raise StoreError(f"cannot read {name}: {exc.strerror or exc}") from None


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, sanity.Invalid) else f"{exc.__class__.__name__}: {exc}"[:200]


def read_folder(folder: Path) -> Progress:
    """The progress in a folder of store files (a daily backup), replayed from its journal
    copy without touching anything: unreadable lines are skipped."""
    replay = Replay()
    check_regular(folder / "journal.jsonl")  # (SpecialFile, an OSError, for a FIFO there)
    with no_gc():
        for _, _, record in Journal(folder / "journal.jsonl").lines(0):
            if not isinstance(record, BadLine):
                try:
                    replay.add(record)
                except RecordError:
                    continue
    exam = None
    try:
        exam, _ = examfile.decode(read_regular(folder / "exam.json"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    progress = replay.progress(exam)
    if exam is not None and any(m.id == exam.id for m in progress.mock_exams):
        progress = replace(progress, exam=None)
    return progress
