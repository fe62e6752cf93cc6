"""A whole quiz driven by a scripted prompter against a real progress file."""

from conftest import make_matching, make_ordering, make_single

from aifprep.grading import key_response
from aifprep.quiz import run_quiz
from aifprep.store import ProgressStore


class ScriptedPrompter:
    """Answers from a script; 'key' gives the right answer, 'stop' presses Ctrl-C."""

    def __init__(self, script):
        self.script = list(script)
        self.feedback = []

    def ask(self, question, order, number, total):
        step = self.script.pop(0)
        if step == "stop":
            raise KeyboardInterrupt
        if step == "key":
            return key_response(question)
        return step

    def show_feedback(self, question, order, response, grade):
        self.feedback.append((question.id, grade.correct))


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
