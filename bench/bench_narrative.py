"""Narrative extraction (``find_statements``) time per seed, as a ratio to reading the same file.

Formerly a timed test (``test_extraction_takes_a_few_milliseconds``, < 50 ms per seed); a wall-clock
bound is not a test on a shared machine, so it is measured here against a baseline of the same run:
``read`` of the file (decode and split into lines). No assertion.

    .venv/bin/python bench/bench_narrative.py [FILES…] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from budgetdoc.read import read
from budgetdoc.recognise import recognise
from budgetdoc.recognise.narrative import find_statements

SHARED = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = args.files or sorted((SHARED / "seeds").glob("0*.txt"))
    if not files:
        print("no input files (pass some, or put ../shared/seeds beside the repository)")
        return 2
    print(f"{'file':42} {'read ms':>8} {'narrative ms':>12} {'ratio':>6}")
    for f in files:
        src = read(str(f))
        doc = recognise(src)
        base = best(lambda f=f: read(str(f)), args.repeat)
        nar = best(lambda src=src, doc=doc: find_statements(src, doc), args.repeat)
        print(f"{f.name:42} {base * 1e3:8.1f} {nar * 1e3:12.1f} {nar / base:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
