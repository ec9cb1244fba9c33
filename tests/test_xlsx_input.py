"""Spreadsheet input: a workbook with one table per sheet (as budget systems export them) reads into the
same table cells as the document it came from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SEED, load_doc, needs_seeds

openpyxl = pytest.importorskip("openpyxl")


def _cells(doc) -> set[tuple]:
    return {(t.key, r.key, c.column, c.value) for t in doc.tables for r in t.rows for c in r.cells
            if c.value is not None}


def _workbook_from(seed: str, out: Path) -> Path:
    """One sheet per table of the seed: its title, 单位 line, header and body rows as cells; amounts as
    numbers (floats, as spreadsheets hold them)."""
    doc = load_doc(SEED[seed])
    lines = doc.lines()
    tables = sorted(doc.tables, key=lambda t: t.location.line or 0)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, t in enumerate(tables):
        start = t.location.line or 0
        end = tables[i + 1].location.line if i + 1 < len(tables) else start + 60
        ws = wb.create_sheet((t.number or t.key)[:31])
        for ln in lines:
            if not start <= ln.number < (end or 0) or ln.text.startswith("第三部分"):
                continue
            row = ln.cells if ln.cells is not None else [ln.text]
            if not any(row):
                continue
            values: list[object] = []
            for c in row:
                plain = c.replace(",", "")
                values.append(float(plain) if plain.replace(".", "", 1).isdigit() and "." in plain else c)
            ws.append(values)
    wb.save(out)
    return out


@needs_seeds
def test_workbook_of_seed_004_tables_reads_the_same_cells(tmp_path: Path) -> None:
    book = _workbook_from("004", tmp_path / "004.xlsx")
    original = _cells(load_doc(SEED["004"]))
    from_sheets = _cells(load_doc(book))
    assert len(original) > 100
    assert from_sheets == original
    assert all(isinstance(v, Decimal) for *_, v in from_sheets)
