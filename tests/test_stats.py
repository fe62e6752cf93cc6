from conftest import make_single

from aifprep.bank import Bank
from aifprep.progress import AnswerRecord, Progress, SessionRecord
from aifprep.stats import stats_json, summarize

BANK = Bank((make_single("a1"), make_single("a2"), make_single("g1", domain="genai", task="2.1"),
             make_single("s1", domain="security", task="5.1")))


def ans(n, qid, correct, session="s1"):
    return AnswerRecord(f"r{n}", qid, f"2026-11-01T10:00:0{n}Z", "quiz", session, (0,), correct, 3.0)


def test_summary_counts_per_domain_and_overall():
    progress = Progress(
        (ans(1, "a1", True), ans(2, "a1", False), ans(3, "g1", True), ans(4, "gone", True)),
        (SessionRecord("s1", "quiz", "2026-11-01T10:00:00Z", label="all domains"),),
    )
    stats = summarize(progress, BANK)
    assert (stats.answered, stats.correct, stats.seen, stats.total) == (4, 3, 2, 4)
    ai = stats.domains[0]
    assert (ai.slug, ai.answered, ai.correct, ai.seen, ai.known, ai.total) == ("ai-ml", 2, 1, 1, 0, 2)
    data = stats_json(stats)
    assert data["domains"]["genai"] == {**data["domains"]["genai"], "answered": 1, "correct": 1,
                                        "seen": 1, "total": 1}
    assert data["sessions"][0]["answered"] == 4


def test_readiness_weights_domains_like_the_exam():
    progress = Progress((ans(1, "g1", True),))
    stats = summarize(progress, BANK)
    # only genai (24%) fully known, of the three domains with questions (20+24+14 = 58%)
    assert abs(stats.readiness - 0.24 / 0.58) < 1e-9


def test_weakest_tasks_need_enough_answers():
    progress = Progress(tuple(ans(i, "a1", i == 0) for i in range(3)) + (ans(5, "g1", False),))
    stats = summarize(progress, BANK)
    assert [t.task for t in stats.weakest_tasks] == ["1.1"]
