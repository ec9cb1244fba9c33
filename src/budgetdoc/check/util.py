"""Helpers shared by rules: naming tables and rows in messages, locating cells, amount formatting."""

from __future__ import annotations

from decimal import Decimal

from ..data import catalog
from ..model import Column, Disclosure, Location, Row, Table
from .findings import fmt

ZERO = Decimal(0)


def table_name(t: Table) -> str:
    """``公开03表《支出决算表》`` / ``表T3《支出决算表》``: how a message names a table."""
    spec = catalog()["by_key"].get(t.key, {})
    title = spec.get("title", t.title)
    return f"{t.number or t.key}《{title}》"


def row_name(r: Row) -> str:
    label = f"{r.code} {r.name}" if r.code and r.name and r.code not in r.name else (r.name or r.code or r.key)
    return f"{r.part}·{label}" if r.part else label


def col_label(t: Table, column: str) -> str:
    c: Column | None = t.column(column)
    return c.label if c else column


def cell_location(doc: Disclosure, t: Table, r: Row | None, column: str | None) -> Location:
    """The location of a cell (or a row, or a table): its own location with table/row/column filled."""
    base = t.location
    if r is not None:
        c = r.cell(column) if column else None
        base = (c.location if c and (c.location.line or c.location.page) else r.location) or base
    return base.at(
        file=base.file or doc.source,
        table=t.key,
        row=(r.code or r.key) if r is not None else None,
        column=col_label(t, column) if column else None,
    )


def val(v: Decimal | None) -> Decimal:
    return v if v is not None else ZERO


def amount(v: Decimal | None) -> str:
    """An amount for a message ("空" for a blank cell)."""
    return "空白" if v is None else (fmt(v) or "")
