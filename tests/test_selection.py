import random

from conftest import make_matching, make_multiple, make_ordering, make_single

from aifprep.progress import QuestionHistory
from aifprep.selection import QuizFilter, filter_questions, select_questions

BANK = [make_single("s1"), make_single("s2", domain="security", task="5.1"),
        make_multiple("m1"), make_ordering("o1", task="1.3"), make_matching("x1", task="1.2")]


def seen(correct: bool, at: str = "2026-11-01T00:00:00Z") -> QuestionHistory:
    return QuestionHistory(1, int(correct), correct, at)


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def test_filters_by_domain_task_and_type():
    assert ids(filter_questions(BANK, QuizFilter(domain="security"), {})) == ["s2"]
    assert ids(filter_questions(BANK, QuizFilter(task="1.3"), {})) == ["o1"]
    assert ids(filter_questions(BANK, QuizFilter(qtype="matching"), {})) == ["x1"]


def test_missed_and_new_filters_use_the_history():
    history = {"s1": seen(False), "m1": seen(True)}
    assert ids(filter_questions(BANK, QuizFilter(missed=True), history)) == ["s1"]
    assert set(ids(filter_questions(BANK, QuizFilter(new=True), history))) == {"s2", "o1", "x1"}


def test_missed_and_unseen_questions_come_first():
    history = {"s1": seen(True), "s2": seen(True), "m1": seen(False)}
    picked = select_questions(BANK, history, 3, random.Random(1))
    assert set(ids(picked)) == {"m1", "o1", "x1"}


def test_among_known_questions_the_longest_unseen_comes_first():
    history = {q.id: seen(True, f"2026-11-0{n}T00:00:00Z") for n, q in enumerate(BANK, 1)}
    assert ids(select_questions(BANK, history, 2, random.Random(3))) == ["s1", "s2"]


def test_same_seed_same_questions_in_the_same_order():
    a = select_questions(BANK, {}, 3, random.Random(42), prefer_unlearned=False)
    b = select_questions(BANK, {"s1": seen(True)}, 3, random.Random(42), prefer_unlearned=False)
    assert ids(a) == ids(b)


def test_count_larger_than_pool_returns_the_pool():
    assert len(select_questions(BANK, {}, 50, random.Random(0))) == len(BANK)
