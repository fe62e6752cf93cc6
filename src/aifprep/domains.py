"""The five AIF-C01 exam domains, their weights and task statements."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Domain:
    number: int
    slug: str
    name: str
    weight: float  # share of the scored exam
    tasks: tuple[str, ...]


DOMAINS: tuple[Domain, ...] = (
    Domain(1, "ai-ml", "Fundamentals of AI and ML", 0.20, ("1.1", "1.2", "1.3")),
    Domain(2, "genai", "Fundamentals of Generative AI", 0.24, ("2.1", "2.2", "2.3")),
    Domain(3, "foundation-models", "Applications of Foundation Models", 0.28,
           ("3.1", "3.2", "3.3", "3.4")),
    Domain(4, "responsible-ai", "Guidelines for Responsible AI", 0.14, ("4.1", "4.2")),
    Domain(5, "security", "Security, Compliance, and Governance for AI Solutions", 0.14,
           ("5.1", "5.2")),
)

BY_SLUG: dict[str, Domain] = {d.slug: d for d in DOMAINS}

TASK_TITLES: dict[str, str] = {
    "1.1": "Basic AI concepts and terminologies",
    "1.2": "Practical use cases for AI",
    "1.3": "The ML development lifecycle",
    "2.1": "Basic concepts of generative AI",
    "2.2": "Capabilities and limitations of GenAI",
    "2.3": "AWS infrastructure for GenAI applications",
    "3.1": "Design considerations for FM applications",
    "3.2": "Effective prompt engineering techniques",
    "3.3": "Training and fine-tuning of FMs",
    "3.4": "Evaluating FM performance",
    "4.1": "Developing responsible AI systems",
    "4.2": "Transparent and explainable models",
    "5.1": "Securing AI systems",
    "5.2": "Governance and compliance for AI",
}

ALL_TASKS: tuple[str, ...] = tuple(t for d in DOMAINS for t in d.tasks)


class UnknownDomain(ValueError):
    """Raised for a domain name that matches none (or more than one) of the five."""

    def __init__(self, text: str, reason: str = "unknown domain") -> None:
        self.text = text
        valid = ", ".join(f"{d.number} {d.slug}" for d in DOMAINS)
        super().__init__(f"{reason} {text!r}; valid domains: {valid}")


class UnknownTask(ValueError):
    """Raised for a task statement that is not one of the exam's."""

    def __init__(self, text: str) -> None:
        super().__init__(f"unknown task statement {text!r}; valid: {', '.join(ALL_TASKS)}")


def resolve_domain(text: str) -> Domain:
    """Find a domain by number (1-5), slug, or a unique prefix of its slug."""
    key = text.strip().lower()
    if key.isdigit() and 1 <= int(key) <= len(DOMAINS):
        return DOMAINS[int(key) - 1]
    if key in BY_SLUG:
        return BY_SLUG[key]
    matches = [d for d in DOMAINS if key and d.slug.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    raise UnknownDomain(text, "ambiguous domain" if matches else "unknown domain")


def domain_of_task(task: str) -> Domain:
    """The domain a task statement such as "3.2" belongs to."""
    for d in DOMAINS:
        if task in d.tasks:
            return d
    raise UnknownTask(task)


def resolve_task(text: str) -> str:
    """Check a task statement given on the command line ("3.2")."""
    key = text.strip()
    if key not in ALL_TASKS:
        raise UnknownTask(text)
    return key


def exam_allocation(total: int, domains: tuple[Domain, ...] = DOMAINS) -> dict[str, int]:
    """Split `total` questions over domains by weight, using the largest remainder method.

    Exact fractions, so equal remainders are really equal and the tie goes to the lower
    domain number (not to floating-point noise).
    """
    weights = {d.slug: Fraction(str(d.weight)) for d in domains}
    weight_sum = sum(weights.values())
    exact = {slug: total * w / weight_sum for slug, w in weights.items()}
    counts = {slug: int(x) for slug, x in exact.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(domains, key=lambda d: (-(exact[d.slug] - counts[d.slug]), d.number))
    for d in by_remainder[:left]:
        counts[d.slug] += 1
    return counts
