"""How aifprep's progress store scales with the history: 0, 1k, 10k and 100k records.

Run: python benchmarks/progress_scale.py [--sizes 0,1000,10000,100000] [--runs 9]

Builds each history with the project's own code (the store's actions, FSRS included) in a
throwaway data folder: a record is one journal line, a quiz answer with its review (70%)
or a flashcard review (30%), over 9 weeks, with a session every 20 actions. Then measures,
sizes interleaved in every round so that a busy machine slows them all alike, and reports
medians and the ratio to the empty history measured in the same run:

- save one answer: `store.record(answer_action(...))` in a running quiz (lock, catch-up,
  append, fsync); "new process": the same by a new store (checkpoints read first);
- mock-exam keypress: in `aifprep mock-exam --resume` in a pseudo-terminal, from pressing
  `n` until the next question is on screen (read through a terminal emulator, pyte);
  "exam.json write": what the background saver does per keypress (owner check, atomic
  write, fsync), off the screen's thread;
- first quiz question: `aifprep quiz -n 1` in a pseudo-terminal until question 1 shows;
- `aifprep stats --json` and `aifprep stats`, wall time of the process;
- peak memory: the peak resident size (VmHWM) of `aifprep quiz` when question 1 shows.

Uses the installed `aifprep` next to this Python and its own cache folder.
"""

from __future__ import annotations

import argparse
import os
import pty
import random
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

AIFPREP = str(Path(sys.executable).with_name("aifprep"))


def build_history(folder: Path, size: int, seed: int = 1) -> None:
    """`size` journal lines of study over 9 weeks, made by the store's own actions."""
    from aifprep import paths
    from aifprep.bank import bundled_files, check_files
    from aifprep.progress import AnswerRecord, SessionRecord, iso
    from aifprep.records import answer_action, review_action, session_action
    from aifprep.scheduling import Rating, item_key, rating_for_answer
    from aifprep.store import ProgressStore
    from aifprep.views import Snapshot

    content = check_files(bundled_files(paths.bundled_questions_dir()))
    questions = [q.id for q in content.questions]
    cards = [item_key("card", c.id) for c in content.cards]
    rng = random.Random(seed)
    start = datetime.now(timezone.utc) - timedelta(days=63)
    step = timedelta(days=63) / max(size, 1)
    snap = Snapshot()  # the actions see the schedule as it grows, as in real use

    def records():
        session = ""
        for n in range(size):
            when = start + step * n
            if n % 20 == 0:
                session = uuid.uuid4().hex
                record = session_action(SessionRecord(session, "quiz", iso(when)))(snap)
            elif rng.random() < 0.7:
                correct = rng.random() < 0.7
                seconds = round(rng.uniform(5, 120), 1)
                answer = AnswerRecord(uuid.uuid4().hex, rng.choice(questions), iso(when), "quiz",
                                      session, (0,), correct, seconds)
                record = answer_action(answer, rating_for_answer(correct, seconds))(snap)
            else:
                record = review_action(uuid.uuid4().hex, rng.choice(cards),
                                       Rating(rng.choice([1, 2, 3, 3, 3, 4])), when,
                                       "flashcards", 6.0)(snap)
            snap.fold(record, n)
            yield record

    store = ProgressStore(folder)
    store.record_many(records())
    store.close()


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


# --- in-process measurements ---------------------------------------------------------------------

_stores: dict = {}


def save_answer(folder: Path, cold: bool) -> float:
    """One quiz answer saved (lock, catch-up, append, fsync); cold: by a new store."""
    from aifprep.progress import AnswerRecord, iso
    from aifprep.records import answer_action
    from aifprep.scheduling import Rating
    from aifprep.store import ProgressStore

    store = None if cold else _stores.get(folder)
    if store is None:
        store = ProgressStore(folder)
        if not cold:
            store.snapshot()  # a quiz has read it to draw its questions
            _stores[folder] = store
    answer = AnswerRecord(uuid.uuid4().hex, "aif-1-1-001", iso(datetime.now(timezone.utc)),
                          "quiz", "bench", (0,), True, 12.0)
    start = time.perf_counter()
    store.record(answer_action(answer, Rating.GOOD))
    elapsed = time.perf_counter() - start
    if cold:
        store.close()
    return elapsed


def exam_writes(folder: Path, n: int) -> list[float]:
    """What the background saver does per keypress: write exam.json (owner checked)."""
    from aifprep.mock import toggle_flag
    from aifprep.store import ProgressStore

    store = ProgressStore(folder)
    state = store.claim_exam()
    times = []
    for i in range(n):
        state = toggle_flag(state, i % len(state.questions))
        start = time.perf_counter()
        store.save_exam(state)
        times.append(time.perf_counter() - start)
    store.release_exam()
    return times


def start_exam(folder: Path) -> None:
    from aifprep import paths
    from aifprep.bank import load_bank
    from aifprep.mock import draw_exam, new_exam
    from aifprep.store import ProgressStore

    store = ProgressStore(folder)
    bank = load_bank(paths.bundled_questions_dir(), [], cache=None)
    questions = draw_exam(bank.questions, {}, 65, random.Random(1), prefer_unseen=False)
    # the same exam for every history, so that every screen draws the same questions
    store.start_exam(new_exam(uuid.uuid4().hex, questions, 1, 90, "pause", "65 questions",
                              datetime.now(timezone.utc)))
    store.release_exam()
    store.close()


# --- processes in a terminal ---------------------------------------------------------------------

class Terminal:
    """`aifprep ARGS` in a pseudo-terminal, its screen kept by a terminal emulator (pyte)."""

    def __init__(self, args: list[str], env: dict) -> None:
        import pyte

        self.screen = pyte.Screen(100, 30)
        self.stream = pyte.ByteStream(self.screen)
        self.master, slave = pty.openpty()
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.start = time.perf_counter()
        self.proc = subprocess.Popen([AIFPREP, *args], env={**env, "TERM": "xterm"},
                                     stdin=slave, stdout=slave, stderr=slave,
                                     start_new_session=True)
        os.close(slave)

    def wait_for(self, pattern: str, timeout: float = 60) -> float:
        """Seconds until `pattern` (a regex) is on screen."""
        regex = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if any(regex.search(line) for line in self.screen.display):
                return time.perf_counter()
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                if b"\x1b[6n" in chunk:  # answer a cursor-position request
                    os.write(self.master, b"\x1b[1;1R")
                self.stream.feed(chunk)
        raise RuntimeError(f"{pattern!r} never appeared:\n" + "\n".join(self.screen.display))

    def send(self, keys: bytes) -> float:
        now = time.perf_counter()
        os.write(self.master, keys)
        return now

    def drain(self, timeout: float = 30) -> None:
        """Read until the program ends."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    if not os.read(self.master, 65536):
                        return
                except OSError:
                    return

    def peak_memory(self) -> int:
        """The process's own peak resident memory (KiB): VmHWM of its address space. (Its
        ru_maxrss would also count the memory of this benchmark, from which it forked.)"""
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM")

    def close(self) -> int:
        """Kill it if still running; return its peak resident memory (KiB)."""
        pid, _, usage = os.wait4(self.proc.pid, os.WNOHANG)
        if pid == 0:
            self.proc.kill()
            _, _, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = 0  # reaped here
        os.close(self.master)
        return usage.ru_maxrss


def first_question(env: dict) -> tuple[float, int]:
    """Until `aifprep quiz -n 1` shows question 1, and its peak memory (KiB)."""
    term = Terminal(["quiz", "-n", "1"], env)
    shown = term.wait_for(r"Question 1 of 1")
    peak = term.peak_memory()
    term.close()
    return shown - term.start, peak


def mock_keypresses(env: dict, n: int) -> list[float]:
    """In `aifprep mock-exam --resume`: from pressing → until the next question is on screen."""
    term = Terminal(["mock-exam", "--resume"], env)
    term.wait_for(r"Question (\d+) of 65")
    line = next(x for x in term.screen.display if re.search(r"Question \d+ of 65", x))
    current = int(re.search(r"Question (\d+) of 65", line).group(1))
    times = []
    for _ in range(n):
        key, current = (b"n", current + 1) if current < 65 else (b"p", current - 1)
        sent = term.send(key)
        times.append(term.wait_for(rf"Question {current} of 65") - sent)
    term.send(b"q")  # pause: saved and released for the next round
    term.drain()
    term.close()
    return times


def run_command(args: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of `aifprep ARGS`."""
    start = time.perf_counter()
    proc = subprocess.Popen([AIFPREP, *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss


# --- the run -----------------------------------------------------------------------------------

COLUMNS = ("save one answer", "save (new process)", "mock-exam keypress", "exam.json write",
           "first quiz question", "stats --json", "stats", "peak memory (quiz)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="0,1000,10000,100000")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        os.environ["AIFPREP_CACHE_DIR"] = str(cache)
        folders, envs, info = {}, {}, {}
        for size in sizes:
            folder = Path(tmp) / f"data-{size}"
            start = time.perf_counter()
            build_history(folder, size)
            built = time.perf_counter() - start
            journal = folder / "journal.jsonl"
            folders[size] = folder
            envs[size] = {**os.environ, "AIFPREP_DATA_DIR": str(folder),
                          "AIFPREP_CACHE_DIR": str(cache)}
            run_command(["stats", "--json"], envs[size])  # the day's backup, checkpoints
            from aifprep.store import ProgressStore

            start = time.perf_counter()
            ProgressStore(folder).load()
            info[size] = (built, journal.stat().st_size if journal.exists() else 0,
                          time.perf_counter() - start)
            start_exam(folder)
            os.sync()  # no writeback of the build competes with the measurements
            print(f"built {size:>7,} records: {info[size][1] / 1e6:6.1f} MB journal in "
                  f"{built:.1f} s; full replay {info[size][2] * 1000:.0f} ms", flush=True)
        samples: dict = {size: {c: [] for c in COLUMNS} for size in sizes}
        rng = random.Random(0)
        for round_ in range(args.runs):
            order = sizes[:]
            rng.shuffle(order)  # no size always first (cold caches) or last
            for size in order:
                s, folder, env = samples[size], folders[size], envs[size]
                s["save one answer"] += [save_answer(folder, cold=False) for _ in range(10)]
                s["save (new process)"].append(save_answer(folder, cold=True))
                s["exam.json write"] += exam_writes(folder, 5)
                s["mock-exam keypress"] += mock_keypresses(env, 5)
                elapsed, rss = first_question(env)
                s["first quiz question"].append(elapsed)
                s["peak memory (quiz)"].append(rss / 1024)
                s["stats --json"].append(run_command(["stats", "--json"], env)[0])
                s["stats"].append(run_command(["stats"], env)[0])
            print(f"round {round_ + 1} of {args.runs} done", flush=True)
        report(sizes, samples, info)


def report(sizes: list[int], samples: dict, info: dict) -> None:
    base = sizes[0]
    print()
    print("| records | journal | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    for size in sizes:
        cells = []
        for c in COLUMNS:
            value = statistics.median(samples[size][c])
            ref = statistics.median(samples[base][c])
            if c.startswith("peak"):
                cells.append(f"{value:.0f} MiB ({value / ref:.2f}×)")
            else:
                cells.append(f"{value * 1000:.1f} ms ({value / ref:.2f}×)")
        print(f"| {size:,} | {info[size][1] / 1e6:.1f} MB | " + " | ".join(cells) + " |")
    print()
    print("Medians; (×) is the ratio to the empty history in the same run.")


if __name__ == "__main__":
    main()
