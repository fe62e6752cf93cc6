"""The bank that ships with aifprep must always be valid and balanced."""

from collections import Counter

from aifprep import paths
from aifprep.bank import bundled_files, check_files
from aifprep.domains import DOMAINS


def load():
    return check_files(bundled_files(paths.bundled_questions_dir()))


def test_bundled_bank_has_no_problems():
    _, issues = load()
    assert [str(i) for i in issues] == []


def test_one_file_per_domain():
    names = sorted(p.stem for p in bundled_files(paths.bundled_questions_dir()))
    assert names == sorted(d.slug for d in DOMAINS)


def test_each_domain_has_twenty_questions_of_every_type():
    questions, _ = load()
    for d in DOMAINS:
        mine = [q for q in questions if q.domain == d.slug]
        assert len(mine) >= 20, d.slug
        assert set(Counter(q.kind for q in mine)) == {"single", "multiple", "ordering", "matching"}, d.slug
