"""Plain-text helpers shared by the screens: paragraphs, wrapping, plurals, times."""

from __future__ import annotations

import math
import re
import textwrap
from datetime import datetime, tzinfo

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


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """Word-wrap text (keeping its own line breaks) with a first-line and a hanging indent.

    Words are never broken: a word longer than the line (a URL) gets a line of its own.
    """
    rest = " " * len(first) if rest is None else rest
    lines: list[str] = []
    for para in unwrap(text).split("\n"):
        prefix = first if not lines else rest
        lines += textwrap.wrap(para, max(10, width), initial_indent=prefix,
                               subsequent_indent=rest, break_long_words=False,
                               break_on_hyphens=False) or [prefix]
    return lines


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 day', '2 days'; `words` for an irregular plural."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def clock_text(seconds: float) -> str:
    """Seconds left as H:MM:SS (rounded up, so 0:00:00 only when time is up)."""
    s = max(0, math.ceil(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def local_time(iso_time: str, tz: tzinfo | None = None) -> str:
    """A stored UTC time (ISO 8601) as local time to the minute, e.g. '2026-11-29 21:04'.

    Text that is not a time is returned as it is.
    """
    try:
        when = datetime.fromisoformat(iso_time.strip().replace("Z", "+00:00"))
    except ValueError:
        return iso_time
    if when.tzinfo is None:
        from datetime import timezone

        when = when.replace(tzinfo=timezone.utc)
    return f"{when.astimezone(tz):%Y-%m-%d %H:%M}"
