"""The service catalog: which AWS services and features exist, and which of them AWS has
closed to new customers, retired or renamed. Pure data and matching, no I/O.

`questions/services.yaml` holds the catalog; `bank.py` parses it. One entry per service
means one place to change when AWS changes availability: `validate` and every
availability note shown to learners are built from it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from aifprep.model import Flashcard, Matching, MultipleChoice, Ordering, Question, SingleChoice

AVAILABLE, CLOSED, RETIRED, RENAMED = "available", "closed", "retired", "renamed"
STATUSES = (AVAILABLE, CLOSED, RETIRED, RENAMED)

# "Amazon Bedrock Knowledge Bases", "AWS Glue DataBrew": Amazon/AWS and the capitalised
# words after it. Lower-case words ("for", "and") and punctuation end a name.
_BRAND_NAME = re.compile(r"(?<![\w-])(?:Amazon|AWS)(?: [A-Z0-9][\w-]*)+")


@dataclass(frozen=True)
class Service:
    """One AWS service or feature and its availability, as checked on `page`."""

    name: str
    status: str  # available | closed | retired | renamed
    page: str  # the https AWS page that says so
    checked: str  # the day the page was read, YYYY-MM-DD
    aliases: tuple[str, ...] = ()
    since: str | None = None  # the day it closed, retired or was renamed, if AWS says
    renamed_to: str | None = None
    instead: str | None = None  # what AWS points new customers to
    note: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"{self.name}: status must be one of {', '.join(STATUSES)}")
        if self.status == RENAMED and not self.renamed_to:
            raise ValueError(f"{self.name}: a renamed service needs 'renamed_to'")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def restricted(self) -> bool:
        """Closed to new customers or retired: never the answer for a new build."""
        return self.status in (CLOSED, RETIRED)

    def availability_note(self) -> str | None:
        """One line for learners, or None for a service that is simply available."""
        since = f" (since {self.since})" if self.since else ""
        if self.status == CLOSED:
            line = f"{self.name} is closed to new customers{since}; existing customers can keep using it"
        elif self.status == RETIRED:
            line = f"{self.name} was retired{' on ' + self.since if self.since else ''}"
        elif self.status == RENAMED:
            line = f"{self.name} is now {self.renamed_to}{' (renamed ' + self.since + ')' if self.since else ''}"
        else:
            return None
        if self.instead and self.status != RENAMED:
            line += f". AWS points new customers to {self.instead}"
        return line + "."


@dataclass(frozen=True)
class Catalog:
    """Every service the bank may name, plus phrases that look like names but are not."""

    services: tuple[Service, ...] = ()
    not_services: tuple[str, ...] = ()
    by_name: dict[str, Service] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {n: s for s in self.services for n in s.names})

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        names = sorted(self.by_name, key=len, reverse=True)  # longest first wins at a position
        if not names:
            return None
        return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")

    def mentions(self, text: str) -> list[tuple[int, Service]]:
        """(position, service) for every name in `text`, case-sensitive, longest match first."""
        if self._pattern is None:
            return []
        return [(start, service) for start, _, service in self._spans(text)]

    def _spans(self, text: str) -> list[tuple[int, int, Service]]:
        if self._pattern is None:
            return []
        text = " ".join(text.split())  # a name may be wrapped over two YAML lines
        return [(m.start(), m.end(), self.by_name[m.group()]) for m in self._pattern.finditer(text)]

    def named_in(self, *texts: str) -> list[Service]:
        """The services the texts name, each once, in order of first mention."""
        found: dict[str, Service] = {}
        for text in texts:
            for _, service in self.mentions(text):
                found.setdefault(service.name, service)
        return list(found.values())

    def notes(self, *texts: str) -> list[str]:
        """The availability note of every closed, retired or renamed service the texts name."""
        return [n for s in self.named_in(*texts) if (n := s.availability_note())]

    def unknown_names(self, text: str) -> list[str]:
        """'Amazon …'/'AWS …' names in `text` that no catalog entry (or exception) starts."""
        text = " ".join(text.split())
        spans = [(start, end) for start, end, _ in self._spans(text)]
        ignored = {" ".join(n.split()) for n in self.not_services}
        unknown = []
        for m in _BRAND_NAME.finditer(text):
            if any(start <= m.start() < end for start, end in spans):
                continue  # a catalog name covers it ("Policy in Amazon Bedrock AgentCore")
            name = " ".join(m.group().split())
            if any(name == n or name.startswith(n + " ") for n in ignored):
                continue
            unknown.append(name)
        return unknown


EMPTY = Catalog()
_current: list[Catalog] = [EMPTY]


def use_catalog(catalog: Catalog) -> None:
    """Make `catalog` the one availability notes are built from (`load_bank` calls it)."""
    _current[0] = catalog


def current_catalog() -> Catalog:
    """The catalog of the bank loaded last (empty before any bank is loaded)."""
    return _current[0]


def question_texts(q: Question) -> list[str]:
    """Everything a learner reads in a question: scenario, stem, options, whys, explanation."""
    texts = [q.case_text or "", q.stem]
    if isinstance(q, (SingleChoice, MultipleChoice)):
        texts += [t for o in q.options for t in (o.text, o.why)]
    elif isinstance(q, Ordering):
        texts += [t for s in q.steps for t in (s.text, s.why)]
    elif isinstance(q, Matching):
        texts += [t for p in q.pairs for t in (p.prompt, p.answer, p.why)]
        texts += [t for d in q.distractors for t in (d.text, d.why)]
    return texts + [q.explanation]


def card_texts(card: Flashcard) -> list[str]:
    return [card.front, card.back, card.confused_with or "", card.hint or ""]
