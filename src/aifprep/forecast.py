"""The pass forecast: what the candidate would score on exam day, with an honest interval.

Pure: evidence in, a `Forecast` out; no clock, files or terminal.

The model, per task statement t:
- The chance p_t of answering an *unseen* question right. Only first tries count (the real
  exam asks questions the candidate has never seen; repeats measure memory of one item).
- Prior: Beta with mean m (the candidate's pooled first-try rate, itself uncertain) and
  strength PRIOR_STRENGTH, so a task with little evidence leans on the others.
- Evidence is weighted by age (half-life RECENCY_HALF_LIFE_DAYS): a candidate learns, and
  last month's misses say less about today than yesterday's.
- Forgetting toward exam day: p_t decays toward the guessing rate by the ratio of the
  task's FSRS retrievability on exam day to today's (what is not reviewed fades).
- The exam form: SCORED_QUESTIONS questions by domain weight (10/12/14/7/7), split over the
  domain's tasks by their number of objectives. The number right in a task is Beta-Binomial;
  tasks are convolved exactly, and the uncertainty of m (shared by every task, so tasks rise
  and fall together) is integrated over a small quadrature grid. No simulation, no seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from aifprep.domains import DOMAINS
from aifprep.objectives import OBJECTIVES, task_of

SCORED_QUESTIONS = 50
PASS_SCALED = 700
PRIOR_STRENGTH = 4.0  # pseudo-answers behind each task's prior
POOL_PRIOR = (1.0, 1.0)  # uniform prior on the pooled first-try rate
RECENCY_HALF_LIFE_DAYS = 21.0
GUESS_RATE = 0.25  # what a candidate who forgot everything still gets right
MIN_PER_DOMAIN = 5  # first tries needed in every domain before a number is shown
MIN_TOTAL = 40
INTERVAL = (0.10, 0.90)  # an 80% interval
GROWTH_PRIOR = (0.5 / 42, 1.0 / 42)  # log-odds gained per day: mean, sd (candidates who study improve)
POOL_GRID = 5  # quadrature points over the pooled rate
GAUSS_HERMITE_3 = ((-math.sqrt(3), 1 / 6), (0.0, 2 / 3), (math.sqrt(3), 1 / 6))


@dataclass(frozen=True)
class FirstTry:
    """The first answer a candidate ever gave to one question."""

    task: str
    correct: bool
    at: datetime


@dataclass(frozen=True)
class DomainForecast:
    slug: str
    questions: int  # on the 50-question form
    expected_share: float  # expected share right, 0-1
    evidence: int  # first tries behind it


@dataclass(frozen=True)
class Forecast:
    """The predicted exam-day result, or the reason there is none yet."""

    score: int | None  # expected scaled score (100-1000)
    low: int | None  # 80% interval
    high: int | None
    p_pass: float | None
    evidence: int  # first tries used
    tasks_covered: int
    per_domain: tuple[DomainForecast, ...]
    reason: str | None = None  # why there is no number, and what would fix it
    horizon: str = "now"  # "now" or "exam day"

    @property
    def ready(self) -> bool:
        return self.score is not None

    def describe_evidence(self) -> str:
        return (f"from {self.evidence} first-try answer{'s' if self.evidence != 1 else ''} "
                f"across {self.tasks_covered} of 14 task statements")


def task_weights() -> dict[str, int]:
    """Objectives per task statement: a proxy for its share of its domain's questions."""
    counts: dict[str, int] = {}
    for objective in OBJECTIVES:
        counts[task_of(objective)] = counts.get(task_of(objective), 0) + 1
    return counts


def exam_form(total: int = SCORED_QUESTIONS) -> dict[str, int]:
    """Questions per task statement on one exam form, by largest remainder at each level."""
    per_domain = _largest_remainder({d.slug: d.weight for d in DOMAINS}, total)
    weights = task_weights()
    form: dict[str, int] = {}
    for d in DOMAINS:
        form.update(_largest_remainder({t: weights.get(t, 1) for t in d.tasks}, per_domain[d.slug]))
    return form


def first_tries(answers: Iterable[tuple[str, str, bool, datetime]],
                task_of_question: Mapping[str, str]) -> list[FirstTry]:
    """The first answer to each question from (question id, answer id, correct, when) rows.

    Questions no longer in the bank are skipped. Rows may come in any order.
    """
    first: dict[str, tuple[datetime, str, bool]] = {}
    for question, answer_id, correct, at in answers:
        if question not in task_of_question:
            continue
        old = first.get(question)
        if old is None or (at, answer_id) < (old[0], old[1]):
            first[question] = (at, answer_id, correct)
    return [FirstTry(task_of_question[q], c, at) for q, (at, _, c) in first.items()]


def forecast(tries: Sequence[FirstTry], now: datetime,
             retention: Mapping[str, float] | None = None, horizon: str = "now") -> Forecast:
    """The exam-day forecast from first tries.

    `retention` maps a task to the share of its knowledge still recalled on exam day
    (FSRS retrievability on exam day / today, 0-1); missing tasks keep everything.
    """
    form = exam_form()
    counts = {t: 0 for t in form}
    weighted = {t: [0.0, 0.0] for t in form}  # weighted right, weighted wrong
    ages = {t: 0.0 for t in form}  # weighted sum of ages, for the task's mean age
    rows = []
    for tr in tries:
        if tr.task not in weighted:
            continue
        counts[tr.task] += 1
        age_days = max(0.0, (now - tr.at).total_seconds() / 86400)
        w = 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        weighted[tr.task][0 if tr.correct else 1] += w
        ages[tr.task] += w * age_days
        rows.append((age_days, tr.correct))
    growth, growth_se = learning_trend(rows)
    evidence = sum(counts.values())
    covered = sum(1 for n in counts.values() if n)
    by_domain = {d.slug: sum(counts[t] for t in d.tasks) for d in DOMAINS}

    short = {slug: MIN_PER_DOMAIN - n for slug, n in by_domain.items() if n < MIN_PER_DOMAIN}
    if short or evidence < MIN_TOTAL:
        return Forecast(None, None, None, None, evidence, covered,
                        tuple(DomainForecast(d.slug, sum(form[t] for t in d.tasks), 0.0,
                                             by_domain[d.slug]) for d in DOMAINS),
                        reason=_shortfall(short, evidence), horizon=horizon)

    pool_right = sum(r for r, _ in weighted.values())
    pool_wrong = sum(w for _, w in weighted.values())
    retention = retention or {}
    distribution = [0.0] * (SCORED_QUESTIONS + 1)
    expected_right = {t: 0.0 for t in form}
    pool = _beta_quadrature(POOL_PRIOR[0] + pool_right, POOL_PRIOR[1] + pool_wrong)
    trend = [(growth + z * growth_se, w) for z, w in GAUSS_HERMITE_3] if growth_se else [(growth, 1.0)]
    for (m, w_pool), (g, w_trend) in ((x, y) for x in pool for y in trend):
        weight = w_pool * w_trend
        dist = [1.0]
        for task, n in form.items():
            a = PRIOR_STRENGTH * m + weighted[task][0]
            b = PRIOR_STRENGTH * (1 - m) + weighted[task][1]
            seen = weighted[task][0] + weighted[task][1]
            mean_age = ages[task] / seen if seen else 0.0
            a, b = _shifted(a, b, g * mean_age)
            a, b = _decayed(a, b, retention.get(task, 1.0))
            expected_right[task] += weight * n * a / (a + b)
            dist = _convolve(dist, _beta_binomial(n, a, b))
        for c, p in enumerate(dist):
            distribution[c] += weight * p
    total = sum(distribution)
    distribution = [p / total for p in distribution]

    pass_count = math.ceil(SCORED_QUESTIONS * (PASS_SCALED - 100) / 900)
    mean_right = sum(c * p for c, p in enumerate(distribution))
    per_domain = tuple(
        DomainForecast(d.slug, sum(form[t] for t in d.tasks),
                       sum(expected_right[t] for t in d.tasks) / max(1, sum(form[t] for t in d.tasks)),
                       by_domain[d.slug])
        for d in DOMAINS)
    return Forecast(
        score=_scaled(mean_right),
        low=_scaled(_quantile(distribution, INTERVAL[0])),
        high=_scaled(_quantile(distribution, INTERVAL[1])),
        p_pass=sum(distribution[pass_count:]),
        evidence=evidence, tasks_covered=covered, per_domain=per_domain, horizon=horizon)


def task_estimates(tries: Sequence[FirstTry], now: datetime) -> dict[str, float]:
    """Per task statement, the expected chance of answering an unseen question right today
    (posterior mean; tasks without evidence lean on the candidate's pooled rate)."""
    right = {t: 0.0 for t in exam_form()}
    wrong = {t: 0.0 for t in right}
    for tr in tries:
        if tr.task in right:
            w = 0.5 ** (max(0.0, (now - tr.at).total_seconds() / 86400) / RECENCY_HALF_LIFE_DAYS)
            (right if tr.correct else wrong)[tr.task] += w
    pooled = (POOL_PRIOR[0] + sum(right.values())) / (
        sum(POOL_PRIOR) + sum(right.values()) + sum(wrong.values()))
    return {t: (PRIOR_STRENGTH * pooled + right[t]) / (PRIOR_STRENGTH + right[t] + wrong[t])
            for t in right}


# --- helpers --------------------------------------------------------------------------------

def _shortfall(short: dict[str, int], evidence: int) -> str:
    names = [slug for slug in short]
    need = max(sum(short.values()), MIN_TOTAL - evidence)
    where = (" in " + _join(names)) if names else " in any domain"
    return (f"not enough first-try answers for a forecast yet ({evidence}); answer about "
            f"{need} new question{'s' if need != 1 else ''}{where} "
            f"(aifprep quiz --new) for a forecast")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _scaled(right: float) -> int:
    return round(100 + 900 * right / SCORED_QUESTIONS)


def _quantile(distribution: Sequence[float], q: float) -> float:
    """The q-quantile of the number right, each count's mass spread evenly over c ± 0.5
    (so an 80% interval covers about 80%, not more, despite whole-number scores)."""
    cumulative = 0.0
    for c, p in enumerate(distribution):
        if p > 0 and cumulative + p >= q:
            return max(0.0, min(len(distribution) - 1.0, c - 0.5 + (q - cumulative) / p))
        cumulative += p
    return len(distribution) - 1.0


def _largest_remainder(weights: Mapping[str, float], total: int) -> dict[str, int]:
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    leftover = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: (counts[k] - exact[k], k))[:leftover]:
        counts[k] += 1
    return counts


def learning_trend(rows: Sequence[tuple[float, bool]]) -> tuple[float, float]:
    """How much the log-odds of a right first try grow per day, and its standard error
    (a candidate who studies gets better, so older answers undersell today).

    A logistic regression of right/wrong on age (days ago), fitted by Newton's method, then
    combined with a normal prior (GROWTH_PRIOR).
    """
    none = (0.0, 0.0)  # too little to tell: take the answers at face value
    if len(rows) < 2 * MIN_PER_DOMAIN:
        return none
    a, b = 0.0, 0.0  # intercept, slope per day of age (negative when improving)
    info = None
    for _ in range(25):
        ga = gb = haa = hab = hbb = 0.0
        for age, right in rows:
            p = 1 / (1 + math.exp(-(a + b * age)))
            r = (1.0 if right else 0.0) - p
            v = p * (1 - p)
            ga += r
            gb += r * age
            haa += v
            hab += v * age
            hbb += v * age * age
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            return none
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a + da, b + db
        info = det, haa
        if abs(da) < 1e-9 and abs(db) < 1e-12:
            break
    var_b = info[1] / info[0]
    prior_mean, prior_var = GROWTH_PRIOR[0], GROWTH_PRIOR[1] ** 2
    mean = (prior_mean * var_b - b * prior_var) / (prior_var + var_b)  # -b: growth per day
    return mean, math.sqrt(prior_var * var_b / (prior_var + var_b))


def _shifted(a: float, b: float, logit_shift: float) -> tuple[float, float]:
    """Beta(a, b) with its mean moved by `logit_shift` on the log-odds scale, same strength."""
    if abs(logit_shift) < 1e-9:
        return a, b
    n = a + b
    mean = min(max(a / n, 1e-6), 1 - 1e-6)
    moved = 1 / (1 + math.exp(-(math.log(mean / (1 - mean)) + logit_shift)))
    return moved * n, (1 - moved) * n


def _decayed(a: float, b: float, kept: float) -> tuple[float, float]:
    """Beta(a, b) for p, mapped through p -> guess + (p - guess) * kept (moment matched)."""
    kept = min(1.0, max(0.0, kept))
    if kept >= 0.999:
        return a, b
    n = a + b
    mean = a / n
    var = a * b / (n * n * (n + 1))
    mean2 = GUESS_RATE + (mean - GUESS_RATE) * kept
    var2 = max(var * kept * kept, 1e-9)
    strength = mean2 * (1 - mean2) / var2 - 1
    strength = max(strength, 1e-3)
    return mean2 * strength, (1 - mean2) * strength


def _beta_binomial(n: int, a: float, b: float) -> list[float]:
    log_beta_ab = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    out = []
    for k in range(n + 1):
        log_choose = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
        log_beta = math.lgamma(k + a) + math.lgamma(n - k + b) - math.lgamma(n + a + b)
        out.append(math.exp(log_choose + log_beta - log_beta_ab))
    return out


def _convolve(x: list[float], y: list[float]) -> list[float]:
    out = [0.0] * (len(x) + len(y) - 1)
    for i, p in enumerate(x):
        if p:
            for j, q in enumerate(y):
                out[i + j] += p * q
    return out


def _beta_quadrature(a: float, b: float, points: int = POOL_GRID) -> list[tuple[float, float]]:
    """Equal-weight points at the Beta(a, b) quantiles (i + 0.5) / points."""
    return [(_beta_ppf((i + 0.5) / points, a, b), 1.0 / points) for i in range(points)]


def _beta_ppf(q: float, a: float, b: float) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if _beta_cdf(mid, a, b) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _beta_cdf(x: float, a: float, b: float) -> float:
    """Regularized incomplete beta I_x(a, b) by its continued fraction (Numerical Recipes)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_cf(x, a, b) / a
    return 1.0 - front * _beta_cf(1 - x, b, a) / b


def _beta_cf(x: float, a: float, b: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 200):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 3e-14:
            break
    return h
