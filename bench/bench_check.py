"""Throughput of ``extract`` and ``check`` over the seeds and the texts of ``../shared/real`` (or the files
given), against a baseline.

Baseline, in the same process: merely reading and decoding the same file (``read`` of the text layer,
for PDFs PyMuPDF extracting the words of every page). Reports documents per second, CPU ms per
document, and the ratio to the baseline. No assertion: numbers are for people and for the closing note.

    .venv/bin/python bench/bench_check.py [FILES…] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from budgetdoc.pipeline import load, run

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("BUDGETDOC_SHARED", HERE.parent.parent / "shared"))
DEFAULT = sorted((SHARED / "seeds").glob("0*.txt")) + sorted((SHARED / "real").glob("*.txt"))


def baseline(path: Path) -> None:
    if path.suffix.lower() == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            for page in doc:
                page.get_text("words")
    else:
        path.read_bytes().decode("utf-8", errors="replace")


def measure(fn, repeat: int) -> tuple[float, float]:
    """Best wall and CPU seconds of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    files = args.files or DEFAULT
    if not files:
        print("no input files (pass some, or put ../shared/seeds beside the repository)")
        return 2
    print(f"{'file':42} {'base ms':>8} {'extract ms':>10} {'check ms':>9} {'check cpu ms':>12} {'ratio':>6}")
    total_extract = total_check = 0.0
    for f in files:
        base, _ = measure(lambda f=f: baseline(f), args.repeat)
        ext, _ = measure(lambda f=f: load(f), args.repeat)
        doc = load(f)
        chk, chk_cpu = measure(lambda f=f: run(f), args.repeat)
        total_extract += ext
        total_check += chk
        ratio = chk / base if base else float("inf")
        print(f"{f.name[:42]:42} {base * 1e3:8.2f} {ext * 1e3:10.2f} {chk * 1e3:9.2f} {chk_cpu * 1e3:12.2f} "
              f"{ratio:6.1f}  ({len(doc.tables)} tables, {len(doc.narrative)} statements)")
    n = len(files)
    print(f"extract: {n / total_extract:.1f} documents/s; check (read+recognise+rules): {n / total_check:.1f} "
          "documents/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
