"""What the hot paths read, folded forward from the journal one record at a time. Pure.

A `Snapshot` is everything a command needs without the whole history:

- the small mutable **state**: settings, the FSRS schedule (item key -> memory), the latest
  review of each item (for re-rating), `extra` keys;
- derived **views**: per-question history (seen, right, latest and first try), per-item
  review counts, answer totals, the recent sessions with their counts, mock-exam summaries;
- the **exam in progress** (from its own file, not the journal).

`Snapshot.fold(record, offset)` applies one journal line in O(1). The store checkpoints the
state (`state.json`, in the data folder) and the views (`views-<journal id>.json`, in the
cache folder) with the journal offset each reflects, and folds only the lines after it;
either is rebuilt from the journal when missing or inconsistent. Both are derived from
the journal, so losing them loses nothing.

`Snapshot.from_progress` computes the same snapshot from a full `Progress` (tests compare
it with the incremental one; pure functions accept either a `Progress` or a `Snapshot`
through `snapshot_of`).

For later work: per-task or per-domain figures are sums over `questions` using the bank
(`Views.by_task`), so a question pack loaded or not changes them without a rebuild; a new
record type either folds here in O(1) or is listed in `REBUILD_TYPES`, which makes the
store recompute the views from the whole journal once, after such a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable, Iterator

from aifprep.progress import Progress, QuestionHistory, memory_from_json
from aifprep.records import Record, flatten, progress_records, settings_from
from aifprep.scheduling import DEFAULT_RETENTION, Memory, StudySettings

FORMAT = 1
RECENT_SESSIONS = 50  # sessions kept with their counts (stats shows 5)
# record types the views cannot fold in O(1): after one, the store recomputes them once
REBUILD_TYPES: frozenset[str] = frozenset({"exclude", "include"})
CONFIDENCE_LEVELS = ("sure", "unsure", "guess")

# indexes into a `Views.questions` entry
(SEEN, RIGHT, LAST_CORRECT, LAST_AT, FIRST_CORRECT, FIRST_AT, FIRST_ID,
 LAST_CONFIDENCE) = range(8)
# indexes into a `Views.items` entry
REVIEWS, GOOD, INTRODUCED = range(3)
# indexes into a `Views.sessions` entry
S_MODE, S_STARTED, S_FINISHED, S_LABEL, S_ANSWERED, S_CORRECT = range(6)


@dataclass(frozen=True)
class FirstTry:
    correct: bool
    at: str


class Views:
    """Derived views, kept as plain JSON-able containers so checkpoints are cheap."""

    def __init__(self, excluded: Iterable[str] = ()) -> None:
        self.answered = 0
        self.correct = 0
        # question id -> [seen, right, last_correct, last_at, first_correct, first_at,
        #                 first_answer_id, last_confidence]
        self.questions: dict[str, list] = {}
        self.items: dict[str, list] = {}  # item key -> [reviews, good_or_easy, introduced_at]
        self.sessions: dict[str, list] = {}  # the RECENT_SESSIONS latest-started sessions
        self.mock_exams: list[dict] = []  # summaries in journal order, with the line offset
        self.confidence: dict[str, list] = {c: [0, 0] for c in CONFIDENCE_LEVELS}  # [n, right]
        self.wrong: dict[str, dict[str, int]] = {}  # question id -> {given (JSON): times}
        self.activity: dict[str, list] = {}  # UTC quarter hour -> [answers, card ratings, reviews]
        self.pace: dict[str, list] = {}  # question id -> [mock-exam seconds, times]
        self.tried: set[str] = set()  # questions ever answered, practice runs included
        self.excluded: set[str] = set(excluded)  # practice runs: sessions and exams left out
        self.dropped: set[str] = set()  # answer ids of practice runs (their reviews go too)
        self.practice: dict[str, list] = {}  # question id -> [seen, right, last_correct, last_at]
        self._mock_ids: set[str] = set()  # every finished exam, practice runs included
        self.memo = _Memo()  # results computed from the views (e.g. past forecast points)

    # --- folding ------------------------------------------------------------------------

    def fold(self, r: Record, offset: int) -> None:
        """Fold one record (not a batch; `Snapshot.fold` unpacks those)."""
        kind = r["type"]
        if kind == "answer":
            self.tried.add(r["question"])
            if r["session"] in self.excluded:
                self.dropped.add(r["id"])
                self._practice(r)
            else:
                self._answer(r)
        elif kind == "review":
            if r["id"] in self.dropped:
                return
            bucket = self._bucket(r["at"])
            bucket[2] += 1
            if r["item"].startswith("card:"):
                bucket[1] += 1
            item = self.items.get(r["item"])
            if item is None:
                item = self.items[r["item"]] = [0, 0, None]
            item[REVIEWS] += 1
            item[GOOD] += int(r["rating"]) >= 3
            if item[INTRODUCED] is None and r.get("previous") is None:
                item[INTRODUCED] = r["at"]
        elif kind == "rerate":
            item = self.items.get(r["item"])
            if item is not None:
                item[GOOD] += (int(r["rating"]) >= 3) - (int(r["was"]) >= 3)
        elif kind == "session":
            if r["id"] not in self.sessions and r["id"] not in self.excluded:
                self.sessions[r["id"]] = [r["mode"], r["started"], r.get("finished"),
                                          r.get("label", ""), 0, 0]
                if len(self.sessions) > RECENT_SESSIONS:
                    oldest = min(self.sessions, key=lambda k: self.sessions[k][S_STARTED])
                    del self.sessions[oldest]
        elif kind == "session-finished":
            s = self.sessions.get(r["session"])
            if s is not None:
                s[S_FINISHED] = s[S_FINISHED] or r.get("at")
                if "label" in r:
                    s[S_LABEL] = r["label"]
        elif kind == "mock-exam":
            if r["id"] not in self._mock_ids:
                self._mock_ids.add(r["id"])
                if r["id"] in self.excluded:
                    return
                for qid, seconds in zip(r["questions"], r["seconds"]):
                    if seconds:
                        pace = self.pace.setdefault(qid, [0.0, 0])
                        pace[0] += float(seconds)
                        pace[1] += 1
                self.mock_exams.append({
                    "id": r["id"], "started": r["started"], "finished": r["finished"],
                    "scaled": int(r["scaled"]), "passed": bool(r["passed"]),
                    "correct": int(r["correct"]), "total": int(r["total"]),
                    "domains": {k: [int(v["correct"]), int(v["total"])]
                                for k, v in r["domains"].items()},
                    "offset": offset})

    def _bucket(self, at: str) -> list:
        """The activity counters of the UTC quarter hour of `at` (time zones are whole
        quarter hours, so any local day is a set of them)."""
        key = f"{at[:14]}{int(at[14:16]) // 15 * 15:02d}"
        bucket = self.activity.get(key)
        if bucket is None:
            bucket = self.activity[key] = [0, 0, 0]
        return bucket

    def _practice(self, r: Record) -> None:
        correct, at = bool(r["correct"]), r["at"]
        q = self.practice.get(r["question"])
        if q is None:
            self.practice[r["question"]] = [1, int(correct), correct, at]
        else:
            q[SEEN] += 1
            q[RIGHT] += correct
            if at >= q[LAST_AT]:
                q[LAST_CORRECT], q[LAST_AT] = correct, at

    def _answer(self, r: Record) -> None:
        correct, at, aid = bool(r["correct"]), r["at"], r["id"]
        confidence = r.get("confidence")
        self.answered += 1
        self.correct += correct
        self._bucket(at)[0] += 1
        if confidence in self.confidence:
            self.confidence[confidence][0] += 1
            self.confidence[confidence][1] += correct
        if not correct:
            wrong = self.wrong.setdefault(r["question"], {})
            key = _encode_given(r["given"])
            wrong[key] = wrong.get(key, 0) + 1
        q = self.questions.get(r["question"])
        if q is None:
            self.questions[r["question"]] = [1, int(correct), correct, at, correct, at, aid,
                                             confidence]
        else:
            q[SEEN] += 1
            q[RIGHT] += correct
            if at >= q[LAST_AT]:  # answers ordered by time, ties by journal order
                q[LAST_CORRECT], q[LAST_AT], q[LAST_CONFIDENCE] = correct, at, confidence
            if (at, aid) < (q[FIRST_AT], q[FIRST_ID]):
                q[FIRST_CORRECT], q[FIRST_AT], q[FIRST_ID] = correct, at, aid
        s = self.sessions.get(r["session"])
        if s is not None:
            s[S_ANSWERED] += 1
            s[S_CORRECT] += correct

    # --- questions ----------------------------------------------------------------------

    def question_history(self, practice: bool = False) -> dict[str, QuestionHistory]:
        """Per question id: how often seen and answered right, and the latest result;
        with `practice`, answers in practice runs count too (as for drawing questions)."""
        out = {qid: QuestionHistory(q[SEEN], q[RIGHT], q[LAST_CORRECT], q[LAST_AT])
               for qid, q in self.questions.items()}
        if practice:
            for qid, p in self.practice.items():
                old = out.get(qid)
                if old is None:
                    out[qid] = QuestionHistory(p[SEEN], p[RIGHT], p[LAST_CORRECT], p[LAST_AT])
                else:
                    newer = p[LAST_AT] > old.last_at
                    out[qid] = QuestionHistory(old.seen + p[SEEN], old.right + p[RIGHT],
                                               p[LAST_CORRECT] if newer else old.last_correct,
                                               p[LAST_AT] if newer else old.last_at)
        return out

    def misconceptions(self) -> frozenset[str]:
        """Questions last answered wrong while the candidate said they were sure."""
        return frozenset(qid for qid, q in self.questions.items()
                         if q[LAST_CONFIDENCE] == "sure" and not q[LAST_CORRECT])

    def wrong_responses(self) -> Iterator[tuple[str, tuple, int]]:
        """(question id, a wrong response, how many times it was given)."""
        for qid, given in self.wrong.items():
            for key, n in given.items():
                yield qid, _decode_given(key), n

    def days(self, tz) -> dict:
        """Local day -> [answers, card ratings, reviews] in the time zone `tz`."""
        from datetime import datetime as dt, timedelta

        fixed = tz.utcoffset(None)  # a fixed offset: shift by it, no date parsing per bucket
        shift = None if fixed is None else fixed // timedelta(minutes=1)
        dates: dict[str, tuple] = {}  # UTC date -> (that day, the day before, the day after)
        out: dict = {}
        for key, (answers, cards, reviews) in self.activity.items():
            if shift is not None:
                near = dates.get(key[:10])
                if near is None:
                    utc_day = date.fromisoformat(key[:10])
                    near = dates[key[:10]] = (utc_day, utc_day + timedelta(days=1),
                                              utc_day - timedelta(days=1))
                minutes = int(key[11:13]) * 60 + int(key[14:16]) + shift
                day = near[minutes // 1440] if -1440 <= minutes < 2880 else \
                    near[0] + timedelta(days=minutes // 1440)
            else:
                day = dt.fromisoformat(key + ":00+00:00").astimezone(tz).date()
            tally = out.setdefault(day, [0, 0, 0])
            tally[0] += answers
            tally[1] += cards
            tally[2] += reviews
        return out

    def first_tries(self) -> dict[str, FirstTry]:
        """Per question id: the first answer ever given (the honest measure of knowledge)."""
        return {qid: FirstTry(q[FIRST_CORRECT], q[FIRST_AT]) for qid, q in self.questions.items()}

    def first_tries_by(self, group_of: Callable[[str], str | None]) -> dict[str, tuple[int, int]]:
        """(questions tried, right at the first try) per group, e.g. per task statement."""
        out: dict[str, list[int]] = {}
        for qid, q in self.questions.items():
            group = group_of(qid)
            if group is not None:
                tally = out.setdefault(group, [0, 0])
                tally[0] += 1
                tally[1] += bool(q[FIRST_CORRECT])
        return {g: (n, c) for g, (n, c) in out.items()}

    def by_group(self, group_of: Callable[[str], str | None]) -> dict[str, tuple[int, int]]:
        """(answered, correct) per group (e.g. task or domain of each question id; None
        drops the question, e.g. one no longer in the bank)."""
        out: dict[str, list[int]] = {}
        for qid, q in self.questions.items():
            group = group_of(qid)
            if group is not None:
                tally = out.setdefault(group, [0, 0])
                tally[0] += q[SEEN]
                tally[1] += q[RIGHT]
        return {g: (n, c) for g, (n, c) in out.items()}

    # --- items, sessions, exams ----------------------------------------------------------

    def item_reviews(self, keys: Iterable[str]) -> tuple[int, int]:
        """(reviews, rated Good or Easy) over the given item keys."""
        n = good = 0
        for k in keys:
            item = self.items.get(k)
            if item is not None:
                n += item[REVIEWS]
                good += item[GOOD]
        return n, good

    def introduced_on(self, day_of: Callable[[str], Any], today: Any, prefix: str = "card:") -> int:
        """How many items (cards by default) had their first review on `today`."""
        return sum(1 for k, item in self.items.items()
                   if k.startswith(prefix) and item[INTRODUCED] is not None
                   and day_of(item[INTRODUCED]) == today)

    def recent_sessions(self, n: int) -> list[tuple[str, list]]:
        """The n latest-started sessions, latest first, as (id, entry)."""
        ordered = sorted(self.sessions.items(), key=lambda kv: kv[1][S_STARTED])
        return list(reversed(ordered[-n:])) if n else []

    def has_mock_exam(self, exam_id: str) -> bool:
        return exam_id in self._mock_ids

    # --- JSON -----------------------------------------------------------------------------

    def to_json(self) -> dict:
        return {"answered": self.answered, "correct": self.correct,
                "questions": self.questions, "items": self.items, "sessions": self.sessions,
                "mock_exams": self.mock_exams, "confidence": self.confidence,
                "wrong": self.wrong, "activity": self.activity, "pace": self.pace,
                "tried": sorted(self.tried), "excluded": sorted(self.excluded),
                "dropped": sorted(self.dropped), "finished": sorted(self._mock_ids),
                "practice": self.practice, "memo": dict(self.memo)}

    @classmethod
    def from_json(cls, data: dict) -> "Views":
        v = cls(data["excluded"])
        v.answered, v.correct = int(data["answered"]), int(data["correct"])
        v.questions, v.items = dict(data["questions"]), dict(data["items"])
        v.sessions, v.mock_exams = dict(data["sessions"]), list(data["mock_exams"])
        v.confidence, v.wrong = dict(data["confidence"]), dict(data["wrong"])
        v.activity, v.pace = dict(data["activity"]), dict(data["pace"])
        v.tried, v.dropped = set(data["tried"]), set(data["dropped"])
        v._mock_ids = set(data["finished"])
        v.practice = dict(data["practice"])
        v.memo = _Memo(data.get("memo") or {})
        v.memo.dirty = False
        return v

    def __eq__(self, other: object) -> bool:
        """Same figures (the journal offsets of the mock exams aside: a full recomputation
        from a `Progress` has none)."""
        if not isinstance(other, Views):
            return False
        mine, theirs = self.to_json(), other.to_json()
        for data in (mine, theirs):
            del data["memo"]
            data["mock_exams"] = [{k: v for k, v in m.items() if k != "offset"}
                                  for m in data["mock_exams"]]
        return mine == theirs


class State:
    """The small mutable state: settings, schedule, latest review per item, extra keys."""

    def __init__(self) -> None:
        self.settings: dict = {"exam_date": None, "retention": DEFAULT_RETENTION}
        self.schedule: dict[str, dict] = {}  # item key -> memory JSON
        self.latest: dict[str, list] = {}  # item key -> [review id, line offset]
        self.extra: dict[str, Any] = {}
        self.excluded: set[str] = set()  # sessions and exams marked as practice runs

    def fold(self, r: Record, offset: int) -> str | None:
        """Fold one record; return the item key whose memory changed, if one did."""
        kind = r["type"]
        if kind == "review":
            self.latest[r["item"]] = [r["id"], offset]
            if r.get("after") is not None:
                self.schedule[r["item"]] = r["after"]
                return r["item"]
        elif kind == "rerate":
            if r.get("after") is not None:
                self.schedule[r["item"]] = r["after"]
                return r["item"]
        elif kind == "settings":
            self.settings = {"exam_date": r.get("exam_date"),
                             "retention": float(r.get("retention", DEFAULT_RETENTION)),
                             "ask_confidence": r.get("ask_confidence") is not False}
        elif kind == "extra":
            self.extra = dict(r["data"])
        elif kind == "exclude":
            self.excluded.add(str(r["session"]))
        elif kind == "include":
            self.excluded.discard(str(r["session"]))
        return None

    def to_json(self) -> dict:
        return {"settings": self.settings, "schedule": self.schedule, "latest": self.latest,
                "extra": self.extra, "excluded": sorted(self.excluded)}

    @classmethod
    def from_json(cls, data: dict) -> "State":
        s = cls()
        s.settings = dict(data["settings"])
        s.schedule, s.latest = dict(data["schedule"]), dict(data["latest"])
        s.extra = dict(data.get("extra") or {})
        s.excluded = set(data.get("excluded") or ())
        return s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, State) and self.to_json() == other.to_json()


class Snapshot:
    """State + views + the exam in progress, as of a journal offset.

    Read it like a `Progress` for the parts the hot paths use: `settings`, `schedule`,
    `exam`, `memory(key)`, `views`. `read_line(offset)` (given by the store) returns the
    journal line at an offset, for the rare reads of a whole record (re-rating a review,
    `mock-exam --review`).
    """

    def __init__(self, state: State | None = None, views: Views | None = None, exam=None,
                 read_line: Callable[[int], Record] | None = None) -> None:
        self.state = state or State()
        self.views = views or Views()
        self.exam = exam
        self.read_line = read_line
        self._memories: dict[str, Memory] | None = None
        self._settings: StudySettings | None = None

    # --- reading ------------------------------------------------------------------------

    @property
    def settings(self) -> StudySettings:
        if self._settings is None:
            self._settings = settings_from(self.state.settings)
        return self._settings

    @property
    def schedule(self) -> dict[str, Memory]:
        """Item key -> FSRS memory (parsed once, then kept up to date by `fold`)."""
        if self._memories is None:
            self._memories = {k: memory_from_json(m) for k, m in self.state.schedule.items()}
        return self._memories

    def memory(self, key: str) -> Memory | None:
        if self._memories is not None:
            return self._memories.get(key)
        raw = self.state.schedule.get(key)
        return None if raw is None else memory_from_json(raw)

    def question_dues(self) -> dict[str, datetime]:
        """Question id -> when it is due for review."""
        prefix = "question:"
        return {k[len(prefix):]: m.due for k, m in self.schedule.items() if k.startswith(prefix)}

    def latest_review(self, review_id: str) -> Record | None:
        """The review record with this id if it is the latest review of its item."""
        for item, (rid, offset) in self.state.latest.items():
            if rid == review_id:
                if self.read_line is None:
                    return None
                for r in flatten(self.read_line(offset)):
                    if r.get("type") == "review" and r.get("id") == review_id:
                        return r
        return None

    def mock_exam(self, exam_id: str | None = None) -> Record | None:
        """The whole record of a finished mock exam (the latest without an id)."""
        summaries = [m for m in self.views.mock_exams if exam_id in (None, m["id"])]
        if not summaries or self.read_line is None:
            return None
        wanted = summaries[-1]
        for r in flatten(self.read_line(wanted["offset"])):
            if r.get("type") == "mock-exam" and r.get("id") == wanted["id"]:
                return r
        return None

    # --- folding ------------------------------------------------------------------------

    def fold(self, record: Record, offset: int, state: bool = True, views: bool = True) -> None:
        for r in flatten(record):
            if state:
                changed = self.state.fold(r, offset)
                kind = r["type"]
                if kind == "settings":
                    self._settings = None
                elif kind == "schedule":
                    for key, memory in r["items"].items():
                        if memory is None:
                            self.state.schedule.pop(key, None)
                            if self._memories is not None:
                                self._memories.pop(key, None)
                        else:
                            self.state.schedule[key] = memory
                            if self._memories is not None:
                                self._memories[key] = memory_from_json(memory)
                elif changed is not None and self._memories is not None:
                    self._memories[changed] = memory_from_json(self.state.schedule[changed])
            if views:
                if r["type"] in ("exclude", "include"):
                    self.views.excluded = set(self.state.excluded)
                self.views.fold(r, offset)

    @classmethod
    def from_progress(cls, progress: Progress) -> "Snapshot":
        """The snapshot of a full `Progress`, computed from scratch."""
        records = progress_records(progress)
        snap = cls(exam=progress.exam, read_line=lambda offset: records[offset])
        for n, record in enumerate(records):
            snap.fold(record, n)
        return snap


class _Memo(dict):
    """A small dict of derived results, saved with the views; `dirty` once written to."""

    LIMIT = 64

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.dirty = False

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.LIMIT:
            del self[next(iter(self))]
        super().__setitem__(key, value)
        self.dirty = True


def _encode_given(given) -> str:
    import json

    return json.dumps(given, separators=(",", ":"))


def _decode_given(key: str) -> tuple:
    import json

    return tuple(json.loads(key))


def snapshot_of(progress: Progress | Snapshot) -> Snapshot:
    return progress if isinstance(progress, Snapshot) else Snapshot.from_progress(progress)


def local_day_of(tz) -> Callable[[str], date]:
    from aifprep.progress import parse_time
    from aifprep.scheduling import local_day

    return lambda at: local_day(parse_time(at), tz)
