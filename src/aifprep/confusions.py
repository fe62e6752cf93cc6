"""Which AWS services the candidate mixes up. Pure functions over questions and answers.

A confusion is recorded when a wrong answer picked an option naming one service where the
key named another: "chose Amazon Comprehend when it was Amazon Textract". Services are
found in option text by a `names` function (the service catalog's matcher), passed in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from aifprep.model import Matching, MultipleChoice, Question, SingleChoice

NameServices = Callable[[str], "set[str] | frozenset[str]"]


@dataclass(frozen=True)
class Confusion:
    chosen: str  # the service the candidate picked
    right: str  # the service the key named
    times: int

    def describe(self) -> str:
        return (f"you chose {self.chosen} when it was {self.right}: "
                f"{self.times} time{'s' if self.times != 1 else ''}")


def confusions_in_answer(question: Question, given: tuple, names: NameServices) -> list[tuple[str, str]]:
    """The (chosen service, right service) pairs one wrong answer reveals."""
    wrong_texts: list[str] = []
    right_texts: list[str] = []
    if isinstance(question, (SingleChoice, MultipleChoice)):
        chosen = {i for i in given if isinstance(i, int) and 0 <= i < len(question.options)}
        wrong_texts = [question.options[i].text for i in sorted(chosen - question.key)]
        right_texts = [question.options[i].text for i in sorted(question.key - chosen)]
        return _pairs(wrong_texts, right_texts, names)
    if isinstance(question, Matching):
        pairs = []
        for pair, answer in zip(question.pairs, given):
            if isinstance(answer, str) and answer != pair.answer:
                pairs += _pairs([answer], [pair.answer], names)
        return pairs
    return []


def _pairs(wrong_texts: list[str], right_texts: list[str], names: NameServices) -> list[tuple[str, str]]:
    chosen = set().union(*(names(t) for t in wrong_texts)) if wrong_texts else set()
    right = set().union(*(names(t) for t in right_texts)) if right_texts else set()
    # A service named on both sides is not what was confused.
    return [(c, r) for c in sorted(chosen - right) for r in sorted(right - chosen)]


def top_confusions(answers: Iterable[tuple[str, tuple, bool]], by_id: dict[str, Question],
                   names: NameServices, limit: int = 5) -> tuple[Confusion, ...]:
    """The most frequent confusions over (question id, given, correct) rows."""
    counts: Counter = Counter()
    for question_id, given, correct in answers:
        q = by_id.get(question_id)
        if q is None or correct:
            continue
        counts.update(confusions_in_answer(q, given, names))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Confusion(c, r, n) for (c, r), n in ranked[:limit])


def questions_for_confusions(confusions: Iterable[Confusion], questions: Iterable[Question],
                             names: NameServices) -> list[Question]:
    """Questions where a confused pair stands as key and distractor (either way round)."""
    wanted = {frozenset((c.chosen, c.right)) for c in confusions}
    out = []
    for q in questions:
        if not isinstance(q, (SingleChoice, MultipleChoice)):
            continue
        keys = set().union(*(names(o.text) for o in q.options if o.correct))
        others = set().union(*(names(o.text) for o in q.options if not o.correct))
        if any(frozenset((k, o)) in wanted for k in keys for o in others if k != o):
            out.append(q)
    return out
