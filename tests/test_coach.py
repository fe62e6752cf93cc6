"""The coach's pure core: confusions, confidence calibration, today's plan."""

from datetime import date, datetime, timedelta, timezone

from aifprep.confidence import calibration, rating_with_confidence
from aifprep.confusions import confusions_in_answer, questions_for_confusions, top_confusions
from aifprep.model import Choice, Matching, Pair, SingleChoice
from aifprep.plan import StudyState, focus_tasks, plan_today
from aifprep.scheduling import Rating

SERVICES = ("Amazon Textract", "Amazon Comprehend", "Amazon Rekognition", "Amazon Polly")


def names(text: str) -> set[str]:
    return {s for s in SERVICES if s in text}


def single(qid="q1") -> SingleChoice:
    return SingleChoice(
        id=qid, domain="ai-ml", task="1.2", stem="Extract text from scanned forms?",
        explanation="", references=("https://example.com",),
        options=(Choice("Amazon Textract", True, ""), Choice("Amazon Comprehend", False, ""),
                 Choice("Amazon Rekognition", False, ""), Choice("Amazon Polly", False, "")))


def test_a_wrong_single_answer_records_chosen_and_right_service():
    assert confusions_in_answer(single(), (1,), names) == [("Amazon Comprehend", "Amazon Textract")]
    assert confusions_in_answer(single(), (0,), names) == []


def test_matching_picks_record_confusions_per_prompt():
    q = Matching(id="m", domain="ai-ml", task="1.2", stem="Match", explanation="",
                 references=("https://example.com",),
                 pairs=(Pair("text from forms", "Amazon Textract", ""),
                        Pair("speech", "Amazon Polly", ""), Pair("faces", "Amazon Rekognition", "")))
    got = confusions_in_answer(q, ("Amazon Rekognition", "Amazon Polly", "Amazon Textract"), names)
    assert got == [("Amazon Rekognition", "Amazon Textract"), ("Amazon Textract", "Amazon Rekognition")]


def test_top_confusions_count_and_rank():
    by_id = {"q1": single("q1"), "q2": single("q2")}
    rows = [("q1", (1,), False), ("q2", (1,), False), ("q1", (2,), False), ("q1", (0,), True)]
    top = top_confusions(rows, by_id, names)
    assert top[0].chosen == "Amazon Comprehend" and top[0].times == 2
    assert "2 times" in top[0].describe()
    assert questions_for_confusions(top[:1], by_id.values(), names) == [by_id["q1"], by_id["q2"]]


def test_sure_but_wrong_answers_are_misconceptions_newest_first():
    rows = [("a", "sure", False, "2026-11-01T10:00:00Z"), ("b", "sure", False, "2026-11-02T10:00:00Z"),
            ("c", "guess", True, "2026-11-02T11:00:00Z"), ("a", "sure", True, "2026-11-03T10:00:00Z")]
    cal = calibration(rows)
    assert cal.misconceptions == ("b",)
    by = {r.level: r for r in cal.rows}
    assert (by["sure"].answered, by["sure"].right) == (3, 1) and by["guess"].accuracy == 1.0


def test_right_but_unsure_or_guessed_is_rated_hard():
    assert rating_with_confidence(True, 20, "sure") == Rating.GOOD
    assert rating_with_confidence(True, 20, "guess") == Rating.HARD
    assert rating_with_confidence(False, 20, "sure") == Rating.AGAIN


NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


def state(**kw) -> StudyState:
    base = dict(cards_due=12, questions_due=5, unseen_cards=200, unseen_questions=300,
                task_estimates={"1.1": 0.9, "3.2": 0.4, "2.1": 0.5, "5.1": 0.45},
                task_evidence={"1.1": 10, "3.2": 10, "2.1": 10, "5.1": 10},
                last_full_mock=None, exam_date=None)
    base.update(kw)
    return StudyState(**base)


def test_without_an_exam_date_the_plan_uses_a_default_budget_and_says_so():
    plan = plan_today(state(), NOW, timezone.utc)
    assert (plan.new_cards, plan.new_questions) == (20, 15)
    assert any("exam date" in n for n in plan.notes)
    assert plan.mock_exam and "baseline" in plan.mock_exam


def test_new_material_is_paced_to_finish_three_days_before_the_exam():
    plan = plan_today(state(exam_date=date(2026, 12, 24)), NOW, timezone.utc)
    assert plan.days_left == 23
    assert plan.new_cards == 10 and plan.new_questions == 15  # 200/20, 300/20


def test_a_mock_exam_is_due_weekly_and_3_to_5_days_before_the_exam():
    today = NOW.date()
    assert plan_today(state(last_full_mock=today - timedelta(days=3)), NOW, timezone.utc).mock_exam is None
    assert "8 days" in plan_today(state(last_full_mock=today - timedelta(days=8)), NOW, timezone.utc).mock_exam
    final = plan_today(state(exam_date=today + timedelta(days=4), last_full_mock=today - timedelta(days=3)),
                       NOW, timezone.utc)
    assert "final" in final.mock_exam
    assert plan_today(state(exam_date=today + timedelta(days=1)), NOW, timezone.utc).mock_exam is None


def test_focus_is_the_most_exam_points_at_stake():
    focus = focus_tasks({"1.1": 0.9, "3.2": 0.4, "2.1": 0.5, "5.1": 0.45})
    # 2.1 has 5 questions on a form at 50% (2.5 lost), 3.2 has 4 at 40% (2.4 lost).
    assert [f.task for f in focus] == ["2.1", "3.2", "5.1"]
    assert round(focus[0].points_at_stake, 2) == 2.5


def test_the_day_is_the_local_day():
    late = datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    plus_two = timezone(timedelta(hours=2))
    assert plan_today(state(), late, plus_two).today == date(2026, 12, 2)


def test_a_long_backlog_of_due_questions_is_spread_over_days():
    plan = plan_today(state(questions_due=366), NOW, timezone.utc)
    assert plan.questions_due == 40
    assert any("366 questions are due" in n for n in plan.notes)
