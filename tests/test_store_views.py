"""The coach and stats read the store's views; they must say what the full history says."""

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from aifprep import paths
from aifprep.bank import load_bank
from aifprep.coach import report
from aifprep.coach_json import report_json
from aifprep.exam import MockExamRecord
from aifprep.grading import key_response
from aifprep.history import counted, exclude, include, undo_last
from aifprep.model import MultipleChoice, SingleChoice
from aifprep.progress import AnswerRecord, SessionRecord, iso
from aifprep.records import (
    answer_action,
    finish_session_action,
    review_action,
    session_action,
    settings_action,
)
from aifprep.scheduling import Rating, rating_for_answer
from aifprep.stats import stats_json, summarize
from aifprep.store import ProgressStore
from aifprep.views import Snapshot

NOW = datetime(2026, 11, 29, 18, tzinfo=timezone.utc)
TZ = timezone(timedelta(hours=5, minutes=45))  # a zone a quarter hour off the hour


@pytest.fixture(scope="module")
def bank():
    return load_bank(paths.bundled_questions_dir(), [], cache=None)


def wrong_response(q, rng):
    if isinstance(q, SingleChoice):
        return (rng.choice([i for i, o in enumerate(q.options) if not o.correct]),)
    if isinstance(q, MultipleChoice):
        wrong = [i for i, o in enumerate(q.options) if not o.correct]
        return tuple(sorted(rng.sample(wrong, min(q.picks, len(wrong)))))
    return tuple(reversed(key_response(q)))


def study(store: ProgressStore, bank, rng: random.Random, days: int = 30) -> None:
    """A month of quizzes (with confidence), flashcards and mock exams, as the store records them."""
    questions = list(bank.questions)[:120]
    cards = list(bank.cards)[:60]
    n = 0
    for day in range(days):
        start = NOW - timedelta(days=days - day, hours=rng.randrange(12))
        sid = f"s{day}"
        store.record(session_action(SessionRecord(sid, "quiz", iso(start))))
        for i in range(rng.randrange(3, 12)):
            q = rng.choice(questions)
            right = rng.random() < 0.6
            confidence = rng.choice(["sure", "unsure", "guess", None])
            a = AnswerRecord(f"a{n}", q.id, iso(start + timedelta(minutes=i)), "quiz", sid,
                             tuple(key_response(q)) if right else wrong_response(q, rng), right,
                             rng.uniform(5, 120), confidence)
            store.record(answer_action(a, rating_for_answer(right, a.seconds)))
            n += 1
        store.record(finish_session_action(sid, start + timedelta(minutes=20)))
        for i in range(rng.randrange(0, 6)):
            store.record(review_action(f"r{n}-{i}", f"card:{rng.choice(cards).id}",
                                       Rating(rng.randrange(1, 5)),
                                       start + timedelta(hours=1, minutes=i), "flashcards", 4.0))
        if day % 10 == 9:
            exam_questions = rng.sample(questions, 65 if day == 19 else 10)
            eid = f"e{day}"
            finished = start + timedelta(hours=2)
            store.record(session_action(SessionRecord(eid, "mock-exam", iso(start), label="x")))
            answers = tuple(
                AnswerRecord(f"{eid}-{k}", q.id, iso(finished), "mock-exam", eid,
                             key_response(q) if k % 3 else wrong_response(q, rng), k % 3 != 0,
                             float(rng.randrange(20, 140)))
                for k, q in enumerate(exam_questions))
            correct = sum(a.correct for a in answers)
            record = MockExamRecord(eid, iso(start), iso(finished), 90.0, "pause", 1, "x",
                                    tuple(q.id for q in exam_questions),
                                    tuple(a.given for a in answers), (False,) * len(answers),
                                    tuple(a.seconds for a in answers), 3000.0, False, correct,
                                    len(answers), 100 + 900 * correct // len(answers),
                                    correct * 10 >= 7 * len(answers), {"ai-ml": (correct, len(answers))})
            store.finish_exam(record, answers, timezone.utc)
    store.record(settings_action(exam_date=date(2026, 12, 20), now=NOW))


def same(store: ProgressStore, bank) -> None:
    fast = ProgressStore(store.folder).snapshot()
    full = ProgressStore(store.folder).load()
    expected = report_json(report(full, bank, NOW, TZ))
    assert report_json(report(fast, bank, NOW, TZ)) == expected
    assert report_json(report(fast, bank, NOW, TZ)) == expected  # past weeks from the memo
    assert stats_json(summarize(counted(fast), bank, now=NOW, tz=TZ)) == \
        stats_json(summarize(counted(full), bank, now=NOW, tz=TZ))
    assert fast.views == Snapshot.from_progress(full).views


def test_the_coach_and_stats_from_views_match_the_full_history(tmp_path, bank):
    store = ProgressStore(tmp_path)
    study(store, bank, random.Random(5))
    full = store.load()
    assert any(a.confidence == "sure" and not a.correct for a in full.answers)
    coach = report_json(report(store.snapshot(), bank, NOW, TZ))
    assert coach["calibration"]["sure_but_wrong"] and coach["streak"] >= 1
    assert len(coach_history(store)) >= 3
    same(store, bank)


def coach_history(store) -> list[str]:
    """The past-week forecast points kept with the views by a command that ended."""
    store.close()  # the memo is saved with the views checkpoint
    return [k for k in ProgressStore(store.folder).snapshot().views.memo if k.startswith("forecast|")]


def test_practice_runs_leave_the_views_and_come_back(tmp_path, bank):
    store = ProgressStore(tmp_path)
    study(store, bank, random.Random(6), days=12)
    before = stats_json(summarize(store.snapshot(), bank, now=NOW, tz=TZ))
    store.update(lambda p: exclude(p, "s3"))
    store.update(lambda p: exclude(p, "e9"))
    after = stats_json(summarize(store.snapshot(), bank, now=NOW, tz=TZ))
    assert after["answered"] < before["answered"] and len(after["mock_exams"]) == 0
    same(store, bank)
    store.update(lambda p: include(p, "s3"))
    store.update(lambda p: include(p, "e9"))
    assert stats_json(summarize(store.snapshot(), bank, now=NOW, tz=TZ)) == before
    same(store, bank)


def test_a_change_that_removes_history_writes_a_new_journal(tmp_path, bank):
    store = ProgressStore(tmp_path)
    study(store, bank, random.Random(7), days=3)
    old_id = store.journal.header()["id"]
    before = store.load()
    after = store.update(lambda p: undo_last(p, timezone.utc)[0])
    assert len(after.answers) + len(after.reviews) < len(before.answers) + len(before.reviews)
    assert store.journal.header()["id"] != old_id
    assert ProgressStore(tmp_path).load() == after
    same(store, bank)
    store.record(review_action("late", "card:x", Rating.GOOD, NOW, "flashcards", 2.0))
    assert ProgressStore(tmp_path).load().reviews[-1].id == "late"
