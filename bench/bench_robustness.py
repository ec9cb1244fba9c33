"""Bounded work on hostile inputs, measured against a baseline of the same run. No assertion.

1. A PDF page of many words (``0.00`` repeated, the worst case of the fake-bold de-duplication): time of
   ``read_pdf`` against PyMuPDF merely extracting the words, for 5 k, 20 k (the cap) and 150 k words
   (over the cap the page is said as too dense, not laid out).
2. A ruled page of 30 columns whose every word is glued across a cell rule (each is split by its
   characters' boxes): ``read_pdf`` against extracting the words (the splitter looked at every char
   of the page for every such word: 9,000 words × 360,000 chars, ~490 s; now the chars of its row).
3. Memory of ``check`` on a text made by repeating a seed up to a size (default: 1, 2 and just under
   the 5 MB text limit, and 19 MB, which is refused): peak RSS of a child process, and its ratio to
   the size of the text and to the peak of merely reading the file (``read``).

    .venv/bin/python bench/bench_robustness.py [--sizes 1,2,4.9,19] [--words 5000,20000,150000] [--rows 600]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEED = SHARED / "seeds" / "003_6ab85edfcea3f354.txt"

CHILD = """
import sys
stage, path = sys.argv[1], sys.argv[2]
from budgetdoc.errors import InputError
try:
    if stage == "read":
        from budgetdoc.read import read
        read(path)
    else:
        from budgetdoc.pipeline import run
        run(path)
    result = "read"
except InputError as e:
    result = "refused"
# VmHWM, not ru_maxrss: that one can carry the parent's peak across fork and exec
hwm = next(ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
print(int(hwm.split()[1]) // 1024, result)
"""


def dense_pdf(path: Path, words: int) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=2000, height=2000)
    page.insert_text((5, 10), "支出决算表", fontname="china-s", fontsize=8)  # a disclosure page says Chinese
    words -= 1  # the title is one of the page's words
    per_line = 400
    rows = -(-words // per_line)
    tw = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    for i in range(rows):
        n = min(per_line, words - i * per_line)
        tw.append((5, (i + 1.5) * 2000 / (rows + 2)), " ".join(["0.00"] * n), font=font, fontsize=1.4)
    tw.write_text(page)
    doc.save(path)


def bench_dense(counts: list[int], folder: Path) -> None:
    import pymupdf

    from budgetdoc.errors import InputError
    from budgetdoc.read.pdf import read_pdf

    print(f"{'words':>8} {'words ms':>9} {'read_pdf ms':>11} {'ratio':>6}  result")
    for n in counts:
        p = folder / f"dense-{n}.pdf"
        dense_pdf(p, n)
        t = time.perf_counter()
        with pymupdf.open(p) as doc:
            doc[0].get_text("words")
        base = time.perf_counter() - t
        t = time.perf_counter()
        try:
            read_pdf(str(p), ocr=False)
            result = "read"
        except InputError as e:
            result = f"refused: {e}"
        took = time.perf_counter() - t
        print(f"{n:>8} {base * 1e3:9.0f} {took * 1e3:11.0f} {took / base:6.2f}  {result[:60]}")


def glued_pdf(path: Path, rows: int, cols: int = 30) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=2000, height=2000)
    x0, y0, cw, rh = 20, 20, 1960 / cols, 1960 / rows
    sh = page.new_shape()
    for i in range(cols + 1):
        sh.draw_line((x0 + i * cw, y0), (x0 + i * cw, y0 + rows * rh))
    for j in range(rows + 1):
        sh.draw_line((x0, y0 + j * rh), (x0 + cols * cw, y0 + j * rh))
    sh.finish(width=0.3)
    sh.commit()
    page.insert_text((x0, y0 - 10), "支出决算表", fontname="china-s", fontsize=8)  # a disclosure page says Chinese
    tw = pymupdf.TextWriter(page.rect)
    font = pymupdf.Font("helv")
    fs = rh * 0.6
    digits = "1234567890" * 4
    for j in range(rows):
        for i in range(0, cols - 1, 2):  # one word over two cells, across the rule between them
            tw.append((x0 + (i + 0.5) * cw, y0 + (j + 0.8) * rh), digits[: int(cw / (fs * 0.55))] * 2,
                      font=font, fontsize=fs)
    tw.write_text(page)
    doc.save(path)


def bench_glued(rows: int, folder: Path) -> None:
    import pymupdf

    from budgetdoc.read.pdf import read_pdf

    p = folder / "glued.pdf"
    glued_pdf(p, rows)
    t = time.perf_counter()
    with pymupdf.open(p) as doc:
        n = len(doc[0].get_text("words"))
    base = time.perf_counter() - t
    t = time.perf_counter()
    read_pdf(str(p), ocr=False)
    took = time.perf_counter() - t
    print(f"glued page: {n} words across rules; words {base * 1e3:.0f} ms, read_pdf {took * 1e3:.0f} ms, "
          f"ratio {took / base:.1f}")


def rss(stage: str, path: Path) -> tuple[int, str]:
    out = subprocess.run([sys.executable, "-c", CHILD, stage, str(path)], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]), out[1]


def bench_memory(sizes: list[float], folder: Path) -> None:
    seed = SEED.read_bytes()
    empty = folder / "tiny.txt"
    empty.write_bytes(seed)
    base_mb, _ = rss("check", empty)
    print(f"one seed ({len(seed) // 1024} kB): peak RSS {base_mb} MB (interpreter, imports, one document)")
    print(f"{'MB':>6} {'read RSS':>9} {'check RSS':>10} {'(check-base)/MB':>16} {'check/read':>10}  result")
    for mb in sizes:
        p = folder / f"big-{mb}.txt"
        p.write_bytes(seed * max(1, int(mb * 1024 * 1024) // len(seed)))
        size = p.stat().st_size / (1024 * 1024)
        r, _ = rss("read", p)
        c, result = rss("check", p)
        print(f"{size:6.1f} {r:9} {c:10} {(c - base_mb) / size:16.1f} {c / r:10.2f}  {result}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,2,4.9,19")
    ap.add_argument("--words", default="5000,20000,150000")
    ap.add_argument("--rows", type=int, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        bench_dense([int(x) for x in args.words.split(",") if x], Path(d))
        if args.rows:
            bench_glued(args.rows, Path(d))
        if SEED.exists():
            bench_memory([float(x) for x in args.sizes.split(",") if x], Path(d))
        else:
            print(f"no seed at {SEED}: memory not measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
