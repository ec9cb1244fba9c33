"""Real documents budgetdoc was not built on (``../shared/real``): Shanghai Putuo 预算 PDFs (部门 and 单位,
2024-2025) and a 2026 部门预算 as another tool extracted it. Every table with its rows, printed amounts and
columns, the totals, the identity, and every warning and error outside the narrative (the narrative's are
pinned in test_budget_narrative.py), each annotated. Then one defect injected into each document at a time
(a table amount, a unit name in a table header, a table title's year, a table removed) is found and named,
and the untouched document says nothing of it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED, check_doc, load_doc, pinned_elsewhere

REAL = SHARED / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real not present")

WANLI = REAL / "shanghai-putuo-2024-dept-budget-wanli.pdf"
WELFARE = REAL / "shanghai-putuo-2024-unit-budget-welfarehome.pdf"
COMMERCE_DEPT = REAL / "shanghai-putuo-2025-dept-budget-commerce.pdf"
COMMERCE_UNIT = REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf"
SHIQUAN = REAL / "shanghai-putuo-2025-dept-final-shiquan.txt"
CITY = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"

IDENTITY = {
    WANLI: ("上海市普陀区人民政府万里街道办事处", "部门", "预算", 2024, "元"),
    WELFARE: ("上海市普陀区社会福利院", "单位", "预算", 2024, "元"),
    COMMERCE_DEPT: ("上海市普陀区商务委员会", "部门", "预算", 2025, "元"),
    COMMERCE_UNIT: ("上海市普陀区商务委员会", "单位", "预算", 2025, "元"),
    SHIQUAN: ("上海市普陀区人民政府石泉路街道办事处", "部门", "决算", 2025, "万元"),
    CITY: ("上海市普陀区城市管理行政执法局", "部门", "预算", 2026, "元"),  # the cover's name (headings shorten it)
}

ORDER = ["B1", "B2", "B3", "B4", "B5_1", "B8", "B9", "B6", "B7"]  # the Shanghai order of the nine tables
FUNCTIONAL = ["total", "basic", "project"]
SUMMARY_ONE = ["amount"]
SUMMARY_SPLIT = ["amount", "personnel", "public", "project"]  # a 单位's 收支总表 splits its expenditure half
INCOME = ["total", "fiscal", "business", "operating", "other"]
FUNDS = ["amount", "general", "fund", "soe"]
ECONOMIC = ["total", "personnel", "public"]
SANGONG = ["total", "abroad", "car", "car_buy", "car_run", "reception", "running"]

# table → (rows, printed amounts, columns)
TABLES = {
    WANLI: {
        "B1": (18, 13, SUMMARY_ONE), "B2": (67, 335, INCOME), "B3": (67, 201, FUNCTIONAL), "B4": (14, 22, FUNDS),
        "B5_1": (67, 201, FUNCTIONAL), "B8": (1, 0, FUNCTIONAL), "B9": (1, 0, FUNCTIONAL),
        "B6": (32, 96, ECONOMIC), "B7": (1, 7, SANGONG),
    },
    WELFARE: {
        # B3 and B5_1 print their 2101102 row with the code “7 11 02”: that row is not read (REC001)
        "B1": (13, 16, SUMMARY_SPLIT), "B2": (15, 34, INCOME), "B3": (14, 32, FUNCTIONAL), "B4": (9, 10, FUNDS),
        "B5_1": (14, 28, FUNCTIONAL), "B8": (1, 0, FUNCTIONAL), "B9": (1, 0, FUNCTIONAL),
        "B6": (27, 55, ECONOMIC), "B7": (1, 6, SANGONG),
    },
    COMMERCE_DEPT: {
        "B1": (16, 11, SUMMARY_ONE), "B2": (31, 62, INCOME), "B3": (31, 65, FUNCTIONAL), "B4": (12, 18, FUNDS),
        "B5_1": (31, 65, FUNCTIONAL), "B8": (1, 0, FUNCTIONAL), "B9": (1, 0, FUNCTIONAL),
        "B6": (31, 63, ECONOMIC), "B7": (1, 3, SANGONG),
    },
    COMMERCE_UNIT: {
        "B1": (16, 24, SUMMARY_SPLIT), "B2": (31, 62, INCOME), "B3": (31, 65, FUNCTIONAL), "B4": (12, 18, FUNDS),
        "B5_1": (31, 65, FUNCTIONAL), "B8": (1, 0, FUNCTIONAL), "B9": (1, 0, FUNCTIONAL),
        "B6": (31, 63, ECONOMIC), "B7": (1, 3, SANGONG),
    },
    CITY: {
        # text: blank cells are gone, B2 prints no 事业单位经营收入 column header
        "B1": (13, 8, SUMMARY_ONE), "B2": (19, 38, ["total", "fiscal", "business", "other"]),
        "B3": (19, 43, FUNCTIONAL), "B4": (9, 12, FUNDS), "B5_1": (19, 43, FUNCTIONAL), "B8": (1, 0, FUNCTIONAL),
        "B9": (1, 0, FUNCTIONAL), "B6": (34, 69, ECONOMIC), "B7": (1, 7, SANGONG),
    },
}

# (table, part, row key) → column → amount as printed (元, the 三公 table in 万元)
TOTALS = {
    WANLI: {
        ("B1", "支出", "支出总计"): {"amount": "156211123"},
        ("B2", None, "合计"): {"total": "156211123", "fiscal": "156211123", "business": "0"},
        ("B3", None, "合计"): {"total": "156211123", "basic": "99706020", "project": "56505103"},
        ("B4", "支出", "支出总计"): {"amount": "156211123", "general": "156211123"},
        ("B6", None, "合计"): {"total": "99706020", "personnel": "88537451", "public": "11168569"},
        ("B7", None, "合计"): {"total": "47.91", "car": "46.56", "car_buy": "25", "car_run": "21.56",
                             "reception": "1.35", "running": "443.18"},
    },
    WELFARE: {
        ("B1", "支出", "支出总计"): {"amount": "12121164", "personnel": "7380214", "public": "2120950",
                                 "project": "2620000"},
        ("B2", None, "合计"): {"total": "12121164", "fiscal": "9501164", "business": "2620000"},
        ("B6", None, "合计"): {"total": "9501164", "personnel": "7380214", "public": "2120950"},
        ("B7", None, "合计"): {"total": "6.4", "car": "6.4", "car_run": "6.4", "running": "0"},
    },
    COMMERCE_UNIT: {
        ("B1", "支出", "201"): {"amount": "21601733.00", "personnel": "10823891.00", "public": "1467842.00",
                              "project": "9310000.00"},
        ("B3", None, "合计"): {"total": "371514655.00", "basic": "19830655.00", "project": "351684000.00"},
        ("B6", None, "302"): {"total": "1632062.00", "public": "1632062.00"},
        ("B7", None, "合计"): {"total": "1.00", "reception": "1.00", "running": "171.01"},
    },
    CITY: {
        ("B5_1", None, "合计"): {"total": "47483458", "basic": "36197265", "project": "11286193"},
        ("B7", None, "合计"): {"total": "114.22", "abroad": "0.00", "car": "113.76", "car_buy": "75.00",
                             "car_run": "38.76", "reception": "0.46", "running": "507.25"},
    },
}

# every warning and error outside the narrative rules, (rule, severity, page, table, row), annotated
KNOWN = {
    WANLI: [],
    WELFARE: [
        # real: 210 is printed with its pre-2019 name 医疗卫生与计划生育支出 in 表1 and 表4, 卫生健康支出 in 表2
        ("CLS001", "warning", 7, "B1", "210"),
        ("CLS001", "warning", 10, "B4", "210"),
        ("CLS002", "error", 8, "B2", "210"),
        # real: the 2101102 row prints “7” as its 类 code (p9, p11): said once per table, no sum derived
        ("REC001", "warning", 9, "B3", None),
        ("REC001", "warning", 11, "B5_1", None),
        # real: the 基本支出 table numbers its economic items 01, 02, 03 … instead of their codes
        # (30202 咨询费, 30203 水费 …) and names 30108 机关事业单位基本养老保险费, 303 离退休人员经费
        *[("CLS001", "error", 14, "B6", c) for c in (
            "30108", "30202", "30203", "30204", "30205", "30206", "30207", "30208", "30211", "30212", "30213",
            "303", "30301")],
    ],
    COMMERCE_DEPT: [],
    COMMERCE_UNIT: [],
    CITY: [],
}


def _need(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path.name} not present in shared/real")


@needs_real
@pytest.mark.parametrize("path", list(IDENTITY), ids=lambda p: p.stem)
def test_identity(path: Path) -> None:
    _need(path)
    i = load_doc(path).identity
    assert (i.publisher, i.scope, i.kind, i.year, i.unit) == IDENTITY[path]


@needs_real
@pytest.mark.parametrize("path", list(TABLES), ids=lambda p: p.stem)
def test_every_table_with_its_rows_amounts_and_columns(path: Path) -> None:
    _need(path)
    doc = load_doc(path)
    assert [t.key for t in doc.tables] == ORDER
    got = {
        t.key: (len(t.rows), sum(1 for r in t.rows for c in r.cells if c.value is not None), [c.id for c in t.columns])
        for t in doc.tables
    }
    assert got == TABLES[path]
    units = {t.key: t.unit for t in doc.tables}
    assert units == {k: "万元" if k == "B7" else "元" for k in ORDER}
    for key in ("B8", "B9"):  # empty, with the 注 that says so
        t = doc.table(key)
        assert t.empty and t.statement and "无" in t.statement


@needs_real
@pytest.mark.parametrize("path", list(TOTALS), ids=lambda p: p.stem)
def test_totals_in_the_right_columns(path: Path) -> None:
    _need(path)
    doc = load_doc(path)
    for (key, part, row), cells in TOTALS[path].items():
        r = doc.table(key).find(row, part)
        assert r is not None, (key, row)
        assert {c: r.value(c) for c in cells} == {c: Decimal(v) for c, v in cells.items()}, (key, row)


@needs_real
@pytest.mark.parametrize("path", [WANLI, WELFARE, COMMERCE_DEPT, COMMERCE_UNIT], ids=lambda p: p.stem)
def test_ruled_pdf_cells_are_placed_by_their_header(path: Path) -> None:
    _need(path)
    reads = {c.read for t in load_doc(path).tables for r in t.rows for c in r.cells}
    assert reads == {"header"}


@needs_real
def test_text_cells_say_how_they_were_placed() -> None:
    """The text lost its blank cells: every amount is placed by the count (unique), the table's
    identities or the other tables' certain cells (the 收入预算总表's 合计 ``47,483,458 47,483,458`` by
    the 收支总表's 财政拨款收入 47,483,458): no guess."""
    _need(CITY)
    reads = {c.read for t in load_doc(CITY).tables for r in t.rows for c in r.cells}
    assert reads <= {"unique", "identity", "position"} and "guess" not in reads


def _pinned(report) -> list[tuple]:
    return sorted(
        ((f.rule, f.severity, f.location.page, f.location.table, f.location.row)
         for f in report.findings
         if f.severity in ("warning", "error") and not f.rule.startswith("NAR") and not pinned_elsewhere(f)),
        key=str,
    )


@needs_real
@pytest.mark.parametrize("path", list(KNOWN), ids=lambda p: p.stem)
def test_findings_outside_the_narrative_are_exactly_the_known_ones(path: Path) -> None:
    _need(path)
    assert _pinned(check_doc(path)) == sorted(KNOWN[path], key=str)


@needs_real
def test_unread_rows_are_said_once_and_give_no_sums() -> None:
    _need(WELFARE)
    doc = load_doc(WELFARE)
    assert doc.table("B3").uncertain and doc.table("B5_1").uncertain
    report = check_doc(WELFARE)
    rec = [f for f in report.findings if f.rule == "REC001"]
    assert len(rec) == 2 and all("不核对其各行之和" in f.message for f in rec)
    assert not [f for f in report.findings if f.rule in ("ARI002", "ARI003") and f.severity != "info"
                and f.location.table in ("B3", "B5_1")]


# ------------------------------------------------------------------ injected defects

pymupdf = pytest.importorskip("pymupdf")
from pdf_edit import drop_pages, replace_text  # noqa: E402

PDFS = [WANLI, WELFARE, COMMERCE_DEPT, COMMERCE_UNIT]


def _page_of(path: Path, text: str, after: int = 2) -> int:
    """The first page (1-based) past the 目录 that holds ``text``."""
    with pymupdf.open(str(path)) as pdf:
        for no in range(after, pdf.page_count):
            if pdf[no].search_for(text):
                return no + 1
    raise AssertionError(f"{text!r} not in {path.name}")


def _named(report, prefixes: tuple[str, ...], text: str) -> list:
    return [
        f for f in report.findings
        if f.rule.startswith(prefixes) and f.severity == "error"
        and (text in f.message.replace(",", "") or text == (f.actual or "").replace(",", ""))
    ]


def _total_row(path: Path) -> tuple[int, str, str, tuple]:
    """(page, printed 项目支出 of the 支出预算总表's 合计 row, a changed one, the cell's box)."""
    doc = load_doc(path)
    t = doc.table("B3")
    total = t.find("合计")
    cell = total.cell("project")
    old = cell.text
    digits = old.replace(",", "")
    head, _, tail = digits.partition(".")
    new_digits = str(int(head) + 1000) + ("." + tail if tail else "")
    new = f"{int(new_digits.split('.')[0]):,}" + ("." + tail if tail else "")
    return cell.location.page, old, new, cell.location.bbox


@needs_real
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_table_amount(tmp_path: Path, path: Path) -> None:
    _need(path)
    page, old, new, box = _total_row(path)
    edit = replace_text(path, tmp_path / "amount.pdf", page, old, new, clip=pymupdf.Rect(box))
    found = _named(check_doc(edit.path), ("ARI", "REL"), new.replace(",", ""))
    assert found and any(f.location.page == page and f.location.table == "B3" for f in found), found
    assert not _named(check_doc(path), ("ARI", "REL"), new.replace(",", ""))


@needs_real
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_unit_name_in_a_table_header(tmp_path: Path, path: Path) -> None:
    _need(path)
    name = IDENTITY[path][0]
    wrong = name.replace("普陀", "普沱")
    page = load_doc(path).table("B2").location.page
    edit = replace_text(path, tmp_path / "name.pdf", page, name, wrong)
    found = [f for f in check_doc(edit.path).findings if f.rule == "IDN001" and wrong in f.message]
    assert len(found) == 1 and found[0].location.page == page, found
    assert not [f for f in check_doc(path).findings if f.rule == "IDN001"]


@needs_real
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_year_in_a_table_title(tmp_path: Path, path: Path) -> None:
    _need(path)
    year = str(IDENTITY[path][3])
    t = load_doc(path).table("B6")
    edit = replace_text(path, tmp_path / "year.pdf", t.location.page, year, str(int(year) - 1), anchor=t.title[-8:])
    found = [f for f in check_doc(edit.path).findings if f.rule == "IDN002" and str(int(year) - 1) in f.message]
    assert len(found) == 1 and found[0].location.page == t.location.page, found
    assert not [f for f in check_doc(path).findings if f.rule == "IDN002"]


@needs_real
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_table_removed(tmp_path: Path, path: Path) -> None:
    _need(path)
    doc = load_doc(path)
    t = doc.table("B6")
    pages = sorted({r.location.page for r in t.rows} | {t.location.page})
    out = drop_pages(path, tmp_path / "no-b6.pdf", pages)
    gone = load_doc(out)
    assert "B6" not in {x.key for x in gone.tables}
    missing = [f for f in check_doc(out).findings if f.rule in ("CMP001", "CMP002") and f.location.table == "B6"]
    assert len(missing) == 1 and missing[0].severity == "error", missing
    assert not [f for f in check_doc(path).findings if f.rule in ("CMP001", "CMP002")]


def _text_variant(tmp_path: Path, old: str, new: str, nth: int = 1) -> Path:
    text = CITY.read_text("utf-8")
    assert text.count(old) >= nth, old
    i = -1
    for _ in range(nth):
        i = text.index(old, i + 1)
    out = tmp_path / CITY.name
    out.write_text(text[:i] + new + text[i + len(old):], "utf-8")
    return out


@needs_real
def test_text_table_amount(tmp_path: Path) -> None:
    _need(CITY)
    # 表5 合计's 基本支出 36,197,265 → 36,198,265
    out = _text_variant(tmp_path, "合计 47,483,458 36,197,265 11,286,193", "合计 47,483,458 36,198,265 11,286,193", 2)
    found = _named(check_doc(out), ("ARI", "REL"), "36198265")
    assert found and any(f.location.table == "B5_1" for f in found), found


@needs_real
def test_text_unit_name_and_year(tmp_path: Path) -> None:
    _need(CITY)
    out = _text_variant(tmp_path, "编制部门：普陀区城市管理行政执法局", "编制部门：普陀区城市管理行政执法司", 3)
    found = [f for f in check_doc(out).findings if f.rule == "IDN001"]
    assert len(found) == 1 and "执法司" in found[0].message
    out = _text_variant(tmp_path, "2026年部门支出预算总表", "2025年部门支出预算总表", 2)
    found = [f for f in check_doc(out).findings if f.rule == "IDN002"]
    assert len(found) == 1 and found[0].location.table == "B3" or "支出预算总表" in found[0].message, found


# the 2025 部门决算 as another tool extracted it: its tables carry no unit name or year of their own, its
# part headings do (第三部分 上海市普陀区人民政府石泉路街道办事处 2025 年度 …)
SHIQUAN_CASES = [
    # id, old, new, nth occurrence, rule prefixes, text a finding must name
    ("table-amount", "人员经费合计 12,010.40", "人员经费合计 12,110.40", 1, ("ARI", "REL"), "12110.40"),
    ("narrative-amount", "基本支出 14,206 万", "基本支出 14,260 万", 1, ("NAR",), "14260"),
    ("narrative-rate", "占 74.59%", "占 75.49%", 1, ("NAR",), "75.49"),
    ("unit-name", "第三部分 上海市普陀区人民政府石泉路街道办事处 2025 年度",
     "第三部分 上海市普陀区人民政府石泉路街坊办事处 2025 年度", 2, ("IDN",), "石泉路街坊"),
    ("year", "第三部分 上海市普陀区人民政府石泉路街道办事处 2025 年度",
     "第三部分 上海市普陀区人民政府石泉路街道办事处 2024 年度", 2, ("IDN",), "2024"),
]


def _shiquan_variant(tmp_path: Path, old: str, new: str, nth: int) -> Path:
    text = SHIQUAN.read_text("utf-8")
    i = -1
    for _ in range(nth):
        i = text.index(old, i + 1)
    out = tmp_path / SHIQUAN.name
    out.write_text(text[:i] + new + text[i + len(old):], "utf-8")
    return out


@needs_real
@pytest.mark.parametrize("case", SHIQUAN_CASES, ids=[c[0] for c in SHIQUAN_CASES])
def test_shiquan_injected_defect(tmp_path: Path, case: tuple) -> None:
    _need(SHIQUAN)
    _, old, new, nth, prefixes, named = case
    out = _shiquan_variant(tmp_path, old, new, nth)
    found = [f for f in check_doc(out).findings if f.rule.startswith(prefixes) and f.severity == "error"
             and named in f.message.replace(",", "").replace(" ", "")]
    assert found, [(f.rule, f.message) for f in check_doc(out).findings if f.severity != "info"]
    assert not [f for f in check_doc(SHIQUAN).findings if f.rule.startswith(prefixes)
                and named in f.message.replace(",", "").replace(" ", "")]


@needs_real
def test_shiquan_table_removed(tmp_path: Path) -> None:
    _need(SHIQUAN)
    text = SHIQUAN.read_text("utf-8")
    start = text.index("财政拨款“三公”经费支出决算表\n单位：万元")
    end = text.index("注：本表反映部门本年度“三公”经费支出预决算情况。")
    out = tmp_path / SHIQUAN.name
    out.write_text(text[:start] + text[end:], "utf-8")
    assert "T9" not in {t.key for t in load_doc(out).tables}
    missing = [f for f in check_doc(out).findings if f.rule in ("CMP001", "CMP002") and f.location.table == "T9"]
    assert len(missing) == 1 and missing[0].severity == "error"
