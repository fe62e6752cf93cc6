"""The progress files on real disks: journal append and replay, torn and bad lines, the
upgrade from progress.json, concurrent writers, kills, checkpoints, backups."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from aifprep import store as store_module
from aifprep.progress import (
    AnswerRecord,
    Progress,
    SessionRecord,
    add_answer,
    answer_and_review,
    from_json,
    iso,
    question_history,
    to_json,
)
from aifprep.records import (
    answer_action,
    finish_session_action,
    progress_records,
    replay,
    rerate_action,
    review_action,
    session_action,
    settings_action,
)
from aifprep.scheduling import Rating
from aifprep.store import ProgressStore
from aifprep.views import Snapshot

WORKERS = Path(__file__).with_name("store_workers.py")
T0 = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)


def answer(n: int, question: str = "", correct: bool = True, session: str = "s") -> AnswerRecord:
    return AnswerRecord(f"id{n}", question or f"q{n % 7}", iso(T0 + timedelta(minutes=n)), "quiz",
                        session, (0,), correct, 2.0)


def worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKERS), *args], stdout=subprocess.PIPE,
                            text=True)


def lines(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "journal.jsonl").read_text().splitlines()]


# --- journal append and replay ----------------------------------------------------------------

def test_an_empty_folder_is_empty_progress_and_writes_nothing(tmp_path):
    store = ProgressStore(tmp_path / "new")
    assert store.load().answers == () and store.snapshot().views.answered == 0
    assert not (tmp_path / "new" / "journal.jsonl").exists()


def test_each_action_is_one_json_line_after_a_header(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(session_action(SessionRecord("s", "quiz", iso(T0))))
    store.record(answer_action(answer(1), Rating.GOOD))
    header, session, action = lines(tmp_path)
    assert header["type"] == "journal" and header["format"] == 1
    assert session["type"] == "session"
    assert action["type"] == "batch"
    assert [r["type"] for r in action["records"]] == ["answer", "review"]
    assert action["records"][1]["after"]["state"] == "learning"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_replaying_the_journal_gives_back_what_was_recorded(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(session_action(SessionRecord("s", "quiz", iso(T0))))
    for n in range(6):
        store.record(answer_action(answer(n, correct=n % 2 == 0), Rating.GOOD))
    store.record(rerate_action("id5", Rating.HARD))  # not the latest review of q5? it is
    store.record(review_action("r1", "card:c1", Rating.EASY, T0, "flashcards", 3.0))
    store.record(settings_action(retention=0.85))
    store.record(finish_session_action("s", T0 + timedelta(hours=1)))
    progress = ProgressStore(tmp_path).load()
    assert [a.id for a in progress.answers] == [f"id{n}" for n in range(6)]
    assert [r.rating for r in progress.reviews][-2:] == [Rating.HARD, Rating.EASY]
    assert progress.settings.retention == 0.85 and progress.sessions[0].finished
    assert set(progress.schedule) == {f"question:q{n}" for n in range(6)} | {"card:c1"}
    # the same history through the pure model gives the same schedule, review for review
    assert replay(progress_records(progress)) == progress


def test_rerating_only_changes_the_latest_review_of_an_item(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(answer_action(answer(1, "q1"), Rating.GOOD))
    store.record(answer_action(answer(2, "q1"), Rating.GOOD))
    store.record(rerate_action("id1", Rating.HARD))  # no longer the latest: ignored
    store.record(rerate_action("id2", Rating.HARD))
    assert [r.rating for r in store.load().reviews] == [Rating.GOOD, Rating.HARD]


def test_the_generic_update_path_appends_what_a_change_added(tmp_path):
    store = ProgressStore(tmp_path)
    store.update(add_answer(answer(1)))
    progress = store.update(answer_and_review(answer(2), Rating.AGAIN))
    assert ProgressStore(tmp_path).load() == progress
    store.update(add_answer(answer(1)))  # applied twice, recorded once
    assert len(lines(tmp_path)) == 3


# --- torn and bad lines ------------------------------------------------------------------------

def test_a_torn_last_line_is_set_aside_at_the_next_start(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(answer_action(answer(1), Rating.GOOD))
    whole = (tmp_path / "journal.jsonl").read_bytes()
    (tmp_path / "journal.jsonl").write_bytes(whole + b'{"type":"batch","records":[{"type":"ans')
    reader = ProgressStore(tmp_path)
    assert [a.id for a in reader.load().answers] == ["id1"]
    assert (tmp_path / "journal.jsonl").read_bytes() == whole
    (aside,) = [json.loads(line) for line in (tmp_path / "journal.rejected.jsonl").read_text().splitlines()]
    assert aside["kind"] == "torn" and aside["offset"] == len(whole)
    assert aside["text"].startswith('{"type":"batch"')
    assert len(reader.notices) == 1 and "cut short" in reader.notices[0]


def test_a_line_still_being_written_is_skipped_by_readers_and_cut_by_the_next_writer(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(answer_action(answer(1), Rating.GOOD))
    reader = ProgressStore(tmp_path)
    reader.snapshot()  # opened: later reads take no lock
    whole = (tmp_path / "journal.jsonl").read_bytes()
    with open(tmp_path / "journal.jsonl", "ab") as fh:
        fh.write(b'{"type":"answer","id":"half')
    assert reader.snapshot().views.answered == 1 and reader.notices == []
    store.record(answer_action(answer(2), Rating.GOOD))  # the writer (holding the lock) cuts it
    assert reader.snapshot().views.answered == 2 and reader.notices == []
    assert [a.id for a in ProgressStore(tmp_path).load().answers] == ["id1", "id2"]
    assert (tmp_path / "journal.jsonl").read_bytes().startswith(whole)
    assert any("cut short" in n for n in store.notices)


def test_a_bad_line_is_quarantined_once_with_a_notice_and_skipped(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(answer_action(answer(1), Rating.GOOD))
    with open(tmp_path / "journal.jsonl", "ab") as fh:
        fh.write(b"this is not json\n")
        fh.write(b'{"type": "answer", "id": "broken"}\n')  # a record without its fields
        fh.write(b'{"type": "future-kind", "x": 1}\n')  # a newer aifprep's record: kept, ignored
    first = ProgressStore(tmp_path)
    first.record(answer_action(answer(2), Rating.GOOD))
    progress = first.load()
    assert [a.id for a in progress.answers] == ["id1", "id2"]
    assert len(first.notices) == 1 and "2 damaged records kept aside in" in first.notices[0]
    assert "journal.rejected.jsonl" in first.notices[0] and "not JSON" in first.notices[0]
    kinds = [json.loads(x)["kind"] for x in (tmp_path / "journal.rejected.jsonl").read_text().splitlines()]
    assert kinds == ["invalid", "invalid"]
    second = ProgressStore(tmp_path)  # never twice
    second.load()
    second.snapshot()
    assert second.notices == []


def test_damaged_checkpoints_are_rebuilt_from_the_journal(tmp_path, isolated_dirs):
    store = ProgressStore(tmp_path)
    for n in range(5):
        store.record(answer_action(answer(n), Rating.GOOD))
    store.close()
    expected = ProgressStore(tmp_path).snapshot()
    (tmp_path / "state.json").write_text("{half")
    for views in (isolated_dirs / "cache").glob("views-*.json"):
        views.write_text("[]")
    again = ProgressStore(tmp_path).snapshot()
    assert again.views == expected.views and again.schedule == expected.schedule
    assert ProgressStore(tmp_path).notices == []


# --- upgrade from progress.json ------------------------------------------------------------------

def v3_progress() -> Progress:
    progress = Progress()
    for n in range(30):
        progress = answer_and_review(answer(n, correct=n % 3 > 0), Rating.GOOD, fuzz=False)(progress)
    from aifprep.progress import add_session, finish_session, set_exam_date

    progress = add_session(SessionRecord("s", "quiz", iso(T0), label="all domains"))(progress)
    progress = finish_session("s", T0 + timedelta(hours=2))(progress)
    progress = set_exam_date(date(2026, 12, 1), T0, timezone.utc)(progress)
    return progress


def test_a_schema_3_file_is_upgraded_once_with_a_byte_exact_backup(tmp_path):
    from conftest import make_single

    from aifprep.mock import new_exam

    exam = new_exam("e1", [make_single("q1"), make_single("q2")], 3, 5.0, "pause", "2 q", T0)
    original = Progress(**{**v3_progress().__dict__, "exam": exam, "extra": {"future": [1]}})
    raw = json.dumps(to_json(original), indent=1).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    loaded = store.load()
    assert loaded == from_json(json.loads(raw))  # answers, reviews, schedule, exam, settings
    assert (tmp_path / "progress.json.v3-backup").read_bytes() == raw
    assert not (tmp_path / "progress.json").exists()
    assert len(store.notices) == 1 and "progress.json.v3-backup" in store.notices[0]
    again = ProgressStore(tmp_path)
    assert again.load() == loaded and again.notices == []
    assert again.snapshot().views == Snapshot.from_progress(loaded).views


def test_an_upgrade_cut_short_before_the_rename_is_finished_next_time(tmp_path):
    raw = json.dumps(to_json(v3_progress())).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    ProgressStore(tmp_path).load()
    os.replace(tmp_path / "progress.json.v3-backup", tmp_path / "progress.json")
    store = ProgressStore(tmp_path)
    assert len(store.load().answers) == 30
    assert (tmp_path / "progress.json.v3-backup").read_bytes() == raw
    assert not (tmp_path / "progress.json").exists()


def test_a_damaged_progress_file_is_kept_byte_for_byte_and_explained(tmp_path):
    damaged = b'{"schema_version": 1, "answers": [ \xff truncated'
    (tmp_path / "progress.json").write_bytes(damaged)
    store = ProgressStore(tmp_path)
    assert store.load().answers == ()
    (backup,) = tmp_path.glob("progress.json.damaged-*")
    assert backup.read_bytes() == damaged
    assert len(store.notices) == 1 and "fresh progress file" in store.notices[0]
    again = ProgressStore(tmp_path)
    again.load()
    assert again.notices == []


def test_a_file_from_a_newer_aifprep_is_kept_not_overwritten(tmp_path):
    newer = json.dumps({"schema_version": 99, "answers": []}).encode()
    (tmp_path / "progress.json").write_bytes(newer)
    store = ProgressStore(tmp_path)
    store.update(add_answer(answer(1)))
    (backup,) = tmp_path.glob("progress.json.damaged-*")
    assert backup.read_bytes() == newer and "schema version 99" in store.notices[0]
    assert len(store.load().answers) == 1


# --- checkpoints and views ----------------------------------------------------------------------

def random_history(store: ProgressStore, rng: random.Random, actions: int, tag: str = "") -> None:
    """Random actions (ids are unique, as uuids are), with commands ending now and then."""
    sessions: list[str] = []
    for n in range(actions):
        roll = rng.random()
        when = T0 + timedelta(minutes=n)
        if roll < 0.1 or not sessions:
            sid = f"s{tag}{n}"
            sessions.append(sid)
            store.record(session_action(SessionRecord(sid, rng.choice(["quiz", "mock-exam"]),
                                                      iso(when - timedelta(seconds=rng.randrange(5000))))))
        elif roll < 0.6:
            a = AnswerRecord(f"a{tag}{n}", f"q{rng.randrange(25)}",
                             iso(when - timedelta(seconds=rng.randrange(3)) * 60), "quiz",
                             rng.choice(sessions), (0,), rng.random() < 0.6, 5.0)
            store.record(answer_action(a, Rating.GOOD if a.correct else Rating.AGAIN))
        elif roll < 0.8:
            store.record(review_action(f"r{tag}{n}", f"card:c{rng.randrange(20)}",
                                       Rating(rng.randrange(1, 5)), when, "flashcards", 3.0))
        elif roll < 0.85:
            store.record(rerate_action(f"a{tag}{n - 1}", Rating.HARD))
        elif roll < 0.9:
            store.record(finish_session_action(rng.choice(sessions), when))
        elif roll < 0.93:
            store.record(settings_action(exam_date=date(2026, 11, 20), now=when))
        else:
            store.close()  # a command ends: checkpoints written
            store = ProgressStore(store.folder)


def test_the_incremental_views_agree_with_a_full_recomputation(tmp_path, monkeypatch, isolated_dirs):
    monkeypatch.setattr(store_module, "CHECKPOINT_LAG", 2048)  # checkpoints every few lines
    monkeypatch.setattr("aifprep.views.RECENT_SESSIONS", 8)  # the window trims too
    rng = random.Random(9)
    for round_ in range(3):
        random_history(ProgressStore(tmp_path), rng, 150, tag=str(round_))
        incremental = ProgressStore(tmp_path).snapshot()
        progress = ProgressStore(tmp_path).load()
        full = Snapshot.from_progress(progress)
        assert incremental.views == full.views
        assert incremental.schedule == full.schedule and incremental.settings == full.settings
        # and with the model's own reading of the history
        assert incremental.views.question_history() == question_history(progress)
        reviews = {}
        for r in progress.reviews:
            n, good = reviews.get(r.item, (0, 0))
            reviews[r.item] = (n + 1, good + (r.rating >= Rating.GOOD))
        assert {k: (v[0], v[1]) for k, v in incremental.views.items.items()} == reviews
        # and from scratch, without any checkpoint
        (tmp_path / "state.json").unlink()
        for views in (isolated_dirs / "cache").glob("views-*.json"):
            views.unlink()
        assert ProgressStore(tmp_path).snapshot().views == full.views


def test_stats_from_the_views_match_stats_from_the_full_history(tmp_path):
    from conftest import make_single

    from aifprep.bank import Bank
    from aifprep.stats import stats_json, summarize

    bank = Bank(tuple(make_single(f"q{n}", domain=["ai-ml", "genai"][n % 2],
                                  task=["1.1", "2.1"][n % 2]) for n in range(20)))
    random_history(ProgressStore(tmp_path), random.Random(4), 200)
    fast = stats_json(summarize(ProgressStore(tmp_path).snapshot(), bank, now=T0))
    slow = stats_json(summarize(ProgressStore(tmp_path).load(), bank, now=T0))
    assert fast == slow and fast["answered"] > 50


# --- concurrent writers and kills ---------------------------------------------------------------

def test_four_writers_at_once_on_a_long_history_never_lose_a_record(tmp_path):
    store = ProgressStore(tmp_path)
    from aifprep.records import answer_record, batch

    for chunk in range(10):  # a 10,000-answer history
        store.record(lambda snap, c=chunk: batch(
            [answer_record(answer(c * 1000 + i, session="old")) for i in range(1000)]))
    procs = [worker("write", str(tmp_path), tag, "60") for tag in ("a", "b", "c", "d")]
    printed = []
    for p in procs:
        out, _ = p.communicate(timeout=300)
        assert p.returncode == 0
        printed += out.split()
    answers = ProgressStore(tmp_path).load().answers
    assert len(answers) == 10_000 + 240
    assert {a.id for a in answers} >= set(printed) and len(printed) == 240


def kill_a_writer(folder: Path, attempt: int, rng: random.Random) -> list[str]:
    proc = worker("write", str(folder), f"k{attempt}", "-1", "big")
    saved = proc.stdout.readline().split()  # at least one action landed
    time.sleep(rng.random() * 0.15)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    return saved + out.split()


def kills(tmp_path: Path, runs: int) -> None:
    """Kill a writer `runs` times (a fresh folder every 10 kills, to bound the time);
    after each kill every acknowledged save is on disk, nothing is unreadable, the views
    agree with a full recomputation and no temp file is left."""
    rng = random.Random(runs)
    for attempt in range(runs):
        folder = tmp_path / f"run{attempt // 10}"
        if attempt % 10 == 0:
            printed: set[str] = set()
        printed.update(kill_a_writer(folder, attempt, rng))
        store = ProgressStore(folder)
        progress = store.load()
        assert not [n for n in store.notices if "could not be read" in n], store.notices
        assert printed <= {a.id for a in progress.answers}  # every acknowledged save is there
        assert store.snapshot().views == Snapshot.from_progress(progress).views
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_sigkill_during_appends_loses_no_acknowledged_record(tmp_path):
    kills(tmp_path, 12)


@pytest.mark.stress
def test_sigkill_during_appends_many_times(tmp_path):
    kills(tmp_path, 300)


def test_temp_files_of_a_killed_writer_are_removed_on_the_next_start(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    names = [f".state.json.{dead}-x1.tmp", f".exam.json.{dead}-x2.tmp", ".progress.json.abc.tmp",
             f".state.json.{proc.pid}-x3.tmp"]  # the last one's writer is alive
    for name in names:
        (tmp_path / name).write_bytes(b"x" * 100)
    store = ProgressStore(tmp_path)
    store.snapshot()
    proc.kill()
    proc.wait()
    assert sorted(store.cleaned) == sorted(names[:3])
    assert (tmp_path / names[3]).exists()


# --- daily backups --------------------------------------------------------------------------------

def test_a_daily_backup_keeps_the_last_seven_days(tmp_path):
    store = ProgressStore(tmp_path)
    store.record(answer_action(answer(1), Rating.GOOD))
    store.close()
    for n in range(10):
        store.backup(date(2026, 11, 1) + timedelta(days=n), wait=True)
    days = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert len(days) == 7 and days[-1] == "2026-11-10"
    copy = tmp_path / "backups" / "2026-11-10"
    assert (copy / "journal.jsonl").read_bytes() == (tmp_path / "journal.jsonl").read_bytes()
    assert ProgressStore(copy).load().answers[0].id == "id1"


def test_the_first_use_of_a_day_starts_a_backup(tmp_path):
    ProgressStore(tmp_path).record(answer_action(answer(1), Rating.GOOD))
    store = ProgressStore(tmp_path)
    store.snapshot()
    store.close()
    assert (tmp_path / "backups" / date.today().isoformat() / "journal.jsonl").exists()


def test_a_replaced_journal_is_noticed_and_its_checkpoints_rebuilt(tmp_path):
    store = ProgressStore(tmp_path)
    for n in range(5):
        store.record(answer_action(answer(n), Rating.GOOD))
    reader = ProgressStore(tmp_path)
    assert reader.snapshot().views.answered == 5
    kept = [r for r in progress_records(store.load()) if r.get("id") != "id4"]
    store.replace_journal(kept)  # e.g. a compaction that dropped an answer
    assert reader.snapshot().views.answered == 4  # the reader sees the new journal
    assert ProgressStore(tmp_path).snapshot().views.answered == 4
    store.record(answer_action(answer(9), Rating.GOOD))
    assert [a.id for a in ProgressStore(tmp_path).load().answers] == [f"id{n}" for n in (0, 1, 2, 3, 9)]


def test_first_tries_per_task_for_the_forecast(tmp_path):
    store = ProgressStore(tmp_path)
    for n, (question, correct) in enumerate([("q1", False), ("q1", True), ("q2", True)]):
        store.record(answer_action(answer(n, question, correct), Rating.GOOD))
    views = store.snapshot().views
    assert views.first_tries_by(lambda qid: "1.1") == {"1.1": (2, 1)}
    assert views.first_tries()["q1"].correct is False


def test_the_upgrade_leaves_out_phantom_answers_of_old_mock_exams(tmp_path):
    """Before 0.5 an unanswered mock-exam question was saved as a wrong answer and a review:
    the upgrade drops them (with their reviews, replaying the schedule) and says so."""
    progress = v3_progress()
    phantom = AnswerRecord("e9-1", "q-phantom", iso(T0 + timedelta(hours=3)), "mock-exam",
                           "e9", (), False, 0.0)
    with_phantom = answer_and_review(phantom, Rating.AGAIN, fuzz=False)(progress)
    raw = json.dumps(to_json(with_phantom), indent=1).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    loaded = store.load()
    assert all(a.id != "e9-1" for a in loaded.answers) and len(loaded.answers) == 30
    assert all(r.id != "e9-1" for r in loaded.reviews)
    assert "question:q-phantom" not in loaded.schedule
    assert (tmp_path / "progress.json.v3-backup").read_bytes() == raw
    assert any("1 unanswered mock-exam question" in n for n in store.notices)
