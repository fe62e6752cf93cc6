"""Exports and imports: the Anki package opened as Anki does, CSV through csv.reader, and
progress merged between two machines."""

import csv
import html
import io
import json
import sqlite3
import zipfile
from datetime import date, datetime, timedelta, timezone

import genanki
from typer.testing import CliRunner

from aifprep import paths
from aifprep.backups import list_backups
from aifprep.bank import load_bank
from aifprep.cli import app
from aifprep.export import DECK_ID, card_fields, card_rows, history_rows, question_fields
from aifprep.progress import (
    AnswerRecord,
    SessionRecord,
    add_session,
    answer_and_review,
    iso,
    review_item,
    set_exam_date,
    to_json,
)
from aifprep.scheduling import Rating
from aifprep.store import ProgressStore

runner = CliRunner()
BANK = load_bank(paths.bundled_questions_dir(), [], cache=None)
T0 = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)


def run(*args):
    return runner.invoke(app, list(args))


def store():
    return ProgressStore(paths.data_dir())


def study(session="s1", start=0, n=3):
    store().update(add_session(SessionRecord(session, "quiz", iso(T0 + timedelta(minutes=start)))))
    for i in range(n):
        q = BANK.questions[start + i]
        a = AnswerRecord(f"{session}-{i}", q.id, iso(T0 + timedelta(minutes=start, seconds=i)),
                         "quiz", session, (0,), i % 2 == 0, 20.0)
        store().update(answer_and_review(a, Rating.GOOD if a.correct else Rating.AGAIN))
    store().update(review_item(f"{session}-card", f"card:{BANK.cards[start].id}", Rating.GOOD,
                               T0 + timedelta(minutes=start, seconds=30), "flashcards", 4.0))


def open_apkg(path):
    """Read the notes as Anki does: the package is a zip holding a SQLite collection."""
    with zipfile.ZipFile(path) as z:
        assert "collection.anki2" in z.namelist()
        data = z.read("collection.anki2")
    db = path.with_suffix(".anki2")
    db.write_bytes(data)
    con = sqlite3.connect(db)
    try:
        notes = con.execute("select guid, flds, tags from notes").fetchall()
        cards = con.execute("select did from cards").fetchall()
    finally:
        con.close()
    return notes, cards


def test_the_anki_package_holds_every_card_with_stable_guids(tmp_path):
    out = tmp_path / "deck.apkg"
    result = run("export", "anki", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(BANK.cards)} notes" in result.stdout
    notes, cards = open_apkg(out)
    assert len(notes) == len(BANK.cards) and {did for (did,) in cards} == {DECK_ID}
    card = BANK.cards[0]
    guid, fields, tags = next(n for n in notes if n[0] == genanki.guid_for(card.id))
    assert fields.split("\x1f") == card_fields(card)
    front, back, confused, hint, refs = fields.split("\x1f")
    assert html.unescape(front) == card.front.strip()
    assert html.unescape(back).replace("<br>", "\n") == card.back.strip()
    assert f"aifprep::domain::{card.domain}" in tags and f"aifprep::task::{card.task}" in tags
    again = tmp_path / "again.apkg"
    assert run("export", "anki", str(again)).exit_code == 0
    assert sorted(n[0] for n in open_apkg(again)[0]) == sorted(n[0] for n in notes)


def test_questions_are_added_as_notes_with_the_key_and_reasons_on_the_back(tmp_path):
    out = tmp_path / "all.apkg"
    result = run("export", "anki", str(out), "--questions")
    assert result.exit_code == 0, result.output
    notes, _ = open_apkg(out)
    assert len(notes) == len(BANK.cards) + len(BANK.questions)
    q = next(q for q in BANK.questions if q.kind == "single")
    fields = next(n for n in notes if n[0] == genanki.guid_for("question", q.id))[1].split("\x1f")
    assert fields == question_fields(q)
    question, answer, why, explanation, references = fields
    key = next(o for o in q.options if o.correct)
    assert all(f"{letter}. " in question for letter in "ABCD")
    assert "Choose one." in question and "✔" in why and why.count("✘") == 3
    assert key.text[:15] in answer.replace("&amp;", "&").replace("&#x27;", "'")


def test_anki_export_wants_an_apkg_file(tmp_path):
    result = run("export", "anki", str(tmp_path / "deck.zip"))
    assert result.exit_code == 2 and "must end in .apkg" in result.output


def test_the_cards_csv_round_trips_through_csv_reader(tmp_path):
    out = tmp_path / "cards.csv"
    result = run("export", "csv", str(out))
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["front", "back", "domain", "task", "tags", "id"]
    assert [tuple(r) for r in rows[1:]] == card_rows(BANK)
    assert len(rows) == len(BANK.cards) + 1


def test_the_history_csv_has_every_answer_and_review(tmp_path):
    study()
    progress = store().load()
    result = run("export", "csv", "-", "--history")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["at", "kind", "item"]
    assert len(rows) - 1 == len(progress.answers) + len(progress.reviews) == 7
    assert [tuple(r) for r in rows[1:]] == history_rows(progress)
    kinds = [r[1] for r in rows[1:]]
    assert kinds.count("answer") == 3 and kinds.count("review") == 4
    card = next(r for r in rows if r[2].startswith("card:"))
    assert card[5] == "Good" and card[3] == "flashcards"


def test_progress_moves_between_machines_and_importing_twice_changes_nothing(tmp_path, monkeypatch):
    study("laptop", start=0)
    laptop_file = tmp_path / "laptop.json"
    result = run("export", "progress", str(laptop_file))
    assert result.exit_code == 0, result.output
    assert json.loads(laptop_file.read_text())["schema_version"] == to_json(store().load())["schema_version"]

    monkeypatch.setenv("AIFPREP_DATA_DIR", str(tmp_path / "desktop"))
    study("desktop", start=10)
    store().update(set_exam_date(date(2026, 12, 20), T0))  # older activity than the laptop?
    result = run("import", "progress", str(laptop_file))
    assert result.exit_code == 0, result.output
    assert "3 answers, 4 reviews, 1 session added" in result.stdout
    assert "Your settings were kept" in result.stdout  # the desktop studied last
    merged = store().load()
    assert {s.id for s in merged.sessions} == {"laptop", "desktop"}
    assert len(merged.answers) == 6 and len(merged.reviews) == 8
    assert merged.settings.exam_date == date(2026, 12, 20)
    assert [b.reason for b in list_backups(paths.data_dir()) if b.reason != "daily"] == ["import"]

    again = run("import", "progress", str(laptop_file))
    assert again.exit_code == 0 and "Nothing new" in again.stdout
    assert store().load() == merged
    assert len([b for b in list_backups(paths.data_dir()) if b.reason != "daily"]) == 1


def test_the_settings_of_the_file_with_the_latest_activity_win(tmp_path, monkeypatch):
    study("desktop", start=0)
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(tmp_path / "laptop"))
    study("laptop", start=10)
    store().update(set_exam_date(date(2026, 12, 24), T0))
    laptop_file = tmp_path / "laptop.json"
    assert run("export", "progress", str(laptop_file)).exit_code == 0
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(tmp_path / "data"))
    result = run("import", "progress", str(laptop_file))
    assert result.exit_code == 0, result.output
    assert f"Settings from {laptop_file} won (exam date 2026-12-24" in result.stdout
    assert store().load().settings.exam_date == date(2026, 12, 24)


def test_a_broken_progress_file_is_one_clear_line(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"answers": []}')
    result = run("import", "progress", str(broken))
    assert result.exit_code == 1
    assert "is not a usable progress file: it has no schema_version" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = run("import", "progress", str(tmp_path / "missing.json"))
    assert result.exit_code == 1 and "cannot read" in result.output


def test_an_imported_file_from_an_older_aifprep_loses_its_phantom_answers(tmp_path):
    from aifprep.progress import Progress

    q = BANK.questions[0]
    phantom = AnswerRecord("old-exam-2", q.id, iso(T0), "mock-exam", "old-exam", (), False, 0.0)
    old = answer_and_review(phantom, Rating.AGAIN)(Progress())
    path = tmp_path / "old.json"
    path.write_text(json.dumps(to_json(old)))
    result = run("import", "progress", str(path))
    assert result.exit_code == 0, result.output
    progress = store().load()
    assert progress.answers == () and progress.reviews == () and progress.schedule == {}
