"""FSRS scheduling with a fixed clock: Good moves a card into the future, Again brings it
back soon, the exam date caps every interval, new cards are paced to the exam."""

from datetime import date, datetime, timedelta, timezone

import pytest

from aifprep.scheduling import (
    Rating,
    StudySettings,
    day_start,
    describe_interval,
    due_forecast,
    exam_cap,
    fsrs_card_id,
    new_quota,
    preview,
    rating_for_answer,
    retrievability,
    review,
)

UTC = timezone.utc
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
NO_EXAM = StudySettings()
KEY = "card:textract"


def good_streak(n: int, settings=NO_EXAM, start=NOW):
    """Review a new card Good n times, each time when it falls due."""
    memory, when = None, start
    for _ in range(n):
        memory = review(KEY, memory, Rating.GOOD, when, settings, UTC, fuzz=False)
        when = max(memory.due, when)
    return memory


def test_good_on_a_new_card_schedules_it_in_the_future():
    memory = review(KEY, None, Rating.GOOD, NOW, NO_EXAM, UTC, fuzz=False)
    assert memory.due > NOW and memory.last_review == NOW
    assert memory.stability and memory.stability > 0


def test_again_brings_a_card_back_within_minutes_and_good_goes_further():
    learned = good_streak(3)
    assert learned.learned and learned.due - learned.last_review >= timedelta(days=2)
    when = learned.due
    again = review(KEY, learned, Rating.AGAIN, when, NO_EXAM, UTC, fuzz=False)
    good = review(KEY, learned, Rating.GOOD, when, NO_EXAM, UTC, fuzz=False)
    assert again.state == "relearning" and again.due - when <= timedelta(minutes=10)
    assert good.due - when > learned.due - learned.last_review  # the interval grows


def test_ratings_order_the_next_interval():
    learned = good_streak(3)
    intervals = preview(KEY, learned, learned.due, NO_EXAM, UTC)
    assert intervals[Rating.AGAIN] < intervals[Rating.HARD] < intervals[Rating.GOOD] < intervals[Rating.EASY]


def test_the_exam_date_caps_every_interval():
    exam = StudySettings(exam_date=date(2026, 12, 1))
    eve, exam_day = day_start(date(2026, 11, 30), UTC), day_start(date(2026, 12, 1), UTC)
    assert good_streak(4).due > eve  # without an exam date it would be due after the exam
    memory, when, reviews = None, NOW, 0
    while when < eve:  # review every time the card falls due, Easy to stretch the intervals
        memory = review(KEY, memory, Rating.EASY, when, exam, UTC, fuzz=False)
        assert memory.due <= eve
        when, reviews = max(memory.due, when + timedelta(minutes=1)), reviews + 1
    assert reviews >= 2 and memory.due == eve  # the last review lands on the eve
    last = review(KEY, memory, Rating.EASY, eve, exam, UTC)
    assert last.due == exam_day


def test_the_cap_holds_with_fuzzed_intervals_too():
    exam = StudySettings(exam_date=date(2026, 12, 1))
    eve = day_start(date(2026, 11, 30), UTC)
    for _ in range(50):
        memory = good_streak(1)
        for rating in (Rating.GOOD, Rating.EASY, Rating.HARD):
            assert review(KEY, memory, rating, NOW + timedelta(days=1), exam, UTC).due <= eve


def test_cap_on_the_eve_is_the_exam_morning_and_gone_after_the_exam():
    exam = StudySettings(exam_date=date(2026, 12, 1))
    on_eve = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    assert exam_cap(exam, on_eve, UTC) == day_start(date(2026, 12, 1), UTC)
    after = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert exam_cap(exam, after, UTC) is None
    assert exam_cap(NO_EXAM, NOW, UTC) is None


def test_the_cap_uses_the_local_day():
    tokyo = timezone(timedelta(hours=9))
    exam = StudySettings(exam_date=date(2026, 12, 1))
    # midnight starting 30 Nov in Tokyo is 15:00 UTC on 29 Nov
    assert exam_cap(exam, NOW, tokyo) == datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


def test_retrievability_falls_with_time_and_is_zero_for_new_items():
    memory = good_streak(3)
    soon = retrievability(memory, memory.last_review + timedelta(days=1))
    later = retrievability(memory, memory.last_review + timedelta(days=60))
    assert 1 >= soon > later > 0
    assert retrievability(None, NOW) == 0.0


def test_quiz_answers_map_to_ratings():
    assert rating_for_answer(False, 3) == Rating.AGAIN
    assert rating_for_answer(True, 20) == Rating.GOOD
    assert rating_for_answer(True, 200) == Rating.HARD
    assert rating_for_answer(True, 20, unsure=True) == Rating.HARD


def test_new_cards_are_paced_to_see_every_card_twice_before_the_exam():
    exam = StudySettings(exam_date=date(2026, 12, 1))  # 10 days left
    quota = new_quota(unseen=360, introduced_today=0, requested=20, explicit=False,
                      settings=exam, now=NOW, tz=UTC)
    assert quota.pace == 40 and quota.limit == 40  # 360 cards over the 9 intake days
    assert new_quota(360, 30, 20, False, exam, NOW, UTC).limit == 20  # 10 more needed today
    explicit = new_quota(360, 0, 5, True, exam, NOW, UTC)
    assert explicit.limit == 5 and "40 new cards a day" in explicit.warning
    assert new_quota(360, 0, 20, False, NO_EXAM, NOW, UTC) == new_quota(360, 0, 20, True, NO_EXAM, NOW, UTC)
    assert new_quota(3, 0, 20, False, NO_EXAM, NOW, UTC).limit == 3


def test_forecast_counts_items_per_local_day_with_overdue_today():
    dues = [NOW - timedelta(days=3), NOW + timedelta(hours=1), NOW + timedelta(days=2),
            NOW + timedelta(days=20)]
    forecast = due_forecast(dues, NOW, UTC)
    assert len(forecast) == 14 and forecast[0] == (date(2026, 11, 21), 2)
    assert forecast[2] == (date(2026, 11, 23), 1) and sum(n for _, n in forecast) == 3


def test_card_ids_are_derived_from_stable_ids():
    assert fsrs_card_id("card:textract") == fsrs_card_id("card:textract")
    assert fsrs_card_id("card:textract") != fsrs_card_id("question:textract")


@pytest.mark.parametrize("delta,text", [(timedelta(seconds=30), "<1m"), (timedelta(minutes=10), "10m"),
                                        (timedelta(hours=5), "5h"), (timedelta(days=3), "3d"),
                                        (timedelta(days=90), "3mo"), (timedelta(days=800), "2.2y")])
def test_intervals_read_short(delta, text):
    assert describe_interval(delta) == text
