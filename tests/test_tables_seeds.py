"""Every table of the five seeds: which tables, how many rows, and a sample of exact cells per table
(wrapped names, glued numbers, ambiguous columns, halves, T6 groups, 三公 rows, empty tables)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import SEED, load_doc, needs_seeds

pytestmark = needs_seeds

ROWS = {
    "000": {"T1": 42, "T2": 18, "T3": 18, "T4": 38, "T5": 18, "T6": 65, "T7": 1, "T8": 1, "T9": 1},
    "001": {"T1": 42, "T2": 19, "T3": 19, "T4": 38, "T5": 19, "T6": 65, "T7": 1, "T8": 1, "T9": 1},
    "002": {
        "B1": 39,
        "B3": 20,
        "B4": 36,
        "B5_1": 20,
        "B5_2": 1,
        "B6": 32,
        "B7": 1,
        "B8": 0,
        "B9": 0,
        "B10": 4,
    },
    "003": {"T1": 42, "T2": 17, "T3": 17, "T4": 38, "T5": 17, "T6": 66, "T7": 1, "T8": 1, "T9": 0},
    "004": {"T1": 42, "T2": 15, "T3": 15, "T4": 38, "T5": 15, "T6": 63, "T9": 1, "T7": 1, "T8": 1},
}
# printed amounts per table (every non-blank cell): a dropped or invented amount changes these
CELLS = {
    "000": {"T1": 8, "T2": 36, "T3": 39, "T4": 13, "T5": 39, "T6": 25, "T7": 0, "T8": 0, "T9": 6},
    "001": {"T1": 9, "T2": 38, "T3": 41, "T4": 15, "T5": 41, "T6": 27, "T7": 0, "T8": 0, "T9": 6},
    "002": {"B1": 8, "B3": 43, "B4": 8, "B5_1": 68, "B5_2": 5, "B6": 53, "B7": 4, "B8": 0, "B9": 0, "B10": 8},
    "003": {"T1": 8, "T2": 34, "T3": 37, "T4": 13, "T5": 37, "T6": 32, "T7": 0, "T8": 0, "T9": 0},
    "004": {"T1": 8, "T2": 30, "T3": 33, "T4": 13, "T5": 33, "T6": 13, "T9": 6, "T7": 0, "T8": 0},
}


def table(seed: str, key: str):
    t = load_doc(SEED[seed]).table(key)
    assert t is not None, f"{seed}: table {key} missing"
    return t


def value(seed: str, key: str, row: str, column: str, part: str | None = None) -> Decimal | None:
    t = table(seed, key)
    r = t.find(row, part)
    assert r is not None, f"{seed} {key}: no row {row!r} ({part})"
    return r.value(column)


@pytest.mark.parametrize("seed", sorted(ROWS))
def test_table_keys_in_document_order(seed):
    doc = load_doc(SEED[seed])
    assert [t.key for t in doc.tables] == list(ROWS[seed])


@pytest.mark.parametrize("seed", sorted(ROWS))
def test_row_counts(seed):
    doc = load_doc(SEED[seed])
    assert {t.key: len(t.rows) for t in doc.tables} == ROWS[seed]


@pytest.mark.parametrize("seed", sorted(CELLS))
def test_cell_counts(seed):
    doc = load_doc(SEED[seed])
    assert {
        t.key: sum(1 for r in t.rows for c in r.cells if c.value is not None) for t in doc.tables
    } == CELLS[seed]


@pytest.mark.parametrize("seed", sorted(CELLS))
def test_every_decimal_printed_in_a_table_is_a_cell(seed):
    """Independent of the reader: count the decimal numbers in the raw text between a table's title
    and its notes (a glued ``0.0331003`` counts once, as it holds one amount)."""
    doc = load_doc(SEED[seed])
    lines = SEED[seed].read_text("utf-8").split("\n")
    starts = sorted(t.location.line for t in doc.tables) + [len(lines) + 1]
    for t in doc.tables:
        end = min(x for x in starts if x > t.location.line)
        printed = 0
        for text in lines[t.location.line : end - 1]:
            c = re.sub(r"\s", "", text)
            if re.match(r"^(注|说明|备注|#|第[一二三四五六七八九十]+部分)", c):
                break
            printed += len(re.findall(r"\d[\d,]*\.\d+", text))
        got = sum(1 for r in t.rows for c in r.cells if c.value is not None)
        assert got == printed, (t.key, got, printed)


@pytest.mark.parametrize("seed", sorted(ROWS))
def test_no_table_diagnostics_on_seeds(seed):
    doc = load_doc(SEED[seed])
    mine = [d for d in doc.diagnostics if d.code in ("unparsed-line", "ambiguous-columns")]
    assert mine == []


@pytest.mark.parametrize("seed", sorted(ROWS))
def test_blank_cells_are_never_zero_and_cells_keep_their_place(seed):
    doc = load_doc(SEED[seed])
    for t in doc.tables:
        ids = {c.id for c in t.columns}
        for r in t.rows:
            assert len({c.column for c in r.cells}) == len(r.cells)
            for c in r.cells:
                assert c.column in ids
                assert c.location.line is not None and c.location.table == t.key
                if c.value is None:  # a blank that a placement as good as the one read would fill
                    assert c.read == "guess" and c.text == ""
                    continue
                assert Decimal(c.text.replace(",", "")) == c.value


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_functional_hierarchy_adds_up_in_every_column(seed):
    """The column placement chosen for text rows makes children add up to parents (within rounding)."""
    for key in ("T2", "T3", "T5"):
        t = table(seed, key)
        coded = [r for r in t.rows if r.code]
        for parent in [r for r in t.rows if r.code is None] + coded:
            if parent.code is None:
                kids = [r for r in coded if len(r.code) == 3]
            else:
                n = len(parent.code) + 2
                kids = [r for r in coded if len(r.code) == n and r.code.startswith(parent.code)]
            if not kids:
                continue
            for col in t.columns:
                total = sum((k.value(col.id) or Decimal(0)) for k in kids)
                assert abs(total - (parent.value(col.id) or Decimal(0))) <= Decimal("0.01") * len(kids), (
                    seed,
                    key,
                    parent.key,
                    col.id,
                )


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_t1_classes_match_t3_classes_by_code(seed):
    t1, t3 = table(seed, "T1"), table(seed, "T3")
    spent = {r.code for r in t1.rows if r.part == "支出" and r.code and r.cells}
    assert spent == {r.code for r in t3.rows if r.code and len(r.code) == 3}
    for r in t1.rows:
        if r.part == "支出" and r.code:
            assert r.key == r.code and len(r.code) == 3


# ------------------------------------------------------------------ seed 000 (plain text, wrapped)


def test_000_table_headers():
    t = table("000", "T3")
    assert (t.title, t.number, t.year, t.unit) == ("2023年度支出决算表", "公开03表", 2023, "万元")
    assert t.publisher == "武汉市人力资源和社会保障信息中心"
    assert t.location.line == 198 and t.location.file == str(SEED["000"])
    assert [c.id for c in t.columns] == [
        "total",
        "basic",
        "project",
        "to_superior",
        "operating",
        "to_affiliated",
    ]
    assert t.notes == ["注：本表反映单位本年度各项支出情况。", "1栏各行=（2+3+4+5+6）栏各行。"]


def test_000_summary_halves_and_printed_mistake_kept():
    t = table("000", "T1")
    assert value("000", "T1", "一般公共预算财政拨款收入", "amount", "收入") == Decimal("1466.86")
    assert value("000", "T1", "210", "amount", "支出") == Decimal("85.6")  # T3 says 85.61: printed as is
    assert value("000", "T1", "总计", "amount", "收入") == Decimal("1466.86")
    assert value("000", "T1", "总计", "amount", "支出") == Decimal("1466.86")
    income_total = t.find("总计", "收入")
    assert income_total.number == 31 and income_total.location.line == 103
    r = t.find("使用非财政拨款结余", "收入")
    assert r.name == "使用非财政拨款结余（含专用结余）" and r.number == 28 and r.cells == []
    r = t.find("208", "支出")
    assert (r.code, r.name, r.number) == ("208", "八、社会保障和就业支出", 39)
    assert t.find("本年支出合计", "支出").number == 58


def test_000_wrapped_names_joined_and_wrong_name_kept():
    t = table("000", "T2")
    r = t.find("2080199")
    assert r.name == "其他人力资源和社会保障管理事务支出"
    assert r.location.line == 159
    assert (r.value("total"), r.value("fiscal")) == (Decimal("191.76"), Decimal("191.76"))
    assert t.find("2101102").name == "其他行政事业单位医疗支出"
    assert table("000", "T3").find("2101102").name == "其他行政事业单位医疗支出"


def test_000_ambiguous_columns_resolved_by_hierarchy():
    t = table("000", "T3")
    r = t.find("2080108")
    assert (r.value("total"), r.value("basic"), r.value("project")) == (
        Decimal("444.42"),
        None,
        Decimal("444.42"),
    )
    r = t.find("2080150")
    assert (r.value("basic"), r.value("project")) == (Decimal("571.02"), None)
    assert t.find("2080199").value("project") == Decimal("191.76")
    assert t.find("210").value("basic") == Decimal("85.61")
    assert t.find("合计").value("basic") == Decimal("830.68")
    assert table("000", "T5").find("2080108").value("project") == Decimal("444.42")


def test_000_t4_expenditure_columns():
    assert value("000", "T4", "210", "general", "支出") == Decimal("85.6")
    assert value("000", "T4", "210", "total", "支出") == Decimal("85.6")
    assert value("000", "T4", "210", "fund", "支出") is None
    assert value("000", "T4", "本年支出合计", "general", "支出") == Decimal("1466.86")
    t = table("000", "T4")
    r = t.find("224", "支出")
    assert r.name == "二十二、灾害防治及应急管理支出" and r.number == 54


def test_000_t6_groups_and_wrapped_amounts():
    t = table("000", "T6")
    r = t.find("30108")
    assert (r.name, r.part, r.value("amount")) == (
        "机关事业单位基本养老保险缴费",
        "人员经费",
        Decimal("69.9"),
    )
    r = t.find("30302")
    assert (r.name, r.value("amount")) == ("退休费", Decimal("7.97"))
    r = t.find("30231")
    assert (r.name, r.part, r.value("amount")) == ("公务用车运行维护费", "公用经费", Decimal("1.29"))
    assert t.find("30216").cells == [] and t.find("30216").name == "培训费"
    assert t.find("30299").value("amount") == Decimal("0.56")
    assert t.find("31007").name == "信息网络及软件购置更新"
    assert t.find("310").cells == [] and t.find("310").part == "公用经费"
    assert t.find("人员经费合计").value("amount") == Decimal("774.85")
    assert t.find("公用经费合计", "公用经费").value("amount") == Decimal("55.83")
    parts = [r.part for r in t.rows]
    assert parts == sorted(parts, key=["人员经费", "公用经费"].index)


def test_000_sangong_row_placed_by_identities_and_t6():
    """``1.29`` six times in twelve columns: the identities place the totals; T6's 30231 公务用车运行维护费
    1.29 (basic spending, part of the 三公 amount) puts the 决算 one in 运行维护费; nothing says whether the
    预算 one was for 购置 or 运行: it is read as 运行 (the 决算 mirrors it), a guess either way."""
    t = table("000", "T9")
    (r,) = t.rows
    assert r.key == "合计"
    got = {c.column: (c.value, c.read) for c in r.cells}
    one = Decimal("1.29")
    assert got == {
        "budget_total": (one, "identity"),
        "budget_car": (one, "identity"),
        "budget_car_buy": (None, "guess"),
        "budget_car_run": (one, "guess"),
        "final_total": (one, "identity"),
        "final_car": (one, "identity"),
        "final_car_run": (one, "identity"),
    }


def test_000_empty_tables_with_statements():
    for key, words in (
        ("T7", "当年无政府性基金预算财政拨款收入支出"),
        ("T8", "当年无国有资本经营预算财政拨款支出"),
    ):
        t = table("000", key)
        assert t.empty
        assert t.statement.startswith("备注：武汉市人力资源和社会保障信息中心") and t.statement.endswith(
            words
        )
        assert [r.key for r in t.rows] == ["合计"] and t.rows[0].cells == []


# ------------------------------------------------------------------ seed 001 (thousands separators)


def test_001_amounts_after_wrapped_names():
    t = table("001", "T2")
    r = t.find("20801")
    assert r.name == "人力资源和社会保障管理事务" and r.value("total") == Decimal("1177.28")
    assert r.cells[0].text == "1,177.28"
    assert t.find("2101199").value("fiscal") == Decimal("9.60")
    assert t.find("221").value("total") == Decimal("136.90")
    assert table("001", "T3").find("221").value("total") == Decimal("146.04")


def test_001_siblings_decide_basic_or_project():
    t = table("001", "T3")
    assert t.find("2080109").value("project") == Decimal("326.65")
    assert t.find("2080109").value("basic") is None
    assert t.find("2080101").value("basic") == Decimal("832.84")
    assert t.find("2080150").value("basic") == Decimal("17.79")


def test_001_carry_over_rows_of_t4():
    t = table("001", "T4")
    assert t.find("年初财政拨款结转和结余", "收入").value("amount") == Decimal("9.14")
    r = t.find("年初财政拨款结转和结余/一般公共预算财政拨款", "收入")
    assert (r.number, r.value("amount")) == (29, Decimal("9.14"))
    assert t.find("一般公共预算财政拨款", "收入").number == 1
    r = t.find("215", "支出")
    assert (r.name, r.number) == ("十四、资源勘探工业信息等支出", 46)
    r = t.find("政府性基金预算财政拨款", "收入")
    assert (r.name, r.number) == ("二、政府性基金预算财政拨款", 2)
    assert value("001", "T1", "年初结转和结余", "amount", "收入") == Decimal("9.14")


def test_001_t6_and_t9():
    t = table("001", "T6")
    assert t.find("30399").name == "其他对个人和家庭的补助" and t.find("30399").cells == []
    assert t.find("31021").name == "文物和陈列品购置"
    assert t.find("30299").value("amount") == Decimal("13.35")
    assert t.find("人员经费合计").value("amount") == Decimal("1138.84")
    r = table("001", "T9").rows[0]
    assert r.value("final_car_run") == Decimal("0.56") and r.value("final_car_buy") is None
    t = table("001", "T8")
    assert t.empty and t.statement.endswith("当年无国有资本经营预算财政拨款支出。")


# ------------------------------------------------------------------ seed 003 (glued numbers)


def test_003_glued_numbers_split():
    assert value("003", "T1", "一般公共预算财政拨款收入", "amount", "收入") == Decimal("2132.07")
    assert value("003", "T1", "总计", "amount", "收入") == Decimal("2132.07")
    assert value("003", "T1", "总计", "amount", "支出") == Decimal("2132.07")
    t = table("003", "T6")
    expected = {
        "30202": "0.03",
        "31003": "0.94",
        "30204": "0.01",
        "30205": "1.48",
        "30207": "2.05",
        "30307": "17.2",
        "30309": "2.58",
        "30229": "42.37",
        "310": "1.85",
    }
    for code, v in expected.items():
        assert t.find(code).value("amount") == Decimal(v), code
    assert t.find("30227").cells == [] and t.find("31013").cells == []
    assert t.find("31019").name == "其他交通工具购置"
    assert t.find("公用经费合计").value("amount") == Decimal("207.69")


def test_003_empty_sangong_has_statement_and_no_rows():
    t = table("003", "T9")
    assert t.empty and t.rows == []
    assert t.statement == "说明：武汉市社会保险中心2022年度无“三公”经费支出。"
    assert t.number == "表9" and t.title == "2022年度财政拨款“三公”经费支出决算表"


# ------------------------------------------------------------------ seed 002 (budget, markdown)


def test_002_budget_set_without_unprinted_table():
    doc = load_doc(SEED["002"])
    keys = [t.key for t in doc.tables]
    assert "B2" not in keys and "B11" not in keys and "B12" not in keys
    assert [t.number for t in doc.tables] == [
        "表1",
        "表3",
        "表4",
        "表5-1",
        "表5-2",
        "表6",
        "表7",
        "表8",
        "表9",
        "表10",
    ]


def test_002_summary_tables():
    assert value("002", "B1", "一般公共预算拨款收入", "amount", "收入") == Decimal("1347.75")
    assert value("002", "B1", "收入总计", "amount", "收入") == Decimal("1347.75")
    assert value("002", "B1", "支出总计", "amount", "支出") == Decimal("1347.75")
    r = table("002", "B1").find("208", "支出")
    assert (r.name, r.value("amount")) == ("六、社会保障和就业支出", Decimal("1112.52"))
    t = table("002", "B4")
    assert t.find("一般公共预算拨款", "收入").value("amount") == Decimal("1347.75")
    assert t.find("上年结转/一般公共预算拨款", "收入").cells == []
    assert t.find("210", "支出").value("amount") == Decimal("113.72")


def test_002_functional_and_economic_cells():
    t = table("002", "B5_1")
    r = t.find("2080150")
    assert [(c.column, c.value) for c in r.cells] == [
        ("total", Decimal("699.63")),
        ("basic", Decimal("699.63")),
        ("personnel", Decimal("634.72")),
        ("public", Decimal("64.91")),
    ]
    assert t.find("合计").value("project") == Decimal("292.69")
    assert table("002", "B3").find("2080199").value("project") == Decimal("292.69")
    assert table("002", "B3").find("2080199").value("basic") is None
    t = table("002", "B6")
    assert t.find("合计").value("total") == Decimal("1055.06")
    assert t.find("30217").value("public") == Decimal("0.20")
    assert t.find("301").value("personnel") == Decimal("972.05")
    assert t.find("310").cells == []


def test_002_units_sangong_projects():
    r = table("002", "B5_2").rows[0]
    assert r.key == "武汉市人力资源和社会保障信息中心" and r.value("total") == Decimal("1347.75")
    r = table("002", "B7").rows[0]
    assert {c.column: c.value for c in r.cells} == {
        "total": Decimal("1.70"),
        "car": Decimal("1.50"),
        "car_run": Decimal("1.50"),
        "reception": Decimal("0.20"),
    }
    t = table("002", "B10")
    assert [r.key for r in t.rows] == [
        "信息系统运行维护项目",
        "人社信息系统运维项目",
        "社会保障工作",
        "日常系统运行经费项目",
    ]
    assert t.find("人社信息系统运维项目").value("general") == Decimal("129.27")
    for key in ("B8", "B9"):
        t = table("002", key)
        assert t.empty and t.rows == [] and t.statement.startswith("说明：2026年无")


# ------------------------------------------------------------------ seed 004 (markdown, 2021 numbering)


def test_004_headers_as_printed():
    t = table("004", "T3")
    assert t.publisher == "武汉市黄浦区人力资源和社会保障信息中心"  # the document's own mistake
    assert t.unit == "万元"  # 金额单位：万 / 元 split over two lines
    assert table("004", "T2").publisher == "武汉市黄陂区人力资源和社会保障信息中心"
    assert table("004", "T9").number == "表7"


def test_004_cells():
    assert table("004", "T1").find("总计", "支出").number == 60
    assert value("004", "T1", "210", "amount", "支出") == Decimal("4.11")
    r = table("004", "T2").find("2080199")
    assert r.name == "其他人力资源和社会保障管理事务支出" and r.value("fiscal") == Decimal("4.15")
    assert value("004", "T4", "221", "general", "支出") == Decimal("8.8")
    assert value("004", "T3", "2080108", "project") == Decimal("65.00")
    t = table("004", "T6")
    assert t.find("公用经费合计").value("amount") == Decimal("1.79")
    assert t.find("30228").value("amount") == Decimal("1.79")
    assert t.find("人员经费合计").value("amount") == Decimal("126.34")


def test_004_zero_sangong_is_empty_with_statement():
    t = table("004", "T9")
    (r,) = t.rows
    assert r.value("budget_total") == Decimal("0.00") and r.value("final_total") is None
    assert t.empty and t.statement.endswith("2021年无“三公”经费。")
