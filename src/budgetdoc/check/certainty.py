"""Errors only on what was read with certainty.

A table whose lines could not all be read (amounts left over, a reader that failed) is ``uncertain``
(:attr:`budgetdoc.model.Table.uncertain`), and an amount whose column could not be decided is a
``guess`` (:attr:`budgetdoc.model.Cell.read`). What could not be read is said once, by REC001; it is
never turned into arithmetic, relation, completeness or narrative findings. Dropped here, whatever rule
made them: any finding that rests on a guessed cell, and the findings that add up the rows of an
uncertain table or call it empty (a row that was not read would be missing from the sum). The rows of
an uncertain table that were read are still compared cell by cell (a row's own columns, the same cell
in another table) — unless the table's row names were misread (pieces of other cells: its rows may
hold other rows' amounts), then nothing is concluded from its cells. A part whose reader failed (目录
and headings, narrative, performance forms: ``<part>-failed``) is said by REC001; the findings that
would conclude from its absence are dropped.
"""

from __future__ import annotations

from ..model import Disclosure, Location
from .findings import Finding
from .rules.completeness import PERFORMANCE_KEYS

# findings derived from table amounts (recognition, classification and identity findings are not)
DERIVED = {"arithmetic", "relation", "completeness", "narrative", "performance"}
# rules that add up a table's rows, or judge it empty: what an unread row would change
OVER_ROWS = {"ARI002", "ARI003", "CMP003"}


def _places(f: Finding) -> list[Location]:
    return [f.location, *f.related]


# a part of the document whose reader failed (recognise._safely): the findings that conclude from its
# absence — sections and 目录 missing or out of order, performance forms missing, narrative not said
FROM_ABSENCE = {
    "sections-failed": lambda f: f.rule in ("CMP001", "CMP004", "CMP005"),
    "narrative-failed": lambda f: f.category == "narrative",
    "performance-failed": lambda f: f.category == "performance" or (
        f.rule in ("CMP001", "CMP002") and f.location.table in PERFORMANCE_KEYS
    ),
}


def settle(doc: Disclosure, findings: list[Finding]) -> list[Finding]:
    failed = [FROM_ABSENCE[d.code] for d in doc.diagnostics if d.code in FROM_ABSENCE]
    if failed:
        findings = [f for f in findings if f.severity == "info" or not any(drop(f) for drop in failed)]
    uncertain = {t.key for t in doc.tables if t.uncertain}
    # a table whose row names were misread (pieces of other cells): its rows may hold other rows'
    # amounts, so nothing is concluded from any of its cells
    misassembled = {d.location.table for d in doc.diagnostics if d.code == "misread-name"}
    guessed = {
        (t.key, r.key, c.column)
        for t in doc.tables
        for r in t.rows
        for c in r.cells
        if c.read == "guess"
    }
    if not uncertain and not guessed and not misassembled:
        return findings
    out = []
    blocked: set[str | None] = set()  # tables where a check rested on a guessed cell
    for f in findings:
        if f.category not in DERIVED or f.severity == "info":
            out.append(f)
            continue
        places = _places(f)
        hit = [loc.table for loc in places if (loc.table, loc.row, loc.column) in guessed]
        if hit:
            blocked.update(hit)
            continue
        if f.rule in OVER_ROWS and any(loc.table in uncertain for loc in places):
            continue
        if any(loc.table in misassembled for loc in places):
            continue
        out.append(f)
    return [_undone(f) if f.rule == "REC001" and f.severity == "info" and f.location.table in blocked
            and _guessed(doc, f) else f for f in out]


def _guessed(doc: Disclosure, f: Finding) -> bool:
    """The REC001 finding says guessed columns (the note of :mod:`.rules.recognition`)."""
    from .rules.recognition import GUESSED

    return any(d.code == GUESSED and d.location.table == f.location.table and f.message.startswith(d.message)
               for d in doc.diagnostics)


def _undone(f: Finding) -> Finding:
    """A note on guessed columns that a check rested on: a warning, saying the check was not made."""
    return f.model_copy(update={"severity": "warning", "message": f.message + "；涉及这些数的核对未进行"})


__all__ = ["settle"]
