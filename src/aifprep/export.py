"""Exports: the deck (and questions) as an Anki package, the deck or the history as CSV.

Pure builders: rows and notes from the bank and the progress. Only `write_anki` touches a
file (through genanki, imported when an Anki export is asked for).
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from typing import Iterable, TextIO

from aifprep.bank import Bank
from aifprep.grading import presentation_order
from aifprep.model import Flashcard, Matching, MultipleChoice, Ordering, Question, SingleChoice
from aifprep.progress import Progress

# Fixed ids, so that importing a newer export into Anki updates the same deck and note types.
DECK_ID = 1_740_291_655_001
DECK_NAME = "AWS Certified AI Practitioner (aifprep)"
CARD_MODEL_ID = 1_740_291_655_101
QUESTION_MODEL_ID = 1_740_291_655_102
SHUFFLE_SEED = "anki"  # ordering steps and matching answers are shown shuffled, always the same way

CARD_COLUMNS = ("front", "back", "domain", "task", "tags", "id")
HISTORY_COLUMNS = ("at", "kind", "item", "mode", "session", "result", "given", "seconds", "id")


# --- CSV ------------------------------------------------------------------------------------

def card_rows(bank: Bank) -> list[tuple[str, ...]]:
    """One row per flashcard: front, back (with what it is confused with), domain, task,
    tags (space-separated), id."""
    return [(c.front, card_back(c), c.domain, c.task, " ".join(c.tags), c.id) for c in bank.cards]


def card_back(card: Flashcard) -> str:
    if card.confused_with:
        return f"{card.back}\nNot to be confused with: {card.confused_with}"
    return card.back


def history_rows(progress: Progress) -> list[tuple[str, ...]]:
    """Every answer and every review, oldest first (UTC times). A question answered in a
    quiz or mock exam has an answer row and a review row with the same id; `given` is the
    response as JSON (option numbers, step order or matched answers)."""
    rows = []
    for a in progress.answers:
        rows.append((a.at, "answer", f"question:{a.question}", a.mode, a.session,
                     "right" if a.correct else "wrong",
                     json.dumps(list(a.given), ensure_ascii=False),
                     _seconds(a.seconds), a.id))
    sessions = {a.id: a.session for a in progress.answers}
    for r in progress.reviews:
        rows.append((r.at, "review", r.item, r.mode, sessions.get(r.id, ""), r.rating.label, "",
                     _seconds(r.seconds), r.id))
    return sorted(rows, key=lambda row: (row[0], row[8], row[1]))


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_csv(out: TextIO, header: Iterable[str], rows: Iterable[tuple[str, ...]]) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)


# --- Anki -----------------------------------------------------------------------------------

def tags_for(domain: str, task: str, extra: Iterable[str] = ()) -> list[str]:
    """Anki tags (no spaces): `aifprep::domain::genai`, `aifprep::task::2.3`, own tags."""
    own = ["_".join(t.split()) for t in extra if t.strip()]
    return [f"aifprep::domain::{domain}", f"aifprep::task::{task}", *own]


_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s|^\s{2,}")


def _html(text: str) -> str:
    """Text as HTML: the hard line breaks of a YAML block joined into paragraphs (lists
    and blank lines kept, as the screens show them)."""
    lines: list[str] = []
    for line in text.strip().split("\n"):
        if lines and lines[-1].strip() and line.strip() and not _LIST_LINE.match(line):
            lines[-1] = lines[-1].rstrip() + " " + line.strip()
        else:
            lines.append(line.rstrip())
    return "<br>".join(html.escape(line) for line in lines)


def _list(items: Iterable[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def card_fields(card: Flashcard) -> list[str]:
    """Front, Back, Confused with, Hint, References (HTML)."""
    return [_html(card.front), _html(card.back), _html(card.confused_with or ""),
            _html(card.hint or ""), _list(_link(r) for r in card.references)]


def _link(reference: str) -> str:
    if reference.startswith("https://"):
        return f'<a href="{html.escape(reference)}">{html.escape(reference)}</a>'
    return html.escape(reference)


LETTERS = "ABCDEFGHIJ"


def question_fields(q: Question) -> list[str]:
    """Question (stem and options), Answer (the key), Why (each option), Explanation,
    References (HTML)."""
    if isinstance(q, (SingleChoice, MultipleChoice)):
        pick = ("Choose one." if isinstance(q, SingleChoice)
                else f"Choose {q.picks}.")
        options = _list((f"{LETTERS[i]}. {_html(o.text)}" for i, o in enumerate(q.options)))
        front = f"{_html(q.stem)}<br><i>{pick}</i>{options}"
        answer = ", ".join(f"{LETTERS[i]}. {_html(q.options[i].text)}" for i in sorted(q.key))
        why = _list(f"{LETTERS[i]}. {'✔' if o.correct else '✘'} {_html(o.why)}"
                    for i, o in enumerate(q.options))
    elif isinstance(q, Ordering):
        order = presentation_order(q, SHUFFLE_SEED)
        front = (f"{_html(q.stem)}<br><i>Put the steps in order.</i>"
                 + _list(_html(q.steps[i].text) for i in order))
        answer = _list((_html(s.text) for s in q.steps), ordered=True)
        why = _list((f"{_html(s.text)}: {_html(s.why)}" for s in q.steps), ordered=True)
    else:
        assert isinstance(q, Matching)
        offered = presentation_order(q, SHUFFLE_SEED)
        front = (f"{_html(q.stem)}<br><i>Match each item with an answer.</i>"
                 + _list(_html(p.prompt) for p in q.pairs)
                 + "<i>Answers:</i>" + _list(_html(a) for a in offered))
        answer = _list(f"{_html(p.prompt)} → {_html(p.answer)}" for p in q.pairs)
        why = _list([f"{_html(p.answer)}: {_html(p.why)}" for p in q.pairs]
                    + [f"{_html(d.text)} (matches nothing): {_html(d.why)}"
                       for d in q.distractors])
    return [front, answer, why, _html(q.explanation), _list(_link(r) for r in q.references)]


_CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; }"


def anki_package(bank: Bank, questions: bool = False):
    """A genanki Package of the flashcards (and the questions): one note per item, with a
    guid derived from its id, so re-importing an export updates the notes in place."""
    import genanki

    card_model = genanki.Model(
        CARD_MODEL_ID, "aifprep flashcard",
        fields=[{"name": n} for n in ("Front", "Back", "Confused with", "Hint", "References")],
        templates=[{
            "name": "Card",
            "qfmt": "{{Front}}{{#Hint}}<br><br>{{hint:Hint}}{{/Hint}}",
            "afmt": "{{Front}}<hr id=answer>{{Back}}"
                    "{{#Confused with}}<br><br><i>Not to be confused with:</i> "
                    "{{Confused with}}{{/Confused with}}"
                    "<br><small>{{References}}</small>",
        }],
        css=_CSS)
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for c in bank.cards:
        deck.add_note(genanki.Note(model=card_model, fields=card_fields(c),
                                   guid=genanki.guid_for(c.id),
                                   tags=tags_for(c.domain, c.task, c.tags)))
    if questions:
        question_model = genanki.Model(
            QUESTION_MODEL_ID, "aifprep question",
            fields=[{"name": n} for n in ("Question", "Answer", "Why", "Explanation",
                                          "References")],
            templates=[{
                "name": "Question",
                "qfmt": "{{Question}}",
                "afmt": "{{Question}}<hr id=answer><b>{{Answer}}</b><br>{{Why}}"
                        "{{Explanation}}<br><small>{{References}}</small>",
            }],
            css=_CSS)
        for q in bank.questions:
            deck.add_note(genanki.Note(model=question_model, fields=question_fields(q),
                                       guid=genanki.guid_for("question", q.id),
                                       tags=tags_for(q.domain, q.task,
                                                     (f"type::{q.kind}", *q.tags))))
    return genanki.Package(deck)


def write_anki(bank: Bank, path: Path, questions: bool = False) -> int:
    """Write the package; return the number of notes."""
    package = anki_package(bank, questions)
    package.write_to_file(str(path))
    return len(package.decks[0].notes)
