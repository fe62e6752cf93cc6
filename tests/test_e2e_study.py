"""End to end: `aifprep study` in a real pseudo-terminal runs today's plan and stops cleanly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pyte
import pytest

AIFPREP = Path(sys.executable).with_name("aifprep")
pytestmark = pytest.mark.skipif(not AIFPREP.exists() and not shutil.which("aifprep"),
                                reason="aifprep console script is not installed")


def test_study_runs_the_plan_saves_each_rating_and_stops_on_q():
    env = {**os.environ, "TERM": "xterm-256color"}
    child = pexpect.spawn(str(AIFPREP), ["study", "--minutes", "2"], env=env, encoding="utf-8",
                          dimensions=(24, 80), timeout=20)
    screen, stream = pyte.Screen(80, 24), None
    stream = pyte.Stream(screen)
    child.expect("Step 1 of 1: flashcards")
    stream.feed(child.before + child.after)
    for _ in range(2):
        child.expect("show the answer")
        child.send(" ")
        child.expect("Again")
        child.send("3")
    child.expect("show the answer")
    child.send("q")
    child.expect("Stopped after 2 items; everything is saved")
    stream.feed(child.before + child.after)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = "\n".join(screen.display)
    assert "Stopped after 2 items" in shown and "Traceback" not in shown
    data = json.loads(subprocess.run([str(AIFPREP), "stats", "--json"], capture_output=True,
                                     text=True, check=True).stdout)
    assert data["flashcards"]["reviews"] == 2 and data["done_today"] == 2
