"""End to end: a hostile pack on every screen, read through a terminal emulator (pyte).

Every text of the pack (stem, options, reasons, explanation, scenario, references, card
front, back, hint, confused-with) holds escape sequences that would set the window title,
clear the screen, write to the clipboard (OSC 52), make a hidden hyperlink (OSC 8), use
8-bit C1 controls, or make the terminal type a reply into aifprep's input. None may reach
the terminal: the emulated window title stays unchanged, no hyperlink appears, and the
raw output never holds a control character from the pack.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pexpect
import pytest

pyte = pytest.importorskip("pyte")

AIFPREP = Path(sys.executable).with_name("aifprep")
pytestmark = pytest.mark.skipif(not AIFPREP.exists() and not shutil.which("aifprep"),
                                reason="aifprep console script is not installed")
DOWN, ENTER = "\x1b[B", "\r"

# Each control character follows a "Z", so a leak shows as "Z" + the raw control.
HOSTILE = ("Z\x1b]0;PWNED\x07Z\x1b[2JZ\x1b]52;c;cHduZWQ=\x07Z\x1b]8;;https://evil.example/\x1b\\"
           "EVIL\x1b]8;;\x1b\\Z\x9b2JZ\x9d2;PWNED\x9cZ\x7fZ\x00Z\x08Z\x0bZ\x07Z\x1b[6nZ\x05Z")
SHORT = "Z\x1b]0;PWNED\x07Z\x1b[2JZ\x9b2JZ\x7fZ"  # for a card front (at most 80 characters)
LEAKS = ["Z\x1b]0;", "Z\x1b[2J", "Z\x1b]52", "Z\x1b]8;", "\x1b]8;;https://evil", "Z\x9b", "Z\x9d",
         "Z\x7f", "Z\x00", "Z\x08", "Z\x0b", "Z\x07", "Z\x1b[6n", "Z\x05", "\x1b]8;"]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def hostile_pack(folder: Path) -> Path:
    lines = [
        "domain: security",
        "cases:",
        f"  evil: {q('Scenario ' + HOSTILE)}",
        "questions:",
        "  - id: evil-single",
        '    task: "5.1"',
        "    type: single",
        "    case: evil",
        f"    question: {q('Stem ' + HOSTILE + ' which one?')}",
        "    options:",
    ]
    for n in range(4):
        lines += [f"      - text: {q(f'Option{n} ' + HOSTILE)}",
                  f"        correct: {'true' if n == 0 else 'false'}",
                  f"        why: {q(f'Why{n} ' + HOSTILE)}"]
    lines += [
        f"    explanation: {q('Explained ' + HOSTILE)}",
        f"    references: [{q('https://docs.aws.amazon.com/' + HOSTILE)}]",
        "cards:",
        "  - id: evil-card",
        '    task: "5.1"',
        f"    front: {q('Term ' + SHORT)}",
        f"    back: {q('Back ' + HOSTILE)}",
        f"    hint: {q('Hint ' + HOSTILE)}",
        f"    confused_with: {q('Other ' + HOSTILE + ': differs ' + HOSTILE)}",
        f"    references: [{q('https://docs.aws.amazon.com/' + HOSTILE)}]",
    ]
    path = folder / "evil.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return hostile_pack(tmp_path)


def assert_no_leak(raw: str, where: str) -> None:
    for leak in LEAKS:
        assert leak not in raw, f"{where}: {leak!r} reached the terminal"


class Terminal:
    """aifprep on an emulated screen; the raw output is kept to check for leaks."""

    def __init__(self, *args: str, rows: int = 40, cols: int = 120) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("NO_COLOR", None)
        self.screen = pyte.Screen(cols, rows)
        self.screen.set_title("aifprep-test")
        self.stream = pyte.Stream(self.screen)
        self.raw = ""
        self.child = pexpect.spawn(str(AIFPREP), list(args), env=env, encoding="utf-8",
                                   codec_errors="surrogateescape",
                                   dimensions=(rows, cols), timeout=30)

    def _read(self, wait: float = 0.1) -> bool | None:
        try:
            data = self.child.read_nonblocking(100_000, timeout=wait)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            return None
        self.raw += data
        self.stream.feed(data)
        return True

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    @property
    def seen(self) -> str:
        """Everything printed, escape sequences removed, on one line."""
        plain = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r", "", self.raw)
        return " ".join(plain.split())

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            flat = " ".join(self.text.split())
            if all(t in flat or t in self.seen for t in texts):
                while self._read(0.3):
                    pass
                return self.text
            if time.monotonic() > deadline or self._read() is None:
                raise AssertionError(f"never saw {texts!r}; the screen:\n{self.text}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self._read(0.2) is not None and time.monotonic() < deadline:
            pass
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else -self.child.signalstatus

    def assert_safe(self, where: str) -> None:
        assert_no_leak(self.raw, where)
        assert self.screen.title == "aifprep-test", f"{where}: the window title changed"
        assert "PWNED" not in self.screen.icon_name
        assert "Traceback" not in self.seen


def _bank(pack: Path):
    from aifprep import paths
    from aifprep.bank import load_bank

    return load_bank(paths.bundled_questions_dir(), [pack], cache=None)


def _quiz_seed(pack: Path) -> int:
    from aifprep.progress import utc_now
    from aifprep.quiz import draw_quiz
    from aifprep.selection import QuizFilter

    questions = _bank(pack).questions
    flt = QuizFilter(domain="security", task="5.1")
    for seed in range(5000):
        picked, _ = draw_quiz(questions, {}, flt, 1, seed, due={}, now=utc_now())
        if picked[0].id == "evil-single":
            return seed
    raise AssertionError("no seed draws the hostile question")


def _exam_seed(pack: Path) -> int:
    from aifprep.mock import draw_exam

    questions = _bank(pack).questions
    for seed in range(5000):
        if draw_exam(questions, {}, 1, random.Random(seed), "security",
                     prefer_unseen=False)[0].id == "evil-single":
            return seed
    raise AssertionError("no seed draws the hostile question")


def test_a_quiz_question_its_feedback_and_the_summary_are_safe(pack):
    seed = _quiz_seed(pack)
    term = Terminal("--questions", str(pack), "quiz", "-d", "security", "--task", "5.1",
                    "-n", "1", "--seed", str(seed))
    screen = term.wait_for("Stem Z", "Scenario Z", "Option0 Z")
    assert "Question 1 of 1" in screen  # the header is still there: nothing cleared it
    term.send("1" + ENTER + ENTER)  # answer, then "sure"
    term.wait_for("Explained Z", "Why0 Z")
    term.send(ENTER)
    assert term.finish() == 0
    assert "Score:" in term.seen
    term.assert_safe("quiz")
    assert "EVIL" in term.seen  # the hyperlink's text is shown as text, not as a link


def test_the_mock_exam_screen_result_walk_through_and_review_are_safe(pack):
    seed = _exam_seed(pack)
    term = Terminal("--questions", str(pack), "mock-exam", "-n", "1", "-d", "security",
                    "--seed", str(seed), "--minutes", "5")
    term.wait_for("Question 1 of 1", "Stem Z")
    term.send("1")
    term.wait_for("Answered 1 of 1")
    term.send("sy")
    term.wait_for("Estimated scaled score")
    term.send(ENTER)  # the walk-through
    term.wait_for("Walk-through · Question 1 of 1", "Explained Z", "Why1 Z")
    term.send("q")
    assert term.finish() == 0
    term.assert_safe("mock exam")

    review = subprocess.run([str(AIFPREP), "--questions", str(pack), "mock-exam", "--review"],
                            capture_output=True, env={**os.environ, "COLUMNS": "120"})
    out = review.stdout.decode("utf-8", "surrogateescape")
    assert review.returncode == 0 and "Stem Z" in out
    assert_no_leak(out, "mock-exam --review")


def _card_due_now(pack: Path) -> None:
    """Review the hostile card once, a day ago, rated Again: it is due now and comes first."""
    from aifprep import paths
    from aifprep.flashcards import QUIT, SessionPlan, run_session
    from aifprep.progress import utc_now
    from aifprep.scheduling import Rating
    from aifprep.store import ProgressStore

    card = _bank(pack).card_by_id["evil-card"]

    class Once:
        shown = 0

        def show(self, *args, **kwargs):
            self.shown += 1
            return "reveal" if self.shown == 1 else QUIT

        def rate(self, *args, **kwargs):
            return Rating.AGAIN

    from datetime import timezone

    day_ago = utc_now() - timedelta(days=1)
    run_session(SessionPlan((card,), 0, 1, None), Once(), ProgressStore(paths.data_dir()),
                timezone.utc, clock=lambda: day_ago)


@pytest.mark.parametrize("reverse", [False, True])
def test_a_flashcard_its_hint_and_its_back_are_safe(pack, reverse):
    _card_due_now(pack)
    args = ["--questions", str(pack), "flashcards", "-d", "security", "--limit", "1"]
    term = Terminal(*args, *(["--reverse"] if reverse else []))
    if reverse:
        term.wait_for("Back Z", "Which term is this?")
    else:
        term.wait_for("Term Z", "h hint")
        term.send("h")
        term.wait_for("Hint Z")
    term.send(" ")
    screen = term.wait_for("Not to be confused with Other", "Again")
    assert "Card 1 of 1" in screen  # the header is still there: nothing cleared it
    term.send("4")  # Easy: not shown again in this session
    assert term.finish() == 0
    assert "Reviewed 1 card" in term.seen
    term.assert_safe("flashcards --reverse" if reverse else "flashcards")


def test_validate_domains_and_stats_print_no_control_character_from_the_pack(tmp_path, pack):
    broken = tmp_path / "broken.yaml"
    broken.write_text(pack.read_text().replace("type: single", f"type: {q(HOSTILE)}")
                      .replace("id: evil-card", f"id: {q('card' + HOSTILE)}"), encoding="utf-8")
    runs = {
        "validate": [str(AIFPREP), "validate", str(pack), str(broken)],
        "domains": [str(AIFPREP), "--questions", str(broken), "domains"],
        "domains --json": [str(AIFPREP), "--questions", str(broken), "domains", "--json"],
        "stats --json": [str(AIFPREP), "--questions", str(pack), "stats", "--json"],
        "stats": [str(AIFPREP), "--questions", str(pack), "stats"],
    }
    for name, argv in runs.items():
        done = subprocess.run(argv, capture_output=True, env={**os.environ, "COLUMNS": "300"})
        for stream in (done.stdout, done.stderr):
            text = stream.decode("utf-8", "surrogateescape")
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), (name, text[:500])
            assert "Traceback" not in text
        if name.startswith(("validate", "domains")):
            assert done.returncode == 1, name
            errors = (done.stdout + done.stderr).decode()
            assert f"{broken}:" in errors and "\\x1b]0;PWNED\\x07" in errors, name


def test_stats_show_no_control_character_from_the_progress_file(pack):
    """A progress file edited by hand (or by a hostile tool): its texts are escaped too."""
    from dataclasses import replace

    from aifprep import paths
    from aifprep.progress import AnswerRecord, SessionRecord
    from aifprep.store import ProgressStore

    def hostile(progress):
        session = SessionRecord(id="s-1", mode="quiz", started="2026-01-01T10:00:00Z",
                                finished="2026-01-01T10:05:00Z", label="label " + HOSTILE)
        answer = AnswerRecord(id="a-1", question="evil-single", at="2026-01-01T10:01:00Z",
                              mode="quiz", session="s-1", given=(1,), correct=False, seconds=5.0)
        return replace(progress, sessions=(session,), answers=(answer,))

    ProgressStore(paths.data_dir()).update(hostile)
    for argv in (["stats"], ["stats", "--json"], ["today", "--json"], ["config", "--json"]):
        done = subprocess.run([str(AIFPREP), "--questions", str(pack), *argv],
                              capture_output=True, env={**os.environ, "COLUMNS": "300"})
        out = (done.stdout + done.stderr).decode("utf-8", "surrogateescape")
        assert done.returncode == 0, (argv, out[-500:])
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), (argv, out[:500])
    stats = subprocess.run([str(AIFPREP), "--questions", str(pack), "stats"], capture_output=True,
                           env={**os.environ, "COLUMNS": "300"}).stdout.decode()
    assert "label Z]0;PWNED" in stats  # shown, without its control characters
