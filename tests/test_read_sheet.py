"""The spreadsheet reader: one page per sheet, one line per row with cells, exact two-decimal amounts."""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import zipfile
from decimal import Decimal

import pytest

from budgetdoc.errors import InputError
from budgetdoc.read import read
from budgetdoc.read import sheet as sheetmod
from budgetdoc.read.sheet import _text, read_xlsx

openpyxl = pytest.importorskip("openpyxl")


def _book(tmp_path, name="budget.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收入支出决算总表"
    ws.append(["收入", None, "支出", None])
    ws.append(["项目", "决算数", "项目", "决算数"])
    ws.append(["一、一般公共预算财政拨款收入", 307.82, "一、一般公共服务支出", 264.87])
    ws.append(["二、政府性基金预算财政拨款收入", None, "八、社会保障和就业支出", 10.8])
    ws.append([])  # an empty row is skipped
    ws.append(["本年收入合计", 0.1 + 0.2, "本年支出合计", 1234.005])
    ws.merge_cells("A1:B1")
    t5 = wb.create_sheet("一般公共预算财政拨款支出决算表")
    t5.append(["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    t5.append([2013901, "行政运行", 51.32, 51.32, None])
    t5.append(["2080505", "机关事业单位基本养老保险缴费支出", 6.0, 6.18, 0])
    t5.append([208.0, "社会保障和就业支出", 10.82, "=C3+C4", "  １２.５ "])
    t5.append(["完成率", 0.2565, dt.date(2025, 6, 30)])
    t5["B5"].number_format = "0.0%"
    t5["C3"].number_format = "#,##0.00"
    wb.properties.title = "上海市XX局2024年度部门决算"
    out = tmp_path / name
    wb.save(str(out))
    return out


def test_sheets_are_pages_rows_are_lines(tmp_path):
    path = _book(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    src = read_xlsx(str(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert src.form == "xlsx" and src.title == "上海市XX局2024年度部门决算"
    assert [p.number for p in src.pages] == [1, 2]
    first = src.pages[0].lines
    assert (first[0].text, first[0].heading, first[0].cells) == ("收入支出决算总表", 1, None)
    assert [ln.cells for ln in first[1:]] == [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "307.82", "一、一般公共服务支出", "264.87"],
        ["二、政府性基金预算财政拨款收入", "", "八、社会保障和就业支出", "10.80"],
        ["本年收入合计", "0.30", "本年支出合计", "1234.01"],
    ]
    assert [ln.number for ln in first] == [1, 2, 3, 4, 5, 6]
    assert all(ln.page == 1 for ln in first)
    assert first[3].text == "一、一般公共预算财政拨款收入\t307.82\t一、一般公共服务支出\t264.87"
    assert first[1].text == "收入\t\t支出"


def test_numbers_codes_formulas_and_dates(tmp_path):
    src = read_xlsx(str(_book(tmp_path)))
    lines = src.pages[1].lines
    assert lines[0].text == "一般公共预算财政拨款支出决算表" and lines[0].heading == 1
    assert [ln.cells for ln in lines[1:]] == [
        ["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["2013901", "行政运行", "51.32", "51.32", ""],  # an integer code stays digits
        ["2080505", "机关事业单位基本养老保险缴费支出", "6.00", "6.18", "0"],  # 6.0 in #,##0.00 → 6.00
        [
            "208",
            "社会保障和就业支出",
            "10.82",
            "",
            "12.5",
        ],  # a whole float in General is a code; no cached formula
        ["完成率", "25.7%", "2025-06-30", "", ""],
    ]


def test_text_of_values():
    assert _text(None) == ""
    assert _text(307.82) == "307.82"
    assert _text(0.1 + 0.2, "#,##0.00") == "0.30"
    assert _text(2.675, "0.00") == "2.68"  # Decimal(str(2.675)) is exactly 2.675 (the float is 2.67499…)
    assert _text(1e-05, "0.00") == "0.00"
    assert _text(12.0, "0.00") == "12.00"
    assert _text(12.0) == "12"
    assert _text(2080505) == "2080505"
    assert _text(Decimal("1.005"), "0.00") == "1.01"  # half up
    assert _text(6, "#,##0.00") == "6.00"  # openpyxl reads 6.0 back as the int 6
    assert _text(0.5, "0%") == "50%"
    assert _text(float("nan")) == ""
    assert _text(True) == "是"
    assert _text("  行政运行\n（项） ") == "行政运行 （项）"


def test_read_dispatches_xlsx(tmp_path):
    src = read(str(_book(tmp_path)))
    assert src.form == "xlsx" and len(src.pages) == 2


def test_without_openpyxl_says_which_extra(tmp_path, monkeypatch):
    path = _book(tmp_path)
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError("no openpyxl")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(InputError, match=r"budgetdoc\[xlsx\]"):
        read_xlsx(str(path))


def test_old_xls_without_reader(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "xlrd":
            raise ImportError("no xlrd")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    out = tmp_path / "old.xls"
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match="xlsx"):
        read_xlsx(str(out))


def test_corrupt_and_fake_xlsx(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(_book(tmp_path).read_bytes()[:3000])
    with pytest.raises(InputError, match="损坏"):
        read_xlsx(str(broken))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("不是表格", "utf-8")
    with pytest.raises(InputError, match="损坏"):
        read_xlsx(str(fake))
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "a zip, but not a workbook")
    with pytest.raises(InputError, match="损坏"):
        read_xlsx(str(other))
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="文件为空"):
        read_xlsx(str(empty))


def test_zip_bomb_and_cell_caps(tmp_path, monkeypatch):
    path = _book(tmp_path)
    monkeypatch.setattr(sheetmod, "MAX_UNZIPPED", 1000)
    with pytest.raises(InputError, match="压缩炸弹"):
        read_xlsx(str(path))
    monkeypatch.setattr(sheetmod, "MAX_UNZIPPED", 300 * 1024 * 1024)
    monkeypatch.setattr(sheetmod, "MAX_CELLS", 10)
    with pytest.raises(InputError, match="表格过大"):
        read_xlsx(str(path))
