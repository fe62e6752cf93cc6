"""Control characters from packs and the progress file never reach the terminal raw."""

from __future__ import annotations

import io
import json
import re

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from aifprep.sanitize import CONTROL, dumps_json, escape_controls, one_line, strip_controls
from aifprep.ui.console import make_console

HOSTILE = ("x\x1b]0;PWNED\x07 \x1b[2J \x1b]52;c;cHduZWQ=\x07 \x1b]8;;https://evil.example\x1b\\"
           "link\x1b]8;;\x1b\\ \x9b31m \x9d0;T\x9c \x7f\x00\x08\x0b\x0c\r\x1b[6n end")
SGR = re.compile("\x1b\\[[0-9;]*m")


def test_escape_keeps_newline_and_tab_and_writes_the_rest_out():
    assert escape_controls("a\tb\nc\x1b[2J\x9b\x7f\x00") == "a\tb\nc\\x1b[2J\\x9b\\x7f\\x00"
    assert strip_controls("a\tb\nc\x1b[2J\x9b\x7f\x00") == "a\tb\nc[2J"


def test_one_line_escapes_line_breaks_too():
    assert one_line("a\nb\tc\r\u2028d\x85") == "a\\nb\\tc\\r\\u2028d\\x85"


def test_plain_text_is_unchanged():
    text = "Amazon SageMaker — “quotes”, émoji 😄, CJK 日本, ✓ ✗ █ …"
    assert escape_controls(text) == strip_controls(text) == one_line(text) == text


def test_json_writer_escapes_del_and_c1_and_writes_no_nan():
    data = {"label": HOSTILE, "nan": float("nan"), "inf": [float("inf")], "ok": 1.5}
    text = dumps_json(data)
    assert not CONTROL.search(text.replace("\n", ""))
    back = json.loads(text)
    assert back == {"label": HOSTILE, "nan": None, "inf": [None], "ok": 1.5}


def _printed(renderable, **kwargs) -> str:
    out = io.StringIO()
    console = make_console(file=out, force_terminal=True, width=70, color_system="truecolor",
                           **kwargs)
    console.print(renderable)
    return out.getvalue()


def test_the_console_drops_control_characters_from_text_but_keeps_its_styles():
    table = Table("a")
    table.add_row(HOSTILE)
    out = _printed(Panel(Text(HOSTILE, style="bold red")))
    out += _printed(table) + _printed(HOSTILE) + _printed(Text(HOSTILE, style="link https://aws.amazon.com"))
    assert "\x1b[1;31m" in out  # aifprep's own styles still render
    assert "\x1b]8;" in out  # ... and so does a link aifprep made itself
    rest = SGR.sub("", out).replace("\x1b]8;id=", "")
    assert "\x1b]0;" not in rest and "\x1b]52" not in rest and "\x1b[2J" not in rest
    assert "evil.example" in rest and "\x1b]8;;https://evil" not in out
    assert not re.search("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]", out)


def test_the_console_shows_markup_and_emoji_codes_as_written():
    out = _printed("[link=https://evil.example]click[/link] :smile: [bold]x[/bold]")
    assert "[link=https://evil.example]click[/link] :smile: [bold]x[/bold]" in out
    assert "\x1b]8;" not in out


def test_removed_control_characters_do_not_shift_the_frame():
    lines = SGR.sub("", _printed(Panel(Text("ab\x1b[2J\x9bcd")))).splitlines()
    assert len({len(line) for line in lines}) == 1


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

any_text = st.text(st.characters(max_codepoint=0x3000, exclude_categories=("Cs",)))


@settings(max_examples=200, deadline=None, database=None)
@given(any_text)
def test_any_text_comes_out_without_raw_controls(text):
    assert not CONTROL.search(escape_controls(text)) and not CONTROL.search(strip_controls(text))
    line = one_line(text)
    assert not CONTROL.search(line) and "\n" not in line and "\t" not in line
    assert escape_controls(text).count("\n") == text.count("\n")
    assert strip_controls(text) == "".join(c for c in text if not CONTROL.match(c))


@settings(max_examples=200, deadline=None, database=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | any_text,
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(any_text, inner, max_size=4), max_leaves=20))
def test_any_data_is_written_as_valid_json_without_raw_controls(data):
    text = dumps_json(data)
    assert not CONTROL.search(text)

    def no_constants(name):
        raise AssertionError(f"{name} is not JSON")

    json.loads(text, parse_constant=no_constants)


def test_a_link_whose_target_holds_control_characters_is_shown_as_text():
    from rich.style import Style

    evil = "https://docs.aws.amazon.com/\x1b\\\x1b]0;PWNED\x07"
    out = _printed(Text("ref", style=Style(link=evil))) + _printed(
        Text("good", style=Style(link="https://docs.aws.amazon.com/x")))
    assert "\x1b]0;PWNED" not in out and "PWNED" not in out
    assert "\x1b]8;id=" in out and "https://docs.aws.amazon.com/x" in out  # the good one links
