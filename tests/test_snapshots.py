"""Snapshots of every full-screen view at 80x24 and 120x40, kept as plain text files in
tests/snapshots/. The screens are laid out by `Screen.compose`, the same function the
terminal shows, from fixed questions, a fixed seed and a fixed clock.

After a deliberate change of a screen, rewrite the files with
`AIFPREP_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aifprep.exam import ExamState
from aifprep.grading import grade_answer, presentation_order
from aifprep.mock import grade_exam, set_response, toggle_flag
from aifprep.model import (
    Choice,
    Distractor,
    Flashcard,
    Matching,
    MultipleChoice,
    Ordering,
    Pair,
    SingleChoice,
    Step,
)
from aifprep.scheduling import Rating
from aifprep.ui.answer_pad import AnswerPad
from aifprep.ui.exam_screen import ExamScreenApp
from aifprep.ui.flashcard_screen import FlashcardScreen
from aifprep.ui.quiz_screen import QuizScreen
from aifprep.ui.result_screen import ResultScreen
from aifprep.ui.walkthrough_screen import PagerScreen

SNAPSHOTS = Path(__file__).parent / "snapshots"
SIZES = [(80, 24), (120, 40)]
SEED = 7
URL = "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html"


def common(qid, **kw):
    return dict(id=qid, domain="security", task="5.1",
                explanation=("Indirect prompt injection hides instructions in content an agent "
                             "reads (emails, web pages, documents). Defenses are layered: detect "
                             "attacks in input, give tools only the permissions they need, and "
                             "keep a human in the loop for high-impact actions."),
                references=(URL, "reference/exam-notes-aif-c01.txt#Security"), **kw)


SINGLE = SingleChoice(stem="Which service creates and controls the keys that encrypt a "
                           "team's training data in Amazon S3?",
                      options=(Choice("AWS Key Management Service (AWS KMS)", True,
                                      "KMS creates and controls encryption keys."),
                               Choice("Amazon Macie", False, "Macie finds sensitive data."),
                               Choice("AWS Artifact", False, "Artifact provides reports."),
                               Choice("Amazon Inspector", False, "Inspector scans for "
                                      "vulnerabilities.")), **common("snap-single"))
MULTIPLE = MultipleChoice(
    stem=("A company's agent on Amazon Bedrock reads customer emails and can call tools that "
          "issue refunds and update account records. Testers showed that an email with hidden "
          "instructions made the agent issue an unapproved refund. Which measures MOST "
          "directly reduce this risk? Select TWO."),
    options=tuple(Choice(text, ok, why) for text, ok, why in [
        ("Screen the content the agent processes with a guardrail that has the prompt attack "
         "filter enabled", True, "The prompt attack filter detects instructions designed to "
         "override the developer's intent before the model acts on them."),
        ("Increase the model's temperature so that its behavior becomes harder for an "
         "attacker to predict and exploit", False, "More randomness does not make the model "
         "ignore injected instructions and makes behavior less reliable."),
        ("Enable model invocation logging so that every injected instruction is recorded for "
         "review", False, "Logging helps investigation afterwards but prevents nothing."),
        ("Encrypt the email archive at rest with a customer managed AWS KMS key that only the "
         "agent's role can use", False, "Encryption at rest protects stored emails, not the "
         "agent from their content."),
        ("Limit the refund tool's permissions and require human approval for refunds above a "
         "set amount", True, "Least privilege and a human in the loop cap the damage an "
         "injected instruction can do."),
    ]), **common("snap-multiple"))
ORDERING = Ordering(stem="Put the steps of adapting a foundation model to a new task in order.",
                    steps=tuple(Step(t, f"Why {t.lower()} comes here.") for t in [
                        "Select a foundation model that fits the task",
                        "Prepare labeled examples of the task",
                        "Fine-tune the selected model on the examples",
                        "Evaluate the tuned model against acceptance criteria",
                        "Deploy the model behind the application"]), **common("snap-ordering"))
MATCHING = Matching(
    stem="Match each evaluation need to the metric that fits it best.",
    pairs=(Pair("How much of a reference summary's content appears in a generated summary",
                "ROUGE", "ROUGE is recall-oriented n-gram overlap."),
           Pair("How closely a machine translation matches the n-grams of reference "
                "translations", "BLEU", "BLEU is precision-oriented n-gram overlap."),
           Pair("Whether a generated answer means the same as a reference, even when worded "
                "differently", "BERTScore", "BERTScore compares contextual embeddings."),
           Pair("How far numeric forecasts are from the actual values", "Root mean squared "
                "error (RMSE)", "RMSE measures the error of numeric predictions.")),
    distractors=(Distractor("AUC-ROC", "It evaluates binary classifiers."),),
    **common("snap-matching"))
QUESTIONS = {q.id: q for q in (SINGLE, MULTIPLE, ORDERING, MATCHING)}
CARD = Flashcard(id="snap-card", domain="security", task="5.1", front="AWS KMS",
                 back="Creates and controls the keys that encrypt data, with every use logged.",
                 references=(URL,), hint="Keys.",
                 confused_with="Amazon Macie: finds sensitive data; it holds no keys.")


def check(name: str, screen) -> None:
    for width, height in SIZES:
        text = screen.render_text(width, height)
        lines = text.split("\n")
        assert len(lines) == height and all(len(line) <= width for line in lines), name
        path = SNAPSHOTS / f"{name}-{width}x{height}.txt"
        if os.environ.get("AIFPREP_UPDATE_SNAPSHOTS"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text + "\n", encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text + "\n", f"{path.name} changed"


@pytest.fixture(autouse=True)
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def quiz_question(q, keys: str = "") -> QuizScreen:
    screen = QuizScreen()
    screen.question, screen.number, screen.total = q, 3, 10
    screen.answered, screen.correct = 2, 1
    screen.pad = AnswerPad(q, presentation_order(q, SEED))
    for key in keys:
        screen.pad.choose(int(key) - 1)
    screen.message = screen.pad.message
    return screen


@pytest.mark.parametrize("q,keys", [(SINGLE, "2"), (MULTIPLE, "13"), (ORDERING, "24"),
                                    (MATCHING, "31")])
def test_quiz_question(q, keys):
    check(f"quiz-{q.kind}", quiz_question(q, keys))


def test_quiz_refused_third_tick():
    check("quiz-third-tick", quiz_question(MULTIPLE, "134"))


def test_quiz_feedback_after_a_wrong_multiple_response_answer():
    screen = quiz_question(MULTIPLE)
    order = presentation_order(MULTIPLE, SEED)
    response = tuple(sorted(i for i in order if not MULTIPLE.options[i].correct)[:2])
    screen.response, screen.order = response, order
    screen.grade = grade_answer(MULTIPLE, response)
    screen._reset("feedback")
    check("quiz-feedback", screen)
    screen.scroll(10**6)
    check("quiz-feedback-end", screen)


def test_quiz_keys():
    screen = quiz_question(SINGLE)
    screen.show_help = True
    check("quiz-keys", screen)


def exam_state() -> ExamState:
    ids = tuple(QUESTIONS)
    state = ExamState(id="snap", started="2026-11-29T20:00:00Z", seed=SEED, minutes=6.0,
                      clock="pause", label="4 questions", questions=ids,
                      responses=(None,) * 4, flags=(False,) * 4, seconds=(30.0,) * 4,
                      position=3, elapsed=95.0)
    state = set_response(state, 0, (presentation_order(SINGLE, SEED)[1],))
    return toggle_flag(state, 1)


def exam_screen(mode: str = "question") -> ExamScreenApp:
    screen = ExamScreenApp(timer=lambda: 0.0)
    screen.start(exam_state(), QUESTIONS, lambda s: s)
    screen.mode = mode
    return screen


def test_exam_matching_question_with_items_below_the_fold():
    check("exam-matching", exam_screen())


def test_exam_review_and_confirm():
    check("exam-review", exam_screen("review"))
    screen = exam_screen("confirm")
    screen.back_to = "question"
    check("exam-confirm", screen)


def exam_result():
    state = exam_state()
    return grade_exam(state.id, state.started, "2026-11-29T20:05:00Z", state.minutes, 300.0,
                      False, state.questions, state.responses, state.flags, state.seconds,
                      QUESTIONS)


def test_result_screen():
    check("result", ResultScreen(exam_result()))


def test_walk_through_page():
    pager = PagerScreen(exam_result(), SEED)
    check("pager", pager)
    pager._filter("unanswered")
    check("pager-unanswered", pager)


def test_flashcard_front_and_rating():
    screen = FlashcardScreen()
    screen.card, screen.number, screen.total = CARD, 2, 8
    screen.status, screen.reverse, screen.repeat = "new", False, False
    check("cards-front", screen)
    screen.mode, screen.intervals = "rate", {Rating.AGAIN: "1m", Rating.HARD: "6m",
                                             Rating.GOOD: "10m", Rating.EASY: "8d"}
    check("cards-rate", screen)
