"""Study settings (exam date, desired retention): checking input and saving it.

The rules are pure (`parse_exam_date`, `check_retention`); `change_settings` applies them
to the progress store and says what changed, for `aifprep exam-date` and `aifprep config`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from aifprep import paths
from aifprep.app import ExitCode, UserError
from aifprep.progress import Progress, local_tz, utc_now
from aifprep.records import settings_action
from aifprep.scheduling import MAX_RETENTION, MIN_RETENTION, days_left, local_day
from aifprep.store import ProgressStore
from aifprep.views import Snapshot
from aifprep.ui.text import plural


def parse_exam_date(text: str, today: date) -> date:
    """A YYYY-MM-DD date that is today or later."""
    try:
        when = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. "
                        f"{(today + timedelta(days=30)).isoformat()}",
                        ExitCode.USAGE) from None
    if when < today:
        raise UserError(f"{when.isoformat()} is in the past (today is {today.isoformat()})",
                        ExitCode.USAGE)
    from aifprep.sanity import YEARS

    if when.year > YEARS[1]:  # (the progress files refuse it as damage)
        raise UserError(f"{when.isoformat()} is too far ahead: an exam date must be before "
                        f"{YEARS[1] + 1}", ExitCode.USAGE)
    return when


def check_retention(value: float) -> float:
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise UserError(f"retention must be between {MIN_RETENTION:.2f} and {MAX_RETENTION:.2f} "
                        f"(the chance of recall FSRS aims for); got {value}", ExitCode.USAGE)
    return round(value, 3)


def describe_exam_date(progress: Progress | Snapshot, now: datetime, tz: tzinfo) -> str:
    exam = progress.settings.exam_date
    if exam is None:
        return "No exam date set. Set one with: aifprep exam-date YYYY-MM-DD"
    left = days_left(progress.settings, now, tz)
    assert left is not None
    when = f"{exam:%a %d %b %Y}"
    if left > 1:
        return f"Exam date: {when}, in {left} days."
    if left == 1:
        return f"Exam date: {when}, tomorrow. Good luck!"
    if left == 0:
        return f"Exam date: {when}, today. Good luck!"
    return (f"Exam date: {when}, {plural(-left, 'day')} ago. Set your next date with: "
            "aifprep exam-date")


def change_settings(store: ProgressStore, when: str | None, clear: bool,
                    retention: float | None, tz: tzinfo | None = None) -> list[str]:
    """Apply the requested changes and return lines telling the user what happened."""
    tz = tz or local_tz()
    now = utc_now()
    lines = []
    if retention is not None:
        value = check_retention(retention)
        store.record(settings_action(retention=value))
        lines.append(f"Desired retention: {value:.0%} (reviews aim for that chance of recall).")
    if clear:
        store.record(settings_action(exam_date=None, now=now, tz=tz))
        lines.append("Exam date cleared.")
    elif when:
        exam = parse_exam_date(when, local_day(now, tz))
        before = dict(store.snapshot().schedule)
        progress = store.record(settings_action(exam_date=exam, now=now, tz=tz))
        moved = sum(1 for k, m in progress.schedule.items() if k in before and m.due < before[k].due)
        lines.append(describe_exam_date(progress, now, tz))
        lines.append("Reviews are now scheduled before it" +
                     (f"; {moved} review{'s' if moved != 1 else ''} that fell after it "
                      "were brought forward." if moved else "."))
    if not lines:
        lines.append(describe_exam_date(store.snapshot(), now, tz))
    return lines


def settings_report(store: ProgressStore) -> dict:
    """The settings and where aifprep keeps its files, for `aifprep config`."""
    settings = store.snapshot().settings
    exam = settings.exam_date
    return {
        "exam_date": None if exam is None else exam.isoformat(),
        "retention": settings.retention,
        "confidence": "on" if settings.ask_confidence else "off",
        "data_dir": str(paths.data_dir()),
        "cache_dir": str(paths.cache_dir()),
        "paths": store.paths.describe(),
    }
