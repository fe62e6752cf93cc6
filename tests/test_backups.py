"""Backups: named so that they sort by time and share the folder with the store's own."""

from datetime import datetime, timezone

import pytest

from aifprep.backups import (
    BackupError,
    backup_name,
    find_backup,
    list_backups,
    parse_name,
    read_progress_file,
    write_backup,
)
from aifprep.progress import Progress, SessionRecord, add_session

WHEN = datetime(2026, 11, 29, 21, 30, 5, tzinfo=timezone.utc)


def test_a_backup_name_says_when_in_utc_and_why():
    assert backup_name(WHEN, "reset-all") == "progress-backup-20261129T213005-reset-all.json"
    assert parse_name("progress-backup-20261129T213005-reset-all.json") == (WHEN, "reset-all")
    assert parse_name("progress-backup-20261129T213005-import-2.json") == (WHEN, "import")
    assert parse_name("progress.json") is None and parse_name("2026-11-29") is None
    with pytest.raises(ValueError):
        backup_name(WHEN, "../evil")


def test_backups_are_listed_newest_first_and_never_overwritten(tmp_path):
    progress = add_session(SessionRecord("s1", "quiz", "2026-11-01T09:00:00Z"))(Progress())
    first = write_backup(tmp_path, Progress(), "reset-cards", WHEN)
    second = write_backup(tmp_path, progress, "reset-cards", WHEN)
    (tmp_path / "backups" / "2026-11-29").mkdir()  # the store's daily backups live here too
    (tmp_path / "backups" / "notes.txt").write_text("not a backup")
    assert first != second and second.name.endswith("-reset-cards-2.json")
    found = list_backups(tmp_path)
    assert [b.path for b in found] == [second, first]
    assert read_progress_file(second) == progress
    assert find_backup(tmp_path, "1") == second and find_backup(tmp_path, first.name) == first
    assert find_backup(tmp_path, str(first)) == first
    with pytest.raises(BackupError, match="there is no backup 3"):
        find_backup(tmp_path, "3")


def test_no_backups_folder_means_no_backups(tmp_path):
    assert list_backups(tmp_path) == []
    with pytest.raises(BackupError, match="there are no backups yet"):
        find_backup(tmp_path, "1")


def test_a_file_that_is_not_progress_is_one_line(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    with pytest.raises(BackupError, match="not a usable progress file: it is not a JSON object"):
        read_progress_file(path)


def test_the_store_daily_backups_are_listed_and_restorable(tmp_path):
    from datetime import date

    from aifprep.records import session_action
    from aifprep.store import ProgressStore

    store = ProgressStore(tmp_path)
    store.record(session_action(SessionRecord("s1", "quiz", "2026-11-01T10:00:00Z")))
    store.backup(date(2026, 11, 28), wait=True)
    write_backup(tmp_path, Progress(), "reset-all", WHEN)
    found = list_backups(tmp_path)
    assert sorted(b.reason for b in found) == ["daily", "reset-all"]
    daily = next(b for b in found if b.reason == "daily")
    assert daily.name == "2026-11-28" and find_backup(tmp_path, "2026-11-28") == daily.path
    assert [s.id for s in read_progress_file(daily.path).sessions] == ["s1"]
