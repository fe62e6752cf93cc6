"""Grading answers and shuffling what the candidate sees. Pure functions.

A response is stored in the question's own (file) order so that it stays meaningful
whatever order the options were shown in:
- single / multiple: the indices of the chosen options, sorted;
- ordering: the step indices in the order the candidate put them;
- matching: the answer text chosen for each prompt, in pair order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from aifprep.model import Matching, MultipleChoice, Ordering, Question, SingleChoice

Response = tuple  # tuple[int, ...] or, for matching, tuple[str, ...]


@dataclass(frozen=True)
class Grade:
    correct: bool
    parts_right: int  # options / positions / pairs the candidate got right
    parts_total: int


def grade_answer(question: Question, response: Response) -> Grade:
    """Grade a response: full credit only when every part is right, as on the exam."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        chosen = set(response)
        key = question.key
        right = sum((i in chosen) == (i in key) for i in range(len(question.options)))
        return Grade(chosen == key, right, len(question.options))
    if isinstance(question, Ordering):
        n = len(question.steps)
        right = sum(1 for pos, idx in enumerate(response) if idx == pos)
        return Grade(tuple(response) == tuple(range(n)), right, n)
    if isinstance(question, Matching):
        right = sum(1 for p, a in zip(question.pairs, response) if p.answer == a)
        ok = len(response) == len(question.pairs) and right == len(question.pairs)
        return Grade(ok, right, len(question.pairs))
    raise TypeError(f"unknown question type {type(question).__name__}")


def presentation_order(question: Question, seed: int | str) -> tuple:
    """The shuffled order to show a question's options, steps or answers in.

    Seeded per question so the same seed always shows the same question the same way,
    whatever position it has in a quiz.
    """
    rng = random.Random(f"{seed}:{question.id}")
    if isinstance(question, (SingleChoice, MultipleChoice)):
        order = list(range(len(question.options)))
    elif isinstance(question, Ordering):
        order = list(range(len(question.steps)))
        # Never show the steps already in the right order: that gives the answer away.
        while True:
            rng.shuffle(order)
            if order != sorted(order):
                return tuple(order)
    else:
        order = list(question.answers)
    rng.shuffle(order)
    return tuple(order)


def key_response(question: Question) -> Response:
    """The response that earns full credit (used for display and tests)."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return tuple(sorted(question.key))
    if isinstance(question, Ordering):
        return tuple(range(len(question.steps)))
    return tuple(p.answer for p in question.pairs)


def describe_response(question: Question, response: Response) -> list[str]:
    """The response as the lines of text the candidate chose."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return [question.options[i].text for i in response]
    if isinstance(question, Ordering):
        return [f"{n}. {question.steps[i].text}" for n, i in enumerate(response, 1)]
    return [f"{p.prompt} -> {a}" for p, a in zip(question.pairs, response)]
