import pytest

from aifprep.progress import (
    SCHEMA_VERSION, AnswerRecord, Progress, SchemaError, SessionRecord, add_answer, add_session,
    finish_session, from_json, question_history, to_json, utc_now,
)


def answer(n: int, qid: str = "q1", correct: bool = True, at: str = "2026-11-01T10:00:00Z") -> AnswerRecord:
    return AnswerRecord(f"a{n}", qid, at, "quiz", "s1", (1,), correct, 4.5)


def test_json_round_trip_keeps_everything():
    p = Progress((answer(1), answer(2, "q2", False)), (SessionRecord("s1", "quiz", "2026-11-01T10:00:00Z"),),
                 {"future_key": [1, 2]})
    data = to_json(p)
    assert data["schema_version"] == SCHEMA_VERSION
    assert from_json(data) == p


def test_applying_the_same_answer_twice_records_it_once():
    change = add_answer(answer(1))
    assert len(change(change(Progress())).answers) == 1


def test_sessions_are_added_and_finished():
    p = add_session(SessionRecord("s1", "quiz", "2026-11-01T10:00:00Z"))(Progress())
    p = finish_session("s1", utc_now())(p)
    assert p.sessions[0].finished and p.sessions[0].finished.endswith("Z")


@pytest.mark.parametrize("data", [[], {"answers": []}, {"schema_version": 99},
                                  {"schema_version": 1, "answers": [{"id": 1}]}])
def test_unknown_shapes_are_schema_errors(data):
    with pytest.raises(SchemaError):
        from_json(data)


def test_question_history_tracks_the_latest_result():
    p = Progress((answer(1, "q1", True, "2026-11-01T10:00:00Z"),
                  answer(2, "q1", False, "2026-11-02T10:00:00Z"),
                  answer(3, "q2", True, "2026-11-02T11:00:00Z")))
    h = question_history(p)
    assert h["q1"].seen == 2 and h["q1"].right == 1 and not h["q1"].last_correct
    assert h["q2"].last_correct


# --- spaced repetition (schema 3) -----------------------------------------------------------

V2_FILE = {
    "schema_version": 2,
    "answers": [
        {"id": "a1", "question": "q1", "at": "2026-11-01T10:00:00Z", "mode": "quiz",
         "session": "s1", "given": [1], "correct": True, "seconds": 12.0},
        {"id": "a2", "question": "q2", "at": "2026-11-01T10:01:00Z", "mode": "quiz",
         "session": "s1", "given": [0], "correct": False, "seconds": 30.0},
        {"id": "a3", "question": "q1", "at": "2026-11-05T10:00:00Z", "mode": "mock-exam",
         "session": "e1", "given": [1], "correct": True, "seconds": 200.0},
    ],
    "sessions": [{"id": "s1", "mode": "quiz", "started": "2026-11-01T09:59:00Z",
                  "finished": "2026-11-01T10:02:00Z", "label": "all domains"}],
    "exam_in_progress": None,
    "mock_exams": [],
}


def test_a_version_2_file_gains_a_schedule_replayed_from_its_answers():
    from datetime import datetime, timezone

    from aifprep.scheduling import Rating

    progress = from_json(V2_FILE)
    assert [a.id for a in progress.answers] == ["a1", "a2", "a3"]
    assert [(r.item, r.rating) for r in progress.reviews] == [
        ("question:q1", Rating.GOOD), ("question:q2", Rating.AGAIN), ("question:q1", Rating.HARD)]
    assert progress.reviews[0].previous is None and progress.reviews[2].previous is not None
    q1 = progress.schedule["question:q1"]
    assert q1.last_review == datetime(2026, 11, 5, 10, 0, tzinfo=timezone.utc)
    assert q1.due > q1.last_review
    assert progress.schedule["question:q2"].state == "learning"
    assert progress.settings.exam_date is None and progress.settings.retention == 0.9
    assert to_json(progress)["schema_version"] == SCHEMA_VERSION == 3


def test_schedule_reviews_and_settings_survive_a_json_round_trip():
    import json
    from datetime import date, datetime, timezone

    from aifprep.progress import review_item, set_exam_date, set_retention
    from aifprep.scheduling import Rating

    now = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
    p = set_exam_date(date(2026, 12, 15), now)(set_retention(0.85)(Progress()))
    p = review_item("r1", "card:kms", Rating.GOOD, now, "flashcards", 4.2)(p)
    p = review_item("r1", "card:kms", Rating.GOOD, now, "flashcards", 4.2)(p)  # idempotent
    assert len(p.reviews) == 1
    again = from_json(json.loads(json.dumps(to_json(p))))
    assert again.schedule == p.schedule and again.reviews == p.reviews
    assert again.settings.exam_date == date(2026, 12, 15) and again.settings.retention == 0.85


def test_rerating_replaces_the_latest_review_of_an_item():
    from datetime import datetime, timedelta, timezone

    from aifprep.progress import rerate, review_item
    from aifprep.scheduling import Rating

    now = datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
    p = review_item("r1", "question:q1", Rating.EASY, now, "quiz", 4.0, fuzz=False)(Progress())
    easy_due = p.schedule["question:q1"].due
    hard = rerate("r1", Rating.HARD, fuzz=False)(p)
    assert hard.reviews[0].rating == Rating.HARD and hard.schedule["question:q1"].due < easy_due
    later = review_item("r2", "question:q1", Rating.GOOD, now + timedelta(days=1), "quiz", 3.0)(hard)
    assert rerate("r1", Rating.AGAIN)(later) == later  # no longer the latest review


def test_setting_an_exam_date_brings_later_reviews_forward():
    from datetime import date, datetime, timedelta, timezone

    from aifprep.progress import review_item, set_exam_date
    from aifprep.scheduling import Rating

    now = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
    p = review_item("r1", "card:x", Rating.EASY, now, "flashcards", 2.0, fuzz=False)(Progress())
    assert p.schedule["card:x"].due > datetime(2026, 11, 5, tzinfo=timezone.utc)
    capped = set_exam_date(date(2026, 11, 5), now + timedelta(hours=1))(p)
    assert capped.schedule["card:x"].due == datetime(2026, 11, 4, tzinfo=timezone.utc)
    assert set_exam_date(None, now)(capped).settings.exam_date is None
