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
