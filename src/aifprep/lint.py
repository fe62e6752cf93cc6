"""Quality rules for a question bank, beyond the format. Pure functions over questions.

Per-question rules apply to every pack; bank-level rules (coverage of every task
statement and objective, question types, option-length and wording tells, links) apply to
the bundled bank, which must meet the exam's balance. The service catalog rules apply to
every pack: a key must not recommend a closed service (an error), and an 'Amazon …' name
the catalog does not know is a warning.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from aifprep.bank import BankIssue
from aifprep.domains import DOMAINS
from aifprep.model import Flashcard, Matching, MultipleChoice, Question, SingleChoice
from aifprep.objectives import NEW_IN_V1_1, OBJECTIVES
from aifprep.services import RENAMED, Catalog, card_texts, question_texts

NEAR_DUPLICATE_SIMILARITY = 0.45  # Jaccard similarity of word trigrams between two stems
MAX_LONGEST_KEY_SHARE = 0.35  # of single-answer items whose key is the strictly longest option
RANK_SHARE, RANK_TOLERANCE = 0.25, 0.07  # each key length rank in 25% +/- 7% of single items
MAX_ABSOLUTE_SHARE = 0.05  # of choice items with always/never/must/only in distractors only
MIN_PER_TASK = 40
MIN_PER_DOMAIN = {"ai-ml": 130, "genai": 156, "foundation-models": 182,
                  "responsible-ai": 91, "security": 91}
MIN_PER_OBJECTIVE, MIN_PER_NEW_OBJECTIVE = 5, 8
MIN_TYPE_SHARE = {"multiple": 0.15, "ordering": 0.06, "matching": 0.06}
MIN_DECK = 300
MIN_CARDS_PER_TASK = 8
CARD_KINDS = ("service", "concept")  # the first tag of a bundled card
BANNED_OPTIONS = re.compile(r"\b(all|none|both|neither) of the (above|options|answers)\b", re.I)


@dataclass(frozen=True)
class LongestKeyFigure:
    longest: int  # single-answer items whose key is the strictly longest option
    singles: int

    @property
    def share(self) -> float:
        return self.longest / self.singles if self.singles else 0.0


def question_issues(questions: list[Question]) -> list[BankIssue]:
    """Rules every pack must follow: no 'all/none of the above', no near-identical stems."""
    issues = []
    for q in questions:
        if isinstance(q, (SingleChoice, MultipleChoice)):
            for opt in q.options:
                if BANNED_OPTIONS.search(opt.text):
                    issues.append(BankIssue(q.source, q.line, q.id,
                                            f"option {opt.text!r}: no 'all/none of the above' options"))
    for a, b, similarity in near_duplicate_stems(questions):
        issues.append(BankIssue(b.source, b.line, b.id,
                                f"stem is near-identical to {a.id} ({a.source}:{a.line}; "
                                f"{similarity:.0%} alike)"))
    return issues


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def near_duplicate_stems(questions: list[Question]) -> list[tuple[Question, Question, float]]:
    """Pairs of questions whose stems share most of their word trigrams."""
    grams = [_trigrams(q.stem) for q in questions]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        for gram in g:
            index[gram].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in index.values():
        if len(members) > 50:  # boilerplate phrases ("which solution meets") say nothing
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                shared[(members[x], members[y])] += 1
    pairs = []
    for (i, j), common in shared.items():
        union = len(grams[i]) + len(grams[j]) - common
        similarity = common / union if union else 0.0
        if similarity >= NEAR_DUPLICATE_SIMILARITY:
            pairs.append((questions[i], questions[j], similarity))
    return pairs


def longest_key_figure(questions: list[Question]) -> LongestKeyFigure:
    """How often a single-answer key is the strictly longest option (a tell if common)."""
    singles = [q for q in questions if isinstance(q, SingleChoice)]
    longest = 0
    for q in singles:
        key_len = max(len(o.text) for o in q.options if o.correct)
        if all(len(o.text) < key_len for o in q.options if not o.correct):
            longest += 1
    return LongestKeyFigure(longest, len(singles))


def bank_issues(questions: list[Question], where: dict[str, str]) -> list[BankIssue]:
    """Rules for the bundled bank as a whole: coverage of every domain, task statement and
    objective, the share of each question type, and the option tells over the bank.

    `where` maps a domain slug to its file, so issues point at the right file.
    """
    issues = []
    per_task = Counter(q.task for q in questions)
    per_domain = Counter(q.domain for q in questions)
    per_objective = Counter(q.objective for q in questions if q.objective)
    for d in DOMAINS:
        file = where.get(d.slug, f"questions/{d.slug}.yaml")
        if per_domain[d.slug] < MIN_PER_DOMAIN[d.slug]:
            issues.append(BankIssue(file, 1, "-", f"domain {d.slug} has {per_domain[d.slug]} "
                                                  f"questions; needs at least {MIN_PER_DOMAIN[d.slug]}"))
        for task in d.tasks:
            if per_task[task] < MIN_PER_TASK:
                issues.append(BankIssue(file, 1, "-", f"task {task} has {per_task[task]} "
                                                      f"questions; needs at least {MIN_PER_TASK}"))
            for objective in (o for o in OBJECTIVES if o.rsplit(".", 1)[0] == task):
                need = MIN_PER_NEW_OBJECTIVE if objective in NEW_IN_V1_1 else MIN_PER_OBJECTIVE
                if per_objective[objective] < need:
                    issues.append(BankIssue(file, 1, "-", f"objective {objective} has "
                                                          f"{per_objective[objective]} questions; "
                                                          f"needs at least {need}"))
    kinds = Counter(q.kind for q in questions)
    for kind, share in MIN_TYPE_SHARE.items():
        if questions and kinds[kind] < share * len(questions):
            issues.append(BankIssue("questions/", 0, "-",
                                    f"{kinds[kind]} of {len(questions)} questions are {kind} "
                                    f"({kinds[kind] / len(questions):.0%}); at least {share:.0%} needed"))
    figure = longest_key_figure(questions)
    if figure.share > MAX_LONGEST_KEY_SHARE:
        issues.append(BankIssue("questions/", 0, "-",
                                f"the key is the strictly longest option in {figure.share:.0%} of "
                                f"single-answer questions; at most {MAX_LONGEST_KEY_SHARE:.0%} allowed"))
    ranks = key_rank_counts(questions)
    singles = sum(ranks.values())
    for rank, count in ranks.items():
        share = count / singles if singles else 0.0
        if singles and abs(share - RANK_SHARE) > RANK_TOLERANCE:
            issues.append(BankIssue("questions/", 0, "-",
                                    f"the key has length rank {rank} ({RANK_NAMES[rank]}) in "
                                    f"{count} of {singles} single-answer questions ({share:.0%}); "
                                    f"each rank needs {RANK_SHARE - RANK_TOLERANCE:.0%}-"
                                    f"{RANK_SHARE + RANK_TOLERANCE:.0%}"))
    choice = [q for q in questions if isinstance(q, (SingleChoice, MultipleChoice))]
    absolute = [q for q in choice if absolute_in_distractors_only(q)]
    if choice and len(absolute) > MAX_ABSOLUTE_SHARE * len(choice):
        issues.append(BankIssue("questions/", 0, "-",
                                f"{len(absolute)} of {len(choice)} choice questions "
                                f"({len(absolute) / len(choice):.0%}) say always/never/must/only in "
                                f"distractors but not in the key; at most "
                                f"{MAX_ABSOLUTE_SHARE:.0%} allowed ({', '.join(q.id for q in absolute[:5])}"
                                f"{', ...' if len(absolute) > 5 else ''})"))
    return issues


def bundled_question_issues(questions: list[Question]) -> list[BankIssue]:
    """Per-question rules for the bundled bank: an objective, a public link, no stem echo."""
    issues = []
    for q in questions:
        if not q.objective:
            issues.append(BankIssue(q.source, q.line, q.id,
                                    "missing 'objective' (a v1.1 objective id such as \"2.1.6\"; "
                                    "required in the bundled bank)"))
        if not any(r.startswith("https://") for r in q.references):
            issues.append(BankIssue(q.source, q.line, q.id, NEEDS_LINK))
        if isinstance(q, (SingleChoice, MultipleChoice)):
            echo = stem_echo(q)
            if echo:
                issues.append(BankIssue(q.source, q.line, q.id,
                                        f"the key repeats stem words no distractor has: "
                                        f"{', '.join(sorted(echo))}"))
    return issues


NEEDS_LINK = ("needs at least one https:// reference to a public page (a reference/ notes "
              "citation may stay as an extra)")


# --- the service catalog ------------------------------------------------------------------

def key_texts(q: Question) -> list[str]:
    """The answer a question rewards: its correct options, or its matching answers."""
    if isinstance(q, (SingleChoice, MultipleChoice)):
        return [o.text for o in q.options if o.correct]
    if isinstance(q, Matching):
        return [p.answer for p in q.pairs]
    return []


def catalog_issues(questions: list[Question], cards: list[Flashcard],
                   catalog: Catalog) -> tuple[list[BankIssue], list[BankIssue]]:
    """(errors, warnings). Error: a key names a service that is closed to new customers or
    retired, unless the item is about existing users. Warning: an 'Amazon …'/'AWS …' name
    the catalog does not know, or a service named by its former name."""
    errors: list[BankIssue] = []
    warnings: list[BankIssue] = []
    if not catalog.services:
        return errors, warnings
    for q in questions:
        if not q.existing_users:
            for service in catalog.named_in(*key_texts(q)):
                if service.restricted:
                    errors.append(BankIssue(q.source, q.line, q.id,
                                            f"the key names {service.name}, which is "
                                            f"{_status_words(service)}; make another service the "
                                            "key, or mark the item 'existing_users: true' if it is "
                                            "about customers who already use it"))
        warnings += _name_warnings(q.source, q.line, q.id, question_texts(q), catalog)
    for card in cards:
        warnings += _name_warnings(card.source, card.line, card.id, card_texts(card), catalog)
    return errors, warnings


def _status_words(service) -> str:
    since = f" since {service.since}" if service.since else ""
    return ("retired" if service.status == "retired" else "closed to new customers") + since


def _name_warnings(source: str, line: int, item: str, texts: list[str],
                   catalog: Catalog) -> list[BankIssue]:
    found: dict[str, str] = {}
    for text in texts:
        for name in catalog.unknown_names(text):
            found.setdefault(name, f"{name!r} is not in the service catalog "
                                   "(questions/services.yaml); add it or correct the name")
        flat = " ".join(text.split())
        for start, service in catalog.mentions(text):
            if service.status == RENAMED and not FORMER_NAME.search(flat[max(0, start - 30):start]):
                found.setdefault(service.name, f"{service.name} is now {service.renamed_to}; "
                                               "use the current name")
    return [BankIssue(source, line, item, f"warning: {message}") for message in found.values()]


# --- figures for authors (validate --stats) -----------------------------------------------

FORMER_NAME = re.compile(r"\b(formerly|previously|renamed|former name|was called)\b", re.I)
RANK_NAMES = {1: "longest", 2: "2nd longest", 3: "3rd longest", 4: "shortest"}


def key_rank_counts(questions: list[Question]) -> dict[int, int]:
    """How many single-answer keys have each length rank (1 longest ... 4 shortest)."""
    counts = Counter(key_length_rank(q) for q in questions if isinstance(q, SingleChoice))
    return {rank: counts.get(rank, 0) for rank in (1, 2, 3, 4)}


@dataclass(frozen=True)
class BankFigures:
    """The option-tell and coverage figures `validate --stats` prints for authors."""

    ranks: dict[int, int]
    longest: LongestKeyFigure
    choice_items: int
    echoes: int
    absolute: int
    objectives: dict[str, int]

    @property
    def objectives_short(self) -> list[str]:
        return [o for o, n in self.objectives.items()
                if n < (MIN_PER_NEW_OBJECTIVE if o in NEW_IN_V1_1 else MIN_PER_OBJECTIVE)]


def bank_figures(questions: list[Question]) -> BankFigures:
    choice = [q for q in questions if isinstance(q, (SingleChoice, MultipleChoice))]
    per_objective = Counter(q.objective for q in questions if q.objective)
    return BankFigures(
        ranks=key_rank_counts(questions), longest=longest_key_figure(questions),
        choice_items=len(choice), echoes=sum(1 for q in choice if stem_echo(q)),
        absolute=sum(1 for q in choice if absolute_in_distractors_only(q)),
        objectives={o: per_objective.get(o, 0) for o in OBJECTIVES})


# --- flashcards ---------------------------------------------------------------------------

def card_term(front: str) -> str:
    """The part of a front a reversed card must not give away: the name without a
    parenthetical and without a leading 'Amazon' or 'AWS'."""
    term = re.sub(r"\s*\(.*?\)", "", front).strip()
    return re.sub(r"^(Amazon|AWS)\s+", "", term)


def card_issues(cards: list[Flashcard]) -> list[BankIssue]:
    """Rules every deck must follow: the back does not name the front (cards are also
    shown reversed), and no two cards share a front."""
    issues = []
    fronts: dict[str, Flashcard] = {}
    for card in cards:
        term = card_term(card.front)
        if term and re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", card.back, re.I):
            issues.append(BankIssue(card.source, card.line, card.id,
                                    f"the back names the front ({term!r}); describe it instead, "
                                    "since cards are also shown back first"))
        key = " ".join(card.front.lower().split())
        if key in fronts:
            other = fronts[key]
            issues.append(BankIssue(card.source, card.line, card.id,
                                    f"same front as {other.id} ({other.source}:{other.line})"))
        fronts.setdefault(key, card)
    return issues


def deck_issues(cards: list[Flashcard]) -> list[BankIssue]:
    """Rules for the bundled deck: its size, cards for every task statement, a kind tag,
    and a 'confused with' line on every service card."""
    issues = []
    for card in cards:
        if not any(r.startswith("https://") for r in card.references):
            issues.append(BankIssue(card.source, card.line, card.id, NEEDS_LINK))
        if not card.tags or card.tags[0] not in CARD_KINDS:
            issues.append(BankIssue(card.source, card.line, card.id,
                                    f"the first tag must be one of {', '.join(CARD_KINDS)}"))
        elif card.tags[0] == "service" and not card.confused_with:
            issues.append(BankIssue(card.source, card.line, card.id,
                                    "a service card needs 'confused_with'"))
    per_task = Counter(c.task for c in cards)
    for d in DOMAINS:
        for task in d.tasks:
            if per_task[task] < MIN_CARDS_PER_TASK:
                issues.append(BankIssue(f"questions/flashcards/{d.slug}.yaml", 1, "-",
                                        f"task {task} has {per_task[task]} flashcards; needs "
                                        f"at least {MIN_CARDS_PER_TASK}"))
    if len(cards) < MIN_DECK:
        issues.append(BankIssue("questions/flashcards/", 0, "-",
                                f"the deck has {len(cards)} flashcards; needs at least {MIN_DECK}"))
    return issues


# --- option patterns a test-wise candidate could exploit ------------------------------------

STOPWORDS = frozenset("""
a an the and or but of to in on for with by from at as is are was were be been being it its
this that these those which what who whom whose when where why how than then so such into onto
over under about after before between during through per via not no can could should would may
might will shall do does did has have had use uses used using only also each every any all more
most less least your their they them our you we he she his her one two three four five
company companie team want need needs requirement meet solution service amazon aws model data
user customer business organization application
""".split())
ABSOLUTE = re.compile(r"\b(always|never|must|only)\b", re.I)


def content_words(text: str) -> set[str]:
    """Lower-case words of 4+ letters that carry meaning (a crude stem: trailing s dropped)."""
    words = re.findall(r"[a-z][a-z0-9-]{3,}", text.lower())
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words} - STOPWORDS


def key_length_rank(q: SingleChoice) -> int:
    """1 if the key is the longest option, 4 if the shortest: 1 + options strictly longer."""
    key = next(o for o in q.options if o.correct)
    return 1 + sum(len(o.text) > len(key.text) for o in q.options if not o.correct)


def stem_echo(q: SingleChoice | MultipleChoice) -> set[str]:
    """Content words the stem shares with a key option and with no distractor."""
    stem = content_words(q.stem + " " + (q.case_text or ""))
    keys = set().union(*(content_words(o.text) for o in q.options if o.correct))
    distractors = set().union(*(content_words(o.text) for o in q.options if not o.correct))
    return (stem & keys) - distractors


def absolute_in_distractors_only(q: SingleChoice | MultipleChoice) -> bool:
    """True when some distractor says always/never/must/only and no key does."""
    in_key = any(ABSOLUTE.search(o.text) for o in q.options if o.correct)
    return not in_key and any(ABSOLUTE.search(o.text) for o in q.options if not o.correct)
