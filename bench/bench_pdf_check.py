"""Time budgetdoc's whole ``check`` of a PDF (read + recognise + all rules) against PyMuPDF merely
extracting the words of the same file, for every PDF of ``../shared`` (samples, real and real/jiangsu), in the
same run.

    .venv/bin/python bench/bench_pdf_check.py [--repeat N] [--stages] [--profile] [PDF ...]

Baseline: ``pymupdf.open`` + ``page.get_text("words")`` on every page. Both are timed best of N
(alternating, after one warm-up run each, so caches of reference data are warm for both), in wall time
and in CPU time of this process; the machine may be shared, so the CPU ratio is the one held to the
target (≤ 3× on every PDF; the exit code is 1 when one is above). ``--stages`` adds each stage's CPU
time as a ratio to the baseline (read, recognise, check). ``--profile`` prints the top of a cProfile of
one check of every PDF above the target (``--profile-all``: of every PDF).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pymupdf

from budgetdoc.pipeline import run

SHARED = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared"))
AIM = 3.0


def default_pdfs() -> list[Path]:
    """Every PDF of the shared samples and real documents (real/jiangsu too)."""
    return sorted(p for sub in ("samples", "real", "real/jiangsu") for p in (SHARED / sub).glob("*.pdf"))


def words(path: str) -> int:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("words")
        return doc.page_count


def cold() -> None:
    """Empty the caches of text (``compact``, ``amount``, the rules' ``fold`` and ``norm_name``) so that a
    repeated run of one file measures what a first reading of it costs, not a warm cache (the caches of
    reference data, by year, stay warm: they serve every document)."""
    from budgetdoc.check.rules.classification import norm_name
    from budgetdoc.check.util import fold
    from budgetdoc.recognise.tables.tokens import amount
    from budgetdoc.recognise.text import compact

    for cached in (compact, amount, fold, norm_name):
        cached.cache_clear()


def full_check(path: str) -> int:
    return len(run(path)[1].findings)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU seconds of ``repeat`` calls."""
    return min(timed(fn)[1] for _ in range(repeat))


def stages(path: str, repeat: int) -> tuple[float, float, float]:
    """CPU seconds of read, recognise and check alone (best of ``repeat``)."""
    from budgetdoc.check import check
    from budgetdoc.read import read
    from budgetdoc.recognise import recognise

    src = read(path)
    doc = recognise(src)
    r = best(lambda: read(path), repeat)
    rc = max(0.0, best(lambda: recognise(read(path)), repeat) - r)  # a Source is consumed by recognise
    return r, rc, best(lambda: check(doc), repeat)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", help="PDF files (default: every PDF of ../shared/samples, real and real/jiangsu)")
    ap.add_argument("--repeat", type=int, default=7, help="runs per measurement; the best counts")
    ap.add_argument("--stages", action="store_true", help="also each stage's CPU time as a ratio to the baseline")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one check per file above the target")
    ap.add_argument("--profile-all", action="store_true", help="print a cProfile of one check of every file")
    ap.add_argument("--top", type=int, default=25, help="lines of each profile")
    args = ap.parse_args(argv)
    paths = [str(p) for p in (args.pdfs or default_pdfs())]
    if not paths:
        print("no PDF given and no samples found", file=sys.stderr)
        return 2
    head = f"{'file':<52} {'pages':>5} {'words ms':>9} {'check ms':>9} {'wall':>6} {'cpu':>6}"
    print(head + ("   read  recog  check (cpu ratios)" if args.stages else ""))
    worst = 0.0
    for path in paths:
        pages = words(path)
        full_check(path)  # warm-up: imports, reference data, catalog
        base, ours = [], []
        for _ in range(args.repeat):
            base.append(timed(lambda p=path: words(p)))
            cold()
            ours.append(timed(lambda p=path: full_check(p)))
        bw, bc = min(b[0] for b in base), min(b[1] for b in base)
        ow, oc = min(o[0] for o in ours), min(o[1] for o in ours)
        ratio = oc / bc if bc else float("inf")
        worst = max(worst, ratio)
        line = f"{Path(path).name[:52]:<52} {pages:>5} {bw * 1000:>9.1f} {ow * 1000:>9.1f} {ow / bw:>5.2f}× {ratio:>5.2f}×"
        if args.stages:
            r, rc, c = stages(path, args.repeat)
            line += f"  {r / bc:>5.1f}× {rc / bc:>5.1f}× {c / bc:>5.1f}×"
        print(line + ("" if ratio <= AIM else "  above target"), flush=True)
        if args.profile_all or (args.profile and ratio > AIM):
            prof = cProfile.Profile()
            prof.runcall(full_check, path)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    print(f"worst CPU ratio {worst:.2f}× (target ≤ {AIM:.0f}×)")
    return 0 if worst <= AIM else 1


if __name__ == "__main__":
    raise SystemExit(main())
