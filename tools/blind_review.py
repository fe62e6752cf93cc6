"""Blind review: make answer sheets without keys, then compare reviewer answers to keys.

usage: python tools/blind_review.py sheet DOMAIN_FILE OUT.txt [id1,id2,...]
       python tools/blind_review.py compare DOMAIN_FILE ANSWERS.yaml

Reviewers answer the sheet without seeing keys (letters as shown on the sheet):
single `id: B`, multiple `id: A,D`, ordering `id: C,A,B,D`, matching `id: 1:B,2:A,3:C`.
"""
import string, sys
from pathlib import Path

import yaml
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from aifprep.bank import parse_file
from aifprep.grading import presentation_order, grade_answer
from aifprep.model import SingleChoice, MultipleChoice, Ordering
L = string.ascii_uppercase

def sheet(path, out, only=None):
    content = parse_file(Path(path))
    qs, issues = content.questions, content.issues
    assert not issues, issues[:3]
    lines = []
    for q in qs:
        if only and q.id not in only:
            continue
        order = presentation_order(q, "blind")
        lines.append(f"=== {q.id}   (task {q.task}, type {q.kind})")
        lines.append(q.stem.strip())
        if isinstance(q, (SingleChoice, MultipleChoice)):
            for n, i in enumerate(order):
                lines.append(f"  {L[n]}. {q.options[i].text}")
        elif isinstance(q, Ordering):
            lines.append("  Steps (shuffled):")
            for n, i in enumerate(order):
                lines.append(f"  {L[n]}. {q.steps[i].text}")
        else:
            lines.append("  Prompts:")
            for n, p in enumerate(q.pairs, 1):
                lines.append(f"  {n}. {p.prompt}")
            lines.append("  Answers:")
            for n, a in enumerate(order):
                lines.append(f"  {L[n]}. {a}")
        lines.append("")
    Path(out).write_text("\n".join(lines))
    print(f"{out}: {sum(1 for l in lines if l.startswith('==='))} questions")

def parse_answer(q, text, order):
    text = str(text).replace(" ", "").upper()
    if isinstance(q, SingleChoice):
        return (order[L.index(text)],)
    if isinstance(q, MultipleChoice):
        return tuple(sorted(order[L.index(c)] for c in text.split(",")))
    if isinstance(q, Ordering):
        return tuple(order[L.index(c)] for c in text.split(","))
    got = dict(part.split(":") for part in text.split(","))
    return tuple(order[L.index(got[str(n)])] for n in range(1, len(q.pairs) + 1))

def compare(path, answers_file):
    qs = parse_file(Path(path)).questions
    answers = yaml.safe_load(Path(answers_file).read_text())
    agree = disagree = missing = 0
    for q in qs:
        if q.id not in answers:
            missing += 1
            continue
        order = presentation_order(q, "blind")
        try:
            ok = grade_answer(q, parse_answer(q, answers[q.id], order)).correct
        except Exception as exc:
            print(f"UNPARSEABLE {q.id}: {answers[q.id]!r} ({exc})")
            disagree += 1
            continue
        if ok:
            agree += 1
        else:
            disagree += 1
            print(f"DISAGREE {q.id}: reviewer {answers[q.id]!r}")
    print(f"{path}: agree {agree}, disagree {disagree}, not answered {missing}")

if __name__ == "__main__":
    if sys.argv[1] == "sheet":
        only = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else None
        sheet(sys.argv[2], sys.argv[3], only)
    else:
        compare(sys.argv[2], sys.argv[3])
