"""Plain-text helpers: plurals, local times, wrapping that never breaks a URL."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest

from aifprep.app import UserError
from aifprep.mock import default_minutes
from aifprep.study import parse_exam_date
from aifprep.ui.text import local_time, plural, wrap


def test_plurals():
    assert [plural(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]


def test_stored_utc_times_are_shown_in_local_time():
    plus_two = timezone(timedelta(hours=2))
    assert local_time("2026-11-29T21:04:05Z", plus_two) == "2026-11-29 23:04"
    assert local_time("not a time") == "not a time"


def test_wrap_gives_a_long_url_a_line_of_its_own():
    url = "https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_Usage.html"
    lines = wrap(f"See {url} for more.", 40, " ")
    assert url in [line.strip() for line in lines]


@pytest.mark.parametrize("today", [date(2026, 11, 29), date(2026, 1, 31), date(2026, 12, 31)])
def test_the_example_of_a_bad_exam_date_is_a_valid_future_date(today):
    with pytest.raises(UserError) as caught:
        parse_exam_date("20/12/2026", today)
    example = str(caught.value).rsplit(" ", 1)[-1]
    assert parse_exam_date(example, today) > today


@pytest.mark.parametrize("count,minutes", [(65, 90), (5, 7), (20, 28), (1, 2)])
def test_a_shorter_exam_gets_the_real_pace_rounded_up(count, minutes):
    assert default_minutes(count) == minutes


def test_a_url_on_a_screen_is_a_hyperlink_unless_no_color(monkeypatch):
    from aifprep.ui.feedback_render import references_view
    from aifprep.ui.screen import plain, rich_lines

    url = "https://docs.aws.amazon.com/kms/latest/developerguide/overview.html"
    monkeypatch.delenv("NO_COLOR", raising=False)
    lines = rich_lines(references_view([url]), 100)
    links = [t for line in lines for s, t in line if "ZeroWidthEscape" in s]
    assert any(t.startswith("\x1b]8;") and url in t for t in links)
    assert plain(lines[1]).rstrip() == url
    monkeypatch.setenv("NO_COLOR", "1")
    lines = rich_lines(references_view([url]), 100)
    assert not [t for line in lines for s, t in line if "ZeroWidthEscape" in s]
    assert plain(lines[1]).rstrip() == url
