"""The question model: one frozen dataclass per question type, joined as `Question`.

Pure data, no I/O. Invariants that the bank loader reports with file and line are
re-checked here on construction so that no malformed question can exist at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Union


@dataclass(frozen=True)
class Choice:
    """An option of a single- or multiple-answer question."""

    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Step:
    """A step of an ordering question (questions list steps in the correct order)."""

    text: str
    why: str = ""  # optional in user packs, required in the bundled bank


@dataclass(frozen=True)
class Pair:
    """A prompt of a matching question and the answer that belongs to it."""

    prompt: str
    answer: str
    why: str = ""


@dataclass(frozen=True)
class Distractor:
    """An extra answer of a matching question that matches no prompt."""

    text: str
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class QuestionBase:
    id: str
    domain: str
    task: str
    stem: str
    explanation: str
    references: tuple[str, ...]
    difficulty: int | None = None
    tags: tuple[str, ...] = ()
    objective: str | None = None  # v1.1 objective id, e.g. "2.1.6"
    existing_users: bool = False  # about customers already using a service now closed to new ones
    case_id: str | None = None
    case_text: str | None = None
    source: str = ""  # file the question came from
    line: int = 0  # line of the question in that file

    kind: ClassVar[str] = ""

    @property
    def parts(self) -> int:
        """How many answer parts the question has (options, steps or prompts)."""
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class SingleChoice(QuestionBase):
    options: tuple[Choice, ...]
    kind: ClassVar[str] = "single"

    def __post_init__(self) -> None:
        if len(self.options) != 4 or sum(o.correct for o in self.options) != 1:
            raise ValueError(f"{self.id}: single needs 4 options with exactly 1 correct")

    @property
    def key(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    @property
    def parts(self) -> int:
        return len(self.options)


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(QuestionBase):
    options: tuple[Choice, ...]
    kind: ClassVar[str] = "multiple"

    def __post_init__(self) -> None:
        if len(self.options) < 5 or sum(o.correct for o in self.options) < 2:
            raise ValueError(f"{self.id}: multiple needs 5+ options with 2+ correct")

    @property
    def key(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    @property
    def picks(self) -> int:
        """How many options the candidate must select."""
        return len(self.key)

    @property
    def parts(self) -> int:
        return len(self.options)


@dataclass(frozen=True, kw_only=True)
class Ordering(QuestionBase):
    steps: tuple[Step, ...]  # in the correct order
    kind: ClassVar[str] = "ordering"

    def __post_init__(self) -> None:
        if not 3 <= len(self.steps) <= 5:
            raise ValueError(f"{self.id}: ordering needs 3-5 steps")

    @property
    def parts(self) -> int:
        return len(self.steps)


@dataclass(frozen=True, kw_only=True)
class Matching(QuestionBase):
    pairs: tuple[Pair, ...]  # in the correct pairing
    distractors: tuple[Distractor, ...] = field(default=())
    kind: ClassVar[str] = "matching"

    def __post_init__(self) -> None:
        if not 3 <= len(self.pairs) <= 7:
            raise ValueError(f"{self.id}: matching needs 3-7 pairs")

    @property
    def answers(self) -> tuple[str, ...]:
        """Every answer on offer (pair answers once each, then distractors)."""
        seen = dict.fromkeys(p.answer for p in self.pairs)
        seen.update(dict.fromkeys(d.text for d in self.distractors))
        return tuple(seen)

    def why_of(self, answer: str) -> str:
        """The explanation attached to an answer on offer."""
        for d in self.distractors:
            if d.text == answer:
                return d.why
        return next(p.why for p in self.pairs if p.answer == answer)

    @property
    def parts(self) -> int:
        return len(self.pairs)


Question = Union[SingleChoice, MultipleChoice, Ordering, Matching]

QUESTION_TYPES: dict[str, type] = {
    cls.kind: cls for cls in (SingleChoice, MultipleChoice, Ordering, Matching)
}


@dataclass(frozen=True, kw_only=True)
class Flashcard:
    """A flashcard: a term on the front, what it is (and what it is not) on the back."""

    id: str
    domain: str
    task: str
    front: str
    back: str
    references: tuple[str, ...]
    hint: str | None = None
    confused_with: str | None = None  # "Other thing: how it differs"
    tags: tuple[str, ...] = ()
    source: str = ""
    line: int = 0
