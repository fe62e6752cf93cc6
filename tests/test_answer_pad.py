"""Answering by keys, the same in the quiz and the mock exam."""

from __future__ import annotations

from conftest import make_matching, make_multiple, make_ordering, make_single

from aifprep.grading import presentation_order
from aifprep.ui.answer_pad import AnswerPad
from aifprep.ui.keymap import keys_for, option_index


def pad(q, seed=1):
    changes = []
    p = AnswerPad(q, presentation_order(q, seed), on_change=changes.append)
    return p, changes


def test_a_digit_picks_a_single_answer_and_enter_is_not_needed_to_count_it():
    p, changes = pad(make_single())
    p.choose(2)
    assert p.response == (p.order[2],) and p.complete and changes == [p.response]
    p.choose(0)
    assert p.response == (p.order[0],)


def test_a_third_tick_on_a_choose_two_question_is_refused_with_the_reason():
    p, _ = pad(make_multiple())
    p.choose(0)
    p.choose(1)
    p.choose(2)
    assert len(p.response) == 2 and "exactly 2" in p.message and "untick" in p.message
    p.choose(1)  # untick one, then the third counts
    p.choose(2)
    assert set(p.response) == {p.order[0], p.order[2]} and p.message == ""


def test_space_ticks_the_highlighted_option():
    p, _ = pad(make_multiple())
    p.move(1)
    p.press()
    assert p.response == (p.order[1],)
    assert "2 answers: 1 chosen" in p.missing()


def test_ordering_places_steps_in_turn_and_backspace_takes_the_last_back():
    q = make_ordering()
    p, _ = pad(q)
    p.choose(p.order.index(0))
    p.choose(p.order.index(1))
    assert p.response == (0, 1) and not p.complete
    p.undo()
    assert p.response == (0,)
    p.choose(p.order.index(1))
    p.choose(p.order.index(2))  # the last step places itself
    assert p.response == (0, 1, 2, 3) and p.complete
    p.undo()  # takes back the last two (the last one was never chosen)
    assert p.response == (0, 1)


def test_matching_moves_to_the_next_item_and_backspace_takes_back_the_last_match():
    q = make_matching()
    p, _ = pad(q)
    answers = [pair.answer for pair in q.pairs]
    p.choose(p.order.index(answers[0]))
    assert p.cursor == 1
    p.choose(p.order.index(answers[1]))
    assert p.cursor == 2 and p.response[:2] == tuple(answers[:2])
    p.undo()  # item 3 has nothing yet: take back item 2
    assert p.response[1] is None and p.cursor == 1
    assert "2 not matched yet" in p.missing()


def test_the_stem_is_laid_out_apart_from_the_options():
    q = make_multiple(case_text="A long scenario.")
    p, _ = pad(q)
    stem = ["".join(t for _, t in line) for line in p.stem_lines(60)]
    assert stem[0].strip() == "Scenario:" and q.stem in " ".join(stem)
    body, cursor = p.lines(60)
    texts = ["".join(t for _, t in line) for line in body]
    assert texts[0].strip().startswith("Choose 2 answers") and "[ ] 1." in texts[cursor]


def test_digits_and_letters_pick_the_same_option():
    assert [option_index(k) for k in "1a5e9"] == [0, 0, 4, 4, 8]
    assert option_index("f") is None and option_index("0") is None


def test_one_key_map_serves_every_screen():
    for screen in ("quiz", "exam", "feedback", "pager", "result", "cards"):
        keys = dict(keys_for(screen))
        assert "?" in keys and "Ctrl-C" in keys
    assert "q" in dict(keys_for("quiz")) and "⌫" in dict(keys_for("exam"))
