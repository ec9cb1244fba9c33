"""Mutation run for years: change one occurrence of the document's year (YYYY年) to the year before and
count the variants where a finding at that line names the injected year.

    .venv/bin/python scripts/mutate_years.py
"""

from __future__ import annotations

import re
from pathlib import Path

from mutation import check_lines

from budgetdoc.pipeline import load

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def main() -> None:
    total = hit = 0
    for path in sorted(SEEDS.glob("0*.txt")):
        lines = path.read_text("utf-8").split("\n")
        year = load(path).identity.year
        n = found = 0
        for i, raw in enumerate(lines):
            for m in re.finditer(rf"{year}(?=\s*年)", raw):
                new = str(year - 1)
                mutated = lines.copy()
                mutated[i] = raw[: m.start()] + new + raw[m.end():]
                report = check_lines(path.name, mutated)
                n += 1
                if any(f.severity != "info" and (new in f.message or f.actual == new) and f.location.line in (i + 1, i + 2)
                       for f in report.findings):
                    found += 1
                else:
                    print(f"  miss {path.name[:3]} line {i + 1}: {raw.strip()[:70]}")
        print(f"{path.name}: {found}/{n} year changes named at their line")
        total += n
        hit += found
    print(f"all: {hit}/{total}")


if __name__ == "__main__":
    main()
