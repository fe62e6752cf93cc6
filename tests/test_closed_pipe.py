"""A closed pipe (`aifprep stats | head -1`) is not an error: every data command exits 0
without a message, however much it has to print."""

from __future__ import annotations

import os
import random
import subprocess
from datetime import datetime, timezone

import pytest

from aifprep import paths
from aifprep.bank import load_bank
from aifprep.exam_session import begin, finish
from aifprep.mock import draw_exam, new_exam
from aifprep.store import ProgressStore

from terminal import AIFPREP, INSTALLED

pytestmark = pytest.mark.skipif(not INSTALLED, reason="aifprep console script is not installed")

DATA_COMMANDS = [
    ["today"], ["today", "--json"],
    ["domains"], ["domains", "--tasks"], ["domains", "--tasks", "--json"],
    ["stats"], ["stats", "--json"], ["validate"], ["config"], ["config", "--json"],
    ["exam-date"], ["mock-exam", "--review"], ["mock-exam", "--review", "--only", "wrong"],
    ["--help"], ["quiz", "--help"],
]


@pytest.fixture
def finished_exam():
    """A finished 65-question exam, so that stats and --review have much to print."""
    bank = load_bank(paths.bundled_questions_dir(), [], cache=None)
    store = ProgressStore(paths.data_dir())
    when = datetime(2026, 11, 29, 20, 0, tzinfo=timezone.utc)
    questions = draw_exam(bank.questions, {}, 65, random.Random(1), prefer_unseen=False)
    state = begin(store, new_exam("e1", questions, 1, 90.0, "pause", "65 questions", when))
    finish(store, state, bank.by_id, when, False)


def into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    read, write = os.pipe()
    os.close(read)  # nobody will read: the first write fails with EPIPE
    try:
        return subprocess.run([str(AIFPREP), *args], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(write)


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=" ".join)
def test_a_closed_pipe_exits_0_without_a_message(args, finished_exam):
    done = into_closed_pipe(args)
    assert (done.returncode, done.stderr) == (0, "")
