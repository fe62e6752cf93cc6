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


def test_objective_rows_count_questions_and_types_per_objective():
    from conftest import make_multiple, make_single

    from aifprep.bank import Bank
    from aifprep.report import objective_rows

    bank = Bank((make_single("a", objective="1.1.1"), make_single("b", objective="1.1.1"),
                 make_multiple("c", objective="1.1.3"), make_single("d")))
    rows = {r["objective"]: r for r in objective_rows(bank)}
    assert len(rows) == 69
    assert rows["1.1.1"]["questions"] == 2 and rows["1.1.1"]["types"]["single"] == 2
    assert rows["1.1.3"]["types"] == {"single": 0, "multiple": 1, "ordering": 0, "matching": 0}
    assert rows["2.1.6"]["new"] and not rows["1.1.1"]["new"] and rows["2.1.6"]["task"] == "2.1"


def test_the_objectives_table_fits_80_columns():
    from rich.console import Console

    from aifprep.bank import Bank
    from aifprep.report import objective_rows
    from aifprep.ui.render import objectives_table

    console = Console(width=80, record=True, color_system=None)
    console.print(objectives_table(objective_rows(Bank(())), width=80))
    lines = console.export_text().splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert any(line.startswith("2.1.6*") for line in lines)
    assert all("Mat" in line for line in lines if line.startswith("Obj"))
