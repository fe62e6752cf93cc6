"""The history as the candidate's to edit: pure changes on progress."""

from datetime import datetime, timedelta, timezone

import pytest

from aifprep.history import (
    HistoryError,
    counted,
    delete_session,
    entries,
    exclude,
    include,
    merge,
    phantom_answers,
    repair_phantoms,
    replay,
    undo_last,
)
from aifprep.progress import (
    AnswerRecord,
    Progress,
    SessionRecord,
    add_session,
    answer_and_review,
    iso,
    review_item,
)
from aifprep.scheduling import Rating

T0 = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)


def answer(aid, q, session, minutes, correct=True, mode="quiz", given=(0,)):
    return AnswerRecord(aid, q, iso(T0 + timedelta(minutes=minutes)), mode, session, given,
                        correct, 20.0)


def study(progress=None, session="s1", start=0, questions=("q1", "q2"), mode="quiz"):
    progress = progress or Progress()
    progress = add_session(SessionRecord(session, mode, iso(T0 + timedelta(minutes=start))))(progress)
    for n, q in enumerate(questions):
        a = answer(f"{session}-{n}", q, session, start + n, correct=n % 2 == 0, mode=mode)
        progress = answer_and_review(a, Rating.GOOD if a.correct else Rating.AGAIN, fuzz=False)(progress)
    return progress


def test_undo_takes_back_the_latest_answer_and_restores_the_schedule_exactly():
    before = study()
    after = answer_and_review(answer("x", "q1", "s1", 10), Rating.GOOD, fuzz=False)(before)
    undone, what = undo_last(after)
    assert undone.answers == before.answers and undone.reviews == before.reviews
    assert undone.schedule == before.schedule
    assert what.kind == "answer" and what.item == "q1" and "right" in what.detail


def test_undo_can_be_repeated_and_takes_back_flashcard_ratings():
    p = review_item("r1", "card:c1", Rating.GOOD, T0, "flashcards", 3.0, fuzz=False)(Progress())
    p, what = undo_last(p)
    assert what.kind == "rating" and what.item == "c1" and p.schedule == {} and p.reviews == ()
    with pytest.raises(HistoryError):
        undo_last(p)


def test_a_mock_exam_answer_is_not_undone_alone():
    p = study(mode="mock-exam")
    with pytest.raises(HistoryError, match="history delete"):
        undo_last(p)


def test_exclude_keeps_a_session_but_leaves_it_out_of_what_counts():
    p = exclude(study(study(), "s2", 30, ("q3",)), "s2")
    assert len(p.answers) == 3 and [a.session for a in counted(p).answers] == ["s1", "s1"]
    assert [e.excluded for e in entries(p)] == [False, True]
    assert include(p, "s2").excluded == frozenset()


def test_delete_replays_the_schedule_as_if_the_session_never_happened():
    only_first = study()
    both = study(only_first, "s2", 30, ("q1", "q3"))
    deleted = delete_session(both, "s2")
    assert deleted.answers == only_first.answers and deleted.sessions == only_first.sessions
    assert deleted.schedule == only_first.schedule


def test_phantom_answers_are_repaired_with_their_reviews():
    p = study(mode="mock-exam")
    phantom = answer("e-9", "q9", "s1", 5, correct=False, mode="mock-exam", given=())
    p = answer_and_review(phantom, Rating.AGAIN, fuzz=False)(p)
    assert [a.id for a in phantom_answers(p)] == ["e-9"]
    repaired, n = repair_phantoms(p)
    assert n == 1 and "question:q9" not in repaired.schedule
    assert all(r.id != "e-9" for r in repaired.reviews)
    assert repair_phantoms(repaired) == (repaired, 0)


def test_merge_is_commutative_idempotent_and_never_duplicates():
    laptop = study(session="lap", questions=("q1", "q2"))
    desktop = study(session="desk", start=60, questions=("q1", "q3"))
    ab, ba = merge(laptop, desktop), merge(desktop, laptop)
    assert ab == ba
    assert merge(ab, desktop) == ab and merge(ab, ab) == ab
    assert len(ab.answers) == 4 and len(ab.reviews) == 4
    schedule, _ = replay(ab.reviews, ab.settings)
    assert ab.schedule == schedule


def test_history_entries_number_sessions_oldest_first():
    p = study(study(), "s2", 30, ("q3",))
    got = entries(p)
    assert [(e.number, e.id, e.questions, e.correct) for e in got] == [(1, "s1", 2, 1), (2, "s2", 1, 1)]


def test_reset_forgets_questions_or_cards_and_keeps_the_settings():
    from aifprep.history import reset

    p = study()
    p = review_item("r1", "card:c1", Rating.GOOD, T0, "flashcards", 3.0, fuzz=False)(p)
    p = exclude(p, "s1")
    questions = reset(p, "questions")
    assert questions.answers == () and questions.sessions == () and questions.excluded == frozenset()
    assert list(questions.schedule) == ["card:c1"] and [r.id for r in questions.reviews] == ["r1"]
    cards = reset(p, "cards")
    assert cards.answers == p.answers and "card:c1" not in cards.schedule
    assert all(r.item.startswith("question:") for r in cards.reviews)
    assert reset(p, "all") == Progress(settings=p.settings)


def test_an_exam_to_review_is_found_by_its_history_number():
    from aifprep.history import finished_exam

    with pytest.raises(HistoryError, match="no finished mock exam yet"):
        finished_exam(Progress())
    p = study()
    with pytest.raises(HistoryError, match="entry 1 is a quiz session, not a finished mock exam"):
        finished_exam(p, 1)
