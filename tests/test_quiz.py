"""A whole quiz driven by a scripted prompter against a real progress file."""

from conftest import make_matching, make_ordering, make_single

from aifprep.grading import key_response
from aifprep.quiz import QuitQuiz, run_quiz
from aifprep.store import ProgressStore


class ScriptedPrompter:
    """Answers from a script; 'key' gives the right answer, 'stop' presses Ctrl-C, 'quit'
    presses q."""

    def __init__(self, script, unsure=()):
        self.script = list(script)
        self.feedback = []
        self.unsure = set(unsure)  # question ids the user marks as a guess

    def ask(self, question, order, number, total):
        step = self.script.pop(0)
        if step == "stop":
            raise KeyboardInterrupt
        if step == "quit":
            raise QuitQuiz()
        if step == "key":
            return key_response(question)
        return step

    def show_feedback(self, question, order, response, grade):
        self.feedback.append((question.id, grade.correct))
        return question.id in self.unsure


def test_each_answer_is_saved_and_graded(tmp_path):
    store = ProgressStore(tmp_path)
    qs = [make_single("a", key=1), make_ordering("b"), make_matching("c")]
    prompter = ScriptedPrompter(["key", (1, 0, 2, 3), "key"])
    result = run_quiz(qs, prompter, store, seed=1, label="test")
    assert prompter.feedback == [("a", True), ("b", False), ("c", True)]
    assert (result.correct, len(result.answered), result.interrupted) == (2, 3, False)
    saved = ProgressStore(tmp_path).load()
    assert [(a.question, a.correct) for a in saved.answers] == [("a", True), ("b", False), ("c", True)]
    assert saved.answers[1].given == (1, 0, 2, 3)
    assert saved.sessions[0].finished and saved.sessions[0].label == "test"
    assert result.missed[0].id == "b" and result.by_task() == {"1.1": (2, 3)}


def test_ctrl_c_keeps_what_was_answered(tmp_path):
    store = ProgressStore(tmp_path)
    qs = [make_single("a"), make_single("b"), make_single("c")]
    result = run_quiz(qs, ScriptedPrompter(["key", "stop"]), store, seed=1)
    assert result.interrupted and len(result.answered) == 1 and result.planned == 3
    saved = ProgressStore(tmp_path).load()
    assert [a.question for a in saved.answers] == ["a"]
    assert saved.sessions[0].finished


def test_q_ends_the_quiz_early_without_counting_as_an_interruption(tmp_path):
    store = ProgressStore(tmp_path)
    qs = [make_single("a"), make_single("b"), make_single("c")]
    result = run_quiz(qs, ScriptedPrompter(["key", "quit"]), store, seed=1)
    assert result.quit and not result.interrupted and len(result.answered) == 1
    assert ProgressStore(tmp_path).load().sessions[0].finished


def test_draw_with_a_seed_is_reproducible_and_without_one_prefers_unlearned():
    from aifprep.progress import QuestionHistory
    from aifprep.quiz import draw_quiz
    from aifprep.selection import QuizFilter

    bank = tuple(make_single(f"q{i}") for i in range(20))
    first, seed = draw_quiz(bank, {}, QuizFilter(), 5, seed=9)
    again, _ = draw_quiz(bank, {"q1": QuestionHistory(1, 1, True, "2026-11-01T00:00:00Z")},
                         QuizFilter(), 5, seed=9)
    assert seed == 9 and [q.id for q in first] == [q.id for q in again]
    known = {f"q{i}": QuestionHistory(1, 1, True, "2026-11-01T00:00:00Z") for i in range(18)}
    drawn, new_seed = draw_quiz(bank, known, QuizFilter(), 2, seed=None, entropy=lambda: 77)
    assert {q.id for q in drawn} == {"q18", "q19"} and new_seed == 77


def test_answers_schedule_their_questions_with_fsrs(tmp_path):
    from aifprep.scheduling import Rating

    store = ProgressStore(tmp_path)
    qs = [make_single("a", key=1), make_ordering("b"), make_single("c", key=2)]
    times = iter([0.0, 5.0, 10.0, 15.0, 20.0, 200.0])  # c takes 180 s: slow, so Hard
    run_quiz(qs, ScriptedPrompter(["key", (1, 0, 2, 3), "key"]), store, seed=1,
             timer=lambda: next(times))
    saved = ProgressStore(tmp_path).load()
    assert [(r.item, r.rating, r.mode) for r in saved.reviews] == [
        ("question:a", Rating.GOOD, "quiz"), ("question:b", Rating.AGAIN, "quiz"),
        ("question:c", Rating.HARD, "quiz")]
    assert saved.reviews[0].id == saved.answers[0].id
    assert saved.schedule["question:b"].due < saved.schedule["question:a"].due


def test_a_right_answer_marked_as_a_guess_counts_as_hard(tmp_path):
    from aifprep.scheduling import Rating

    store = ProgressStore(tmp_path)
    qs = [make_single("a", key=1), make_single("b", key=1)]
    run_quiz(qs, ScriptedPrompter(["key", "key"], unsure={"a"}), store, seed=1)
    saved = ProgressStore(tmp_path).load()
    assert [r.rating for r in saved.reviews] == [Rating.HARD, Rating.GOOD]
    assert saved.schedule["question:a"].due < saved.schedule["question:b"].due


def test_due_questions_come_first_and_due_filter_keeps_only_them():
    from datetime import datetime, timedelta, timezone

    from aifprep.progress import QuestionHistory
    from aifprep.quiz import draw_quiz
    from aifprep.selection import QuizFilter

    now = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
    bank = tuple(make_single(f"q{i}") for i in range(6))
    seen = QuestionHistory(1, 1, True, "2026-11-01T00:00:00Z")
    history = {"q1": seen, "q2": seen, "q3": seen}
    dues = {"q1": now + timedelta(days=2), "q2": now - timedelta(hours=1),
            "q3": now - timedelta(days=3)}
    drawn, _ = draw_quiz(bank, history, QuizFilter(), 4, None, entropy=lambda: 1, due=dues, now=now)
    assert [q.id for q in drawn[:2]] == ["q3", "q2"] and "q1" not in [q.id for q in drawn]
    only_due, _ = draw_quiz(bank, history, QuizFilter(due=True), 10, None, due=dues, now=now)
    assert sorted(q.id for q in only_due) == ["q2", "q3"]
