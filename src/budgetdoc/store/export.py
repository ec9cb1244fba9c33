"""The corpus's findings register (XLSX with a filter and a frozen header, or CSV in UTF-8 with a BOM
for Excel) and the status table as text."""

from __future__ import annotations

import csv
import os
import re
import tempfile
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from ..check.findings import SEVERITY_ZH
from ..errors import InputError

REGISTER_COLUMNS: list[tuple[str, str]] = [
    ("department", "部门"), ("unit", "单位"), ("unit_code", "单位代码"), ("publisher", "发布单位"),
    ("year", "年度"), ("kind", "类型"), ("scope", "范围"), ("rule", "规则"), ("rule_name", "规则名称"),
    ("severity", "严重程度"), ("message", "问题"), ("location", "位置"), ("expected", "应为"),
    ("actual", "实为"), ("review", "审核状态"), ("reason", "审核理由"), ("reviewer", "审核人"),
    ("reviewed_at", "审核时间"), ("fingerprint", "指纹"), ("file", "文件"),
]


def register_format(out: str) -> str:
    ext = os.path.splitext(out)[1].lower()
    if ext not in (".xlsx", ".csv"):
        raise InputError(f"问题清单只能写成 .xlsx 或 .csv 文件：{out}")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError(f"输出文件所在的文件夹不存在：{folder}")
    return ext[1:]


NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
AMOUNTS = ("expected", "actual")


def _amount(v: Any) -> Decimal | None:
    """A finding's 应为/实为 as a number when it is one (``1,234.50``, ``-3``), else None."""
    if isinstance(v, str) and NUMBER.fullmatch(v.strip()):
        try:
            return Decimal(v.strip().replace(",", ""))
        except InvalidOperation:
            return None
    return None


def safe_text(v: Any) -> Any:
    """A text cell that a spreadsheet would take for a formula (``=…``, ``+…``, ``@…``, ``-…``) gets a
    leading apostrophe; plain numbers stay numbers."""
    if isinstance(v, str) and v.startswith(FORMULA_START) and not NUMBER.fullmatch(v):
        return "'" + v
    return v


def _cells(row: dict[str, Any], numbers: bool = False) -> list[Any]:
    """The row's cells: for an XLSX (``numbers``) 应为/实为 that are numbers as Decimals (its text cells are
    written as text, see :func:`_xlsx`); for a CSV text that a spreadsheet would take for a formula
    behind an apostrophe."""
    out = []
    for key, _ in REGISTER_COLUMNS:
        v = row.get(key)
        if key == "severity" and v:
            v = SEVERITY_ZH.get(v, v)
        if numbers and key in AMOUNTS and _amount(v) is not None:
            out.append(_amount(v))
            continue
        out.append("" if v is None else v if numbers else safe_text(v))
    return out


def write_register(rows: list[dict[str, Any]], out: str) -> None:
    """Write the register to ``out`` (.xlsx or .csv) through a temporary file moved into place, so a
    failure never leaves half a file."""
    fmt = register_format(out)
    fd, tmp = tempfile.mkstemp(prefix=".budgetdoc-", suffix="." + fmt, dir=os.path.dirname(os.path.abspath(out)))
    os.close(fd)
    try:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow([label for _, label in REGISTER_COLUMNS])
                for r in rows:
                    w.writerow(_cells(r))
        else:
            _xlsx(rows, tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # readable like any other report the user writes (mkstemp makes it 0600)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _xlsx(rows: list[dict[str, Any]], path: str) -> None:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise InputError("写 .xlsx 需要 openpyxl（pip install 'budgetdoc[xlsx]'），或改写 .csv") from None
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append([label for _, label in REGISTER_COLUMNS])
    for c in ws[1]:
        c.font = Font(bold=True)
    amounts = {i for i, (key, _) in enumerate(REGISTER_COLUMNS, start=1) if key in AMOUNTS}
    for r in rows:
        ws.append(_cells(r, numbers=True))
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"  # text is text: never a formula, whatever it starts with
            elif c.column in amounts and c.value is not None:
                c.number_format = "#,##0.00"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REGISTER_COLUMNS))}{max(1, len(rows) + 1)}"
    widths = {"message": 60, "location": 28, "department": 24, "unit": 24, "publisher": 24, "file": 40,
              "reason": 24}
    for i, (key, _) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(key, 12)
    wb.save(path)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to the display width of Chinese text."""
    cols = [headers] + rows
    widths = [max(_width(r[i]) for r in cols) for i in range(len(headers))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in cols]
    return "\n".join(lines) + "\n"


def status_text(st: dict[str, Any], where: str) -> str:
    out = [f"文件库：{where}；单位名录：{st['organisations']} 个单位"]
    if not st["organisations"]:
        out.append("尚未导入单位名录（budgetdoc org import FILE.csv），无法列出谁未公开。")
    rows = st["rows"]
    if rows:
        n = {k: sum(1 for r in rows if r.get("state") == k) for k in ("已公开", "未公开", "未到期")}
        out.append(f"截至 {st.get('on', '')}：应公开 {len(rows)} 份，已公开 {n['已公开']} 份，"
                   f"逾期未公开 {n['未公开']} 份，未到期 {n['未到期']} 份。")
        out.append("")
        out.append(table(
            ["部门", "单位", "代码", "层级", "年度", "类型", "状态", "应公开日期", "错误", "警告", "已排除"],
            [[r["department"], r["unit"], r["code"], r["level"], str(r["year"]), (r.get("scope") or "") + r["kind"],
              r.get("state", "是" if r["published"] else "否"), r.get("due", ""), str(r["errors"]),
              str(r["warnings"]), str(r["dismissed"])]
             for r in rows]).rstrip("\n"))
    elif st["organisations"]:
        out.append("文件库中还没有可用的文件。")
    loose = [m for m in st["matched"] if m["match"] in ("alias", "region")]
    if loose:
        out.append("")
        out.append(f"按别名或地区前缀不同的名称对应到单位的文件（{len(loose)} 份）：")
        for m in loose:
            how = "别名" if m["match"] == "alias" else (m["note"] or "地区前缀不同")
            out.append(f"  {m['file']}：{m['publisher']} → {m['code']}（{how}）")
    if st["unmatched"]:
        out.append("")
        out.append(f"未能对应到唯一单位的文件（{len(st['unmatched'])} 份）：")
        for u in st["unmatched"]:
            note = f"；{u['note']}" if u["note"] else ""
            out.append(f"  {u['file']}：{u['publisher'] or '（未识别发布单位）'} {u['year'] or ''}年{u['kind'] or ''}"
                       f" — {u['reason']}{note}")
    if st.get("held"):
        out.append("")
        out.append(f"待审核人核实的上传（{len(st['held'])} 份，不计入任何单位）：")
        for h in st["held"]:
            out.append(f"  {h['publisher'] or '（未识别发布单位）'} {h['year'] or ''}年{h['kind'] or ''}"
                       f"（上传单位 {h['uploader'] or '—'}）— {h['held']}")
    if st["unusable"]:
        out.append("")
        out.append(f"无法使用的文件（{len(st['unusable'])} 份）：")
        for u in st["unusable"]:
            out.append(f"  {u['error']}")
    return "\n".join(out) + "\n"
