"""Flashcard sessions: what is shown, what is saved, and --cram saving nothing."""

from datetime import date, datetime, timedelta, timezone

from conftest import make_card

from aifprep.flashcards import QUIT, deck_counts, plan_session, run_session
from aifprep.progress import Progress, review_item, set_exam_date
from aifprep.scheduling import Rating, StudySettings
from aifprep.store import ProgressStore

UTC = timezone.utc
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DECK = [make_card(f"c{i}", domain=("ai-ml", "genai")[i % 2], task=("1.1", "2.1")[i % 2])
        for i in range(30)]


class ScriptedReviewer:
    """Rates cards from a script of Ratings; QUIT quits; 'stop' presses Ctrl-C."""

    def __init__(self, script):
        self.script = list(script)
        self.shown = []
        self.numbers = []

    def show(self, card, number, total, status, reverse, repeat=False):
        self.shown.append((card.id, status))
        self.numbers.append((number, total, repeat))
        if self.script and self.script[0] in (QUIT, "stop"):
            step = self.script.pop(0)
            if step == "stop":
                raise KeyboardInterrupt
            return QUIT
        return "reveal"

    def rate(self, card, reverse, intervals):
        return self.script.pop(0)


class Clock:
    def __init__(self, start=NOW):
        self.now = start

    def __call__(self):
        self.now += timedelta(seconds=5)
        return self.now


def reviewed(progress: Progress, card_id: str, rating=Rating.GOOD, when=NOW) -> Progress:
    return review_item(f"r-{card_id}-{when.isoformat()}", f"card:{card_id}", rating, when,
                       "flashcards", 3.0, UTC, fuzz=False)(progress)


def test_a_new_deck_shows_new_cards_up_to_the_quota_interleaving_domains():
    plan = plan_session(DECK, Progress(), NOW, UTC, new_requested=4)
    assert [c.id for c in plan.cards] == ["c0", "c1", "c2", "c3"] and plan.new == 4
    assert [c.domain for c in plan.cards] == ["ai-ml", "genai", "ai-ml", "genai"]


def test_due_cards_come_first_most_overdue_first_and_limit_caps_the_session():
    p = reviewed(Progress(), "c5", when=NOW - timedelta(days=3))
    p = reviewed(p, "c7", when=NOW - timedelta(days=5))
    plan = plan_session(DECK, p, NOW, UTC, limit=3, new_requested=20)
    assert [c.id for c in plan.cards] == ["c7", "c5", "c0"] and (plan.due, plan.new) == (2, 1)


def test_an_exam_date_raises_the_new_card_pace():
    p = set_exam_date(date(2026, 11, 25), NOW, UTC)(Progress())  # 4 days: 3 intake days
    plan = plan_session(DECK, p, NOW, UTC, new_requested=5)
    assert plan.quota.pace == 10 and plan.new == 10


def test_ratings_are_saved_as_given_and_again_comes_back_in_the_session(tmp_path):
    store = ProgressStore(tmp_path)
    plan = plan_session(DECK, Progress(), NOW, UTC, new_requested=2)
    reviewer = ScriptedReviewer([Rating.AGAIN, Rating.EASY, Rating.GOOD, QUIT])
    result = run_session(plan, reviewer, store, UTC, clock=Clock())
    assert [s for s in reviewer.shown] == [("c0", "new"), ("c1", "new"), ("c0", "learning"),
                                           ("c0", "learning")]
    assert result.reviewed == 3 and result.quit and not result.interrupted
    # Cards are numbered among the different cards; a card shown again is a repeat.
    assert reviewer.numbers == [(1, 2, False), (2, 2, False), (1, 2, True), (1, 2, True)]
    assert (result.cards, result.repeats) == (2, 1)
    saved = ProgressStore(tmp_path).load()
    assert [(r.item, r.rating) for r in saved.reviews] == [
        ("card:c0", Rating.AGAIN), ("card:c1", Rating.EASY), ("card:c0", Rating.GOOD)]
    assert saved.schedule["card:c1"].due > NOW + timedelta(days=1)
    counts = deck_counts(DECK, saved.schedule, NOW + timedelta(minutes=1))
    assert (counts.new, counts.learning + counts.learned) == (28, 2)


def test_cram_leaves_the_schedule_and_the_file_untouched(tmp_path):
    store = ProgressStore(tmp_path)
    progress = store.update(lambda p: reviewed(reviewed(p, "c1"), "c2", Rating.HARD))
    before = (tmp_path / "journal.jsonl").read_bytes()
    plan = plan_session(DECK, progress, NOW + timedelta(days=1), UTC, limit=3, cram=True)
    assert [c.id for c in plan.cards][:2] in (["c2", "c1"], ["c1", "c2"]) and plan.quota is None
    reviewer = ScriptedReviewer([Rating.AGAIN, Rating.GOOD, Rating.EASY, Rating.GOOD])
    result = run_session(plan, reviewer, store, UTC, cram=True, clock=Clock())
    assert result.reviewed == 4 and len(reviewer.shown) == 4  # Again re-queued the first card
    assert (tmp_path / "journal.jsonl").read_bytes() == before
    assert all(status == "cram" for _, status in reviewer.shown)


def test_ctrl_c_keeps_the_ratings_already_given(tmp_path):
    store = ProgressStore(tmp_path)
    plan = plan_session(DECK, Progress(), NOW, UTC, new_requested=3)
    result = run_session(plan, ScriptedReviewer([Rating.GOOD, "stop"]), store, UTC, clock=Clock())
    assert result.interrupted and result.reviewed == 1
    assert list(ProgressStore(tmp_path).load().schedule) == ["card:c0"]


def test_counts_split_due_new_learning_and_learned():
    p = reviewed(Progress(), "c1", Rating.EASY)  # graduates at once
    p = reviewed(p, "c2", Rating.AGAIN)
    counts = deck_counts(DECK, p.schedule, NOW + timedelta(hours=1))
    assert (counts.total, counts.new, counts.learning, counts.learned, counts.due) == (30, 28, 1, 1, 1)
    assert StudySettings().retention == 0.9
