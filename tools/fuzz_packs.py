"""Count how many generated hostile packs the pack loader mishandles, and how.

usage: python tools/fuzz_packs.py [N]        (N examples per generator, default 300)

Runs the generators of tests/test_pack_fuzz.py (mutated packs, text mutations, generated
documents, alias bombs, hostile text in every field, a wrong type at every path) and
classifies each outcome instead of stopping at the first failure: a crash, a timeout
(10 s), an issue without a line, an issue split over lines, a raw control character in
an issue line or on screen. To measure an older loader, put its source first:
`PYTHONPATH=<old checkout>/src python tools/fuzz_packs.py`. Needs `pip install -e '.[test]'`.
The process runs under a 3 GB address-space limit (Linux), so an alias bomb ends in
MemoryError instead of swapping.
"""

from __future__ import annotations

import collections
import io
import re
import resource
import signal
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(1, str(ROOT / "tests"))
sys.path.insert(len(sys.path), str(ROOT / "src"))  # after PYTHONPATH: an old loader wins

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SGR = re.compile("\x1b\\[[0-9;]*m")


class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


def classify(data: bytes) -> str | None:
    """What went wrong with one document, or None if it was handled."""
    from aifprep import bank
    from aifprep.lint import card_issues, question_issues

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.yaml"
        path.write_bytes(data)
        signal.alarm(10)
        try:
            content = bank.check_files([path])
            issues = content.issues + question_issues(content.questions) + card_issues(content.cards)
            lines = [str(i) for i in issues]
            if content.issues:
                lines.append(str(bank.BankError(content.issues)))
            for line in lines:
                if "\n" in line:
                    return "issue split over lines"
                if RAW.search(line):
                    return "raw control character in an issue line"
                if len(line) > 2000:
                    return "issue line over 2,000 characters"
            for issue in issues:
                if issue.line < 1 and not issue.message.startswith(("cannot read", "the file has")):
                    return "issue without a line"
            if not content.issues and RAW.search(SGR.sub("", _rendered(content))):
                return "raw control character on screen"
            return None
        except Timeout:
            return "timeout (10 s)"
        except MemoryError:
            return "MemoryError"
        except RecursionError:
            return "RecursionError"
        except Exception as exc:  # noqa: BLE001 - counting every kind of crash
            return f"crash: {type(exc).__name__}"
        finally:
            signal.alarm(0)


def _rendered(content) -> str:
    """Every loaded question's feedback (with its stem) and every card, as printed."""
    from aifprep.grading import grade_answer, key_response, presentation_order

    out = io.StringIO()
    try:
        from aifprep.ui.console import make_console

        console = make_console(file=out, force_terminal=True, width=80)
    except ImportError:  # an older aifprep: the plain Rich console it used
        from rich.console import Console

        console = Console(file=out, force_terminal=True, width=80, highlight=False)
    try:
        from aifprep.ui.feedback_render import feedback_body
        from aifprep.ui.flashcard_screen import answer_side, front_view

        views = [feedback_body(q, presentation_order(q, 7), key_response(q), stem_first=True)
                 for q in content.questions]
        views += [v for c in content.cards for v in (front_view(c, True), answer_side(c, True))]
    except ImportError:  # the screens before the full-screen views
        from aifprep.ui.flashcard_screen import answer_side, question_side
        from aifprep.ui.render import feedback, question_panel

        views = []
        for q in content.questions:
            order, response = presentation_order(q, 7), key_response(q)
            views += [question_panel(q, 1, 1, order),
                      feedback(q, order, response, grade_answer(q, response))]
        views += [v for c in content.cards
                  for v in (question_side(c, 1, 1, "new", True), answer_side(c, True))]
    for view in views:
        console.print(view)
    # aifprep's own links (OSC 8 with a printable target) are not from the pack
    return re.sub("\x1b]8;[ -~]*?\x1b\\\\", "", out.getvalue())


def main(n: int) -> None:
    from hypothesis import HealthCheck, given, settings

    import test_pack_fuzz as fuzz

    tried: collections.Counter = collections.Counter()
    bad: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()

    def record(name: str, data: bytes) -> None:
        tried[name] += 1
        kind = classify(data)
        if kind:
            bad[name] += 1
            kinds[kind] += 1

    def run(name: str, strategy, examples: int) -> None:
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def each(data: bytes) -> None:
            record(name, data)

        each()

    run("mutated", fuzz.mutated_documents(), n)
    run("text mutations", fuzz.text_mutations(), n)
    run("generated", fuzz.generated_documents, n)
    run("alias bombs", fuzz.alias_bombs(), max(20, n // 10))
    run("hostile texts", fuzz.hostile_texts_everywhere(), n)
    for path in fuzz.paths_of(fuzz.BASE):
        for value in fuzz.WRONG_TYPES:
            for how in ("replace", "add"):
                record("wrong type at every path",
                       fuzz.dump(fuzz.replaced(fuzz.BASE, path, value, how)).encode("utf-8"))

    from aifprep import bank

    print(f"loader: {Path(bank.__file__).parent}")
    for name in tried:
        print(f"{name:>26}: {tried[name]:6d} tried, {bad[name]:5d} mishandled")
    print(f"{'all':>26}: {sum(tried.values()):6d} tried, {sum(bad.values()):5d} mishandled")
    for kind, count in kinds.most_common():
        print(f"    {count:6d}  {kind}")


if __name__ == "__main__":
    if sys.platform == "linux":
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
    signal.signal(signal.SIGALRM, _alarm)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
