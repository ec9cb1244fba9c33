"""Time ``read_pdf`` against PyMuPDF merely extracting the words of every page, per sample.

    .venv/bin/python bench/bench_read_pdf.py [--repeat N] [--compare] [PDF ...]

Prints ms/page for the baseline (open + ``page.get_text("words")`` on all pages) and for ``read_pdf``,
and their ratio (aim: ≤ 3×). ``--compare`` also times ``page.find_tables()`` + ``extract()`` and
compares its cells with the ruling-line grid of ``read_pdf`` row by row.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import time
from pathlib import Path

import pymupdf

from budgetdoc.read.pdf import read_pdf

SAMPLES = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "samples"


def baseline(path: str) -> int:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("words")
        return doc.page_count


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _key(cell) -> str:
    return re.sub(r"\s+", "", cell or "")


def compare(path: str, repeat: int) -> None:
    """find_tables vs own grid: time per page and agreement of the rows' non-blank cells."""

    def run():
        out = {}
        with pymupdf.open(path) as doc:
            for page in doc:
                with contextlib.redirect_stdout(io.StringIO()):  # "Consider using pymupdf_layout"
                    tables = page.find_tables().tables
                out[page.number + 1] = [t.extract() for t in tables]  # extract before the next page
        return out

    t = best(run, repeat)
    found = run()
    source = read_pdf(path)
    own = {p.number: [[_key(c) for c in ln.cells] for ln in p.lines if ln.cells] for p in source.pages}
    same = differ = missing = 0
    examples = []
    for number, tables in found.items():
        rows = own.get(number, [])
        for table in tables:
            for row in table:
                cells = [_key(c) for c in row]
                if not any(cells):
                    continue
                if cells in rows:
                    same += 1
                elif len(cells) in {len(r) for r in rows}:
                    differ += 1
                    if len(examples) < 5:
                        examples.append((number, cells))
                else:
                    missing += 1
    pages = len(found)
    own_rows = sum(len(r) for r in own.values())
    print(
        f"  find_tables+extract {t / pages * 1000:7.2f} ms/page; rows equal to own grid: {same}, "
        f"differing: {differ}, other column count: {missing}; own grid rows: {own_rows}"
    )
    for number, cells in examples:
        print(f"    p{number}: find_tables {cells}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--compare", action="store_true")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted(str(p) for p in SAMPLES.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs given and none in {SAMPLES}")
    read_pdf(pdfs[0])  # warm up imports
    worst = 0.0
    for path in pdfs:
        pages = baseline(path)
        tb = best(lambda p=path: baseline(p), args.repeat)
        tr = best(lambda p=path: read_pdf(p), args.repeat)
        ratio = tr / tb
        worst = max(worst, ratio)
        print(
            f"{Path(path).name}: {pages} pages; words {tb / pages * 1000:6.2f} ms/page; "
            f"read_pdf {tr / pages * 1000:6.2f} ms/page; ratio {ratio:4.2f}×"
        )
        if args.compare:
            compare(path, max(1, args.repeat // 2))
    print(f"worst ratio {worst:.2f}× (aim ≤ 3×)")


if __name__ == "__main__":
    main()
