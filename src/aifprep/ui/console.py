"""The one Rich console every command prints through.

Text from packs and the progress file may hold control characters (ESC, the 8-bit CSI
0x9b, BEL, backspace, ...). Rich drops only a few of them, so `SafeConsole.render`
removes every one (C0 except newline and tab, DEL, C1) from the text of each segment it
renders. Rich's own output is untouched: colours and styles are rendered from a
segment's style after this step, and screen control (clear, cursor moves) travels in
control segments, which are left alone. Control characters take no cell in Rich's
layout, so removing them here never shifts a column. A hyperlink (a reference URL) is
kept only when its target is printable ASCII: Rich writes the target into the escape
sequence itself. Console markup and emoji codes are
off: `[link=...]` or `:smile:` in a pack is shown as written.

prompt_toolkit (the exam screen, questionary menus, single-key prompts) needs nothing:
it draws every control character visibly (`^[`, `<9b>`).
"""

from __future__ import annotations

from typing import Any, Iterable

from rich.console import Console
from rich.segment import Segment

from aifprep.sanitize import CONTROL


class SafeConsole(Console):
    """A Rich console that never sends a control character from text to the terminal."""

    def render(self, renderable: Any, options: Any = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text, style, control = segment
            if control is not None:
                yield segment
                continue
            if style is not None and style.link and not _safe_link(style.link):
                style = style.clear_meta_and_links()  # shown as text, not as a link
            if CONTROL.search(text):
                text = CONTROL.sub("", text)
            yield Segment(text, style) if (text, style) != segment[:2] else segment


def _safe_link(url: str) -> bool:
    """A link target Rich may write into an OSC 8 sequence: printable ASCII, no spaces
    (a URL from a pack that holds ESC or BEL could end the sequence and start another)."""
    return url.isascii() and url.isprintable() and " " not in url


def make_console(stderr: bool = False, **kwargs: Any) -> SafeConsole:
    """The console for a command's output (or its error lines, with `stderr`)."""
    kwargs.setdefault("highlight", False)
    kwargs.setdefault("markup", False)
    kwargs.setdefault("emoji", False)
    return SafeConsole(stderr=stderr, **kwargs)
