"""The report as a workbook (openpyxl, the ``xlsx`` extra): one sheet per extracted table, the findings,
and the document.

Table sheets: the catalog's column labels as header, amounts as numbers with ``#,##0.00`` (the value
written is the amount as a float, which re-reads to the same two-decimal amount), codes as text. The
cell a finding concerns is filled in its severity's colour and carries a comment with the message (a
row-level finding: the row's name cell; a table-level one: the title); the other places of the finding
(``related``) are filled yellow with a comment naming the finding. The findings sheet lists errors first,
then warnings, then notes, has an autofilter and a frozen header row, gives 应为/实为 as numbers where
they are amounts, and links each finding's 表 cell to its cell in the table sheet. Sheet 文档 describes
the document.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..check import Report
from ..check.findings import SEVERITY_ZH
from ..errors import InputError
from ..model import Disclosure, Location, Table
from .groups import ordered
from .text import CATEGORY_ZH, where

MONEY = "#,##0.00"
_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(t: Table, used: set[str]) -> str:
    base = _BAD.sub("", f"{t.key} {t.title}")[:31].strip() or t.key
    name, n = base, 2
    while name.lower() in used:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _number(v: Decimal) -> float | int:
    return float(v)


_NUMERIC = re.compile(r"^[-−]?\d[\d,，]*(?:\.\d+)?%?$")


def as_number(text: str | None) -> tuple[float | str | None, str | None]:
    """A finding's 应为/实为 as a number and its format: amounts ``#,##0.00``, percentages ``0.00%``;
    words (a name, a year printed in a title) stay text (format None)."""
    if text is None:
        return None, None
    t = text.strip().replace("−", "-")
    if not _NUMERIC.match(t):
        return text, None
    pct = t.endswith("%")
    try:
        v = Decimal(t.rstrip("%").replace(",", "").replace("，", ""))
    except InvalidOperation:
        return text, None
    if pct:
        return float(v / 100), "0.00%" if "." in t else "0%"
    return float(v), MONEY if "." in t else "#,##0"


def lead_columns(t: Table) -> list[tuple[str, str]]:
    cols = []
    if any(r.part for r in t.rows):
        cols.append(("part", "部分"))
    cols.append(("code", "科目编码"))
    cols.append(("name", "项目"))
    if any(r.number is not None for r in t.rows):
        cols.append(("number", "行次"))
    return cols


def workbook(doc: Disclosure, report: Report):
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError as e:  # pragma: no cover - the extra is installed in dev
        raise InputError("输出 xlsx 需要 openpyxl：请安装 budgetdoc[xlsx]。") from e

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EEF2F8")
    sev_fill = {"error": PatternFill("solid", fgColor="FFD6D6"), "warning": PatternFill("solid", fgColor="FFE9C2"),
                "info": PatternFill("solid", fgColor="DDE9F8")}
    wb = Workbook()
    info = wb.active
    info.title = "文档"
    ident = doc.identity
    s = report.summary()
    rows = [
        ("单位", ident.publisher), ("范围", ident.scope), ("类型", ident.kind), ("年度", ident.year),
        ("金额单位", ident.unit), ("地区", ident.region), ("标题", ident.title), ("来源文件", doc.source),
        ("表格", len(doc.tables)), ("说明语句", len(doc.narrative)), ("绩效表", len(doc.performance)),
        ("检查规则", report.rules_run), ("问题合计", len(report.findings)),
        ("错误", s["error"]), ("警告", s["warning"]), ("提示", s["info"]),
    ]
    cats: dict[str, int] = {}
    for f in report.findings:
        cats[f.category] = cats.get(f.category, 0) + 1
    rows += [(f"类别：{CATEGORY_ZH.get(c, c)}", n) for c, n in cats.items()]
    for k, v in rows:
        info.append([k, v])
        info.cell(info.max_row, 1).font = bold
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 60

    # findings
    fs = wb.create_sheet("问题")
    head = ["规则", "名称", "类别", "级别", "说明", "表", "行", "栏", "页", "行号", "应为", "实为", "相关位置"]
    fs.append(head)
    findings = ordered(report.findings)
    for f in findings:
        loc = f.location
        related = "；".join(
            "/".join(str(x) for x in (r.table, r.part, r.row, r.column_label or r.column, r.page, r.line) if x is not None)
            for r in f.related
        )
        fs.append([f.rule, f.name, CATEGORY_ZH.get(f.category, f.category), SEVERITY_ZH.get(f.severity, f.severity),
                   f.message, loc.table, f"{loc.part}·{loc.row}" if loc.part and loc.row else loc.row,
                   loc.column_label or loc.column, loc.page, loc.line, None, None,
                   related or None])
        for col, text in ((11, f.expected), (12, f.actual)):
            value, number_format = as_number(text)
            fs.cell(fs.max_row, col).value = value
            if number_format:
                fs.cell(fs.max_row, col).number_format = number_format
        fs.cell(fs.max_row, 4).fill = sev_fill.get(f.severity, head_fill)
        fs.cell(fs.max_row, 7).number_format = "@"
        fs.cell(fs.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
    for c in range(1, len(head) + 1):
        fs.cell(1, c).font = bold
        fs.cell(1, c).fill = head_fill
    fs.freeze_panes = "A2"
    fs.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(fs.max_row, 1)}"
    for col, w in zip("ABCDEFGHIJKLM", (9, 18, 14, 6, 70, 6, 14, 16, 5, 7, 14, 14, 30), strict=True):
        fs.column_dimensions[col].width = w

    # one sheet per table
    used = {"文档", "问题"}
    placed: dict[str, tuple] = {}  # table key → (sheet, header row, lead columns)
    for t in doc.tables:
        ws = wb.create_sheet(_sheet_name(t, used))
        lead = lead_columns(t)
        ws.append([f"{t.number or t.key} {t.title}"])
        ws.cell(1, 1).font = Font(bold=True, size=12)
        ws.append([f"单位：{t.publisher or doc.identity.publisher or ''}", None, f"金额单位：{t.unit}"])
        if t.empty:
            ws.append(["空表" + (f"。说明：{t.statement}" if t.statement else "，未附说明")])
        header_row = ws.max_row + 1
        placed.setdefault(t.key, (ws, header_row, lead))
        ws.append([label for _, label in lead] + [c.label for c in t.columns])
        for c in range(1, len(lead) + len(t.columns) + 1):
            ws.cell(header_row, c).font = bold
            ws.cell(header_row, c).fill = head_fill
        for r in t.rows:
            values = {"part": r.part, "code": r.code, "name": r.name or r.key, "number": r.number}
            line: list = [values[k] for k, _ in lead]
            for col in t.columns:
                cell = r.cell(col.id)
                if cell is None:
                    line.append(None)
                elif cell.value is not None:
                    line.append(_number(cell.value))
                else:
                    line.append(cell.text or None)
            ws.append(line)
            n = ws.max_row
            for j, (k, _) in enumerate(lead, start=1):
                if k == "code":
                    ws.cell(n, j).number_format = "@"
            for j, col in enumerate(t.columns, start=len(lead) + 1):
                cell = r.cell(col.id)
                if cell is not None and cell.value is not None:
                    ws.cell(n, j).number_format = MONEY
        for note in t.notes:
            ws.append([note])
        ws.freeze_panes = ws.cell(header_row + 1, len(lead) + 1)
        widths = {"part": 6, "code": 11, "name": 34, "number": 6}
        for j, (k, _) in enumerate(lead, start=1):
            ws.column_dimensions[get_column_letter(j)].width = widths[k]
        for j in range(len(lead) + 1, len(lead) + len(t.columns) + 1):
            ws.column_dimensions[get_column_letter(j)].width = 16
    _mark(doc, findings, placed, fs, sev_fill)
    return wb


def _cell_of(doc: Disclosure, loc: Location, placed: dict[str, tuple]):
    """The worksheet cell a location names in the table sheets (None: not in a table sheet)."""
    from .html import locate

    ref = locate(doc, loc)
    if ref is None or ref.table not in placed:
        return None
    ws, header_row, lead = placed[ref.table]
    t = doc.table(ref.table)
    if ref.row < 0 or t is None:
        return ws.cell(1, 1)
    row = header_row + 1 + ref.row
    if ref.column is not None:
        ids = [c.id for c in t.columns]
        if ref.column in ids:
            return ws.cell(row, len(lead) + 1 + ids.index(ref.column))
    keys = [k for k, _ in lead]
    return ws.cell(row, keys.index("name") + 1)


def _mark(doc: Disclosure, findings: list, placed: dict[str, tuple], fs, sev_fill: dict) -> None:
    """Fill and comment the cells the findings concern; link the findings sheet to them."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    rel_fill = PatternFill("solid", fgColor="FFF0B3")
    notes: dict[tuple[str, str], list[str]] = {}
    worst: dict[tuple[str, str], int] = {}
    cells: dict[tuple[str, str], object] = {}
    rank = {"error": 3, "warning": 2, "info": 1}
    for i, f in enumerate(findings):
        hit = _cell_of(doc, f.location, placed)
        if hit is not None:
            key = (hit.parent.title, hit.coordinate)
            cells[key] = hit
            notes.setdefault(key, []).append(f"[{SEVERITY_ZH.get(f.severity, f.severity)}] {f.rule} {f.message}")
            worst[key] = max(worst.get(key, 0), rank.get(f.severity, 1))
            link = fs.cell(i + 2, 6)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{hit.parent.title}'!{hit.coordinate}",
                                       tooltip="转到表中的这一格")
            link.style = "Hyperlink"
        for r in f.related:
            other = _cell_of(doc, r, placed)
            if other is None:
                continue
            key = (other.parent.title, other.coordinate)
            cells[key] = other
            notes.setdefault(key, []).append(
                f"[相关] {f.rule} 与{where(f.location)}比较：{f.message}")
            worst.setdefault(key, 0)
    by_rank = {3: sev_fill["error"], 2: sev_fill["warning"], 1: sev_fill["info"], 0: rel_fill}
    for key, cell in cells.items():
        cell.fill = by_rank[worst[key]]
        text = "\n".join(notes[key])
        if len(text) > 2000:
            text = text[:1990] + "……"
        comment = Comment(text, "budgetdoc")
        comment.width, comment.height = 420, min(400, 60 + 18 * (len(text) // 28 + len(notes[key])))
        cell.comment = comment


def write_xlsx(doc: Disclosure, report: Report, out: str) -> None:
    workbook(doc, report).save(out)


__all__ = ["MONEY", "as_number", "lead_columns", "workbook", "write_xlsx"]
