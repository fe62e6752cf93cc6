"""A seeded population of synthetic candidates, for checking that the forecast is calibrated.

Each candidate has a true chance per task statement of answering an unseen question right
(an overall ability plus task strengths and weaknesses, growing as they study), a study
history of first tries spread over the last weeks, and sits one synthetic exam form today.
`calibration(n, seed)` forecasts each candidate from their history alone and compares.
Pure and deterministic for a seed; used by the test suite and docs/forecast.md.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from aifprep.domains import ALL_TASKS
from aifprep.forecast import PASS_SCALED, SCORED_QUESTIONS, FirstTry, exam_form, forecast

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
STUDY_DAYS = 42


@dataclass(frozen=True)
class Outcome:
    low: int
    high: int
    score: int
    p_pass: float
    true_scaled: int

    @property
    def covered(self) -> bool:
        return self.low <= self.true_scaled <= self.high

    @property
    def passed(self) -> bool:
        return self.true_scaled >= PASS_SCALED


@dataclass(frozen=True)
class Calibration:
    candidates: int
    forecasts: int  # candidates with enough evidence for a number
    coverage: float  # share of true scores inside the 80% interval
    brier: float
    mean_abs_error: float  # scaled points between the expected and the true score
    deciles: tuple[tuple[float, float, int], ...]  # (mean predicted, observed, cases)

    def worst_gap(self) -> float:
        """The largest |observed pass rate - mean predicted| over the deciles."""
        return max(abs(observed - predicted) for predicted, observed, _ in self.deciles)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def candidate(rng: random.Random) -> tuple[list[FirstTry], int]:
    """One synthetic candidate: (their first tries, their true scaled score today)."""
    ability = rng.uniform(-0.6, 2.6)  # logit of the overall chance, 35%-93%
    strengths = {t: rng.gauss(0, 0.6) for t in ALL_TASKS}
    growth = rng.uniform(0.0, 0.8)  # log-odds gained over the study period
    total = int(rng.uniform(30, 420))
    preference = {t: rng.gammavariate(1.5, 1.0) for t in ALL_TASKS}
    whole = sum(preference.values())
    tries = []
    for t in ALL_TASKS:
        for _ in range(round(total * preference[t] / whole)):
            day = rng.uniform(0, STUDY_DAYS)  # days ago
            p = _sigmoid(ability + strengths[t] - growth * day / STUDY_DAYS)
            tries.append(FirstTry(t, rng.random() < p, NOW - timedelta(days=day)))
    right = 0
    for t, n in exam_form().items():
        p = _sigmoid(ability + strengths[t])
        right += sum(rng.random() < p for _ in range(n))
    return tries, 100 + 900 * right // SCORED_QUESTIONS


def calibration(n: int = 1000, seed: int = 2026, groups: int = 10) -> Calibration:
    """Forecast n synthetic candidates and compare with the exam each then sits.

    Reliability is measured over deciles of predicted pass probability (equal-count groups,
    sorted by prediction), so every group holds enough cases to judge.
    """
    rng = random.Random(seed)
    outcomes = []
    for _ in range(n):
        tries, true_scaled = candidate(rng)
        f = forecast(tries, NOW)
        if f.ready:
            outcomes.append(Outcome(f.low, f.high, f.score, f.p_pass, true_scaled))
    ranked = sorted(outcomes, key=lambda o: o.p_pass)
    deciles = []
    for g in range(groups):
        cases = ranked[g * len(ranked) // groups:(g + 1) * len(ranked) // groups]
        if cases:
            deciles.append((sum(o.p_pass for o in cases) / len(cases),
                            sum(o.passed for o in cases) / len(cases), len(cases)))
    m = len(outcomes) or 1
    return Calibration(
        candidates=n, forecasts=len(outcomes),
        coverage=sum(o.covered for o in outcomes) / m,
        brier=sum((o.p_pass - o.passed) ** 2 for o in outcomes) / m,
        mean_abs_error=sum(abs(o.score - o.true_scaled) for o in outcomes) / m,
        deciles=tuple(deciles))
