from dataclasses import replace

from conftest import make_multiple, make_single

from conftest import make_ordering

from aifprep.lint import (
    absolute_in_distractors_only,
    bank_figures,
    bank_issues,
    bundled_question_issues,
    key_rank_counts,
    longest_key_figure,
    near_duplicate_stems,
    question_issues,
)
from aifprep.model import Choice, SingleChoice


def test_all_of_the_above_is_refused():
    q = make_single()
    q = replace(q, options=q.options[:3] + (Choice("All of the above", False, "no"),))
    assert "all/none of the above" in question_issues([q])[0].message


def test_near_identical_stems_are_found_and_different_ones_are_not():
    base = "A retailer wants to forecast weekly demand for each store using five years of sales history"
    a = make_single("a", stem=base + ". Which approach fits?")
    b = make_single("b", stem=base + ". Which approach fits best?")
    c = make_single("c", stem="Which AWS service converts speech in recorded calls into text for analysis?")
    pairs = near_duplicate_stems([a, b, c])
    assert [(x.id, y.id) for x, y, _ in pairs] == [("a", "b")]
    assert "near-identical to a" in question_issues([a, b, c])[0].message


def test_longest_key_figure_counts_strictly_longest_keys():
    short_key = make_single("s", key=0)
    long_key = replace(short_key, id="l", options=(Choice("a much longer correct option", True, "w"),)
                       + short_key.options[1:])
    tie = replace(short_key, id="t")  # all options the same length: not strictly longest
    figure = longest_key_figure([short_key, long_key, tie, make_multiple()])
    assert (figure.longest, figure.singles) == (1, 3)


def test_bank_rules_report_thin_tasks_and_domains():
    issues = bank_issues([make_single(f"q{i}") for i in range(40)], {})
    text = [i.message for i in issues]
    assert "domain ai-ml has 40 questions; needs at least 130" in text
    assert "task 1.2 has 0 questions; needs at least 40" in text
    assert not any(m.startswith("task 1.1 ") for m in text)


def test_every_objective_needs_five_questions_and_new_ones_eight():
    questions = [make_single(f"a{i}", objective="1.1.1") for i in range(5)]
    questions += [make_single(f"b{i}", task="1.2", objective="1.2.6") for i in range(5)]
    text = [i.message for i in bank_issues(questions, {})]
    assert not any(m.startswith("objective 1.1.1 ") for m in text)
    assert "objective 1.2.6 has 5 questions; needs at least 8" in text
    assert "objective 1.1.2 has 0 questions; needs at least 5" in text


def test_question_type_shares_have_minimums():
    questions = [make_single(f"s{i}") for i in range(80)] + [make_multiple(f"m{i}") for i in range(15)]
    questions += [make_ordering(f"o{i}") for i in range(5)]
    text = [i.message for i in bank_issues(questions, {})]
    assert "15 of 100 questions are multiple (15%); at least 15% needed" not in text
    assert "5 of 100 questions are ordering (5%); at least 6% needed" in text
    assert "0 of 100 questions are matching (0%); at least 6% needed" in text


def _ranked(qid: str, rank: int) -> SingleChoice:
    """A single-answer item whose key has the given length rank (1 longest ... 4 shortest)."""
    lengths = [40, 30, 20, 10]
    key_len = lengths[rank - 1]
    options = [Choice("k" * key_len, True, "w")] + [Choice("d" * n, False, "w")
                                                   for n in lengths if n != key_len]
    return replace(make_single(qid), options=tuple(options))


def test_key_length_ranks_must_each_hold_about_a_quarter():
    even = [_ranked(f"e{r}{i}", r) for r in (1, 2, 3, 4) for i in range(5)]
    assert not [i for i in bank_issues(even, {}) if "length rank" in i.message]
    skewed = even + [_ranked(f"x{i}", 2) for i in range(6)]
    text = [i.message for i in bank_issues(skewed, {}) if "length rank" in i.message]
    assert text == ["the key has length rank 2 (2nd longest) in 11 of 26 single-answer questions "
                    "(42%); each rank needs 18%-32%"]
    assert key_rank_counts(skewed) == {1: 5, 2: 11, 3: 5, 4: 5}


def test_absolute_qualifiers_only_in_distractors_are_capped_at_five_percent():
    plain = [make_single(f"p{i}") for i in range(19)]
    tell = replace(make_single("tell"), options=(Choice("Use a managed service", True, "w"),
                                        Choice("Always retrain nightly", False, "w"),
                                        Choice("Never log prompts", False, "w"),
                                        Choice("Keep one model", False, "w")))
    assert absolute_in_distractors_only(tell)
    assert not [i for i in bank_issues(plain + [tell], {}) if "always/never" in i.message]
    text = [i.message for i in bank_issues(plain[:10] + [tell], {}) if "always/never" in i.message]
    assert text and text[0].startswith("1 of 11 choice questions (9%)") and "tell" in text[0]


def test_bundled_questions_need_an_objective_a_link_and_no_stem_echo():
    echo = replace(make_single("echo", stem="Which option keeps an audit trail of model calls?",
                               objective="1.1.1", references=("https://docs.aws.amazon.com/x.html",)),
                   options=(Choice("Record an audit trail", True, "w"),
                            Choice("Scale the endpoint", False, "w"),
                            Choice("Cache the responses", False, "w"),
                            Choice("Shorten the prompt", False, "w")))
    clean = make_single("clean", objective="1.1.1", references=("https://docs.aws.amazon.com/x.html",))
    bare = make_single("bare")  # no objective, notes reference only
    text = {(i.qid, i.message.split(" (")[0].split(":")[0]) for i in bundled_question_issues([echo, clean, bare])}
    assert ("echo", "the key repeats stem words no distractor has") in text
    assert ("bare", "missing 'objective'") in text
    assert ("bare", "needs at least one https") in text
    assert not any(qid == "clean" for qid, _ in text)


def test_bank_figures_sum_up_the_tells_and_objectives():
    questions = [_ranked("r1", 1), _ranked("r4", 4), make_single("o", objective="2.1.6")]
    figures = bank_figures(questions)
    assert figures.ranks == {1: 2, 2: 0, 3: 0, 4: 1}  # equal lengths rank 1
    assert figures.objectives["2.1.6"] == 1 and len(figures.objectives) == 69
    assert "2.1.6" in figures.objectives_short and figures.choice_items == 3
