"""One defect, one finding: where two rules report the same slip at the same place, one finding stays.

A rule that reads a statement whole (its subject, amounts and years) may declare, in ``Rule.covers``, the
ids of the broader rules that scan the same text for one aspect of it (NAR013 reads a budget comparison
and covers IDN005, which scans every line for a year that is not the document's). A finding of a covered
rule is the same defect as one of its coverer when both are in the same file and page, at most a line
apart (a sentence wrapped over two lines), with the same expected and actual values, and quote the same
words (“比2025年预算”). Then only the coverer's finding is kept, at the more severe of the two severities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import SEVERITY_ORDER, Finding

_QUOTED = re.compile(r"“([^”]{2,})”")


def _quotes(f: Finding) -> set[str]:
    return {q.replace(" ", "") for q in _QUOTED.findall(f.message)}


def _same_defect(a: Finding, b: Finding) -> bool:
    la, lb = a.location, b.location
    return (
        a.expected is not None and a.actual is not None
        and (a.expected, a.actual) == (b.expected, b.actual)
        and la.file == lb.file and la.page == lb.page
        and la.line is not None and lb.line is not None and abs(la.line - lb.line) <= 1
        and bool(_quotes(a) & _quotes(b))
    )


def one_per_defect(findings: list[Finding], rules: Iterable[object]) -> list[Finding]:
    covers = {r.id: set(getattr(r, "covers", ())) for r in rules}  # type: ignore[attr-defined]
    if not any(covers.values()):
        return findings
    covered = {c for cs in covers.values() for c in cs}
    drop: set[int] = set()
    raise_to: dict[int, str] = {}
    for i, a in enumerate(findings):
        if not covers.get(a.rule):
            continue
        for j, b in enumerate(findings):
            if j in drop or b.rule not in covered or b.rule not in covers[a.rule] or not _same_defect(a, b):
                continue
            drop.add(j)
            if SEVERITY_ORDER[b.severity] > SEVERITY_ORDER[raise_to.get(i, a.severity)]:
                raise_to[i] = b.severity
    return [
        f.model_copy(update={"severity": raise_to[i]}) if i in raise_to else f
        for i, f in enumerate(findings) if i not in drop
    ]


__all__ = ["one_per_defect"]
