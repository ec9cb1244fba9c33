"""The workbook report: every extracted amount re-reads exactly, codes stay text, findings sheet usable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SEED
from test_report_model import EXAMPLE, example_doc, example_report


def _reread(doc, report, tmp_path):
    from openpyxl import load_workbook

    from budgetdoc.report.xlsx import write_xlsx

    out = tmp_path / "report.xlsx"
    write_xlsx(doc, report, str(out))
    return load_workbook(out)


def assert_tables_round_trip(doc, wb) -> int:
    """Every extracted amount is in its table's sheet as a number that re-reads to the same amount."""
    from budgetdoc.report.xlsx import MONEY, lead_columns

    names = wb.sheetnames[2:]
    assert len(names) == len(doc.tables)
    checked = 0
    for t, name in zip(doc.tables, names, strict=True):
        ws = wb[name]
        assert t.key in name
        lead = lead_columns(t)
        header = [c.value for c in next(r for r in ws.iter_rows() if r[0].value == lead[0][1])]
        assert header == [lb for _, lb in lead] + [c.label for c in t.columns]
        hrow = next(r[0].row for r in ws.iter_rows() if r[0].value == lead[0][1])
        code_col = [k for k, _ in lead].index("code") + 1
        for i, r in enumerate(t.rows):
            row = hrow + 1 + i
            code = ws.cell(row, code_col)
            assert code.value == r.code, (t.key, i)
            if r.code:
                assert isinstance(code.value, str) and code.number_format == "@"
            for j, c in enumerate(t.columns, start=len(lead) + 1):
                v = r.value(c.id)
                cell = ws.cell(row, j)
                if v is None:
                    continue
                assert isinstance(cell.value, int | float), (t.key, r.key, c.id, cell.value)
                assert Decimal(str(round(cell.value, 2))) == v, (t.key, r.key, c.id, cell.value, v)
                assert cell.number_format == MONEY
                checked += 1
    return checked


def test_xlsx_of_example_model(tmp_path):
    doc = example_doc()
    rep = example_report(doc)
    wb = _reread(doc, rep, tmp_path)
    assert wb.sheetnames[:2] == ["文档", "问题"]
    n = assert_tables_round_trip(doc, wb)
    assert n == sum(1 for t in doc.tables for r in t.rows for c in r.cells if c.value is not None)
    fs = wb["问题"]
    assert [c.value for c in fs[1]] == ["规则", "名称", "类别", "级别", "说明", "表", "行", "栏", "页", "行号",
                                       "应为", "实为", "相关位置"]
    assert fs.freeze_panes == "A2"
    assert fs.auto_filter.ref == f"A1:M{len(rep.findings) + 1}"
    assert fs.max_row == len(rep.findings) + 1
    got = {(r[0].value, r[5].value, r[6].value, r[7].value) for r in fs.iter_rows(min_row=2)}
    assert ("ARI001", "T3", "201", "本年支出合计") in got
    info = {r[0].value: r[1].value for r in wb["文档"].iter_rows()}
    assert info["单位"] == "示例市档案服务中心" and info["年度"] == 2023
    assert info["问题合计"] == len(rep.findings) and info["错误"] == rep.summary()["error"]


def test_xlsx_large_amounts_round_trip(tmp_path):
    doc = example_doc()
    cells = [c for t in doc.tables for r in t.rows for c in r.cells if c.value is not None]
    for k, c in enumerate(cells):  # amounts up to hundreds of billions of 万元, all cents
        c.value = Decimal(f"{(k * 7919_131) % 10**12}.{k % 100:02d}") * (-1 if k % 17 == 0 else 1)
    wb = _reread(doc, example_report(doc), tmp_path)
    assert assert_tables_round_trip(doc, wb) == len(cells)


@pytest.mark.parametrize("name", ["example", *sorted(SEED)])
def test_xlsx_of_real_documents(tmp_path, name):
    from budgetdoc.check import check
    from conftest import load_doc_or_skip

    path = EXAMPLE if name == "example" else SEED[name]
    doc = load_doc_or_skip(path)
    rep = check(doc)
    wb = _reread(doc, rep, tmp_path)
    assert_tables_round_trip(doc, wb)
    assert wb["问题"].max_row == len(rep.findings) + 1


def _sheet_cell(doc, wb, table: str, row_key: str, column: str):
    from budgetdoc.report.xlsx import lead_columns

    t = doc.table(table)
    ws = wb[next(n for n in wb.sheetnames[2:] if n.startswith(table + " "))]
    lead = lead_columns(t)
    hrow = next(r[0].row for r in ws.iter_rows() if r[0].value == lead[0][1])
    i = next(i for i, r in enumerate(t.rows) if r.key == row_key)
    j = [c.id for c in t.columns].index(column)
    return ws.cell(hrow + 1 + i, len(lead) + 1 + j)


def test_xlsx_marks_the_cells_of_a_finding(tmp_path):
    """The cell a finding concerns is filled in its severity's colour with the message as a comment; the
    cells it is compared with are filled yellow; the findings sheet links to the cell and gives 应为/实为
    as numbers."""
    doc = example_doc()
    rep = example_report(doc)
    wb = _reread(doc, rep, tmp_path)
    ari = next(f for f in rep.findings if f.rule == "ARI001")
    hit = _sheet_cell(doc, wb, "T3", "201", "total")
    assert hit.fill.fgColor.rgb.endswith("FFD6D6"), hit.fill.fgColor.rgb
    assert hit.comment is not None and ari.message in hit.comment.text and "ARI001" in hit.comment.text
    rel = _sheet_cell(doc, wb, "T3", "201", "project")  # ARI001's other side: 项目支出
    assert rel.fill.fgColor.rgb.endswith("FFF0B3"), rel.fill.fgColor.rgb
    assert rel.comment is not None and "相关" in rel.comment.text and "ARI001" in rel.comment.text
    unmarked = _sheet_cell(doc, wb, "T3", "2012650", "total")
    assert unmarked.comment is None and unmarked.fill.fill_type is None
    fs = wb["问题"]
    rows = list(fs.iter_rows(min_row=2))
    # errors first, then warnings, then notes
    order = {"错误": 0, "警告": 1, "提示": 2}
    sev = [order[r[3].value] for r in rows]
    assert sev == sorted(sev)
    row = next(r for r in rows if r[0].value == "ARI001")
    assert row[10].value == 390 and row[11].value == 380 and row[10].number_format == "#,##0.00"
    assert row[5].hyperlink is not None and hit.coordinate in row[5].hyperlink.location
    words = next(r for r in rows if r[0].value == "CMP002")
    assert isinstance(words[10].value, str)  # a table's name stays text


def test_as_number():
    from budgetdoc.report.xlsx import as_number

    assert as_number("9,746.50") == (9746.5, "#,##0.00")
    assert as_number("-12.88") == (-12.88, "#,##0.00")
    assert as_number("12.5%") == (0.125, "0.00%")
    assert as_number("2024") == (2024.0, "#,##0")
    assert as_number("上海市普陀区规划和自然资源局") == ("上海市普陀区规划和自然资源局", None)
    assert as_number(None) == (None, None)
