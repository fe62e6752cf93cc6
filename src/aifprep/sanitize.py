"""Text from question packs and the progress file, made safe for a terminal and for JSON.

Packs come from strangers. A control character in a stem (ESC starting an escape
sequence, an 8-bit C1 CSI, BEL, backspace, ...) would let the pack set the window title,
clear the screen, write to the clipboard or make the terminal type into aifprep. Every
string aifprep prints goes through one of these functions (the Rich console in
`ui/console.py`, `BankIssue`, the JSON writer), never field by field.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab and newline, DEL, and the C1 controls (0x80-0x9f).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same plus tab, newline and the Unicode line and paragraph separators: for output
# that must stay on one line (an error line, a FILE:LINE: ID: message).
LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def has_controls(text: str) -> bool:
    return CONTROL.search(text) is not None


def escape_controls(text: str) -> str:
    """Control characters (but not newline or tab) written out as `\\x1b`, visibly."""
    return CONTROL.sub(_escape, text)


def strip_controls(text: str) -> str:
    """Control characters (but not newline or tab) removed."""
    return CONTROL.sub("", text)


def one_line(text: str) -> str:
    """Every control character escaped, newlines and tabs too: one line, always."""
    return LINE_BREAKING.sub(_escape, text)


def dumps_json(data: Any, indent: int | None = 2) -> str:
    """The one JSON writer for `--json` output: valid JSON (no NaN or Infinity) that holds
    no raw control character. `ensure_ascii` escapes C0, C1 and everything else outside
    ASCII; DEL is ASCII and would stay raw, so it is escaped by hand."""
    from aifprep.sanity import dumps

    return dumps(data, indent=indent, ensure_ascii=True).replace("\x7f", "\\u007f")
