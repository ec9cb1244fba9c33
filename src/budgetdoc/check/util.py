"""Helpers shared by rules: naming tables and rows in messages, locating cells, amount formatting."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from ..data import catalog
from ..model import Column, Disclosure, Location, Row, Table
from .findings import fmt

ZERO = Decimal(0)

_TAGS = re.compile(r"<[^>]*>")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Text reduced for comparing what a document prints: no HTML tags (markdown sources), no
    whitespace, NFKC (half-width letters, digits and brackets: ``（`` → ``(``). Unlike
    :func:`budgetdoc.recognise.text.compact` (whitespace only), which the recognisers use so that the
    model keeps the printed characters, this is for the rules' comparisons only."""
    t = text or ""
    if "<" in t:
        t = _TAGS.sub("", t)
    # no whitespace: str.split() drops every Unicode space (\s, U+3000 among them)
    return "".join(unicodedata.normalize("NFKC", t).split())


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
    """The location of a cell (or a row, or a table): its own location with the table key, the row's key
    and part, the column id and label filled (reports look the cell up by these). A location without a
    box (a blank cell, a model built by hand) gets its source line's box."""
    base = t.location
    if r is not None:
        c = r.cell(column) if column else None
        base = (c.location if c and (c.location.line or c.location.page) else r.location) or base
    bbox = base.bbox
    if bbox is None and base.page is not None and base.line is not None:
        bbox = line_location(doc, base.page, base.line).bbox
    return base.at(
        file=base.file or doc.source,
        bbox=bbox,
        table=t.key,
        row=(r.key or r.code) if r is not None else None,
        part=r.part if r is not None else None,
        column=column or None,
        column_label=col_label(t, column) if column else None,
    )


def line_location(doc: Disclosure, page: int | None, line: int | None) -> Location:
    """The location of a source line: file, page, line and (PDF) the line's box."""
    return Location(file=doc.source, page=page, line=line, bbox=_line_boxes(doc).get((page, line)))


_LINE_BOXES: list[tuple[list, dict]] = []  # the last document's lines and their boxes (rules run per document)


def _line_boxes(doc: Disclosure) -> dict:
    """(page, line) → box of the document's lines, computed once per document."""
    lines = doc.lines()
    if _LINE_BOXES and _LINE_BOXES[0][0] is lines:
        return _LINE_BOXES[0][1]
    boxes = {(ln.page, ln.number): ln.bbox for ln in lines if ln.bbox is not None}
    _LINE_BOXES[:] = [(lines, boxes)]
    return boxes


def val(v: Decimal | None) -> Decimal:
    return v if v is not None else ZERO


def amount(v: Decimal | None) -> str:
    """An amount for a message ("空" for a blank cell)."""
    return "空白" if v is None else (fmt(v) or "")


def misread_rows(doc: Disclosure) -> set[tuple[str | None, str | None]]:
    """(table, row key) of the rows whose name the recogniser found built from pieces of other cells
    (diagnostic ``misread-name``, said by REC001): no classification finding is made of their names."""
    return {(d.location.table, d.location.row) for d in doc.diagnostics if d.code == "misread-name"}
