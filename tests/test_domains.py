import pytest

from aifprep.domains import DOMAINS, UnknownDomain, exam_allocation, resolve_domain, resolve_task, UnknownTask


@pytest.mark.parametrize("text,slug", [
    ("1", "ai-ml"), ("3", "foundation-models"), ("security", "security"),
    ("sec", "security"), ("f", "foundation-models"), ("GENAI", "genai"), ("resp", "responsible-ai"),
])
def test_domain_accepted_by_number_slug_or_prefix(text, slug):
    assert resolve_domain(text).slug == slug


@pytest.mark.parametrize("text", ["0", "6", "x", "", "ml", "security-x"])
def test_unknown_domain_lists_the_valid_ones(text):
    with pytest.raises(UnknownDomain) as err:
        resolve_domain(text)
    for d in DOMAINS:
        assert d.slug in str(err.value)


def test_exam_allocation_matches_the_blueprint():
    assert exam_allocation(65) == {"ai-ml": 13, "genai": 16, "foundation-models": 18,
                                   "responsible-ai": 9, "security": 9}


@pytest.mark.parametrize("total", [1, 5, 10, 20, 33, 50, 65, 100])
def test_exam_allocation_always_adds_up(total):
    assert sum(exam_allocation(total).values()) == total


def test_task_statements_are_checked():
    assert resolve_task("3.2") == "3.2"
    with pytest.raises(UnknownTask):
        resolve_task("3.9")
