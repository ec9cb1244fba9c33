"""Mutation run for names: replace one coded row's name with another name of the same level and count
the variants where a finding names the injected name.

    .venv/bin/python scripts/mutate_names.py [--seed N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from mutation import check_lines

from budgetdoc.data import codes
from budgetdoc.pipeline import load

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    total = hit = 0
    for path in sorted(SEEDS.glob("0*.txt")):
        lines = path.read_text("utf-8").split("\n")
        doc = load(path)
        ref = {"2": codes("functional", doc.identity.year), "3": codes("economic", doc.identity.year)}
        n = found = 0
        for t in doc.tables:
            for r in t.rows:
                if not r.code or not r.name or len(r.name) < 3 or not r.location.line:
                    continue
                raw = lines[r.location.line - 1]
                name = r.name.split("、")[-1]
                if name not in raw:
                    continue
                others = [v for c, v in ref[r.code[0]].items() if len(c) == len(r.code) and v != name and v not in raw]
                if not others:
                    continue
                new = rnd.choice(others)
                mutated = lines.copy()
                mutated[r.location.line - 1] = raw.replace(name, new, 1)
                report = check_lines(path.name, mutated)
                n += 1
                if any(new in f.message and f.severity != "info" for f in report.findings):
                    found += 1
                else:
                    print(f"  miss {path.name[:3]} {t.key} {r.code}: {name} → {new}")
        print(f"{path.name}: {found}/{n} name changes named")
        total += n
        hit += found
    print(f"all: {hit}/{total}")


if __name__ == "__main__":
    main()
