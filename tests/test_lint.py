from dataclasses import replace

from conftest import make_multiple, make_single

from aifprep.lint import bank_issues, longest_key_figure, near_duplicate_stems, question_issues
from aifprep.model import Choice


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
    issues = bank_issues([make_single(f"q{i}") for i in range(12)], {})
    text = [i.message for i in issues]
    assert "domain ai-ml has 12 questions; needs at least 80" in text
    assert "task 1.2 has 0 questions; needs at least 12" in text
    assert not any("task 1.1" in m for m in text)
