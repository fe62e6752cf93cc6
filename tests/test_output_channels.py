"""Every command prints through the one safe console, `echo` or `print_json`.

Text from packs and the progress file may hold control characters; the console
(`aifprep.ui.console`), `echo` and `print_json` (`aifprep.cli.common`) are where they are
taken out. A bare `print()`, a `json.dumps` printed as is, or a second Rich `Console` would
be a way around them, so this test looks for those in the source.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "aifprep"
CHANNEL_HOMES = {SRC / "cli" / "common.py", SRC / "ui" / "console.py", SRC / "__main__.py"}


def _sources() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p not in CHANNEL_HOMES]


def _hits(pattern: str) -> list[str]:
    found = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(pattern, code):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_no_other_rich_console_is_made():
    assert _hits(r"\bConsole\(") == [], "use aifprep.ui.console.make_console()"


def test_no_bare_print_to_the_terminal():
    assert _hits(r"(?<![.\w])print\(") == [], "use echo(), print_json() or the console"


def test_no_json_printed_without_the_json_writer():
    assert _hits(r"print\(\s*json\.dumps") == [], "use print_json()"
