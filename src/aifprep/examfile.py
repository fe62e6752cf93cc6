"""`exam.json`: the mock exam in progress, in its own small file, with one owner.

The file is `{"format": 1, "owner": OWNER or null, "exam": EXAM}` where EXAM is
`exam.exam_state_to_json` and OWNER names the terminal (process) that has the exam open:
`{"pid", "host", "start", "token", "since"}` (`start`: the process's start time as the
system counts it, so a reused pid is not mistaken for the owner). `store.py` reads and
writes it under the store's lock; this module only knows the format and who is alive.

An owner that is gone (its process ended, or a kill) holds nothing: the next terminal
claims the exam without a question. A live owner elsewhere must be taken over explicitly.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from aifprep.exam import ExamState, exam_state_from_json, exam_state_to_json

FORMAT = 1


@dataclass(frozen=True)
class ExamOwner:
    pid: int
    host: str
    start: int | None  # process start time (Linux: clock ticks after boot), None if unknown
    token: str  # unique per process
    since: str  # when it opened the exam (ISO 8601 UTC)

    def describe(self) -> str:
        when = self.since.replace("T", " ").replace("Z", " UTC")
        return f"process {self.pid} on {self.host}, since {when}"

    def same_process(self, other: "ExamOwner | None") -> bool:
        return other is not None and other.token == self.token

    def alive(self) -> bool:
        """Whether the owner may still be running (a process on another host may be)."""
        if self.host != socket.gethostname() or os.name == "nt":
            return True  # (on Windows, os.kill(pid, 0) would end the process)
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        except OSError:  # pragma: no cover - platforms without signal 0
            return True
        if self.start is not None:
            now = process_start(self.pid)
            return now is None or now == self.start
        return True

    @classmethod
    def from_json(cls, data: Any) -> "ExamOwner | None":
        if not isinstance(data, dict):
            return None
        return cls(pid=int(data["pid"]), host=str(data["host"]),
                   start=None if data.get("start") is None else int(data["start"]),
                   token=str(data["token"]), since=str(data.get("since", "")))


def process_start(pid: int) -> int | None:
    """When a process started (Linux: field 22 of /proc/PID/stat), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return int(stat[stat.rindex(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


_TOKEN = uuid.uuid4().hex  # this process


def this_process(now: datetime | None = None) -> ExamOwner:
    """The owner identity of the running process."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return ExamOwner(os.getpid(), socket.gethostname(), process_start(os.getpid()), _TOKEN,
                     moment.isoformat(timespec="seconds").replace("+00:00", "Z"))


def encode(exam: ExamState, owner: ExamOwner | None) -> bytes:
    data = {"format": FORMAT, "owner": None if owner is None else asdict(owner),
            "exam": exam_state_to_json(exam)}
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8") + b"\n"


def decode(raw: bytes) -> tuple[ExamState, ExamOwner | None]:
    """Raise ValueError (or KeyError/TypeError) for a file that is not an exam file: not
    JSON, or a field of the wrong type or out of range (`sanity.exam_state`)."""
    from aifprep import sanity

    data = sanity.loads(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise sanity.Invalid("not an exam file of format 1")
    sanity.owner(data.get("owner"))
    return (exam_state_from_json(sanity.exam_state(data.get("exam"))),
            ExamOwner.from_json(data.get("owner")))
