"""Checks for what the progress files hold: safe JSON parsing and field-by-field validation.

Everything aifprep reads back from its own files (journal lines, `exam.json`, a schema 1-3
`progress.json`) goes through here before the rest of the program sees it, so a damaged
or hand-edited file can never carry a NaN, an infinity, a 5,000-digit integer, a year-1
date, a negative FSRS stability or a 1,000-deep nesting into the scheduler, the views or
a `--json` output. A value that fails raises `Invalid` (a `ValueError`) with a short reason;
the store then quarantines the record, rebuilds the checkpoint or keeps the file aside.

Pure: no file I/O (`files.read_regular` reads the bytes).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timezone
from typing import Any

MAX_DEPTH = 24  # nesting of any JSON value aifprep reads back (its records need about 6)
MAX_DIGITS = 40  # digits of a JSON integer
MAX_ID = 1_000  # characters of an id, a question id, an item key, a mode
MAX_TEXT = 20_000  # characters of any other string
MAX_ITEMS = 100_000  # entries of a list or mapping inside one record
MAX_INT = 2 ** 63  # seeds, counts, offsets
YEARS = (2000, 2100)  # exam dates
TIME_YEARS = (1970, 2200)  # record times and due dates (FSRS allows intervals of 100 years)
RATINGS = (1, 4)
RETENTION = (0.70, 0.97)
DIFFICULTY = (1.0, 10.0)
MAX_STABILITY = 1e6  # days
MAX_SECONDS = 1e9  # about 30 years: a question left open for months is still an answer
MEMORY_STATES = ("learning", "review", "relearning")

_SURROGATE = re.compile("[\ud800-\udfff]")
# a JSON escape of a UTF-16 surrogate: the only way a lone one gets into parsed text (raw
# surrogate bytes are not UTF-8), so strings are searched for them only after one of these
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89abcdefABCDEF]")


class Invalid(ValueError):
    """A value read from a progress file is not one aifprep writes."""


# --- parsing ----------------------------------------------------------------------------------

def _constant(name: str) -> Any:
    raise Invalid(f"{name} is not a number aifprep writes")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise Invalid(f"an integer of {len(text)} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Invalid(f"{text[:20]} overflows a number")
    return value


_decoder = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)
_fast = json.JSONDecoder(parse_constant=_constant)
# a run of more than MAX_DIGITS digits (a huge integer); looked for in long lines only:
# in short ones, the field checks refuse a number out of range, and Python 3.11+ refuses
# integers of more than 4,300 digits itself
_LONG_NUMBER = re.compile(rb"[0-9]{%d}" % (MAX_DIGITS + 1))
LONG_LINE = 4096


def loads(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads` that raises `Invalid` (a ValueError) for NaN and Infinity, integers of
    more than MAX_DIGITS digits in a long line, nesting deeper than `max_depth` and lone
    surrogates, and instead of raising OverflowError or RecursionError. A number too big
    for a float (1e999) parses as an infinity: the field checks refuse it (`number`, and
    `plain` for data kept as it is). Fast path: one C parser made once; the guarded hooks
    only for a long line with a long run of digits."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    try:
        if raw.startswith(b"\xef\xbb\xbf"):
            raise Invalid("it starts with a byte order mark")
        text = raw.decode("utf-8")
        if len(raw) > LONG_LINE and _LONG_NUMBER.search(raw):
            value = _decoder.decode(text)
        else:
            value = _fast.decode(text)
    except Invalid:
        raise
    except RecursionError:
        raise Invalid("nested too deeply") from None
    except (ValueError, OverflowError) as exc:  # JSONDecodeError, UnicodeDecodeError, ...
        raise Invalid(f"not JSON ({exc.__class__.__name__})") from None
    if (isinstance(value, (dict, list)) and max_depth is not None
            and (text.count("[") + text.count("{")) > max_depth):
        check_depth(value, max_depth)
    if b"\\u" in raw and _ESCAPED_SURROGATE.search(raw):
        _no_surrogates(value)
    return value


def _no_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise Invalid("a text is not valid Unicode (a lone surrogate)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise `Invalid` if `value` nests more than `limit` deep (iteratively: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise Invalid(f"nested more than {limit} deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))


# --- values -----------------------------------------------------------------------------------

def text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{what} is not text")
    if len(value) > limit:
        raise Invalid(f"{what} is longer than {limit} characters")
    return value  # (lone surrogates: `loads` and `plain` look for them)


def ident(value: Any, what: str) -> str:
    text(value, what, MAX_ID)
    if not value:
        raise Invalid(f"{what} is empty")
    return value


def optional_text(value: Any, what: str) -> str | None:
    return None if value is None else text(value, what)


def integer(value: Any, what: str, low: int = -MAX_INT, high: int = MAX_INT) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{what} is not a whole number")
    if not low <= value <= high:
        raise Invalid(f"{what} {value} is out of range ({low} to {high})")
    return value


def number(value: Any, what: str, low: float, high: float, open_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"{what} is not a number")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise Invalid(f"{what} is out of range")
    if not math.isfinite(value) or not (low < value if open_low else low <= value) \
            or value > high:
        raise Invalid(f"{what} {value!r} is out of range ({low} to {high})")
    return float(value)


def seconds(value: Any, what: str = "seconds", optional: bool = True) -> float | None:
    if value is None and optional:
        return None
    return number(value, what, 0.0, MAX_SECONDS)


def flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool) and value not in (0, 1):
        raise Invalid(f"{what} is not true or false")
    return bool(value)


def moment(value: Any, what: str) -> datetime:
    """An ISO 8601 time with a zone, between 1970 and 2200."""
    text(value, what, 64)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what} {value[:40]!r} is not a time") from None
    if parsed.tzinfo is None:
        raise Invalid(f"{what} {value[:40]!r} has no time zone")
    low, high = TIME_YEARS
    year = parsed.astimezone(timezone.utc).year if low < parsed.year < high else parsed.year
    if not low <= year <= high:
        raise Invalid(f"{what} {value[:40]!r} is not between {low} and {high}")
    return parsed


def optional_moment(value: Any, what: str) -> None:
    if value is not None:
        moment(value, what)


def day(value: Any, what: str) -> date:
    text(value, what, 32)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{what} {value[:40]!r} is not a date") from None
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise Invalid(f"{what} {value!r} is not between {YEARS[0]} and {YEARS[1]}")
    return parsed


def listed(value: Any, what: str, limit: int = MAX_ITEMS) -> list:
    if not isinstance(value, list):
        raise Invalid(f"{what} is not a list")
    if len(value) > limit:
        raise Invalid(f"{what} has more than {limit} entries")
    return value


def mapping(value: Any, what: str, limit: int = MAX_ITEMS) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{what} is not an object")
    if len(value) > limit:
        raise Invalid(f"{what} has more than {limit} entries")
    return value


def choice(value: Any, what: str) -> None:
    """One option a candidate picked (a letter, a text or an index)."""
    if isinstance(value, str):
        text(value, what, MAX_ID)
    elif isinstance(value, int) and not isinstance(value, bool):
        integer(value, what, -1000, 1000)
    else:
        raise Invalid(f"{what} is not an option")


def response(value: Any, what: str) -> None:
    for v in listed(value, what, 1000):
        choice(v, what)


# --- model values -----------------------------------------------------------------------------

def memory(value: Any, what: str = "memory") -> dict:
    """An FSRS memory as `progress.memory_to_json` writes it."""
    m = mapping(value, what, 64)
    if m.get("state") not in MEMORY_STATES:
        raise Invalid(f"{what} has an unknown state")
    if m.get("step") is not None:
        integer(m["step"], f"{what} step", 0, 1000)
    if m.get("stability") is not None:
        number(m["stability"], f"{what} stability", 0.0, MAX_STABILITY, open_low=True)
    if m.get("difficulty") is not None:
        number(m["difficulty"], f"{what} difficulty", *DIFFICULTY)
    moment(m.get("due"), f"{what} due")
    optional_moment(m.get("last_review"), f"{what} last_review")
    return m


def settings(value: Any, what: str = "settings") -> dict:
    s = mapping(value, what, 64)
    if s.get("exam_date") is not None:
        day(s["exam_date"], f"{what} exam_date")
    if "retention" in s:
        number(s["retention"], f"{what} retention", *RETENTION)
    return s


def answer(r: Any, what: str = "answer") -> dict:
    r = mapping(r, what, 64)
    ident(r.get("id"), f"{what} id")
    ident(r.get("question"), f"{what} question")
    moment(r.get("at"), f"{what} at")
    ident(r.get("mode"), f"{what} mode")
    text(r.get("session"), f"{what} session", MAX_ID)
    response(r.get("given"), f"{what} given")
    flag(r.get("correct"), f"{what} correct")
    seconds(r.get("seconds"), f"{what} seconds")
    if r.get("confidence") is not None:
        text(r["confidence"], f"{what} confidence", 32)
    return r


def review(r: Any, what: str = "review") -> dict:
    r = mapping(r, what, 64)
    ident(r.get("id"), f"{what} id")
    ident(r.get("item"), f"{what} item")
    integer(r.get("rating"), f"{what} rating", *RATINGS)
    moment(r.get("at"), f"{what} at")
    ident(r.get("mode"), f"{what} mode")
    seconds(r.get("seconds"), f"{what} seconds")
    if r.get("previous") is not None:
        memory(r["previous"], f"{what} previous")
    if r.get("after") is not None:
        memory(r["after"], f"{what} after")
    return r


def session(r: Any, what: str = "session") -> dict:
    r = mapping(r, what, 64)
    ident(r.get("id"), f"{what} id")
    ident(r.get("mode"), f"{what} mode")
    moment(r.get("started"), f"{what} started")
    optional_moment(r.get("finished"), f"{what} finished")
    if "label" in r:
        text(r["label"], f"{what} label")
    return r


def _exam_lists(r: dict, what: str) -> int:
    questions = listed(r.get("questions"), f"{what} questions", 1000)
    for q in questions:
        ident(q, f"{what} question")
    n = len(questions)
    for key in ("responses", "flags", "seconds"):
        if len(listed(r.get(key), f"{what} {key}", 1000)) != n:
            raise Invalid(f"{what} {key} do not match its questions")
    for v in r["responses"]:
        if v is not None:
            response(v, f"{what} response")
    for v in r["flags"]:
        flag(v, f"{what} flag")
    for v in r["seconds"]:
        seconds(v, f"{what} seconds", optional=False)
    return n


def _exam_common(r: dict, what: str) -> int:
    ident(r.get("id"), f"{what} id")
    moment(r.get("started"), f"{what} started")
    number(r.get("minutes"), f"{what} minutes", 0.0, 100_000.0)
    ident(r.get("clock"), f"{what} clock")
    integer(r.get("seed"), f"{what} seed")
    text(r.get("label"), f"{what} label")
    number(r.get("elapsed"), f"{what} elapsed", 0.0, MAX_SECONDS)
    return _exam_lists(r, what)


def mock_exam(r: Any, what: str = "mock exam") -> dict:
    r = mapping(r, what, 64)
    n = _exam_common(r, what)
    moment(r.get("finished"), f"{what} finished")
    flag(r.get("timed_out"), f"{what} timed_out")
    flag(r.get("passed"), f"{what} passed")
    total = integer(r.get("total"), f"{what} total", 0, max(n, 1000))
    integer(r.get("correct"), f"{what} correct", 0, total)
    integer(r.get("scaled"), f"{what} scaled", 0, 10_000)
    for slug, v in mapping(r.get("domains"), f"{what} domains", 100).items():
        text(slug, f"{what} domain", MAX_ID)
        v = mapping(v, f"{what} domain {slug[:40]}", 8)
        t = integer(v.get("total"), f"{what} domain total", 0, 1000)
        integer(v.get("correct"), f"{what} domain correct", 0, t)
    return r


def exam_state(r: Any, what: str = "exam") -> dict:
    """The mock exam in progress (`exam.exam_state_to_json`)."""
    r = mapping(r, what, 64)
    n = _exam_common(r, what)
    if n == 0:
        raise Invalid(f"{what} has no questions")
    integer(r.get("position"), f"{what} position", 0, n - 1)
    if r.get("saved_at"):
        moment(r["saved_at"], f"{what} saved_at")
    return r


def owner(r: Any, what: str = "owner") -> None:
    if r is None:
        return
    r = mapping(r, what, 16)
    integer(r.get("pid"), f"{what} pid", 0, MAX_INT)
    text(r.get("host"), f"{what} host", MAX_ID)
    if r.get("start") is not None:
        integer(r["start"], f"{what} start", 0, MAX_INT)
    text(r.get("token"), f"{what} token", MAX_ID)
    if r.get("since"):
        moment(r["since"], f"{what} since")


# --- journal records --------------------------------------------------------------------------

def record(r: Any, nested: int = 0) -> dict:
    """A journal record (see the table in `records.py`): raise `Invalid` unless every field
    the program reads has the right type and range. Unknown types pass (a newer aifprep
    wrote them; readers ignore them), their depth bounded by `loads`."""
    if not isinstance(r, dict) or not isinstance(r.get("type"), str):
        raise Invalid("not a record (a JSON object with a type)")
    kind = r["type"]
    check = _CHECKS.get(kind)
    if check is not None:
        check(r)
    elif kind == "batch":
        if nested >= 2:
            raise Invalid("batch nested in a batch")
        for inner in listed(r.get("records"), "batch records"):
            record(inner, nested + 1)
    return r


def _rerate(r: dict) -> None:
    ident(r.get("review"), "rerate review")
    ident(r.get("item"), "rerate item")
    integer(r.get("rating"), "rerate rating", *RATINGS)
    integer(r.get("was"), "rerate was", *RATINGS)
    if r.get("after") is not None:
        memory(r["after"], "rerate after")


def _session_finished(r: dict) -> None:
    ident(r.get("session"), "session-finished session")
    optional_moment(r.get("at"), "session-finished at")
    if "label" in r:
        text(r["label"], "session-finished label")


def _schedule(r: dict) -> None:
    for key, m in mapping(r.get("items"), "schedule items", 1_000_000).items():
        text(key, "schedule item", MAX_ID)
        if m is not None:
            memory(m, f"schedule {key[:40]}")


def _extra(r: dict) -> None:
    plain(mapping(r.get("data"), "extra data"), "extra data")  # (it is written back)


def _journal(r: dict) -> None:
    ident(r.get("id"), "journal id")
    integer(r.get("format"), "journal format", 0, 1000)


_CHECKS = {
    "answer": answer,
    "review": review,
    "rerate": _rerate,
    "session": session,
    "session-finished": _session_finished,
    "mock-exam": mock_exam,
    "settings": settings,
    "schedule": _schedule,
    "extra": _extra,
    "exclude": lambda r: ident(r.get("session"), "exclude session"),
    "include": lambda r: ident(r.get("session"), "include session"),
    "journal": _journal,
}


# --- schema 1-3 progress.json: record by record -----------------------------------------------

class _Huge:
    """An integer too long to read (kept as its digits, so the side file can show it)."""

    def __init__(self, digits: str) -> None:
        self.digits = digits


def _lenient_int(text: str) -> Any:
    return _Huge(text) if len(text.lstrip("-")) > MAX_DIGITS else int(text)


_lenient = json.JSONDecoder(parse_int=_lenient_int, parse_constant=float)
LEGACY_RECURSION = 20_000


def loads_legacy(raw: bytes) -> Any:
    """Parse a whole old `progress.json` without letting one bad value lose the file:
    NaN, infinities and huge integers become values the record checks refuse (so only their
    records are set aside); nesting up to thousands deep parses. Raises `Invalid` only
    when the file as a whole is not JSON."""
    import sys

    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # an editor's byte order mark: the file is still the user's history
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid(f"it is not UTF-8 text (byte {exc.start})") from None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, LEGACY_RECURSION))
    try:
        return _lenient.decode(text)
    except RecursionError:
        raise Invalid("it is nested too deeply") from None
    except ValueError as exc:
        where = f" (line {exc.lineno})" if hasattr(exc, "lineno") else ""
        raise Invalid(f"it is not valid JSON{where}") from None
    finally:
        sys.setrecursionlimit(limit)


def plain(value: Any, what: str, limit: int = MAX_DEPTH) -> Any:
    """Raise `Invalid` unless `value` is JSON aifprep can write back: finite numbers,
    whole numbers of at most MAX_DIGITS digits, valid Unicode, at most `limit` deep."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise Invalid(f"{what} is nested more than {limit} deep")
        if isinstance(item, dict):
            for k, v in item.items():
                stack.append((k, depth))
                stack.append((v, depth + 1))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str):
            text(item, what, 10 * MAX_TEXT)
            if _SURROGATE.search(item):
                raise Invalid(f"{what} is not valid Unicode (a lone surrogate)")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise Invalid(f"{what} holds {item!r}")
        elif isinstance(item, _Huge):
            raise Invalid(f"{what} holds an integer of {len(item.digits)} digits")
        elif isinstance(item, int) and not -MAX_INT <= item <= MAX_INT:
            raise Invalid(f"{what} holds an integer out of range")
        elif not (item is None or isinstance(item, (bool, int))):
            raise Invalid(f"{what} holds {type(item).__name__}")
    return value


def show(value: Any) -> bytes:
    """A rejected value as JSON text for the side file (as close to verbatim as it gets)."""
    try:
        return json.dumps(value, ensure_ascii=True,
                          default=lambda o: o.digits if isinstance(o, _Huge) else repr(o)
                          ).encode("ascii")
    except (ValueError, RecursionError):
        return b'"(too deeply nested to show: see the backup of the whole file)"'


_LEGACY_LISTS = {"answers": answer, "sessions": session, "mock_exams": mock_exam,
                 "reviews": review}


def salvage_legacy(data: Any) -> tuple[dict, list[tuple[str, Any, str]]]:
    """A schema 1-3 progress file with every record that fails its checks taken out.
    Returns (the clean data, [(where, the value, why)]). Raises `Invalid` only when the
    file as a whole is not a progress file (not a JSON object)."""
    if not isinstance(data, dict):
        raise Invalid("it is not a JSON object")
    clean: dict[str, Any] = {}
    rejected: list[tuple[str, Any, str]] = []

    def reject(where: str, value: Any, exc: Exception) -> None:
        rejected.append((where, value, str(exc)))

    for key, value in data.items():
        if not isinstance(key, str) or _SURROGATE.search(key):
            reject("a key", value, Invalid("a key is not valid Unicode"))
            continue
        if key == "schema_version":
            clean[key] = value if isinstance(value, int) and not isinstance(value, bool) else None
        elif key in _LEGACY_LISTS:
            if value is None:
                continue
            if not isinstance(value, list):
                reject(key, value, Invalid(f"{key} is not a list"))
                continue
            check = _LEGACY_LISTS[key]
            keep = []
            for n, item in enumerate(value):
                try:
                    plain(item, f"{key}[{n}]")
                    check(item, key.rstrip("s").replace("_", " "))
                    keep.append(item)
                except Invalid as exc:
                    reject(f"{key}[{n}]", item, exc)
            clean[key] = keep
        elif key == "schedule":
            if value is None:
                continue
            if not isinstance(value, dict):
                reject(key, value, Invalid("schedule is not an object"))
                continue
            items = {}
            for item, m in value.items():
                try:
                    ident(item, "schedule item")
                    plain(m, f"schedule {item[:40]}")
                    memory(m, f"schedule {item[:40]}")
                    items[item] = m
                except Invalid as exc:
                    reject(f"schedule[{item[:40]!r}]", m, exc)
            clean[key] = items
        elif key == "settings":
            try:
                if value is not None:
                    plain(value, key)
                    settings(value)
                clean[key] = value
            except Invalid as exc:
                reject(key, value, exc)
        elif key == "exam_in_progress":
            try:
                if value is not None:
                    plain(value, key)
                    exam_state(value, "exam in progress")
                clean[key] = value
            except Invalid as exc:
                reject(key, value, exc)
        elif key == "excluded":
            keep = []
            for n, item in enumerate(value if isinstance(value, list) else [value]):
                try:
                    keep.append(ident(item, "excluded session"))
                except Invalid as exc:
                    reject(f"excluded[{n}]", item, exc)
            clean[key] = keep
        else:  # a newer version's key: kept as it is, if it can be written back
            try:
                clean[key] = plain(value, key)
            except Invalid as exc:
                reject(key, value, exc)
    return clean, rejected


# --- writing ----------------------------------------------------------------------------------

def dumps(data: Any, **kw) -> str:
    """`json.dumps` for every `--json` output and export: never NaN or Infinity (invalid
    JSON). Should a computed figure be one anyway, it is written as null."""
    try:
        return json.dumps(data, allow_nan=False, **kw)
    except ValueError:
        return json.dumps(_finite(data), allow_nan=False, **kw)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
