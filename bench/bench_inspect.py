"""Time ``budgetdoc inspect`` of each shared document against its ``check``, in the same run, as a ratio.

    .venv/bin/python bench/bench_inspect.py [--repeat N] [--format xlsx|html|json] [FILE ...]

``check`` is what ``budgetdoc check FILE`` does (read + recognise + every rule, the content rules of
issue 15 included). ``inspect`` is what ``budgetdoc inspect FILE -o F.<format>`` does: the same, then the
form filled (the findings placed in their rows, the dates judged, the score) and written. With
``--format json`` (the default here) that is the inspection itself, held to a ratio of at most 1.2 on
every document (exit code 1 when one is above); with ``--format xlsx`` the workbook is written with the
page pictures rendered from the PDF (MuPDF, about 1-3 ms a picture; remarks close together on a page
share one), reported against the same target. Both are timed best of N in CPU time of this process
(after one warm-up run each; the text caches emptied before each run, as in bench_pdf_check.py). A
summary line gives the ratio over all documents, the median and the worst.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from budgetdoc.inspect import fill, with_dates, write_forms
from budgetdoc.pipeline import run

SHARED = Path(os.environ.get("BUDGETDOC_SHARED", Path(__file__).resolve().parents[2] / "shared"))
AIM = 1.2


def default_docs() -> list[Path]:
    out: list[Path] = []
    for sub in ("seeds", "samples", "real", "real/jiangsu"):
        folder = SHARED / sub
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".pdf"))
    return out


def cold() -> None:
    from budgetdoc.check.rules.classification import norm_name
    from budgetdoc.check.util import fold
    from budgetdoc.recognise.tables.tokens import amount
    from budgetdoc.recognise.text import compact

    for cached in (compact, amount, fold, norm_name):
        cached.cache_clear()


def check(path: str, out: str, fmt: str) -> None:
    run(path)


def inspect(path: str, out: str, fmt: str) -> None:
    doc, rep = run(path)
    filled = with_dates(fill(doc, rep), None)
    write_forms([filled], out, fmt)


def cpu(fn, path: str, out: str, fmt: str) -> float:
    cold()
    t = time.process_time()
    fn(path, out, fmt)
    return time.process_time() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--format", default="json", choices=["xlsx", "html", "json", "docx"])
    args = ap.parse_args()
    files = [Path(f) for f in args.files] or default_docs()
    worst = 0.0
    ratios = []
    sums = [0.0, 0.0]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, f"form.{args.format}")
        for path in files:
            p = str(path)
            try:
                cpu(check, p, out, args.format)
                cpu(inspect, p, out, args.format)
            except Exception as e:  # noqa: BLE001 - a file the pipeline refuses is not timed
                print(f"{path.name:58s} skipped ({type(e).__name__})")
                continue
            c = min(cpu(check, p, out, args.format) for _ in range(args.repeat))
            i = min(cpu(inspect, p, out, args.format) for _ in range(args.repeat))
            ratio = i / c if c else 0.0
            ratios.append(ratio)
            sums[0] += c
            sums[1] += i
            worst = max(worst, ratio)
            flag = "" if ratio <= AIM else "  ABOVE TARGET"
            print(f"{path.name:58s} check {c * 1000:7.1f} ms  inspect {i * 1000:7.1f} ms  ratio {ratio:4.2f}{flag}")
    if ratios:
        print(f"all documents: check {sums[0] * 1000:.0f} ms, inspect {sums[1] * 1000:.0f} ms, ratio "
              f"{sums[1] / sums[0]:.2f}; median per document {statistics.median(ratios):.2f}, worst {worst:.2f} "
              f"(target ≤ {AIM})")
    return 0 if worst <= AIM else 1


if __name__ == "__main__":
    sys.exit(main())
