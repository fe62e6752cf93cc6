"""The question bank files: finding, parsing and validating them, with a parse cache.

This is the only module that reads question and flashcard files. A file holds
`questions`, `cards` or both. Every problem is collected as a `BankIssue` carrying file,
line and item id, so `aifprep validate` can report all of them at once and other commands
can refuse a broken bank with a precise message.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aifprep import __version__
from aifprep.domains import BY_SLUG
from aifprep.objectives import OBJECTIVES, task_of
from aifprep.model import (
    Choice,
    Distractor,
    Flashcard,
    Matching,
    MultipleChoice,
    Ordering,
    Pair,
    Question,
    SingleChoice,
    Step,
)
from aifprep.services import EMPTY, STATUSES, Catalog, Service, use_catalog

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
PICK_PATTERN = re.compile(r"\b(?:select|choose)\s+(two|three|four|five|six|\d)\b", re.I)
FILE_KEYS = {"domain", "questions", "cases", "cards"}
CARD_KEYS = {"id", "task", "front", "back", "hint", "confused_with", "tags", "references"}
MAX_FRONT = 80  # characters: a term, not a question
MAX_BACK = 420
COMMON_KEYS = {"id", "task", "type", "question", "explanation", "references",
               "difficulty", "tags", "case", "objective", "existing_users"}
SERVICES_FILE = "services.yaml"  # the service catalog, beside the domain files
SERVICE_KEYS = {"name", "aliases", "status", "since", "renamed_to", "instead", "page",
                "checked", "note"}
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TYPE_KEYS = {
    "single": {"options"},
    "multiple": {"options"},
    "ordering": {"items"},
    "matching": {"pairs", "distractors"},
}


@dataclass(frozen=True)
class BankIssue:
    """One problem in a question file, reported as FILE:LINE: ID: message."""

    file: str
    line: int
    qid: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.qid}: {self.message}"


class BankError(Exception):
    """The bank has problems; `issues` lists every one of them."""

    def __init__(self, issues: list[BankIssue]) -> None:
        self.issues = issues
        first = issues[0]
        more = f" (and {len(issues) - 1} more; run 'aifprep validate')" if len(issues) > 1 else ""
        super().__init__(f"broken question file: {first}{more}")


@dataclass(frozen=True)
class FileContent:
    """What one or more files hold: questions, flashcards and the problems found."""

    questions: list[Question] = field(default_factory=list)
    cards: list[Flashcard] = field(default_factory=list)
    issues: list[BankIssue] = field(default_factory=list)
    # Problems a user pack may have but the bundled bank may not (a missing 'why' on an
    # ordering step or a matching pair); `aifprep validate` makes them errors there.
    warnings: list[BankIssue] = field(default_factory=list)


@dataclass(frozen=True)
class Bank:
    """All loaded questions and flashcards, in file order."""

    questions: tuple[Question, ...]
    files: tuple[str, ...] = ()
    cards: tuple[Flashcard, ...] = ()
    catalog: Catalog = EMPTY
    by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    card_by_id: dict[str, Flashcard] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "card_by_id", {c.id: c for c in self.cards})

    def in_domain(self, slug: str) -> list[Question]:
        return [q for q in self.questions if q.domain == slug]


# --- YAML with line numbers -------------------------------------------------------------

class _Node(dict):
    """A YAML mapping that remembers where it and each of its keys stood."""

    line = 0
    key_lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


def _construct_mapping(loader: Any, node: Any) -> _Node:
    loader.flatten_mapping(node)
    result = _Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


@functools.cache
def _line_loader() -> type:
    """A safe YAML loader that records lines; PyYAML is imported only when a file is parsed
    (a cached bank needs no YAML at all)."""
    import yaml

    try:  # the C loader is several times faster; fall back to pure Python where absent
        base = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader
    loader = type("LineLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    return loader


# --- finding files ----------------------------------------------------------------------

def find_question_files(paths: list[Path]) -> tuple[list[Path], list[BankIssue]]:
    """Expand files and folders (recursively) into the YAML files they hold."""
    files: list[Path] = []
    issues: list[BankIssue] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")
                                and p.name != SERVICES_FILE))
        elif path.is_file():
            files.append(path)
        else:
            issues.append(BankIssue(str(path), 0, "-", "no such file or folder"))
    return files, issues


def bundled_files(folder: Path) -> list[Path]:
    """The bundled bank: the question files in the questions folder, then the deck in
    its `flashcards` subfolder."""
    return (sorted(p for p in folder.glob("*.yaml") if p.name != SERVICES_FILE)
            + sorted((folder / "flashcards").glob("*.yaml")))


# --- parsing one file -------------------------------------------------------------------

class _FileChecker:
    """Turns one parsed file into questions, collecting issues instead of stopping."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[BankIssue] = []
        self.warnings: list[BankIssue] = []

    def issue(self, line: int, qid: str, message: str) -> None:
        self.issues.append(BankIssue(self.file, line, qid, message))

    def optional_why(self, node: _Node, qid: str, where: str, what: str) -> str:
        """A 'why' that packs may leave out (a warning) and the bundled bank may not."""
        if node.get("why") is None:
            self.warnings.append(BankIssue(self.file, node.line, qid,
                                           f"warning: missing '{where}why': say why {what} "
                                           "(required in the bundled bank)"))
            return ""
        return self.text(node, "why", qid, where)

    def check_keys(self, node: _Node, allowed: set[str], qid: str, where: str = "") -> None:
        for key, line in node.duplicates:
            self.issue(line, qid, f"key '{where}{key}' appears twice")
        for key in node:
            if key not in allowed:
                hint = _close_match(str(key), allowed)
                self.issue(node.key_lines.get(key, node.line), qid,
                           f"unknown key '{where}{key}'" + (f" (did you mean '{hint}'?)" if hint else ""))

    def text(self, node: _Node, key: str, qid: str, where: str = "", required: bool = True) -> str:
        value = node.get(key)
        line = node.key_lines.get(key, node.line)
        if value is None:
            if required:
                self.issue(line, qid, f"missing '{where}{key}'")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.issue(line, qid, f"'{where}{key}' must be text, got {_kind(value)}")
            return ""
        if not value.strip():
            self.issue(line, qid, f"'{where}{key}' is empty")
        return value.strip()

    def mapping_list(self, node: _Node, key: str, qid: str) -> list[_Node]:
        value = node.get(key)
        line = node.key_lines.get(key, node.line)
        if value is None:
            self.issue(line, qid, f"missing '{key}'")
            return []
        if not isinstance(value, list):
            self.issue(line, qid, f"'{key}' must be a list, got {_kind(value)}")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, _Node):
                good.append(item)
            else:
                self.issue(line, qid, f"'{key}[{i}]' must be a mapping, got {_kind(item)}")
        return good

    def parse_file(self, data: Any) -> tuple[list[Question], list[Flashcard]]:
        if not isinstance(data, _Node):
            self.issue(1, "-", f"a question file must be a mapping with 'domain' and "
                               f"'questions' (or 'cards'), got {_kind(data)}")
            return [], []
        self.check_keys(data, FILE_KEYS, "-")
        domain = data.get("domain")
        if domain not in BY_SLUG:
            valid = ", ".join(BY_SLUG)
            self.issue(data.key_lines.get("domain", data.line), "-",
                       f"'domain' must be one of {valid}, got {domain!r}")
            return [], []
        cases = data.get("cases") or {}
        if not isinstance(cases, dict):
            self.issue(data.key_lines.get("cases", data.line), "-", "'cases' must be a mapping")
            cases = {}
        questions = []
        if "questions" in data or "cards" not in data:
            for node in self.mapping_list(data, "questions", "-"):
                question = self.parse_question(node, domain, cases)
                if question is not None:
                    questions.append(question)
        cards = []
        if "cards" in data:
            for node in self.mapping_list(data, "cards", "-"):
                card = self.parse_card(node, domain)
                if card is not None:
                    cards.append(card)
        return questions, cards

    def parse_card(self, node: _Node, domain: str) -> Flashcard | None:
        before = len(self.issues)
        cid = self.item_id(node)
        self.check_keys(node, CARD_KEYS, cid)
        task = self.task(node, cid, domain)
        front = self.text(node, "front", cid)
        back = self.text(node, "back", cid)
        if len(front) > MAX_FRONT:
            self.issue(node.key_lines.get("front", node.line), cid,
                       f"'front' has {len(front)} characters; a front names a term (at most {MAX_FRONT})")
        if len(back) > MAX_BACK:
            self.issue(node.key_lines.get("back", node.line), cid,
                       f"'back' has {len(back)} characters; keep it to {MAX_BACK} or fewer")
        card = dict(
            id=cid, domain=domain, task=task, front=front, back=" ".join(back.split()),
            hint=self.text(node, "hint", cid, required=False) or None,
            confused_with=self.text(node, "confused_with", cid, required=False) or None,
            references=self.references(node, cid), tags=self.tags(node, cid),
            source=self.file, line=node.line,
        )
        if len(self.issues) > before:
            return None
        return Flashcard(**card)

    def item_id(self, node: _Node) -> str:
        qid = node.get("id")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            self.issue(node.key_lines.get("id", node.line), str(qid or "-"),
                       "'id' must be lowercase letters, digits and dashes ([a-z0-9-]+)")
            return str(qid or "-")
        return qid

    def task(self, node: _Node, qid: str, domain: str) -> str:
        task = self.text(node, "task", qid)
        tasks = BY_SLUG[domain].tasks
        if task and task not in tasks:
            self.issue(node.key_lines.get("task", node.line), qid,
                       f"task {task} is not in domain {domain} (its tasks: {', '.join(tasks)})")
        return task

    def parse_question(self, node: _Node, domain: str, cases: dict) -> Question | None:
        before = len(self.issues)
        qid = self.item_id(node)
        qtype = node.get("type")
        if qtype not in TYPE_KEYS:
            self.issue(node.key_lines.get("type", node.line), qid,
                       f"'type' must be one of {', '.join(TYPE_KEYS)}, got {qtype!r}")
            self.check_keys(node, COMMON_KEYS | set().union(*TYPE_KEYS.values()), qid)
            return None
        self.check_keys(node, COMMON_KEYS | TYPE_KEYS[qtype], qid)

        task = self.task(node, qid, domain)
        stem = self.text(node, "question", qid)
        common = dict(
            id=qid, domain=domain, task=task, stem=stem,
            explanation=self.text(node, "explanation", qid),
            references=self.references(node, qid),
            difficulty=self.difficulty(node, qid),
            tags=self.tags(node, qid),
            objective=self.objective(node, qid, task),
            existing_users=self.flag(node, "existing_users", qid),
            source=self.file, line=node.line,
        )
        case_id = node.get("case")
        if case_id is not None:
            if case_id not in cases:
                self.issue(node.key_lines["case"], qid, f"case {case_id!r} is not in 'cases'")
            else:
                common.update(case_id=str(case_id), case_text=str(cases[case_id]).strip())

        if qtype in ("single", "multiple"):
            options = self.options(node, qid, qtype, stem)
            build = lambda: (SingleChoice if qtype == "single" else MultipleChoice)(
                options=options, **common)
        elif qtype == "ordering":
            steps = self.steps(node, qid)
            build = lambda: Ordering(steps=steps, **common)
        else:
            pairs, distractors = self.pairs(node, qid)
            build = lambda: Matching(pairs=pairs, distractors=distractors, **common)
        if len(self.issues) > before:
            return None
        return build()

    def references(self, node: _Node, qid: str) -> tuple[str, ...]:
        refs = node.get("references")
        line = node.key_lines.get("references", node.line)
        if not isinstance(refs, list) or not refs:
            self.issue(line, qid, "'references' must be a non-empty list")
            return ()
        for ref in refs:
            if not isinstance(ref, str) or not ref.startswith(("reference/", "https://")):
                self.issue(line, qid, f"reference {ref!r} must start with 'reference/' or 'https://'")
        return tuple(str(r) for r in refs)

    def objective(self, node: _Node, qid: str, task: str) -> str | None:
        value = node.get("objective")
        if value is None:
            return None
        line = node.key_lines["objective"]
        if not isinstance(value, str) or value not in OBJECTIVES:
            self.issue(line, qid, f"'objective' must be a v1.1 objective id such as \"2.1.6\", "
                                  f"got {value!r}")
            return None
        if task and task_of(value) != task:
            self.issue(line, qid, f"objective {value} belongs to task {task_of(value)}, not {task}")
        return value

    def flag(self, node: _Node, key: str, qid: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.issue(node.key_lines[key], qid, f"{key!r} must be true or false, got {value!r}")
            return False
        return value

    def difficulty(self, node: _Node, qid: str) -> int | None:
        value = node.get("difficulty")
        if value is None:
            return None
        if isinstance(value, bool) or value not in (1, 2, 3):
            self.issue(node.key_lines["difficulty"], qid, f"'difficulty' must be 1, 2 or 3, got {value!r}")
            return None
        return int(value)

    def tags(self, node: _Node, qid: str) -> tuple[str, ...]:
        value = node.get("tags")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            self.issue(node.key_lines["tags"], qid, "'tags' must be a list of text")
            return ()
        return tuple(value)

    def options(self, node: _Node, qid: str, qtype: str, stem: str) -> tuple[Choice, ...]:
        options = []
        for i, opt in enumerate(self.mapping_list(node, "options", qid)):
            where = f"options[{i}]."
            self.check_keys(opt, {"text", "correct", "why"}, qid, where)
            correct = opt.get("correct")
            if not isinstance(correct, bool):
                self.issue(opt.key_lines.get("correct", opt.line), qid,
                           f"'{where}correct' must be true or false, got {correct!r}")
            options.append(Choice(self.text(opt, "text", qid, where), correct is True,
                                  self.text(opt, "why", qid, where)))
        line = node.key_lines.get("options", node.line)
        n_correct = sum(o.correct for o in options)
        if qtype == "single" and (len(options) != 4 or n_correct != 1):
            self.issue(line, qid, f"a single question needs exactly 4 options with 1 correct; "
                                  f"it has {len(options)} with {n_correct} correct")
        if qtype == "multiple":
            if len(options) < 5 or n_correct < 2 or n_correct == len(options):
                self.issue(line, qid, f"a multiple question needs 5+ options with 2+ correct "
                                      f"and at least one wrong; it has {len(options)} with "
                                      f"{n_correct} correct")
            said = PICK_PATTERN.search(stem)
            if not said:
                self.issue(node.key_lines.get("question", node.line), qid,
                           f"the stem must say how many to pick (e.g. 'Select {_word(n_correct)}.')")
            else:
                word = said.group(1).lower()
                number = COUNT_WORDS.get(word) or int(word)
                if number != n_correct:
                    self.issue(node.key_lines.get("question", node.line), qid,
                               f"the stem says select {word} but {n_correct} options are correct")
        self.no_repeats([o.text for o in options], line, qid, "option")
        return tuple(options)

    def steps(self, node: _Node, qid: str) -> tuple[Step, ...]:
        steps = []
        for i, item in enumerate(self.mapping_list(node, "items", qid)):
            where = f"items[{i}]."
            self.check_keys(item, {"text", "why"}, qid, where)
            steps.append(Step(self.text(item, "text", qid, where),
                              self.optional_why(item, qid, where, "the step sits at its position")))
        line = node.key_lines.get("items", node.line)
        if not 3 <= len(steps) <= 5:
            self.issue(line, qid, f"an ordering question needs 3-5 items; it has {len(steps)}")
        self.no_repeats([s.text for s in steps], line, qid, "item")
        return tuple(steps)

    def pairs(self, node: _Node, qid: str) -> tuple[tuple[Pair, ...], tuple[Distractor, ...]]:
        pairs = []
        for i, item in enumerate(self.mapping_list(node, "pairs", qid)):
            where = f"pairs[{i}]."
            self.check_keys(item, {"prompt", "answer", "why"}, qid, where)
            pairs.append(Pair(self.text(item, "prompt", qid, where),
                              self.text(item, "answer", qid, where),
                              self.optional_why(item, qid, where, "the answer fits the prompt")))
        line = node.key_lines.get("pairs", node.line)
        if not 3 <= len(pairs) <= 7:
            self.issue(line, qid, f"a matching question needs 3-7 pairs; it has {len(pairs)}")
        self.no_repeats([p.prompt for p in pairs], line, qid, "prompt")
        distractors = []
        if "distractors" in node:
            value = node["distractors"]
            line = node.key_lines["distractors"]
            if not isinstance(value, list):
                self.issue(line, qid, f"'distractors' must be a list, got {_kind(value)}")
                value = []
            for i, item in enumerate(value):
                where = f"distractors[{i}]."
                if isinstance(item, str) and item.strip():  # plain text: an answer, no why
                    distractors.append(Distractor(item.strip(), ""))
                    self.warnings.append(BankIssue(self.file, line, qid,
                                                   f"warning: '{where[:-1]}' has no 'why': say why it "
                                                   "matches no prompt (required in the bundled bank)"))
                elif isinstance(item, _Node):
                    self.check_keys(item, {"text", "why"}, qid, where)
                    distractors.append(Distractor(
                        self.text(item, "text", qid, where),
                        self.optional_why(item, qid, where, "it matches no prompt")))
                else:
                    self.issue(line, qid, f"'{where[:-1]}' must be text or a mapping with 'text' "
                                          f"and 'why', got {_kind(item)}")
            answers = {p.answer for p in pairs}
            for d in distractors:
                if d.text in answers:
                    self.issue(node.key_lines["distractors"], qid,
                               f"distractor {d.text!r} is also the answer of a pair")
        return tuple(pairs), tuple(distractors)

    def no_repeats(self, texts: list[str], line: int, qid: str, what: str) -> None:
        seen = set()
        for t in texts:
            if t and t in seen:
                self.issue(line, qid, f"{what} {t!r} appears twice")
            seen.add(t)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", _Node: "a mapping", list: "a list", str: "text",
            bool: "true/false", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _word(n: int) -> str:
    return {v: k for k, v in COUNT_WORDS.items()}.get(n, str(n)).upper()


def _close_match(word: str, allowed: set[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, sorted(allowed), n=1, cutoff=0.75)
    return found[0] if found else None


def parse_file(path: Path, display: str | None = None) -> FileContent:
    """Parse and check one question or flashcard file. Never raises for bad content."""
    name = display or str(path)
    checker = _FileChecker(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return FileContent(issues=[BankIssue(name, 0, "-", f"cannot read: {exc}")])
    import yaml

    try:
        data = yaml.load(text, Loader=_line_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        return FileContent(issues=[BankIssue(name, line, "-", f"invalid YAML: {exc.problem or exc}")])
    except yaml.YAMLError as exc:
        return FileContent(issues=[BankIssue(name, 0, "-", f"invalid YAML: {exc}")])
    questions, cards = checker.parse_file(data)
    return FileContent(questions, cards, checker.issues, checker.warnings)


def check_files(files: list[Path]) -> FileContent:
    """Parse several files and check what spans them (unique question and card ids)."""
    content = FileContent()
    for path in files:
        found = parse_file(path)
        content.questions.extend(found.questions)
        content.cards.extend(found.cards)
        content.issues.extend(found.issues)
        content.warnings.extend(found.warnings)
    for items, what in ((content.questions, "question"), (content.cards, "card")):
        first: dict[str, Question | Flashcard] = {}
        for item in items:
            if item.id in first:
                other = first[item.id]
                content.issues.append(BankIssue(item.source, item.line, item.id,
                                                f"duplicate {what} id (also at {other.source}:{other.line})"))
            else:
                first[item.id] = item
    return content


# --- the service catalog ----------------------------------------------------------------

def parse_catalog(path: Path, display: str | None = None) -> tuple[Catalog, list[BankIssue]]:
    """Parse and check the service catalog (`questions/services.yaml`). Never raises for
    bad content; a missing file is an empty catalog."""
    name = display or str(path)
    if not path.is_file():
        return EMPTY, []
    issues: list[BankIssue] = []

    def issue(line: int, sid: str, message: str) -> None:
        issues.append(BankIssue(name, line, sid, message))

    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_line_loader())  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return EMPTY, [BankIssue(name, 0, "-", f"cannot read the service catalog: {exc}")]
    if not isinstance(data, _Node) or not isinstance(data.get("services"), list):
        return EMPTY, [BankIssue(name, 1, "-", "the service catalog must be a mapping with a "
                                                "'services' list")]
    for key in data:
        if key not in ("services", "not_services"):
            issue(data.key_lines.get(key, 1), "-", f"unknown key '{key}'")
    services: list[Service] = []
    seen: dict[str, int] = {}
    for entry in data["services"]:
        if not isinstance(entry, _Node):
            issue(data.key_lines["services"], "-", "each service must be a mapping")
            continue
        before = len(issues)
        sid = str(entry.get("name") or "-")
        for key in entry:
            if key not in SERVICE_KEYS:
                hint = _close_match(str(key), SERVICE_KEYS)
                issue(entry.key_lines.get(key, entry.line), sid, f"unknown key '{key}'"
                      + (f" (did you mean '{hint}'?)" if hint else ""))
        fields: dict[str, Any] = {}
        for key in ("name", "status", "page", "checked", "since", "renamed_to", "instead", "note"):
            value = entry.get(key)
            if value is None:
                if key in ("name", "status", "page", "checked"):
                    issue(entry.line, sid, f"missing '{key}'")
                continue
            value = str(value).strip()  # YAML may read an unquoted date as a date
            fields[key] = value
        if fields.get("status") and fields["status"] not in STATUSES:
            issue(entry.key_lines["status"], sid, f"'status' must be one of {', '.join(STATUSES)}")
        if fields.get("page") and not fields["page"].startswith("https://"):
            issue(entry.key_lines["page"], sid, "'page' must be an https:// address")
        for key in ("checked", "since"):
            if key in fields and not DATE_PATTERN.match(fields[key]):
                issue(entry.key_lines[key], sid, f"'{key}' must be a date, YYYY-MM-DD")
        if fields.get("status") == "renamed" and not fields.get("renamed_to"):
            issue(entry.line, sid, "a renamed service needs 'renamed_to'")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            issue(entry.key_lines.get("aliases", entry.line), sid, "'aliases' must be a list of names")
            aliases = []
        for known in [fields.get("name", ""), *aliases]:
            if known and known in seen:
                issue(entry.line, sid, f"name {known!r} is already used (line {seen[known]})")
            seen.setdefault(known, entry.line)
        if len(issues) == before:
            services.append(Service(aliases=tuple(a.strip() for a in aliases), **fields))
    extra = data.get("not_services") or []
    if not isinstance(extra, list) or not all(isinstance(n, str) for n in extra):
        issue(data.key_lines.get("not_services", 1), "-", "'not_services' must be a list of names")
        extra = []
    return Catalog(tuple(services), tuple(extra)), issues


# --- loading the bank, with a cache -----------------------------------------------------

def _cache_key(files: list[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def load_bank(bundled: Path, extra: list[Path], cache: Path | None = None) -> Bank:
    """Load the bundled bank plus extra packs; raise BankError if anything is broken.

    With `cache`, a parsed bank is kept there keyed by the files' sizes and times, so the
    YAML is parsed only when a file changes.
    """
    files = bundled_files(bundled)
    more, issues = find_question_files(extra)
    files += more
    if issues:
        raise BankError(issues)
    catalog_file = bundled / SERVICES_FILE
    cache_file = None
    if cache is not None:
        try:
            keyed = files + ([catalog_file] if catalog_file.is_file() else [])
            cache_file = cache / f"bank-{_cache_key(keyed)}.pickle"
            with open(cache_file, "rb") as fh:
                bank = pickle.load(fh)  # noqa: S301 - our own file in the user's cache
            if isinstance(bank, Bank):
                use_catalog(bank.catalog)
                return bank
        except Exception:  # a missing, stale or unreadable cache only costs a re-parse
            pass
    content = check_files(files)
    catalog, catalog_issues = parse_catalog(catalog_file)
    if content.issues or catalog_issues:
        raise BankError(content.issues + catalog_issues)
    bank = Bank(tuple(content.questions), tuple(str(f) for f in files), tuple(content.cards),
                catalog)
    use_catalog(catalog)
    if cache_file is not None:
        _write_cache(cache_file, bank)
    return bank


def _write_cache(cache_file: Path, bank: Bank) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        for old in cache_file.parent.glob("bank-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(bank, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
    except OSError:
        pass  # a read-only cache folder must not stop the quiz
