"""A draft's marks on its tables: each finding on a table cell (a total that disagrees, a wrong code name,
an identity the checker finds broken in the written text) marks the cell where it is drawn — its value
followed by 【待改：WRT001，填为 9,999.99】 in every format, the cell shaded in HTML and DOCX — and a finding on a
table as a whole (a class row it lacks) marks the table under its rows. Narrative problems are marked on
their paragraphs (:attr:`Block.mark`); the draft's first page lists every finding in full."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..check.findings import Finding
from .document import Block, TableBlock


def note(f: Finding) -> str:
    """The short mark of a finding: its rule, and for the data's own finding what the data gave."""
    given = ""
    if f.actual and f.rule.startswith("WRT"):
        try:
            given = f"，填为 {Decimal(f.actual):,.2f}"
        except InvalidOperation:
            given = f"，填为“{f.actual}”"
    return f"待改：{f.rule}{given}"


def _where(tb: TableBlock, f: Finding) -> tuple[int, int] | None:
    loc = f.location
    if not loc.row:
        return None
    for key in ((loc.part, loc.row, loc.column), (loc.part, loc.row, None)):
        if key in tb.cells:
            return tb.cells[key]
    if loc.part is None:  # a finding that does not say the half (收入 / 支出): the row wherever it is
        for column in (loc.column, None):
            at = next((v for (p, r, c), v in tb.cells.items() if r == loc.row and c == column), None)
            if at is not None:
                return at
    return None


def _add(old: str, text: str) -> str:
    return text if not old else old if text in old.split("；") else f"{old}；{text}"


def mark_tables(blocks: list[Block], findings: list[Finding]) -> None:
    """Put each finding on the table it concerns (by the table's key): on its cell, else on the table."""
    tables: dict[str, list[TableBlock]] = {}
    for b in blocks:
        if b.kind == "table" and b.table is not None:
            tables.setdefault(b.table.key, []).append(b.table)
    for f in findings:
        if f.severity == "info" or not f.location.table:
            continue
        for tb in tables.get(f.location.table, []):
            at = _where(tb, f)
            if at is not None:
                tb.marks[at] = _add(tb.marks.get(at, ""), note(f))
            else:
                tb.mark = _add(tb.mark, note(f))


__all__ = ["mark_tables", "note"]
