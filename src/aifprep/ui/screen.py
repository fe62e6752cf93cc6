"""The parts every full-screen view shares: header, scroll body with its indicator, footer,
key help, and the prompt_toolkit loop that runs them.

A screen is a subclass of `Screen` that says what its header, body and footer keys are.
`Screen.compose(width, height)` lays the whole screen out as lines of prompt_toolkit
fragments: the header, lines pinned under it (a question's stem while it is answered),
the part of the body that fits, "↓ 12 more lines" when more lies below, and the footer.
The same function feeds the terminal and the snapshot tests, so what is tested is what is
shown. Rich renderables enter a screen through `rich_lines`, the one place screens make
a Rich console.
"""

from __future__ import annotations

import io
import os
import re
import sys
from typing import Any, Callable

from aifprep.ui.keymap import keys_for

Line = list[tuple[str, str]]  # the fragments of one screen line, without a newline

STYLE = {
    "header": "reverse",
    "header.low": "reverse bold fg:ansired",
    "header.right": "reverse bold fg:ansigreen",
    "header.wrong": "reverse bold fg:ansired",
    "rule": "fg:ansibrightblack",
    "dim": "fg:ansibrightblack",
    "hl": "reverse",
    "chosen": "bold",
    "flag": "bold fg:ansiyellow",
    "msg": "bold fg:ansiyellow",
    "more": "bold fg:ansicyan",
    "key": "bold",
}

MIN_SCROLLED = 6  # body lines kept under pinned lines; taller pinned lines scroll instead
_OSC8 = re.compile(r"\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)")


def text_line(text: str, style: str = "") -> Line:
    return [(style, text)]


def clip(line: Line, width: int) -> Line:
    """A line cut to `width` characters (zero-width escapes kept)."""
    out: Line = []
    used = 0
    for style, text in line:
        if "ZeroWidthEscape" not in style:
            text = text[: max(0, width - used)]
            used += len(text)
        out.append((style, text))
    return out


def plain(line: Line) -> str:
    """The characters of a line, as a terminal shows them."""
    return "".join(text for style, text in line if "ZeroWidthEscape" not in style)


def no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def rich_lines(renderable: Any, width: int) -> list[Line]:
    """Render a Rich renderable at `width` columns into screen lines.

    The one Rich console the screens make; hyperlinks (OSC 8) pass through as zero-width
    escapes, so a URL stays clickable in a full-screen view.
    """
    from prompt_toolkit.formatted_text import ANSI, to_formatted_text
    from prompt_toolkit.formatted_text.utils import split_lines
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(20, width), force_terminal=True,
                      color_system=None if no_color() else "standard", highlight=False,
                      emoji=False, legacy_windows=False)
    console.print(renderable)
    ansi = _OSC8.sub(lambda m: f"\001{m.group(0)}\002", buffer.getvalue())
    lines = [list(line) for line in split_lines(to_formatted_text(ANSI(ansi)))]
    while lines and not plain(lines[-1]).strip():
        lines.pop()
    return lines


def footer_lines(keys: list[tuple[str, str]], width: int) -> list[Line]:
    """Key hints, wrapped to the width."""
    lines: list[Line] = [[]]
    used = 0
    for key, what in keys:
        piece = len(key) + len(what) + 3
        if used + piece > width - 1 and lines[-1]:
            lines.append([])
            used = 0
        lines[-1] += [("class:key", " " + key), ("", f" {what} ")]
        used += piece
    return lines


def flush_typeahead(app: Any = None) -> None:
    """Discard keys typed before the screen is shown: the terminal's buffer and the keys
    prompt_toolkit read ahead for the next application."""
    try:
        import termios

        if sys.stdin.isatty():
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError):  # pragma: no cover - not a POSIX terminal
        pass
    if app is not None:
        from prompt_toolkit.input.typeahead import clear_typeahead

        clear_typeahead(app.input)


class Screen:
    """A full-screen view: subclasses fill in the header, body and keys."""

    name = "quiz"  # which rows of the key map `?` shows
    refresh_interval: float | None = None
    arrows_scroll = True  # ↑/↓ scroll the body (False: the screen uses them itself)

    def __init__(self) -> None:
        self.top = 0  # first body line on screen
        self.room = 10  # body lines that fit, as last laid out
        self.show_help = False
        self.message = ""
        self._last_cursor: int | None = None
        self._app: Any = None

    # --- what subclasses provide ----------------------------------------------------------

    def header(self, width: int) -> list[Line]:
        return []

    def pinned(self, width: int) -> list[Line]:
        """Lines kept in view above the scrolling body (dropped when they would crowd it)."""
        return []

    def body(self, width: int) -> list[Line]:
        return []

    def cursor(self) -> int | None:
        """The body line to keep in view (the highlighted option), if any."""
        return None

    def footer_keys(self) -> list[tuple[str, str]]:
        return [("?", "keys"), ("q", "quit")]

    def status_lines(self, width: int) -> list[Line]:
        """Lines above the key hints (a rating selector)."""
        return []

    def add_keys(self, kb: Any) -> None:
        """Bind the screen's own keys."""

    def on_interrupt(self) -> None:
        self.exit(exception=KeyboardInterrupt())

    def pre_run(self, app: Any) -> None:
        """Called when the application starts, after the typed-ahead keys are gone."""

    # --- layout ---------------------------------------------------------------------------

    def compose(self, width: int, height: int) -> list[Line]:
        """The whole screen as `height` lines."""
        rule = text_line("─" * width, "class:rule")
        head = self.header(width) + [rule]
        foot = [rule]
        if self.message:
            from aifprep.ui.text import wrap

            foot += [text_line(line, "class:msg") for line in wrap(self.message, width - 2, " ")]
        foot += self.status_lines(width) + footer_lines(self.footer_keys(), width)
        room = max(1, height - len(head) - len(foot))
        if self.show_help:
            pinned, body, cursor = [], self.help_lines(width), None
        else:
            pinned, body, cursor = self.pinned(width), self.body(width), self.cursor()
            if pinned and len(pinned) + 1 > room - MIN_SCROLLED:
                # Too tall to pin: it scrolls with the rest (it is at the top).
                shift = len(pinned) + 1
                body = pinned + [[]] + body
                cursor = None if cursor is None else cursor + shift
                pinned = []
            elif pinned:
                pinned = pinned + [[]]
        room = max(1, room - len(pinned))
        self.room = room
        self._follow(cursor, room, len(body))
        self.top = max(0, min(self.top, len(body) - room))
        shown = body[self.top:self.top + room]
        below = len(body) - (self.top + room)
        if below > 0:
            shown = shown[:-1]
            below += 1
            shown.append(text_line(f" ↓ {below} more line{'s' * (below != 1)} (PgDn)",
                                   "class:more"))
        shown += [[] for _ in range(room - len(shown))]
        return [clip(line, width) for line in head + pinned + shown + foot][:height]

    def _follow(self, cursor: int | None, room: int, total: int) -> None:
        """Scroll so that a moved cursor is in view (not when the reader scrolled)."""
        if cursor is None or cursor == self._last_cursor:
            return
        self._last_cursor = cursor
        if cursor < self.top:
            self.top = cursor
        elif cursor >= self.top + room - 4:  # keep a few lines under it in view
            self.top = min(cursor, cursor - room + 4)

    def help_lines(self, width: int) -> list[Line]:
        from aifprep.ui.text import wrap

        lines: list[Line] = [text_line(" Keys (? closes this)", "class:chosen"), []]
        for key, what in keys_for(self.name):
            lines += [text_line(line) for line in wrap(what, width - 2, f" {key:<17} ", " " * 19)]
        return lines

    def render_text(self, width: int, height: int) -> str:
        """The screen as plain text (for snapshots)."""
        return "\n".join(plain(line).rstrip() for line in self.compose(width, height))

    # --- running --------------------------------------------------------------------------

    def scroll(self, lines: int) -> None:
        self.top = max(0, self.top + lines)

    def exit(self, result: Any = None, exception: BaseException | None = None) -> None:
        app = self._app
        if app is not None and not app.future.done():
            if exception is not None:
                app.exit(exception=exception)
            else:
                app.exit(result=result)

    def _bindings(self) -> Any:
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings

        kb = KeyBindings()
        arrows = Condition(lambda: self.arrows_scroll or self.show_help)

        kb.add("c-c")(lambda event: self.on_interrupt())
        kb.add("c-d")(lambda event: self.on_interrupt())
        kb.add("pagedown")(lambda event: self.scroll(max(1, self.room - 2)))
        kb.add("pageup")(lambda event: self.scroll(-max(1, self.room - 2)))
        kb.add("down", filter=arrows)(lambda event: self.scroll(1))
        kb.add("up", filter=arrows)(lambda event: self.scroll(-1))
        kb.add("home", filter=arrows)(lambda event: self.scroll(-10**6))
        kb.add("end", filter=arrows)(lambda event: self.scroll(10**6))

        @kb.add("?")
        def _(event) -> None:
            self.show_help = not self.show_help
            self.top = 0

        self.add_keys(kb)
        return kb

    def run(self) -> Any:
        """Show the screen until a key binding exits; keys typed before it are discarded."""
        from prompt_toolkit.application import Application, get_app
        from prompt_toolkit.layout import Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl
        from prompt_toolkit.styles import Style

        def fragments() -> list[tuple[str, str]]:
            size = get_app().output.get_size()
            out: list[tuple[str, str]] = []
            for n, line in enumerate(self.compose(size.columns, size.rows)):
                if n:
                    out.append(("", "\n"))
                out += line
            return out

        control = FormattedTextControl(fragments, focusable=True, show_cursor=False)
        app = Application(layout=Layout(Window(control, wrap_lines=False,
                                               always_hide_cursor=True)),
                          key_bindings=self._bindings(), style=Style.from_dict(STYLE),
                          full_screen=True, mouse_support=False,
                          refresh_interval=self.refresh_interval)
        self._app = app

        def pre_run() -> None:
            flush_typeahead(app)
            self.pre_run(app)

        try:
            return app.run(pre_run=pre_run)
        finally:
            self._app = None


def on_key(kb: Any, keys: str | list[str], action: Callable[[], Any], **kw: Any) -> None:
    """Bind each of `keys` to a call without arguments."""
    for key in [keys] if isinstance(keys, str) else keys:
        kb.add(key, **kw)(lambda event: action())
