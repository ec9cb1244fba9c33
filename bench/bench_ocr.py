"""OCR of a scanned disclosure: peak memory and seconds a page, against the engine alone in the same run.

    .venv/bin/python bench/bench_ocr.py [--pages N] [--dpi D] [PDF]

A scan is made in a temporary folder: the first ``--pages`` pages of the PDF (default: the planning
sample of ../shared, 30 pages) rasterised to grey images at ``--dpi`` (150) and put into an image-only
PDF, as a scanner makes one. Then, each in a fresh process:

- ``budgetdoc extract`` of the scan (read with OCR of every page, recognised): its peak resident
  memory, wall and CPU seconds, and the progress it said per page on standard error;
- the baseline: a process that loads the engine and recognises nothing (``engine`` line), whose peak
  is what the models alone cost.

The scan's tables are compared with those of the text PDF it was made from (tables found, and rows
with the same values), so a change that saves memory by reading worse shows here. Needs the
``ocr`` extra. Numbers are printed, never asserted (exit 1 only when a process fails).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SHARED = Path(os.environ.get("BUDGETDOC_SHARED", HERE.parent.parent / "shared"))
DEFAULT = SHARED / "samples" / "shanghai-putuo-planning-2024-final.pdf"
ENGINE_ONLY = ("from budgetdoc.read import ocr; e = ocr.engine(); e._load_det_model(); e._load_cls_model(); "
               "e._load_rec_model(); import budgetdoc.pipeline")


def scan(src: Path, out: Path, pages: int, dpi: int) -> int:
    """An image-only copy of the first ``pages`` pages of ``src`` (grey, ``dpi``): the pages it holds."""
    import pymupdf

    with pymupdf.open(src) as doc, pymupdf.open() as made:
        for page in list(doc)[:pages]:
            pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            new = made.new_page(width=page.rect.width, height=page.rect.height)
            new.insert_image(new.rect, pixmap=pix)
        made.save(out, deflate=True)
        return made.page_count


def measured(argv: list[str]) -> tuple[subprocess.CompletedProcess, float, float, int]:
    """A process's result, wall and CPU seconds, and peak resident memory (MiB)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
           "PYTHONIOENCODING": "utf-8"}
    code = ("import resource, runpy, sys\n"
            "sys.argv = sys.argv[1:]\n"
            "try:\n"
            "    runpy.run_module(sys.argv[0], run_name='__main__') if sys.argv[0] != '-c' else exec(sys.argv[1])\n"
            "finally:\n"
            "    print('peak-kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    m = re.search(r"peak-kib (\d+)", p.stderr)
    return p, wall, cpu, int(m.group(1)) // 1024 if m else -1


def rows(report: dict) -> dict:
    return {t["key"]: {(r.get("part"), r["key"]): r.get("values") for r in t["rows"]} for t in report["tables"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=DEFAULT, help="the text PDF to make the scan of")
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--dpi", type=int, default=150, help="resolution of the scan's images")
    args = ap.parse_args(argv)
    from budgetdoc.read import ocr

    if not ocr.available():
        print("the ocr extra (rapidocr, onnxruntime) is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="budgetdoc-ocr-bench-") as tmp:
        path = Path(tmp) / "scan.pdf"
        pages = scan(args.pdf, path, args.pages, args.dpi)
        _, _, engine_cpu, engine_peak = measured(["-c", ENGINE_ONLY])
        p, wall, cpu, peak = measured(["budgetdoc", "extract", str(path)])
        if p.returncode != 0:
            print(p.stderr, file=sys.stderr)
            return 1
        said = [float(s) for s in re.findall(r"本页 ([\d.]+) 秒", p.stderr)]
        text = subprocess.run([sys.executable, "-m", "budgetdoc", "extract", str(args.pdf)], capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(SRC), "BUDGETDOC_OCR": "0"})
    print(f"scan: {pages} pages of {args.pdf.name} at {args.dpi} dpi (grey images, no text layer)")
    print(f"  engine alone (models loaded):  peak {engine_peak:5d} MiB   CPU {engine_cpu:6.1f} s")
    print(f"  budgetdoc extract of the scan: peak {peak:5d} MiB   CPU {cpu:6.1f} s   wall {wall:6.1f} s")
    print(f"  per page: wall {wall / pages:5.2f} s, CPU {cpu / pages:5.2f} s; pages said on stderr: {len(said)}"
          + (f" (fastest {min(said):.1f} s, slowest {max(said):.1f} s)" if said else ""))
    print(f"  peak above the engine alone: {peak - engine_peak} MiB ({peak / max(engine_peak, 1):.1f}×)")
    try:
        want, got = rows(json.loads(text.stdout)), rows(json.loads(p.stdout))
    except (json.JSONDecodeError, KeyError):
        print("  (the extracts could not be compared)")
        return 0
    same = sum(1 for k, rs in want.items() for key, v in rs.items() if got.get(k, {}).get(key) == v)
    total = sum(len(rs) for rs in want.values())
    print(f"  tables found: {len(set(got) & set(want))} of {len(want)}; rows read as the text layer reads them: "
          f"{same} of {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
