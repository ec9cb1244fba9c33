"""Variants of the seeds (built in a temporary directory): what the table reader does with lines it
cannot place, split codes, placeholders, units, repeated titles, and unresolvable columns."""

from __future__ import annotations

from decimal import Decimal

from budgetdoc.read import read_text
from budgetdoc.recognise.identity import recognise_identity
from budgetdoc.recognise.tables import find_tables
from conftest import SEED, load_doc, needs_seeds, variant

pytestmark = needs_seeds

T3_ROW = "2080108 信息化建设 444.42 444.42"


def diags(doc, code):
    return [d for d in doc.diagnostics if d.code == code]


def test_a_row_that_breaks_its_identity_is_placed_by_its_parent(tmp_path):
    """444.42 / 444.41 fits no placement on its own; under 20801 it can only be 合计 + 项目支出 (the
    rules then report the broken row), so nothing is ambiguous."""
    doc = load_doc(variant(tmp_path, "000", T3_ROW, "2080108 信息化建设 444.42 444.41", nth=2))
    r = doc.table("T3").find("2080108")
    assert (r.value("total"), r.value("basic"), r.value("project")) == (
        Decimal("444.42"),
        None,
        Decimal("444.41"),
    )
    assert diags(doc, "ambiguous-columns") == []


def test_a_row_that_fits_nowhere_is_reported_ambiguous(tmp_path):
    doc = load_doc(
        variant(tmp_path, "000", "2080150 事业运行 571.02 571.02", "2080150 事业运行 571.02 600.00", nth=2)
    )
    found = diags(doc, "ambiguous-columns")
    assert any(d.location.line == 236 and d.location.table == "T3" and "2080150" in d.message for d in found)
    assert {d.location.table for d in found} == {"T3"}
    # the amounts are still all there
    r = doc.table("T3").find("2080150")
    assert sorted(c.value for c in r.cells) == [Decimal("571.02"), Decimal("600.00")]


def test_an_amount_on_a_nameless_summary_row_is_reported(tmp_path):
    doc = load_doc(variant(tmp_path, "000", "30 61", "30 5.00 61"))
    found = diags(doc, "unparsed-line")
    assert len(found) == 1
    assert found[0].location.line == 101 and "5.00" in found[0].message
    assert len(doc.table("T1").rows) == 42


def test_a_word_in_an_amount_cell_is_reported(tmp_path):
    doc = load_doc(
        variant(tmp_path, "004", "2080150\t事业运行\t99.68\t99.68", "2080150\t事业运行\t99.68\t九十九", nth=2)
    )
    found = diags(doc, "unparsed-line")
    assert [d.location.line for d in found] == [163]
    assert doc.table("T3").find("2080150").value("total") == Decimal("99.68")


def test_a_code_printed_over_class_kuan_xiang_is_joined(tmp_path):
    doc = load_doc(variant(tmp_path, "000", T3_ROW, "208 01 08 信息化建设 444.42 444.42", nth=2))
    r = doc.table("T3").find("2080108")
    assert r is not None and r.name == "信息化建设"
    assert r.value("project") == Decimal("444.42")
    assert diags(doc, "ambiguous-columns") == []


def test_a_dash_placeholder_keeps_the_column_position(tmp_path):
    doc = load_doc(variant(tmp_path, "000", T3_ROW, "2080108 信息化建设 444.42 — 444.42", nth=3))
    r = doc.table("T5").find("2080108")
    assert [(c.column, c.value) for c in r.cells] == [
        ("total", Decimal("444.42")),
        ("project", Decimal("444.42")),
    ]


def test_money_unit_from_the_header(tmp_path):
    doc = load_doc(variant(tmp_path, "000", "信息中心 单位：万元", "信息中心 单位：元", nth=2))
    assert doc.table("T3").unit == "元"
    assert doc.table("T2").unit == "万元"


def test_a_title_repeated_on_the_next_page_continues_the_table(tmp_path):
    repeat = "2023年度支出决算表\n\n公开03表\n\n单位： 武汉市人力资源和社会保障信息中心 单位：万元\n\n210 卫生健康支出 85.61 85.61"
    doc = load_doc(variant(tmp_path, "000", "210 卫生健康支出 85.61 85.61", repeat, nth=2))
    assert [t.key for t in doc.tables].count("T3") == 1
    t = doc.table("T3")
    assert len(t.rows) == 18
    assert t.find("210").value("basic") == Decimal("85.61")


def test_titles_in_a_list_of_tables_are_not_tables():
    text = "目录\n一、收入支出决算总表\n二、收入决算表\n三、支出决算表\n\n第二部分 情况说明\n"
    src = read_text(text, "toc.txt")
    tables, found = find_tables(src, recognise_identity(src))
    assert tables == [] and found == []


def test_budget_summary_in_text_form_without_row_numbers():
    text = "\n".join(
        [
            "2026年单位收支总表",
            "单位：某某中心 单位：万元",
            "收 入 支 出",
            "项 目 预算数 项 目 预算数",
            "一、一般公共预算拨款收入 100.00 一、一般公共服务支出",
            "二、政府性基金预算拨款收入 二、社会保障和就业支出 100.00",
            "本年收入合计 100.00 本年支出合计 100.00",
            "收入总计 100.00 支出总计 100.00",
        ]
    )
    src = read_text(text, "b1.txt", markdown=False)
    ident = recognise_identity(src)
    ident.kind = "预算"
    tables, found = find_tables(src, ident)
    (t,) = tables
    assert t.key == "B1" and t.year == 2026 and t.publisher == "某某中心"
    assert t.value("一般公共预算拨款收入", "amount", "收入") == Decimal("100.00")
    assert t.value("208", "amount", "支出") == Decimal("100.00")
    assert t.value("收入总计", "amount", "收入") == Decimal("100.00")
    assert t.value("支出总计", "amount", "支出") == Decimal("100.00")
    assert t.find("201", "支出").cells == []
    assert found == []


def test_seed_text_untouched_by_variants():
    # the fixtures above build copies; the seed itself still reads the same
    assert load_doc(SEED["000"]).table("T3").find("2080108").value("project") == Decimal("444.42")


def test_summary_cells_without_a_header_row(tmp_path):
    doc = load_doc(variant(tmp_path, "004", "项目\t行次\t金额\t项目\t行次\t金额\n", ""))
    t = doc.table("T1")
    assert len(t.rows) == 42
    assert t.value("总计", "amount", "支出") == Decimal("193.13")
    assert t.find("208", "支出").number == 38


def test_soe_table_printed_as_income_and_spending_uses_carry_over_columns():
    text = "\n".join(
        [
            "2024年度国有资本经营预算财政拨款收入支出决算表",
            "单位：某某局 单位：万元",
            "栏次 1 2 3 4 5 6",
            "合计 1.00 10.00 8.00 8.00 3.00",
            "223 国有资本经营预算支出 1.00 10.00 8.00 8.00 3.00",
        ]
    )
    src = read_text(text, "t8.txt", markdown=False)
    ident = recognise_identity(src)
    ident.kind = "决算"
    (t,), found = find_tables(src, ident)
    assert t.key == "T8" and [c.id for c in t.columns] == [
        "begin",
        "income",
        "total",
        "basic",
        "project",
        "end",
    ]
    r = t.find("223")
    # end = begin + income - total and total = basic + project decide the placement, but for whether
    # the 8.00 spent was 基本支出 or 项目支出: read as 基本支出, a guess (nothing is concluded from it)
    assert {c.column: (c.value, c.read) for c in r.cells} == {
        "begin": (Decimal("1.00"), "identity"),
        "income": (Decimal("10.00"), "identity"),
        "total": (Decimal("8.00"), "identity"),
        "basic": (Decimal("8.00"), "guess"),
        "project": (None, "guess"),
        "end": (Decimal("3.00"), "identity"),
    }
    assert {d.code for d in found} == {"guessed-columns"}


def test_a_variant_the_title_announces_is_read_with_its_columns() -> None:
    """The catalog's T8 variant (title …收入支出…): the carry-over columns, in the printed order; a title
    without the words keeps the catalog's default columns."""
    from budgetdoc.data import catalog
    from budgetdoc.recognise.tables import _variant
    from budgetdoc.recognise.tables.segment import Segment

    spec = catalog()["by_key"]["T8"]
    ids = [c["id"] for c in spec["columns"]]
    seg = Segment.__new__(Segment)
    seg.key, seg.spec, seg.title = "T8", dict(spec), "2024年度国有资本经营预算财政拨款收入支出决算表"
    _variant(seg)
    assert [c["id"] for c in seg.spec["columns"]] == ["begin", "income", "total", "basic", "project", "end"]
    seg.spec, seg.title = dict(spec), "2024年度国有资本经营预算财政拨款支出决算表"
    _variant(seg)
    assert [c["id"] for c in seg.spec["columns"]] == ids
