"""A broken pack never exits 0: validate and every command over the bank refuse it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import VALID_PACK
from typer.testing import CliRunner

from aifprep.cli import app

runner = CliRunner()
BROKEN = {
    "empty.yaml": b"",
    "comment.yaml": b"# nothing here\n",
    "mapping.yaml": b"{}\n",
    "list.yaml": b"[]\n",
    "domain-only.yaml": b"domain: security\n",
    "no-questions.yaml": b"domain: security\nquestions:\n",
    "null-cards.yaml": b"domain: security\ncards:\n",
    "garbage.yaml": bytes(range(256)),
    "utf16.yaml": VALID_PACK.encode("utf-16"),
    "two-docs.yaml": (VALID_PACK + "---\n" + VALID_PACK).encode(),
    "twice.yaml": (VALID_PACK + VALID_PACK.split("questions:\n", 1)[1]).encode(),
    "alias.yaml": VALID_PACK.replace("difficulty: 2", "difficulty: &d 2").encode(),
    "tag.yaml": VALID_PACK.replace("difficulty: 2", "difficulty: !!python/int 2").encode(),
    "bundled-id.yaml": VALID_PACK.replace("id: pack-kms", "id: sec-iam-restrict-approved-models")
    .encode(),
}


def _pack(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name == "fifo.yaml":
        os.mkfifo(path)
    elif name == "folder.yaml":
        path.mkdir()
    else:
        path.write_bytes(BROKEN[name])
    return path


@pytest.mark.parametrize("name", [*BROKEN, "fifo.yaml", "folder.yaml"])
def test_validate_refuses_a_broken_pack(tmp_path, name):
    path = _pack(tmp_path, name)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"{path}:" in result.stdout and "Traceback" not in result.output


@pytest.mark.parametrize("name", [n for n in BROKEN if n != "bundled-id.yaml"] + ["fifo.yaml"])
def test_commands_over_the_bank_refuse_a_broken_pack(tmp_path, name):
    path = _pack(tmp_path, name)
    for args in (["domains"], ["stats", "--json"]):
        result = runner.invoke(app, ["--questions", str(path), *args])
        assert result.exit_code == 1, (args, result.output)
        assert "broken question file" in result.output and "unexpected error" not in result.output
