"""Mutation run: change one printed amount at a time and see whether ``check`` names the new value.

For every table cell of a seed (or the narrative amounts with ``--narrative``), write a variant in a
temporary directory with that one amount changed (+10.00 by default), run the checker, and count the
variants where some error or warning names the injected value. Prints the misses so they can be studied.

    .venv/bin/python scripts/mutation.py [SEED…] [--narrative | --performance] [--delta 10] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from budgetdoc.pipeline import load, run

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def check_lines(name: str, lines: list[str]):
    """The check report of a variant: ``lines`` written as ``name`` in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / name
        out.write_text("\n".join(lines), "utf-8")
        return run(out)[1]


def fmt_like(old: str, new: Decimal) -> str:
    decimals = len(old.split(".")[1]) if "." in old else 0
    text = f"{new:,.{decimals}f}" if "," in old else f"{new:.{decimals}f}"
    return text


def named(report, new: Decimal, text: str) -> bool:
    forms = {text, text.replace(",", ""), f"{new:,.2f}", f"{new:.2f}"}
    for f in report.findings:
        if f.severity == "info":
            continue
        if any(s in f.message for s in forms) or (f.actual and f.actual.replace(",", "") in {s.replace(",", "") for s in forms}):
            return True
    return False


def targets(doc, narrative: bool, performance: bool = False):
    if performance:
        for f in doc.performance:
            line = f.location.line
            for label, v in (("A", f.budget), ("B", f.actual), ("score", f.execution_score)):
                if v is not None and line:
                    yield line, v, f"form {f.name} {label}"
            for ind in f.indicators:
                if ind.score is not None and ind.location.line:
                    yield ind.location.line, ind.score, f"indicator {ind.name} score"
        return
    if narrative:
        for st in doc.narrative:
            if st.kind == "amount" and "amount" in st.values and st.location.line:
                yield st.location.line, st.values["amount"], f"narrative {st.subject}"
        return
    for t in doc.tables:
        for r in t.rows:
            for c in r.cells:
                if c.value is not None and c.value != 0 and c.location.line:
                    yield c.location.line, c.value, f"{t.key} {r.key} {c.column}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seeds", nargs="*")
    ap.add_argument("--narrative", action="store_true")
    ap.add_argument("--performance", action="store_true")
    ap.add_argument("--delta", type=Decimal, default=Decimal("10"))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    files = [p for p in sorted(SEEDS.glob("0*.txt")) if not args.seeds or p.name[:3] in args.seeds]
    grand = [0, 0]
    for path in files:
        lines = path.read_text("utf-8").split("\n")
        doc = load(path)
        hit = total = 0
        misses = []
        for n, (line_no, value, what) in enumerate(targets(doc, args.narrative, args.performance)):
            if args.limit and n >= args.limit:
                break
            raw = lines[line_no - 1]
            pattern = re.compile(r"(?<![\d.,])" + r"[\d,]*".join(re.escape(ch) for ch in f"{value}".split(".")[0])
                                 + (r"\." + re.escape(f"{value}".split(".")[1]) if "." in f"{value}" else "")
                                 + r"(?![\d])")
            m = pattern.search(raw)
            if not m:
                continue
            old = m.group(0)
            new = value + args.delta
            new_text = fmt_like(old, new)
            mutated = lines.copy()
            mutated[line_no - 1] = raw[: m.start()] + new_text + raw[m.end():]
            try:
                report = check_lines(path.name, mutated)
            except Exception as e:  # noqa: BLE001
                misses.append(f"  crash {what}: {e}")
                total += 1
                continue
            total += 1
            if named(report, new, new_text):
                hit += 1
            else:
                misses.append(f"  miss line {line_no} {what}: {old} → {new_text}")
        grand[0] += hit
        grand[1] += total
        print(f"{path.name}: {hit}/{total} mutations named")
        for m in misses[:40]:
            print(m)
    print(f"all: {grand[0]}/{grand[1]}")


if __name__ == "__main__":
    main()
