"""The shared screen parts: layout, the scroll indicator, pinned lines, the pager's moves."""

from __future__ import annotations

from aifprep.ui.screen import Screen, text_line


class Lines(Screen):
    def __init__(self, n: int, pinned: int = 0) -> None:
        super().__init__()
        self.n, self.pin = n, pinned
        self.at: int | None = None

    def header(self, width):
        return [text_line("HEADER")]

    def pinned(self, width):
        return [text_line(f"stem {k}") for k in range(self.pin)]

    def body(self, width):
        return [text_line(f"line {k}") for k in range(self.n)]

    def cursor(self):
        return self.at


def rows(screen, height=24, width=80):
    return screen.render_text(width, height).split("\n")


def test_the_indicator_counts_the_lines_below_the_fold():
    screen = Lines(40)
    shown = rows(screen)
    assert len(shown) == 24 and shown[0] == "HEADER"
    visible = [r for r in shown if r.startswith("line")]
    assert shown[shown.index(visible[-1]) + 1] == f" ↓ {40 - len(visible)} more lines (PgDn)"


def test_no_indicator_when_everything_fits_or_at_the_end():
    assert not any("more line" in r for r in rows(Lines(5)))
    screen = Lines(40)
    screen.scroll(1000)
    shown = rows(screen)
    assert "line 39" in shown and not any("more line" in r for r in shown)


def test_pinned_lines_stay_while_the_body_scrolls():
    screen = Lines(40, pinned=3)
    screen.scroll(10)
    shown = rows(screen)
    assert shown[2:5] == ["stem 0", "stem 1", "stem 2"] and "line 0" not in shown


def test_pinned_lines_too_tall_for_the_screen_scroll_with_the_body():
    screen = Lines(10, pinned=30)
    shown = rows(screen)
    screen.scroll(5)
    assert "stem 0" in shown and "stem 0" not in rows(screen)


def test_a_moved_cursor_is_kept_in_view():
    screen = Lines(60)
    screen.at = 50
    assert "line 50" in rows(screen)
    screen.scroll(-100)  # the reader scrolls away: the cursor does not pull the view back
    assert "line 0" in rows(screen)


def test_the_pager_offers_only_filters_with_questions_and_jumps_to_a_number():
    from test_snapshots import SEED, exam_result

    from aifprep.ui.walkthrough_screen import PagerScreen

    pager = PagerScreen(exam_result(), SEED, only="flagged")
    assert pager.filters == ["all", "wrong", "flagged", "unanswered"]
    assert [i.number for i in pager.items] == [2]
    pager._filter("unanswered")
    assert pager.item.number == 2  # stays on the question shown
    pager._move(1)
    assert pager.item.number == 3
    pager.typed = "1"
    pager._jump()  # question 1 was answered: the pager switches to all
    assert (pager.only, pager.item.number) == ("all", 1)
    pager.typed = "9"
    pager._jump()
    assert "no question 9" in pager.message


def test_a_filter_with_nothing_in_it_is_not_offered():
    from dataclasses import replace

    from test_snapshots import SEED, exam_result

    from aifprep.ui.walkthrough_screen import PagerScreen

    result = exam_result()
    result = replace(result, items=tuple(replace(i, flagged=False) for i in result.items))
    pager = PagerScreen(result, SEED)
    assert "flagged" not in pager.filters
    assert "flagged" not in " ".join(k + w for k, w in pager.footer_keys())
    pager._filter("flagged")
    assert pager.only == "all" and "No flagged questions" in pager.message


def test_every_screen_fits_a_tiny_terminal_without_spilling():
    from test_snapshots import MULTIPLE, SEED, exam_result, exam_screen, quiz_question

    from aifprep.ui.result_screen import ResultScreen
    from aifprep.ui.walkthrough_screen import PagerScreen

    for width, height in [(40, 10), (30, 8)]:
        for screen in (quiz_question(MULTIPLE, "1"), exam_screen(), ResultScreen(exam_result()),
                       PagerScreen(exam_result(), SEED)):
            lines = screen.render_text(width, height).split("\n")
            assert len(lines) == height and max(map(len, lines)) <= width
