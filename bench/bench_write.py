"""Time ``budgetdoc write`` setting a PDF of about 30 pages against PyMuPDF merely extracting the words of
that same PDF, in the same run.

    .venv/bin/python bench/bench_write.py [--pages N] [--repeat N] [--profile] [DOC]

The document: the workbook ``extract --format xlsx`` makes of DOC (default: the biggest real document of
``../shared/real``, the 2025 Shiquan 部门决算), prepared once (computed, laid out as blocks, checked); its
tables are set again after it, one by one, until the PDF has ``--pages`` pages (30). Timed: rendering
those blocks as a PDF (``render_pdf.write_pdf``: layout, text, rules, font subsetting, saving). Baseline:
``pymupdf.open`` + ``page.get_text("words")`` on every page of the written PDF. Both best of N
(alternating, after a warm-up run each), in CPU time of this process (the machine may be shared; wall
time is printed too). The target: well under a second for 30 pages — at most 0.5 s of CPU (the exit
code is 1 when above). ``--profile`` prints the top of a cProfile of one writing.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pymupdf

SHARED = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DEFAULT = SHARED / "real" / "shanghai-putuo-2025-dept-final-shiquan.txt"
AIM_SECONDS = 0.5


def blocks_of(doc: Path, folder: str) -> list:
    """The written document's blocks, made from DOC's workbook as ``budgetdoc write`` makes them."""
    from budgetdoc.pipeline import load
    from budgetdoc.write import prepare
    from budgetdoc.write.workbook import read_data, save, to_workbook

    book = os.path.join(folder, "data.xlsx")
    save(to_workbook(load(doc)), book)
    return prepare(read_data(book)).blocks


def grow(blocks: list, pages: int, out: str) -> tuple[list, int]:
    """``blocks`` with their tables set again after them until the PDF has at least ``pages`` pages."""
    from budgetdoc.write.document import Block
    from budgetdoc.write.render_pdf import write_pdf

    tables = [b for b in blocks if b.kind == "table"]
    grown, i = list(blocks), 0
    while True:
        write_pdf(grown, out)
        with pymupdf.open(out) as pdf:
            count = pdf.page_count
        if count >= pages or not tables:
            return grown, count
        grown += [Block("pagebreak"), tables[i % len(tables)]]
        i += 1


def words(path: str) -> int:
    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("words")
        return doc.page_count


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    from budgetdoc.write.render_pdf import write_pdf

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("doc", nargs="?", default=str(DEFAULT), help="a document budgetdoc reads (default: %(default)s)")
    ap.add_argument("--pages", type=int, default=30, help="pages of the PDF to write (tables repeated to reach it)")
    ap.add_argument("--repeat", type=int, default=7, help="runs per measurement; the best counts")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one writing")
    ap.add_argument("--top", type=int, default=25, help="lines of the profile")
    args = ap.parse_args(argv)
    if not Path(args.doc).exists():
        print(f"no such document: {args.doc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "written.pdf")
        blocks, pages = grow(blocks_of(Path(args.doc), folder), args.pages, out)
        words(out)  # warm-up of both
        base, ours = [], []
        for _ in range(args.repeat):
            ours.append(timed(lambda: write_pdf(blocks, out)))
            base.append(timed(lambda: words(out)))
        size = os.path.getsize(out)
        bw, bc = min(b[0] for b in base), min(b[1] for b in base)
        ow, oc = min(o[0] for o in ours), min(o[1] for o in ours)
        ratio = oc / bc if bc else float("inf")
        print(f"{'document':<46} {'pages':>5} {'KB':>5} {'words ms':>9} {'write ms':>9} {'wall':>6} {'cpu':>6}")
        print(f"{Path(args.doc).name:<46} {pages:>5} {size // 1024:>5} {bc * 1000:>9.1f} {oc * 1000:>9.1f} "
              f"{ow / bw:>5.1f}× {ratio:>5.1f}×" + ("" if oc <= AIM_SECONDS else "  above target"))
        print(f"writing {pages} pages: {oc * 1000:.0f} ms CPU ({oc * 1000 / pages:.1f} ms a page), "
              f"{ratio:.1f}× extracting its words (target ≤ {AIM_SECONDS * 1000:.0f} ms)")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(write_pdf, blocks, out)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
            pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)
    return 0 if oc <= AIM_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
