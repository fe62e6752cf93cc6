"""A child `aifprep` on an emulated terminal (pexpect + pyte), read as a person would.

Full-screen views redraw only what changed, so the tests feed the output to a terminal
emulator and read the screen. Waits are for what the screen shows, never for a time.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pytest

pyte = pytest.importorskip("pyte")

AIFPREP = Path(sys.executable).with_name("aifprep")
INSTALLED = AIFPREP.exists() or shutil.which("aifprep") is not None
DOWN, UP, ENTER, CTRL_C, PGDN = "\x1b[B", "\x1b[A", "\r", "\x03", "\x1b[6~"


class Terminal:
    """`aifprep ARGS` on an emulated screen (80x24 unless told)."""

    def __init__(self, *args: str, rows: int = 24, cols: int = 80) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("NO_COLOR", None)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.transcript = ""
        self.child = pexpect.spawn(str(AIFPREP), list(args), env=env, encoding="utf-8",
                                   dimensions=(rows, cols), timeout=20)

    def _read(self, wait: float = 0.1) -> bool | None:
        """Feed what the child printed to the screen: True if something, None at the end."""
        try:
            data = self.child.read_nonblocking(100_000, timeout=wait)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            return None
        self.transcript += data
        self.stream.feed(data)
        return True

    @property
    def output(self) -> str:
        """Everything printed, without escape sequences."""
        text = re.sub(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)", "", self.transcript)
        return re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r", "", text)

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, *texts: str, timeout: float = 20) -> str:
        """Read until every text is on the screen at once; return the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text
            flat = " ".join(screen.split())  # a text may wrap onto the next line
            if all(t in screen or " ".join(t.split()) in flat for t in texts):
                while self._read(0.3):  # let the redraw that showed them finish
                    pass
                return self.text
            if time.monotonic() > deadline or self._read() is None:
                raise AssertionError(f"never saw {texts!r}; the screen:\n{screen}")

    def settle(self) -> str:
        """Read until nothing new comes for a moment; return the screen."""
        while self._read(0.5):
            pass
        return self.text

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self, timeout: float = 20) -> int:
        """Read to the end; return the exit status."""
        deadline = time.monotonic() + timeout
        while self._read(0.2) is not None and time.monotonic() < deadline:
            pass
        self.child.close()
        if self.child.exitstatus is not None:
            return self.child.exitstatus
        return -self.child.signalstatus


def flat(text: str) -> str:
    return " ".join(text.split())
