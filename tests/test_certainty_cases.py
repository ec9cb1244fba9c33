"""Certainty all the way down (issue 14): what the reader could not read with certainty is said once
(REC001) and never turned into an error. Each case of the issue, on a shared document or an edited copy
of one (built in a temporary directory):

- a name a person could not have printed — glued to the column headings repeated at a page break, its
  characters scrambled by the extractor, several names run together — is a misreading, not a CLS001;
- side-by-side panels (基本支出: 人员经费 | 公用经费) whose names wrap are read as panels, in text and in a
  PDF without ruling lines;
- a row that prints fewer amounts than the table has columns is not put in a column nothing confirms:
  the 三公 line without its blank 因公出国, a 收支总表's right half, a carry-over table's blank 年初;
- a table's title written after its rows (pdf.js) still heads its rows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED, check_doc, load_doc

REAL = SHARED / "real"
CITY = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
SOCIAL = SHARED / "samples" / "shanghai-putuo-social-work-2024-final.pdf"
COMMERCE_UNIT = REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf"


def _need(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path.name} not present in ../shared")


def _edited(tmp_path: Path, source: Path, *edits: tuple[str, str]) -> Path:
    text = source.read_text("utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    out = tmp_path / source.name
    out.write_text(text, "utf-8")
    return out


def _errors(path: Path, rule: str) -> list:
    return [f for f in check_doc(path).findings if f.rule == rule and f.severity == "error"]


def _said(path: Path, table: str) -> list:
    return [f for f in check_doc(path).findings if f.rule == "REC001" and f.location.table == table
            and f.severity == "warning"]


# ---------------------------------------------------------------- names no person printed


def test_scrambled_names_are_misreadings_not_wrong_names(tmp_path: Path) -> None:
    """``险机缴关费事支业出单位职业年金缴`` (机关事业单位职业年金缴费支出), ``出抚恤`` (抚恤), ``费其支他出
    行政事业单位养老支`` (其他行政事业单位养老支出): the extractor's scramble, said once for the table."""
    _need(CITY)
    out = _edited(tmp_path, CITY,
                  ("208 05 06 机关事业单位职业年金缴费支出", "208 05 06 险机缴关费事支业出单位职业年金缴"),
                  ("208 08 抚恤 294,000 294,000", "208 08 出抚恤 294,000 294,000"),
                  ("208 05 99 其他行政事业单位养老支出", "208 05 99 费其支他出行政事业单位养老支"))
    assert not _errors(out, "CLS001")
    said = _said(out, "B2")
    assert len(said) == 1 and "字序错乱" in said[0].message, said
    assert not _said(CITY, "B2")
    # a person's slip stays an error: 2101101 printed with 2101102's name
    slip = tmp_path / "slip"
    slip.mkdir()
    out = _edited(slip, CITY, ("210 11 01 行政单位医疗", "210 11 01 事业单位医疗"))
    found = _errors(out, "CLS001")
    assert [(f.location.table, f.location.row) for f in found] == [("B2", "2101101")]
    assert not [f for f in check_doc(out).findings if f.rule == "REC001" and f.severity != "info"]


def test_a_name_glued_to_the_headings_repeated_at_a_page_break(tmp_path: Path) -> None:
    """A page break inside the 支出预算总表 whose continuation page prints the column headings again in
    other lines than the first page: the row before them gets ``城管执法项目一般公共预算支出功能分类科目编码
    功能分类科目名称合计…`` as its name — a misreading, not a CLS001."""
    _need(CITY)
    row = "212 01 04 城管执法 33,775,592 22,783,399 10,992,193"
    out = _edited(tmp_path, CITY, (row, row + "\f项目 一般公共预算支出\n功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出"))
    assert not _errors(out, "CLS001")
    said = _said(out, "B3")
    assert len(said) == 1 and "表头文字" in said[0].message


def test_names_run_together_headings_and_pieces_are_misreadings() -> None:
    from budgetdoc.recognise.tables.names import misread

    assert misread("商品和服务支出基本工资办公费津贴补贴印刷费", "商品和服务支出", "economic")
    assert misread("支持中小企业发展和管理支出项目一般公共预算支出功能分类科目编码功能分类科目名称合计",
                   "支持中小企业发展和管理支出", "functional")
    assert misread("险机缴关费事支业出单位职业年金缴", "机关事业单位职业年金缴费支出", "functional") == "字序错乱"
    assert misread("出抚恤", "抚恤", "functional")
    assert misread("会议费庭的补助", "会议费", "economic")
    assert misread("对个人和家", "对个人和家庭的补助", "economic")
    # what a person prints stays for the classification rule
    assert misread("事业单位医疗", "行政事业单位医疗", "functional") is None  # another code's name
    assert misread("机关事业单位基本养老保险费", "机关事业单位基本养老保险缴费", "economic") is None  # a character less
    assert misread("租房补贴", "提租补贴", "functional") is None  # another word
    assert misread("离退休人员经费", "对个人和家庭的补助", "economic") is None  # a former grouping's name


# ---------------------------------------------------------------- side-by-side panels


def test_basic_table_panels_in_text_are_read_as_panels(tmp_path: Path) -> None:
    """The social-work sample's 基本支出 table (人员经费 | 公用经费 panels, names wrapped inside their cells)
    as a text extractor writes it, one line per printed line: every row's name as in the PDF."""
    _need(SOCIAL)
    from shapes import write

    out = write(SOCIAL, "panels", tmp_path)
    pdf, text = load_doc(SOCIAL).table("T6"), load_doc(out).table("T6")
    assert {(r.code, r.name) for r in text.rows} == {(r.code, r.name) for r in pdf.rows}
    assert not [f for f in check_doc(out).findings if f.severity == "error"]


def test_basic_table_panels_in_a_pdf_without_ruling_lines(tmp_path: Path) -> None:
    """The social-work sample printed again from its words alone (no ruling lines): the summary tables'
    halves and the 基本支出 panels are read with the names of the ruled PDF; no error (a name the
    extractor stacked out of order is said, REC001)."""
    _need(SOCIAL)
    pymupdf = pytest.importorskip("pymupdf")
    from budgetdoc.read import read
    from pdf_edit import insert

    out = pymupdf.open()
    for p in read(str(SOCIAL)).pages:
        pg = out.new_page(width=p.width or 595, height=p.height or 842)
        for ln in p.lines:
            for w in ln.words or []:
                x0, y0, x1, y1 = w.bbox
                insert(pg, (x0, y1 - 0.2 * (y1 - y0)), w.text, (y1 - y0) * 0.8)
    path = tmp_path / "unruled.pdf"
    out.save(str(path))
    ruled, unruled = load_doc(SOCIAL), load_doc(path)
    for key in ("T1", "T2", "T3", "T4", "T5"):
        assert {(r.code, r.name) for r in unruled.table(key).rows} == {(r.code, r.name) for r in ruled.table(key).rows}
    said = {f.location.row for f in check_doc(path).findings if f.rule == "REC001"}
    names = {(r.code, r.name) for r in unruled.table("T6").rows if r.key not in said}
    assert names <= {(r.code, r.name) for r in ruled.table("T6").rows} and len(names) >= 60
    assert not [f for f in check_doc(path).findings if f.severity == "error"]


# ---------------------------------------------------------------- fewer amounts than columns


def test_sangong_line_without_its_blank_is_not_read_as_another_item(tmp_path: Path) -> None:
    """``115.29 1.53 113.76 75.00 38.76 507.25``: 1.53 is 因公出国 or 公务接待费 (the blank one dropped),
    and the 基本支出 table's 公务接待费 (0.46) does not say which (the 三公 amount may hold project money):
    no NAR001 “公务接待费 1.53 vs 0”, no REL001 on a guess; said once."""
    _need(CITY)
    out = _edited(tmp_path, CITY,
                  ("114.22 0.00 0.46 113.76 75.00 38.76 507.25", "115.29 1.53 113.76 75.00 38.76 507.25"),
                  ("2026年“三公”经费预算数为114.22万元", "2026年“三公”经费预算数为115.29万元"),
                  ("（三）公务接待费0.46万元", "（三）公务接待费1.53万元"))
    found = check_doc(out).findings
    assert not [f for f in found if f.rule in ("NAR001", "REL001") and f.severity == "error"], found
    said = _said(out, "B7")
    assert len(said) == 1 and "无法唯一确定" in said[0].message
    reads = {c.column: c.read for c in load_doc(out).table("B7").rows[0].cells}
    assert reads["abroad"] == reads["reception"] == "guess"
    assert reads["car"] == reads["car_buy"] == reads["car_run"] == "identity"


def test_summary_right_half_is_placed_by_its_sums(tmp_path: Path) -> None:
    """The commerce unit's 财务收支预算总表 as text (blank cells gone): ``二、科学技术支出 17,200,000.00
    17,200,000.00`` is 合计 and one of 人员经费 / 公用经费 / 项目支出; the classes add up to 支出总计 in every
    column only with it in 项目支出 — no ARI002 from a guess, the PDF's cells."""
    _need(COMMERCE_UNIT)
    from shapes import write

    out = write(COMMERCE_UNIT, "panels", tmp_path)
    assert not _errors(out, "ARI002")
    t = load_doc(out).table("B1")
    assert {c.column: c.value for c in t.find("206", "支出").cells if c.value is not None} == {
        "amount": Decimal("17200000.00"), "project": Decimal("17200000.00")}
    assert {c.read for r in t.rows for c in r.cells} <= {"unique", "identity"}


def test_a_carry_over_row_without_its_blank_begins_nowhere_certain() -> None:
    """A 政府性基金 table's row ``10.00 8.00 8.00 2.00`` (年初 blank): 10.00 is 年初结转 or 本年收入 — both
    keep 年末 = 年初 + 收入 − 支出; the row is a guess there, so no arithmetic is made of it."""
    from budgetdoc.read import read_text
    from budgetdoc.recognise.identity import recognise_identity
    from budgetdoc.recognise.tables import find_tables

    text = "\n".join(["2024年度政府性基金预算财政拨款收入支出决算表", "单位：某某局 单位：万元",
                      "合计 10.00 8.00 8.00 2.00"])
    src = read_text(text, "t7.txt", markdown=False)
    ident = recognise_identity(src)
    ident.kind = "决算"
    (t,), found = find_tables(src, ident)
    cells = {c.column: (c.value, c.read) for c in t.rows[0].cells}
    assert cells["begin"] == (Decimal("10.00"), "guess") and cells["income"] == (None, "guess")
    assert {d.code for d in found} == {"guessed-columns"}


# ---------------------------------------------------------------- pdf.js order


def test_a_title_written_after_its_rows_heads_them() -> None:
    """pdf.js writes a table's title where the PDF drew it — after its rows — and marks the pages: the
    table opens at its 单位 line above the title."""
    from budgetdoc.read import read_text
    from budgetdoc.recognise.identity import recognise_identity
    from budgetdoc.recognise.tables import find_tables

    text = "\n".join([
        "编制部门：某局 单位：元", "项目 一般公共预算支出", "功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出",
        "201 一般公共服务支出 300 200 100", "合计 300 200 100", "2025年部门一般公共预算支出功能分类预算表",
        "", "-- 1 of 2 --", "",
        "编制部门：某局 单位：元", "项目 支出预算", "功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出",
        "201 一般公共服务支出 500 200 300", "合计 500 200 300", "2025年部门支出预算总表",
        "", "-- 2 of 2 --", "",
    ])
    src = read_text(text, "pdfjs.txt", markdown=False)
    ident = recognise_identity(src)
    ident.kind = "预算"
    tables, _ = find_tables(src, ident)
    got = {t.key: {r.key: {c.column: c.value for c in r.cells} for r in t.rows} for t in tables}
    assert got == {
        "B5_1": {"201": {"total": 300, "basic": 200, "project": 100}, "合计": {"total": 300, "basic": 200, "project": 100}},
        "B3": {"201": {"total": 500, "basic": 200, "project": 300}, "合计": {"total": 500, "basic": 200, "project": 300}},
    }
    assert all(t.publisher == "某局" and t.unit == "元" for t in tables)


# ---------------------------------------------------------------- wrapped cells in text


def test_wrapped_names_of_side_by_side_cells_go_back_to_their_cells() -> None:
    """The two examples of read/wrapped_cells.py: a 收支总表's halves and 基本支出 panels, the pieces of
    each wrapped name on the next line side by side."""
    from budgetdoc.read.lines import Line
    from budgetdoc.read.wrapped_cells import join_wrapped_cells

    def joined(*texts: str) -> list[str]:
        return [ln.text for ln in join_wrapped_cells([Line(text=t, page=1, number=i) for i, t in enumerate(texts)])]

    assert joined("七、附属单 七、文化旅游体 12.00", "位上缴收入 育与传媒支出") == ["七、附属单位上缴收入 七、文化旅游体育与传媒支出 12.00"]
    assert joined("30108 机关事业单位基本 6.18 30299 其他商品和 0.50", "养老保险缴费 服务支出") == [
        "30108 机关事业单位基本养老保险缴费 6.18 30299 其他商品和服务支出 0.50"]
    # one piece beside two names goes where the reference names say; a line of names of its own stays
    assert joined("30199 其他工资 30214 租赁费", "福利支出") == ["30199 其他工资福利支出 30214 租赁费"]
    assert joined("本年收入合计 307.82 本年支出合计 307.82", "年初财政拨款结转和结余 年末财政拨款结转和结余") == [
        "本年收入合计 307.82 本年支出合计 307.82", "年初财政拨款结转和结余 年末财政拨款结转和结余"]
    # a name printed around its code: the words above and below, as the code's reference name says
    assert joined("文化旅游体育", "207", "与传媒支出", "其他文化旅游", "20799 体育与传媒支", "出") == [
        "207 文化旅游体育与传媒支出", "20799 其他文化旅游体育与传媒支出"]


def test_one_row_printing_an_amount_too_many_leaves_its_table_uncertain_not_wrong(tmp_path):
    """The 支出总表's header names 合计 | 基本支出 | 项目支出; one row printing a fourth number (a stray “77”)
    does not turn the header's columns into the catalog's six with 77 as 事业单位经营支出 and an ARI error:
    that row is said (“多于 3 栏”) and the table is not summed."""
    _need(CITY)
    row = "212 城乡社区支出 33,775,592 22,783,399 10,992,193\n"
    rep = check_doc(_edited(tmp_path, CITY, (row, row.rstrip("\n") + " 77\n")))
    assert [f.rule for f in rep.findings if f.severity == "error"] == []
    (said,) = [f for f in rep.findings if f.rule == "REC001"]
    assert said.location.table == "B3" and "多于 3 栏" in said.message
