"""Report option patterns a test-wise candidate could exploit, per question file.

usage: python tools/bank_patterns.py [FILE.yaml ...]   (default: the bundled domain files)

- key length rank of single-answer items (1 = key is the longest option ... 4 = shortest);
  over the bank each rank should hold 25% +/- 7% of the items;
- stem echo: content words the stem shares with the key and with no distractor (target: none);
- absolute qualifiers (always/never/must/only) in distractors but not in the key (<= 5%).
"""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from aifprep.bank import parse_file  # noqa: E402
from aifprep.lint import absolute_in_distractors_only, key_length_rank, stem_echo  # noqa: E402
from aifprep.model import MultipleChoice, SingleChoice  # noqa: E402

root = Path(__file__).resolve().parents[1] / "questions"
files = [Path(a) for a in sys.argv[1:]] or sorted(p for p in root.glob("*.yaml") if p.name != "services.yaml")
ranks: Counter = Counter()
for path in files:
    content = parse_file(path)
    for issue in content.issues:
        print(issue)
    for q in content.questions:
        if isinstance(q, SingleChoice):
            ranks[key_length_rank(q)] += 1
        if isinstance(q, (SingleChoice, MultipleChoice)):
            echo = stem_echo(q)
            if echo:
                print(f"{path.name}:{q.line}: {q.id}: stem echo {sorted(echo)}")
            if absolute_in_distractors_only(q):
                print(f"{path.name}:{q.line}: {q.id}: absolute qualifier only in distractors")
total = sum(ranks.values()) or 1
print("key length rank:", ", ".join(f"{r}: {ranks[r]} ({ranks[r] / total:.0%})" for r in (1, 2, 3, 4)))
