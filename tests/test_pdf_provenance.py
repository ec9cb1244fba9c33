"""Provenance for PDF input: every table, row, cell, statement and finding of a sample PDF has its page
and box, and a cell's box is where its amount is printed (checked against PyMuPDF's own search)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetdoc.check import check
from budgetdoc.check.util import line_location
from budgetdoc.read import read
from conftest import SAMPLE, load_doc, needs_samples

pymupdf = pytest.importorskip("pymupdf")

pytestmark = needs_samples

SAMPLES = sorted(SAMPLE)

# (sample, table, row key, part, column, printed amount)
CELLS = [
    ("planning", "T1", "本年收入合计", "收入", "amount", "9746.50"),
    ("planning", "T1", "212", "支出", "amount", "3845.25"),
    ("planning", "T5", "212", None, "total", "3832.36"),
    ("planning", "T5", "2080505", None, "basic", "446.11"),
    ("planning", "T6", "30108", "人员经费", "amount", "446.11"),
    ("planning", "T9", "合计", None, "budget_total", "2.85"),
    ("planning", "T9", "合计", None, "final_reception", "0.39"),
    ("social", "T2", "2013999", None, "total", "202.24"),
    ("social", "T5", "合计", None, "basic", "105.58"),
    ("social", "T6", "30113", "人员经费", "amount", "17.70"),
    ("social", "T6", "30239", "公用经费", "amount", "2.43"),
    ("social", "T4", "221", "支出", "general", "29.42"),
]


def _inside(inner, outer, tol: float = 0.6) -> bool:
    return (
        inner[0] >= outer[0] - tol
        and inner[1] >= outer[1] - tol
        and inner[2] <= outer[2] + tol
        and inner[3] <= outer[3] + tol
    )


@pytest.mark.parametrize("sample,table,key,part,column,text", CELLS, ids=lambda v: str(v))
def test_cell_box_holds_the_printed_amount(sample, table, key, part, column, text) -> None:
    doc = load_doc(SAMPLE[sample])
    t = doc.table(table)
    assert t is not None
    row = t.find(key, part)
    assert row is not None, (table, key, part)
    cell = row.cell(column)
    assert cell is not None and cell.value == Decimal(text)
    loc = cell.location
    assert loc.page and loc.line and loc.bbox, loc
    pdf = pymupdf.open(str(SAMPLE[sample]))
    page = pdf[loc.page - 1]
    rects = [tuple(r) for r in page.search_for(text)]
    assert any(_inside(r, loc.bbox) for r in rects), (loc.bbox, rects)
    # the cell's box, not its row's: narrower than a fifth of the page
    assert loc.bbox[2] - loc.bbox[0] < page.rect.width / 5
    # the row's box holds the cell's, and the line number names the source line of that box
    assert _inside(loc.bbox, row.location.bbox)
    assert row.location.page == loc.page
    line = next(ln for ln in doc.lines() if (ln.page, ln.number) == (loc.page, loc.line))
    assert line.cell_boxes is not None and loc.bbox in line.cell_boxes


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_table_row_cell_and_statement_has_page_and_box(sample: str) -> None:
    doc = load_doc(SAMPLE[sample])
    assert len(doc.tables) == 9 and sum(len(t.rows) for t in doc.tables) > 150
    for t in doc.tables:
        assert t.location.page and t.location.line and t.location.bbox, t.key
        for r in t.rows:
            assert r.location.page and r.location.line and r.location.bbox, (t.key, r.key)
            for c in r.cells:
                assert c.location.page and c.location.line and c.location.bbox, (t.key, r.key, c.column)
    for st in doc.narrative:
        assert st.location.page and st.location.line and st.location.bbox, st.text


@pytest.mark.parametrize("sample", SAMPLES)
def test_table_box_is_its_title_line(sample: str) -> None:
    doc = load_doc(SAMPLE[sample])
    pdf = pymupdf.open(str(SAMPLE[sample]))
    for t in doc.tables:
        page = pdf[t.location.page - 1]
        rects = [tuple(r) for r in page.search_for(t.title)]
        assert any(_inside(r, t.location.bbox, tol=1.5) for r in rects), (t.key, t.title, t.location.bbox)


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_finding_has_page_and_box(sample: str) -> None:
    report = check(load_doc(SAMPLE[sample]))
    assert report.findings  # the samples have findings (the template its placeholders)
    missing = [(f.rule, f.message[:40]) for f in report.findings if not (f.location.page and f.location.bbox)]
    assert missing == []
    for f in report.findings:
        for rel in f.related:
            assert rel.page and rel.bbox, (f.rule, rel)


def test_statement_box_is_the_number_word() -> None:
    doc = load_doc(SAMPLE["planning"])
    st = next(s for s in doc.narrative if s.kind == "amount" and s.values.get("amount") == Decimal("9746.50"))
    pdf = pymupdf.open(str(SAMPLE["planning"]))
    rects = [tuple(r) for r in pdf[st.location.page - 1].search_for("9746.50")]
    assert any(_inside(r, st.location.bbox) for r in rects)


def test_cell_boxes_of_a_grid_row() -> None:
    source = read(str(SAMPLE["social"]))
    rows = [ln for ln in source.lines() if ln.cells is not None]
    assert rows
    for ln in rows:
        assert ln.cell_boxes is not None and len(ln.cell_boxes) == len(ln.cells)
        for cell, box in zip(ln.cells, ln.cell_boxes, strict=True):
            assert box is not None and _inside(box, ln.bbox, tol=1.0), (ln.text, cell, box)
            if cell:
                assert all(_inside(w.bbox, ln.bbox, tol=1.0) for w in ln.words or [])


def test_line_location_gives_the_line_box() -> None:
    doc = load_doc(SAMPLE["social"])
    ln = doc.lines()[5]
    loc = line_location(doc, ln.page, ln.number)
    assert (loc.page, loc.line, loc.bbox) == (ln.page, ln.number, ln.bbox)
    assert line_location(doc, 999, 1).bbox is None
