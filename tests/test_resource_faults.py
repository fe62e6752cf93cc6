"""Read-only commands over the bank never need a writable cache or data folder."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aifprep.cli import app

runner = CliRunner()


def run(*args: str, env: dict[str, str]) -> object:
    return runner.invoke(app, list(args), env=env)


def _unusable(tmp_path: Path, kind: str) -> Path:
    """A folder aifprep cannot create or write: under a regular file, a regular file
    itself, a FIFO, or (when not root) a read-only folder."""
    blocker = tmp_path / f"blocker-{kind}"
    if kind == "under-a-file":
        blocker.write_text("x")
        return blocker / "sub"
    if kind == "a-file":
        blocker.write_text("x")
        return blocker
    if kind == "a-fifo":
        os.mkfifo(blocker)
        return blocker
    if os.geteuid() == 0:
        pytest.skip("root can write to a read-only folder")
    blocker.mkdir()
    blocker.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return blocker


KINDS = ["under-a-file", "a-file", "a-fifo", "read-only"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("folder", ["AIFPREP_CACHE_DIR", "AIFPREP_DATA_DIR"])
def test_domains_and_validate_work_without_a_writable_folder(tmp_path, pack_file, kind, folder):
    env = {folder: str(_unusable(tmp_path, kind))}
    for _ in range(2):  # the second run would read the cache, if there were one
        result = run("--questions", str(pack_file), "domains", "--json", env=env)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)[4]["slug"] == "security"
        result = run("--questions", str(pack_file), "domains", env=env)
        assert result.exit_code == 0 and "security" in result.stdout
    result = run("validate", str(pack_file), env=env)
    assert result.exit_code == 0 and result.stdout.startswith("OK: 2 questions")


def test_an_unreadable_or_damaged_cache_file_only_costs_a_parse(tmp_path, pack_file, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(cache))
    assert run("--questions", str(pack_file), "domains", "--json", env={}).exit_code == 0
    (pickled,) = cache.glob("bank-*.pickle")
    pickled.write_bytes(b"\x80\x05garbage")
    result = run("--questions", str(pack_file), "domains", "--json", env={})
    assert result.exit_code == 0 and json.loads(result.stdout)[4]["questions"] > 0
