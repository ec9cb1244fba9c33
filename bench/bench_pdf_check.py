"""Time budgetdoc's whole ``check`` of a PDF (read + recognise + all rules) against PyMuPDF merely
extracting the words of the same file, for every PDF of ``../shared`` (samples and real), in the same run.

    .venv/bin/python bench/bench_pdf_check.py [--repeat N] [--profile] [PDF ...]

Baseline: ``pymupdf.open`` + ``page.get_text("words")`` on every page. Both are timed best of N
(alternating, after one warm-up run each, so caches of reference data are warm for both). Prints
ms per file and the ratio (target: ≤ 4× on every PDF; the exit code is 1 when one is above).
``--profile`` prints the top of a cProfile of one check of every PDF above the target (``--profile-all``:
of every PDF).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

import pymupdf

from budgetdoc.pipeline import run

SHARED = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared"))
AIM = 4.0


def default_pdfs() -> list[Path]:
    """Every PDF of the shared samples and real documents."""
    return sorted(p for sub in ("samples", "real") for p in (SHARED / sub).glob("*.pdf"))


def words(path: str) -> int:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("words")
        return doc.page_count


def full_check(path: str) -> int:
    return len(run(path)[1].findings)


def timed(fn, path: str) -> float:
    t = time.perf_counter()
    fn(path)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="*", help="PDF files (default: every PDF of ../shared/samples and ../shared/real)")
    ap.add_argument("--repeat", type=int, default=7, help="runs per measurement; the best counts")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one check per file above the target")
    ap.add_argument("--profile-all", action="store_true", help="print a cProfile of one check of every file")
    ap.add_argument("--top", type=int, default=25, help="lines of each profile")
    args = ap.parse_args(argv)
    paths = [str(p) for p in (args.pdfs or default_pdfs())]
    if not paths:
        print("no PDF given and no samples found", file=sys.stderr)
        return 2
    print(f"{'file':<48} {'pages':>5} {'words ms':>9} {'check ms':>9} {'ratio':>6}")
    worst = 0.0
    for path in paths:
        pages = words(path)
        full_check(path)  # warm-up: imports, reference data, catalog
        base, ours = [], []
        for _ in range(args.repeat):
            base.append(timed(words, path))
            ours.append(timed(full_check, path))
        b, o = min(base), min(ours)
        ratio = o / b
        worst = max(worst, ratio)
        flag = "" if ratio <= AIM else "  above target"
        print(f"{Path(path).name:<48} {pages:>5} {b * 1000:>9.1f} {o * 1000:>9.1f} {ratio:>5.1f}×{flag}", flush=True)
        if args.profile_all or (args.profile and ratio > AIM):
            prof = cProfile.Profile()
            prof.runcall(full_check, path)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    print(f"worst ratio {worst:.1f}× (target ≤ {AIM:.0f}×)")
    return 0 if worst <= AIM else 1


if __name__ == "__main__":
    raise SystemExit(main())
