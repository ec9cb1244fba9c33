"""Errors only on what was read with certainty.

A table whose lines could not all be read (amounts left over, a reader that failed) is ``uncertain``
(:attr:`budgetdoc.model.Table.uncertain`), and an amount whose column could not be decided is a
``guess`` (:attr:`budgetdoc.model.Cell.read`). What could not be read is said once, by REC001; it is
never turned into arithmetic, relation, completeness or narrative findings: such a finding that rests
on an uncertain table or a guessed cell is dropped here, whatever rule made it.
"""

from __future__ import annotations

from ..model import Disclosure, Location
from .findings import Finding

# findings derived from table amounts (recognition, classification and identity findings are not)
DERIVED = {"arithmetic", "relation", "completeness", "narrative", "performance"}


def _places(f: Finding) -> list[Location]:
    return [f.location, *f.related]


def settle(doc: Disclosure, findings: list[Finding]) -> list[Finding]:
    uncertain = {t.key for t in doc.tables if t.uncertain}
    guessed = {
        (t.key, r.key, c.column)
        for t in doc.tables
        for r in t.rows
        for c in r.cells
        if c.read == "guess"
    }
    if not uncertain and not guessed:
        return findings
    out = []
    for f in findings:
        if f.category in DERIVED and f.severity != "info" and any(
            loc.table in uncertain or (loc.table, loc.row, loc.column) in guessed for loc in _places(f)
        ):
            continue
        out.append(f)
    return out


__all__ = ["settle"]
