"""Which printed cell is wrong (budgetdoc.check.misprint): on a real document with one cell misprinted,
the cell whose correction makes every failing identity hold is named — not the totals that are right —
and a unit's 整改通知 read back says so."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from budgetdoc import pipeline
from budgetdoc.check.misprint import misprints
from conftest import SHARED

CITYMGMT = SHARED / "real" / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
pytestmark = pytest.mark.skipif(not CITYMGMT.exists(), reason="../shared/real (the citymgmt text) not present")

# (line as printed, amount as printed, amount misprinted, the cell that is wrong)
CASES = [
    ("212 01 04 城管执法 33,775,592 22,783,399 10,992,193", "10,992,193", "10,929,193", ("2120104", "project")),
    ("208 05 05 机关事业单位基本养老保险缴费支出 2,302,464 2,302,464", "2,302,464", "2,320,464", ("2080505", "total")),
    ("210 11 01 行政单位医疗 1,439,040 1,439,040", "1,439,040", "1,439,400", ("2101101", "total")),
]


def misprinted(tmp_path, line: str, old: str, new: str):
    text = CITYMGMT.read_text("utf-8")
    lines = text.split("\n")
    at = [i for i, ln in enumerate(lines) if ln.startswith(line)]
    assert at, line
    i = at[len(at) // 2]  # one of the tables that print the row (the 支出预算总表 when the row is printed twice)
    lines[i] = lines[i].replace(old, new, 1)
    out = tmp_path / "misprinted.txt"
    out.write_text("\n".join(lines), "utf-8")
    return out


def test_the_untouched_document_has_no_misprint():
    doc, rep = pipeline.run(str(CITYMGMT))
    assert misprints(doc, rep.findings) == []


@pytest.mark.parametrize("line,old,new,cell", CASES)
def test_the_misprinted_cell_is_named_not_the_totals(tmp_path, line, old, new, cell):
    doc, rep = pipeline.run(str(misprinted(tmp_path, line, old, new)))
    failing = [i for i, f in enumerate(rep.findings) if f.rule.startswith("ARI") and f.severity == "error"]
    assert len(failing) >= 2  # the row's identity and its parent's both fail
    (m,) = misprints(doc, rep.findings)
    assert (m.location.row, m.location.column) == cell
    assert m.printed == Decimal(new.replace(",", "")) and m.should_be == Decimal(old.replace(",", ""))
    assert set(m.findings) == set(failing)


def test_the_notice_read_back_names_the_misprinted_cell(tmp_path):
    docx = pytest.importorskip("docx")
    pytest.importorskip("sqlalchemy")
    from budgetdoc.serve import notice
    from budgetdoc.store import Store

    path = misprinted(tmp_path, *CASES[0][:3])
    reg = tmp_path / "orgs.csv"
    reg.write_text("代码,名称,上级部门代码,别名\nCG,普陀区城市管理行政执法局,,\n", "utf-8")
    with Store(str(tmp_path / "n.db")) as store:
        store.import_orgs(str(reg))
        store.ingest([str(path)])
        n = notice.collect(store.engine, "CG", "普陀区城市管理行政执法局")
    body = docx.Document(io.BytesIO(notice.notice_docx(n)))
    cells = [c.text for t in body.tables for row in t.rows for c in row.cells]
    assert "应为：10,992,193.00" in cells and "实为：10,929,193.00" in cells
    assert not any(c.startswith("应为：") and "33," in c for c in cells)  # not the 款 total nor the 合计
    text = "\n".join(p.text for p in body.paragraphs)
    assert "2120104" in text and "项目支出" in text and "更正这一个数" in text
