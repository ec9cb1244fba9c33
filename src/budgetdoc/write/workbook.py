"""The input workbook: one sheet per table in the layout of budgetdoc's XLSX report (title row, unit row,
header row of 部分/科目编码/项目/行次 and the catalog's column labels, one row per line item; codes as
text, amounts as numbers) plus a 行键 column, the sheet 文档信息 (what the tables do not hold) and the
sheet 科目说明 (each line item's initial budget, last year's amount and the reason for its change).

``to_workbook`` writes a filled workbook from a model (``extract --format xlsx``): the derived cells
(totals, subtotals, class rows, computed columns) are left blank and shaded — they are computed when the
document is written, and a value typed there must agree. ``init_workbook`` writes an empty one with the
instructions in each sheet. ``read_workbook`` reads either back (with the cell address of every value).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal, InvalidOperation

from ..data import catalog, codes
from ..errors import InputError
from ..model import Cell, Column, Disclosure, Identity, Row, Table
from ._num import to_decimal
from .compute import compute
from .data import INFO_FIELDS, INFO_KEYS, MONEY_FIELDS, Item, WriteData
from .extract import blank_cells, info_from_doc, with_promised_tables

INFO_SHEET, ITEM_SHEET = "文档信息", "科目说明"
LEAD = [("part", "部分"), ("code", "科目编码"), ("name", "项目"), ("number", "行次"), ("key", "行键")]
NOTE = ("说明：金额填数字（不带千分位文字）；科目编码按文本填写。灰色单元格（合计、小计、类/款级科目、合计栏）由程序"
        "计算，可留空；如填写，必须与明细之和一致，否则拒绝生成。科目名称按年度科目表由编码生成。")
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(t: Table, used: set[str]) -> str:
    base = _BAD.sub("", f"{t.key} {catalog()['by_key'].get(t.key, {}).get('title', t.title)}")[:31].strip()
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:28]}~{n}", n + 1
    used.add(name.lower())
    return name


def _openpyxl():
    try:
        import openpyxl
    except ImportError as e:  # pragma: no cover - a dependency of the write extra
        raise InputError("读写 .xlsx 工作簿需要 openpyxl：请安装 budgetdoc[write]。") from e
    return openpyxl


def to_workbook(doc: Disclosure, info: dict[str, object] | None = None, items: dict[str, Item] | None = None):
    """A filled input workbook from a model (derived cells blank and shaded)."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill

    doc = with_promised_tables(doc)
    if info is None or items is None:
        got_info, got_items = info_from_doc(doc)
        info, items = info if info is not None else got_info, items if items is not None else got_items
    computed, _, derived = compute(WriteData(doc=doc, source=doc.source))
    derived = blank_cells(doc, derived)
    grey = PatternFill("solid", fgColor="E5E5E5")
    bold = Font(bold=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = INFO_SHEET
    ws.append(["字段", "内容", "填写说明"])
    for key, zh, how in INFO_FIELDS:
        v = info.get(key)
        ws.append([zh, float(v) if isinstance(v, Decimal) else v, how])
        if isinstance(v, str) and "\n" in v:  # a text of paragraphs (主要职能): shown as such
            ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for c in range(1, 4):
        ws.cell(1, c).font = bold
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 26, 60, 60
    its = wb.create_sheet(ITEM_SHEET)
    its.append(["科目编码", "科目名称", "年初预算（万元）", "上年数（万元）", "原因说明"])
    names = codes("functional", doc.identity.year)
    for it in (items or {}).values():
        its.append([it.code, names.get(it.code, ""), _num(it.budget), _num(it.previous), it.reason or None])
        its.cell(its.max_row, 1).number_format = "@"
    its.append([])
    its.append(["说明：每个项级科目一行：年初预算（决算）或上年预算（预算）、上年数与增减原因，用于生成情况说明。"])
    used = {INFO_SHEET.lower(), ITEM_SHEET.lower()}
    for t in doc.tables:
        ct = computed.table(t.key) or t
        sh = wb.create_sheet(sheet_name(t, used))
        sh.append([f"{t.number or t.key} {catalog()['by_key'].get(t.key, {}).get('title', t.title)}"])
        sh.cell(1, 1).font = Font(bold=True, size=12)
        sh.append([f"单位：{t.publisher or doc.identity.publisher or ''}", None, f"金额单位：{t.unit}"])
        sh.append([NOTE])
        if t.empty and t.statement:
            sh.append([f"空表说明：{t.statement}"])
        sh.append([label for _, label in LEAD] + column_labels(t.columns))
        hr = sh.max_row
        for c in range(1, len(LEAD) + len(t.columns) + 1):
            sh.cell(hr, c).font = bold
        for r, cr in zip(t.rows, ct.rows, strict=True):
            line: list = [r.part, r.code, cr.name or r.name or r.key, r.number, r.key]
            for col in t.columns:
                key = (t.key, r.part, r.key, col.id)
                v = None if key in derived else r.value(col.id)
                line.append(_num(v))
            sh.append(line)
            n = sh.max_row
            sh.cell(n, 2).number_format = "@"
            for j, col in enumerate(t.columns, start=len(LEAD) + 1):
                if (t.key, r.part, r.key, col.id) in derived:
                    sh.cell(n, j).fill = grey
                else:
                    sh.cell(n, j).number_format = "#,##0.00"
        for j, w in enumerate((6, 11, 34, 6, 16), start=1):
            sh.column_dimensions[openpyxl.utils.get_column_letter(j)].width = w
        sh.freeze_panes = sh.cell(hr + 1, len(LEAD) + 1)
    from .forms import compute_forms
    from .forms_book import write_forms

    _, _, form_derived = compute_forms(WriteData(doc=doc, source=doc.source), computed)
    write_forms(wb, doc.performance, form_derived, grey, bold)
    return wb


def column_labels(columns: list[Column]) -> list[str]:
    """A column's label, ``group/label`` where two columns share a label (项目支出表: 本年拨款 and
    财政拨款结转结余 each have 一般公共预算)."""
    labels = [c.label for c in columns]
    return [f"{c.group}/{c.label}" if labels.count(c.label) > 1 and c.group else c.label for c in columns]


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def save(wb, out: str) -> None:
    """Write to a temporary file beside ``out`` and move it into place."""
    tmp = f"{out}.tmp-{os.getpid()}"
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def init_workbook(tpl: dict, year: int | None = None):
    """An empty input workbook for a template: every table's sheet with its columns and standard rows."""
    from .standard import standard_tables

    doc = Disclosure(source="", identity=Identity(kind=tpl["kind"], year=year, unit=tpl["unit"]))
    doc.tables = standard_tables(tpl, year)
    wb = to_workbook(doc, {"kind": tpl["kind"], "template": tpl["name"], "year": year}, {})
    return wb


# ---------------------------------------------------------------- reading
def _cell_text(v: object) -> str:
    return "" if v is None else str(v).strip()


def _amount(v: object, where: str) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise InputError(f"{where} 应为金额数字，实为“{v}”")
    if isinstance(v, int | float):
        try:
            d = Decimal(str(v))
        except InvalidOperation as e:
            raise InputError(f"{where} 应为金额数字，实为“{v}”") from e
        if not d.is_finite():
            raise InputError(f"{where} 应为金额数字，实为“{v}”")
        return d.quantize(Decimal("0.01"))
    d = to_decimal(str(v))
    if d is None:
        raise InputError(f"{where} 应为金额数字，实为“{str(v)[:30]}”")
    return d.quantize(Decimal("0.01"))


def read_workbook(path: str) -> WriteData:
    openpyxl = _openpyxl()
    from openpyxl.utils import get_column_letter

    try:
        wb = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except Exception as e:  # noqa: BLE001 - any broken file is one sentence
        raise InputError(f"工作簿已损坏或不是 .xlsx 格式，无法打开：{path}") from e
    data = WriteData(doc=Disclosure(source=path), source=path)
    if INFO_SHEET not in wb.sheetnames:
        raise InputError(f"工作簿缺少“{INFO_SHEET}”工作表（可用 budgetdoc write --init 生成模板）：{path}")
    ws = wb[INFO_SHEET]
    for row in ws.iter_rows(min_row=2):
        label = _cell_text(row[0].value) if row else ""
        if label not in INFO_KEYS or len(row) < 2:
            continue
        key, cell = INFO_KEYS[label], row[1]
        where = f"{INFO_SHEET}!{cell.coordinate}"
        data.info_cells[key] = where
        if cell.value is None or _cell_text(cell.value) == "":
            continue
        data.info_refs[key] = where
        if key in MONEY_FIELDS:
            data.info[key] = _amount(cell.value, where)
        elif key == "year":
            try:
                data.info[key] = int(str(cell.value).strip().rstrip("年").rstrip("度"))
            except ValueError as e:
                raise InputError(f"{where} 年度应为数字，如 2023，实为“{cell.value}”") from e
        else:
            data.info[key] = _cell_text(cell.value)
    scope, kind = data.info.get("scope"), data.info.get("kind")
    if scope not in (None, "单位", "部门"):
        raise InputError(f"{data.info_refs['scope']} 范围应为“单位”或“部门”，实为“{scope}”")
    if kind not in (None, "决算", "预算"):
        raise InputError(f"{data.info_refs['kind']} 类型应为“决算”或“预算”，实为“{kind}”")
    data.doc.identity = Identity(publisher=data.info.get("publisher"), scope=scope, kind=kind,
                                 year=data.info.get("year"), region=data.info.get("region"))
    if ITEM_SHEET in wb.sheetnames:
        for row in wb[ITEM_SHEET].iter_rows(min_row=2):
            code = _cell_text(row[0].value) if row else ""
            if not code.isdigit():
                continue
            ref = f"{ITEM_SHEET}!A{row[0].row}"
            vals = [c.value for c in row] + [None] * 5
            data.items[code] = Item(code=code, budget=_amount(vals[2], f"{ITEM_SHEET}!C{row[0].row}"),
                                    previous=_amount(vals[3], f"{ITEM_SHEET}!D{row[0].row}"),
                                    reason=_cell_text(vals[4]), ref=ref)
    from .forms_book import read_forms

    read_forms(wb, data, _amount)
    by_key = catalog()["by_key"]
    for name in wb.sheetnames:
        if name in (INFO_SHEET, ITEM_SHEET):
            continue
        key = name.split(" ", 1)[0]
        if key not in by_key:
            continue
        _read_table(wb[name], name, key, by_key[key], data, get_column_letter)
    return data


def _read_table(ws, sheet: str, key: str, spec: dict, data: WriteData, letter) -> None:
    rows = list(ws.iter_rows())
    header_at = next((i for i, r in enumerate(rows) if r and _cell_text(r[0].value) == LEAD[0][1]), None)
    if header_at is None:
        raise InputError(f"工作表“{sheet}”找不到表头行（第一栏为“部分”）")
    labels = [_cell_text(c.value) for c in rows[header_at]]
    unit = "万元"
    title = _cell_text(rows[0][0].value) if rows and rows[0] else ""
    statement = None
    for r in rows[:header_at]:
        for c in r:
            t = _cell_text(c.value)
            if t.startswith("金额单位："):
                unit = t.split("：", 1)[1].strip() or unit
            if t.startswith("空表说明："):
                statement = t.split("：", 1)[1]
    by_label = {}
    for c in spec["columns"]:
        if c.get("group"):
            by_label.setdefault(f"{c['group']}/{c['label']}", c)
        for lab in (c["label"], *c.get("aliases", ())):
            by_label.setdefault(lab, c)
    columns: list[Column] = []
    positions: list[tuple[int, str]] = []
    for j, lab in enumerate(labels[len(LEAD):], start=len(LEAD)):
        if not lab:
            continue
        c = by_label.get(lab)
        if c is None:
            raise InputError(f"{sheet}!{letter(j + 1)}{header_at + 1} 栏目“{lab}”不是《{spec['title']}》的栏目")
        columns.append(Column(id=c["id"], label=c["label"], number=c.get("number"), group=c.get("group")))
        positions.append((j, c["id"]))
    t = Table(key=key, title=title.split(" ", 1)[-1] if title else spec["title"], unit=unit, columns=columns,
              statement=statement)
    data.refs[(key, None, None, None)] = sheet
    for r in rows[header_at + 1:]:
        vals = [c.value for c in r] + [None] * len(LEAD)
        part, code, name, number, rkey = (_cell_text(v) for v in vals[:len(LEAD)])
        if not (code or name or rkey):
            if any(v not in (None, "") for v in vals[len(LEAD):]):
                raise InputError(f"{sheet}!A{r[0].row} 这一行有金额但没有科目编码或项目名称")
            continue
        listed = spec.get("layout") in ("units", "projects")  # 单位编码 / 项目编码: letters allowed
        if code and not (code.isdigit() or (listed and code.isascii() and code.isalnum())):
            raise InputError(f"{sheet}!B{r[0].row} 科目编码应为数字文本，实为“{code}”")
        row = Row(code=code or None, name=name, key=rkey or code or name, part=part or None,
                  number=int(number) if number.isdigit() else None)
        data.refs[(key, row.part, row.key, None)] = f"{sheet}!C{r[0].row}"
        for j, cid in positions:
            where = f"{sheet}!{letter(j + 1)}{r[0].row}"
            v = _amount(vals[j] if j < len(vals) else None, where)
            data.refs[(key, row.part, row.key, cid)] = where
            if v is not None:
                row.cells.append(Cell(column=cid, value=v, text=f"{v:.2f}"))
        t.rows.append(row)
    t.empty = not any(c.value for r in t.rows for c in r.cells)
    data.doc.tables.append(t)


def read_data(path: str) -> WriteData:
    if not os.path.exists(path):
        raise InputError(f"找不到文件：{path}")
    lower = path.lower()
    if lower.endswith(".json"):
        from .json_input import read_json

        return read_json(path)
    if lower.endswith((".xlsx", ".xlsm")):
        return read_workbook(path)
    raise InputError(f"输入应为 .xlsx 工作簿或 .json（budgetdoc extract 的输出）：{path}")
