"""Plain-text helpers shared by the screens."""

from __future__ import annotations

import re

LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s|^\s{2,}")


def unwrap(text: str) -> str:
    """Join the hard line breaks of a YAML block into paragraphs; keep lists and blank lines."""
    out: list[str] = []
    for line in text.strip().split("\n"):
        if out and out[-1].strip() and line.strip() and not LIST_LINE.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out)
