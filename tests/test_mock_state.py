"""The exam in progress and finished exams in the progress file: save, load, migrate, finish."""

import json
from datetime import datetime, timezone

from conftest import make_matching, make_multiple, make_ordering, make_single

from aifprep.exam_session import INTERRUPTED, SUBMITTED, TIMED_OUT, begin, sit
from aifprep.exam import CLOCK_PAUSE
from aifprep.grading import key_response
from aifprep.mock import (
    abandon_exam,
    answer_records,
    exam_record,
    finish_exam,
    grade_state,
    new_exam,
    save_exam,
    set_response,
    spend,
    start_exam,
    toggle_flag,
)
from aifprep.progress import SCHEMA_VERSION, Progress, from_json, question_history, to_json
from aifprep.selection import QuizFilter, filter_questions
from aifprep.store import ProgressStore

NOW = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)
QUESTIONS = [make_single("s1"), make_multiple("m1", domain="genai", task="2.2"),
             make_ordering("o1", domain="security", task="5.1"),
             make_matching("x1", domain="security", task="5.2")]
BY_ID = {q.id: q for q in QUESTIONS}

V1_FILE = {
    "schema_version": 1,
    "answers": [{"id": "a1", "question": "s1", "at": "2026-10-01T09:00:00Z", "mode": "quiz",
                 "session": "q1", "given": [0], "correct": True, "seconds": 4.0}],
    "sessions": [{"id": "q1", "mode": "quiz", "started": "2026-10-01T08:59:00Z",
                  "finished": "2026-10-01T09:01:00Z", "label": "all domains"}],
}


def exam():
    return new_exam("e1", QUESTIONS, 5, 6.0, CLOCK_PAUSE, "4 questions", NOW)


def sat_exam():
    """An exam with two right answers, one wrong, one unanswered and a flag."""
    state = set_response(exam(), 0, key_response(QUESTIONS[0]))
    state = set_response(state, 1, (1, 3))
    state = set_response(state, 3, key_response(QUESTIONS[3]))
    return spend(toggle_flag(state, 1), 42)


def test_a_version_1_file_on_disk_is_migrated_to_the_journal_and_kept(tmp_path):
    raw = json.dumps(V1_FILE).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert len(store.notices) == 1 and "progress.json.v1-backup" in store.notices[0]
    assert (tmp_path / "progress.json.v1-backup").read_bytes() == raw
    assert not (tmp_path / "progress.json").exists()
    assert progress.exam is None and progress.mock_exams == ()
    assert [a.id for a in progress.answers] == ["a1"] and progress.sessions[0].label == "all domains"
    store.update(start_exam(exam()))
    assert json.loads((tmp_path / "exam.json").read_text())["exam"]["id"] == "e1"
    again = ProgressStore(tmp_path).load()
    assert again.exam == exam() and again.mock_exams == ()
    assert to_json(again)["answers"] == V1_FILE["answers"]
    assert to_json(again)["schema_version"] == SCHEMA_VERSION


def test_exam_state_and_finished_exams_survive_a_json_round_trip():
    state = sat_exam()
    result = grade_state(state, BY_ID, NOW, timed_out=False)
    progress = Progress(exam=state, mock_exams=(exam_record(state, result),))
    assert from_json(json.loads(json.dumps(to_json(progress)))) == progress


def test_the_exam_is_saved_and_loaded_with_answers_flags_position_and_time(tmp_path):
    store = ProgressStore(tmp_path)
    store.update(start_exam(exam()))
    state = sat_exam()
    store.update(save_exam(state))
    loaded = ProgressStore(tmp_path).load()
    assert loaded.exam == state
    assert loaded.sessions[0].mode == "mock-exam" and loaded.sessions[0].id == "e1"


def test_finishing_records_the_exam_its_answers_and_clears_it():
    state = sat_exam()
    result = grade_state(state, BY_ID, NOW, timed_out=False)
    change = finish_exam(exam_record(state, result), answer_records(result))
    progress = change(change(start_exam(state)(Progress())))  # twice: recorded once
    assert progress.exam is None and len(progress.mock_exams) == 1
    record = progress.mock_exams[0]
    assert (record.correct, record.total, record.scaled, record.passed) == (2, 4, 550, False)
    assert record.domains == {"ai-ml": (1, 1), "genai": (0, 1), "security": (1, 2)}
    # the unanswered question counts as wrong in the exam's score, and is no answer anywhere else
    assert [a.mode for a in progress.answers] == ["mock-exam"] * 3
    assert [a.correct for a in progress.answers] == [True, False, True]
    assert len(progress.reviews) == 3 and "question:o1" not in progress.schedule
    assert progress.sessions[0].finished
    # a late save of the same exam does not bring it back
    assert save_exam(state)(progress).exam is None


def test_wrong_mock_exam_answers_feed_quiz_missed_and_unanswered_ones_stay_new():
    state = sat_exam()
    result = grade_state(state, BY_ID, NOW, timed_out=True)
    progress = finish_exam(exam_record(state, result), answer_records(result))(Progress())
    history = question_history(progress)
    assert [q.id for q in filter_questions(QUESTIONS, QuizFilter(missed=True), history)] == ["m1"]
    assert [q.id for q in filter_questions(QUESTIONS, QuizFilter(new=True), history)] == ["o1"]


def test_abandoning_discards_the_exam_and_closes_its_session():
    progress = abandon_exam("e1", NOW)(start_exam(exam())(Progress()))
    assert progress.exam is None and progress.mock_exams == ()
    assert progress.sessions[0].finished and progress.sessions[0].label.endswith("(abandoned)")


class ScriptedScreen:
    """Answers some questions, saving after each, then ends the sitting as told."""

    def __init__(self, answers: dict[int, tuple], outcome: str) -> None:
        self.answers, self.outcome = answers, outcome

    def run(self, state, by_id, save):
        for index, response in self.answers.items():
            state = save(spend(set_response(state, index, response), 10))
        return state, self.outcome


def test_a_sitting_saves_every_action_and_a_paused_exam_can_be_resumed(tmp_path):
    store = ProgressStore(tmp_path)
    state = begin(store, exam())
    sitting = sit(store, state, BY_ID, ScriptedScreen({0: (1,), 2: (0, 1)}, INTERRUPTED),
                  clock=lambda: NOW)
    assert sitting.result is None
    saved = store.load().exam
    assert saved.responses[:3] == ((1,), None, (0, 1)) and saved.elapsed == 20
    sitting = sit(store, saved, BY_ID, ScriptedScreen({1: (0, 2)}, SUBMITTED), clock=lambda: NOW)
    assert sitting.result.correct == 1  # only m1's (0, 2) is the key
    progress = store.load()
    assert progress.exam is None and progress.mock_exams[0].elapsed == 30


def test_an_exam_out_of_time_when_reopened_submits_itself(tmp_path):
    store = ProgressStore(tmp_path)
    state = begin(store, spend(exam(), 10_000))
    sitting = sit(store, state, BY_ID, ScriptedScreen({}, SUBMITTED), clock=lambda: NOW)
    assert sitting.outcome == TIMED_OUT and sitting.result.timed_out
    assert store.load().mock_exams[0].timed_out


def test_stats_show_mock_exams_and_the_score_trend():
    from aifprep.bank import Bank
    from aifprep.stats import stats_json, summarize

    progress = Progress()
    for n, right in enumerate([1, 3]):
        state = new_exam(f"e{n}", QUESTIONS, 5, 6.0, CLOCK_PAUSE, "", NOW)
        for i in range(right):
            state = set_response(state, i, key_response(QUESTIONS[i]))
        when = NOW.replace(hour=11 + n)
        result = grade_state(state, BY_ID, when, timed_out=False)
        progress = finish_exam(exam_record(state, result), answer_records(result))(progress)
    data = stats_json(summarize(progress, Bank(tuple(QUESTIONS))))
    assert [m["scaled"] for m in data["mock_exams"]] == [325, 775]
    assert data["mock_exams"][1] == {
        "started": "2026-11-01T10:00:00Z", "finished": "2026-11-01T12:00:00Z", "scaled": 775,
        "passed": True, "correct": 3, "total": 4, "full_length": False,
        "domains": {"ai-ml": {"correct": 1, "total": 1}, "genai": {"correct": 1, "total": 1},
                    "security": {"correct": 1, "total": 2}}}
    assert data["mock_exam_trend"] == {
        "full_length": {"scores": [], "latest": None, "best": None, "change": None},
        "short": {"scores": [325, 775], "latest": 775, "best": 775, "change": 450}}
