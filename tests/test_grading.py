from conftest import make_matching, make_multiple, make_ordering, make_single

from aifprep.grading import describe_response, grade_answer, key_response, presentation_order


def test_single_is_right_only_with_the_key():
    q = make_single(key=2)
    assert grade_answer(q, (2,)).correct
    assert not grade_answer(q, (1,)).correct


def test_multiple_needs_all_and_only_the_keys():
    q = make_multiple(keys=(0, 2))
    assert grade_answer(q, (0, 2)).correct
    assert not grade_answer(q, (0,)).correct
    assert not grade_answer(q, (0, 2, 3)).correct
    assert not grade_answer(q, (1, 3)).correct
    assert grade_answer(q, (0, 3)).parts_right == 3  # 0 right, 2 missed, 3 wrong, 1 and 4 right


def test_ordering_credit_only_when_fully_right():
    q = make_ordering(n=4)
    assert grade_answer(q, (0, 1, 2, 3)).correct
    partial = grade_answer(q, (0, 1, 3, 2))
    assert not partial.correct and partial.parts_right == 2


def test_matching_credit_only_when_every_pair_is_right():
    q = make_matching()
    assert grade_answer(q, ("service 0", "service 1", "service 2")).correct
    wrong = grade_answer(q, ("service 0", "service X", "service 2"))
    assert not wrong.correct and wrong.parts_right == 2


def test_key_response_earns_full_credit_for_every_type():
    for q in (make_single(), make_multiple(), make_ordering(), make_matching()):
        assert grade_answer(q, key_response(q)).correct


def test_same_seed_same_option_order_and_different_seeds_differ():
    q = make_single()
    assert presentation_order(q, 7) == presentation_order(q, 7)
    orders = {presentation_order(q, s) for s in range(30)}
    assert len(orders) > 5


def test_ordering_is_never_shown_already_solved():
    q = make_ordering(n=3)
    for seed in range(200):
        assert presentation_order(q, seed) != (0, 1, 2)


def test_matching_offers_answers_and_distractors():
    q = make_matching()
    assert sorted(presentation_order(q, 1)) == sorted(["service 0", "service 1", "service 2", "service X"])


def test_describe_response_reads_like_the_answer():
    assert describe_response(make_ordering(n=3), (2, 0, 1)) == ["1. step 2", "2. step 0", "3. step 1"]
