"""Measure how fast aifprep starts and answers, as a user feels it.

Run: python benchmarks/startup.py [--runs N]
Uses the installed `aifprep` next to this Python, a throwaway data and cache folder, and
prints the median and best wall time of each command (cold = no bank cache yet).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIFPREP = str(Path(sys.executable).with_name("aifprep"))


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([AIFPREP, *args], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "AIFPREP_DATA_DIR": f"{tmp}/data", "AIFPREP_CACHE_DIR": f"{tmp}/cache"}
        cold = timed(["domains"], env)
        print(f"{'python -c pass (interpreter floor)':40} "
              f"{statistics.median(timed_python() for _ in range(runs)) * 1000:7.1f} ms")
        print(f"{'aifprep domains (cold: parse YAML)':40} {cold * 1000:7.1f} ms")
        for args in (["--version"], ["--help"], ["domains"], ["domains", "--json"],
                     ["stats", "--json"], ["validate"]):
            times = [timed(args, env) for _ in range(runs)]
            print(f"{'aifprep ' + ' '.join(args):40} {statistics.median(times) * 1000:7.1f} ms "
                  f"(best {min(times) * 1000:.1f})")
        times = [first_question(env) for _ in range(max(3, runs // 3))]
        print(f"{'aifprep quiz: until question 1 is drawn':40} {statistics.median(times) * 1000:7.1f} ms "
              f"(best {min(times) * 1000:.1f}, in a pseudo-terminal)")
        times = [first_card(env) for _ in range(max(3, runs // 3))]
        print(f"{'aifprep flashcards: until card 1 shows':40} {statistics.median(times) * 1000:7.1f} ms "
              f"(best {min(times) * 1000:.1f}, in a pseudo-terminal)")
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        reviews = write_long_history(Path(tmp) / "data" / "progress.json")
        for args in (["stats", "--json"], ["stats"]):
            times = [timed(args, env) for _ in range(runs)]
            print(f"{'aifprep ' + ' '.join(args) + ' (long history)':40} "
                  f"{statistics.median(times) * 1000:7.1f} ms ({reviews} reviews on file)")
        times = [first_card(env) for _ in range(max(3, runs // 3))]
        print(f"{'flashcards until card 1 (long history)':40} {statistics.median(times) * 1000:7.1f} ms")
        from aifprep import paths
        from aifprep.bank import bundled_files, check_files

        files = bundled_files(paths.bundled_questions_dir())
        start = time.perf_counter()
        content = check_files(files)
        parse = time.perf_counter() - start
        print(f"{'parse + check bundled bank (in-process)':40} {parse * 1000:7.1f} ms "
              f"({len(content.questions)} questions, {len(content.cards)} cards)")


def time_to_prompt(env: dict, args: list[str], prompt: str) -> float:
    """Time from starting `aifprep ARGS` in a pseudo-terminal until `prompt` is on screen."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(AIFPREP, args, env=env, encoding="utf-8", timeout=30)
    child.expect(prompt)
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    return elapsed


def first_question(env: dict) -> float:
    return time_to_prompt(env, ["quiz", "-n", "1"], "Question 1 of 1")


def first_card(env: dict) -> float:
    return time_to_prompt(env, ["flashcards"], "show the answer")


def write_long_history(path: Path) -> int:
    """A progress file after months of study: every card and question reviewed ~12 times."""
    import json
    import random
    from datetime import datetime, timedelta, timezone

    from aifprep import paths
    from aifprep.bank import bundled_files, check_files
    from aifprep.progress import Progress, review_item, to_json
    from aifprep.scheduling import Rating

    content = check_files(bundled_files(paths.bundled_questions_dir()))
    keys = [f"card:{c.id}" for c in content.cards] + [f"question:{q.id}" for q in content.questions]
    rng = random.Random(1)
    progress, start = Progress(), datetime.now(timezone.utc) - timedelta(days=120)
    for n in range(12):
        for key in keys:
            when = start + timedelta(days=10 * n, seconds=rng.randrange(86400))
            rating = Rating(rng.choice([1, 2, 3, 3, 3, 4]))
            progress = review_item(f"{key}-{n}", key, rating, when, "flashcards", 5.0)(progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(progress)))
    return len(progress.reviews)


def timed_python() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
