"""Shared fixtures: every test runs with its own data and cache folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aifprep.model import Choice, Distractor, Matching, MultipleChoice, Ordering, Pair, SingleChoice, Step


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real home: progress and cache go to a temporary folder."""
    monkeypatch.setenv("AIFPREP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AIFPREP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AIFPREP_QUESTIONS", raising=False)
    return tmp_path


def common(qid: str, domain: str = "ai-ml", task: str = "1.1") -> dict:
    return dict(id=qid, domain=domain, task=task, stem=f"Stem of {qid}?",
                explanation="Because.", references=("reference/exam-notes-aif-c01.txt#x",))


def make_single(qid: str = "q-single", key: int = 0, **kw) -> SingleChoice:
    opts = tuple(Choice(f"option {i}", i == key, f"why {i}") for i in range(4))
    return SingleChoice(options=opts, **{**common(qid), **kw})


def make_multiple(qid: str = "q-multiple", keys: tuple = (0, 2), **kw) -> MultipleChoice:
    opts = tuple(Choice(f"option {i}", i in keys, f"why {i}") for i in range(5))
    return MultipleChoice(options=opts, **{**common(qid), **kw})


def make_ordering(qid: str = "q-ordering", n: int = 4, **kw) -> Ordering:
    return Ordering(steps=tuple(Step(f"step {i}", f"why {i}") for i in range(n)),
                    **{**common(qid), **kw})


def make_matching(qid: str = "q-matching", **kw) -> Matching:
    pairs = tuple(Pair(f"need {i}", f"service {i}", f"why {i}") for i in range(3))
    return Matching(pairs=pairs, distractors=(Distractor("service X", "matches nothing"),),
                    **{**common(qid), **kw})


VALID_PACK = textwrap.dedent("""\
    domain: security
    questions:
      - id: pack-kms
        task: "5.1"
        type: single
        difficulty: 2
        question: |
          A team must control the keys that encrypt its training data in Amazon S3.
          Which service manages those keys?
        options:
          - text: AWS Key Management Service (AWS KMS)
            correct: true
            why: KMS creates and controls encryption keys.
          - text: Amazon Macie
            correct: false
            why: Macie finds sensitive data; it does not manage keys.
          - text: AWS Artifact
            correct: false
            why: Artifact provides compliance reports.
          - text: Amazon Inspector
            correct: false
            why: Inspector scans for vulnerabilities.
        explanation: KMS is the managed key service.
        references:
          - https://docs.aws.amazon.com/kms/latest/developerguide/overview.html
      - id: pack-order
        task: "5.2"
        type: ordering
        question: Put these in order.
        items:
          - {text: first, why: comes first}
          - {text: second, why: comes second}
          - {text: third, why: comes last}
        explanation: Order matters.
        references: ["reference/exam-notes-aif-c01.txt#Security"]
    """)


@pytest.fixture
def pack_file(tmp_path: Path) -> Path:
    """A small valid question pack in the security domain."""
    path = tmp_path / "pack" / "security-extra.yaml"
    path.parent.mkdir()
    path.write_text(VALID_PACK)
    return path


def make_card(cid: str = "c-textract", domain: str = "ai-ml", task: str = "1.2", **kw):
    from aifprep.model import Flashcard

    fields = dict(id=cid, domain=domain, task=task, front=f"Term {cid}",
                  back=f"What {cid} does.", references=("reference/exam-notes-aif-c01.txt#x",))
    return Flashcard(**{**fields, **kw})


CARD_PACK = textwrap.dedent("""\
    domain: security
    cards:
      - id: pack-card-kms
        task: "5.1"
        front: AWS KMS
        back: Creates and controls the keys that encrypt data, with every use logged.
        confused_with: "Amazon Macie: finds sensitive data; it holds no keys."
        hint: Keys.
        tags: [service, encryption]
        references: ["https://docs.aws.amazon.com/kms/latest/developerguide/overview.html"]
      - id: pack-card-artifact
        task: "5.2"
        front: AWS Artifact
        back: Self-service portal for AWS compliance reports such as SOC and ISO.
        references: ["https://docs.aws.amazon.com/artifact/latest/ug/what-is-aws-artifact.html"]
    """)
