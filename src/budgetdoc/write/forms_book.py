"""The performance forms in the input workbook: three sheets an officer fills as lists —

- 绩效表: one row per form (表号, 类型 整体/项目, 阶段 自评/目标, 名称, 单位名称, 预算数 A, 执行数 B, 执行率,
  预算执行权重, 预算执行得分, 总分, 项目总预算);
- 绩效指标: one row per indicator, its form by 表号 (一级指标 and weight, 二级指标 and weight, 三级指标, 权重,
  目标值, 实际完成值, 得分);
- 绩效金额: the other amounts of a form by 表号 (基本支出总额, 收入构成/财政拨款, 资金来源/一般公共预算财政拨款 …).

Computed cells (执行率, 预算执行得分, 总分, a quantitative indicator's score, level weights, 合计 amounts) are
left blank and shaded in a filled workbook; a value typed there must agree with the rules.
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import InputError
from ..model import Indicator, PerformanceForm
from .data import WriteData

FORM_SHEET, IND_SHEET, AMOUNT_SHEET = "绩效表", "绩效指标", "绩效金额"
FORM_COLS = [("no", "表号"), ("kind", "类型"), ("stage", "阶段"), ("name", "名称"), ("publisher", "单位名称"),
             ("budget", "预算数（A）"), ("actual", "执行数（B）"), ("rate", "执行率（%）"),
             ("weight", "预算执行权重"), ("score", "预算执行得分"), ("total", "总分"), ("project_total", "项目总预算")]
IND_COLS = [("no", "表号"), ("level1", "一级指标"), ("w1", "一级权重"), ("level2", "二级指标"), ("w2", "二级权重"),
            ("name", "三级指标"), ("weight", "权重"), ("target", "目标值"), ("actual", "实际完成值"), ("score", "得分")]
AMOUNT_COLS = [("no", "表号"), ("key", "项目"), ("value", "金额（万元）")]
FORM_NOTE = ("说明：每张绩效表一行。类型填“整体”或“项目”，阶段填“自评”（决算附件）或“目标”（预算绩效目标表）。单位名称"
             "（项目实施单位）留空时写为文档信息的单位名称。灰色单元格（执行率、预算执行得分、总分）由程序按计分规则计算，"
             "可留空；如填写须与计算一致。")
IND_NOTE = ("说明：每个三级指标一行，表号对应“绩效表”。定量指标（目标值、实际完成值为同单位数字）的得分按计分规则计算"
            "（正向 权重×B/A，反向 权重×A/B，不超过权重）；定性指标与目标一致时得满分，否则按档填写得分。"
            "得分不得超过权重；二级权重之和等于一级权重，一级权重合计加预算执行权重等于100。")
AMOUNT_NOTE = ("说明：绩效表上的其他金额，如 基本支出总额、收入构成/财政拨款、支出构成/人员类项目支出、资金来源/一般公共预算"
               "财政拨款。合计由程序计算；整体绩效目标表的项目支出情况由各项目绩效目标表生成。")
_SKIP_AMOUNTS = ("项目/", "支出明细测算合计", "项目总预算")


def _v(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def write_forms(wb, forms: list[PerformanceForm], derived: set[tuple], grey, bold) -> None:
    """The three sheets, filled from ``forms`` (derived cells blank and shaded), or empty with instructions."""
    sheets = []
    for title, cols, note in ((FORM_SHEET, FORM_COLS, FORM_NOTE), (IND_SHEET, IND_COLS, IND_NOTE),
                              (AMOUNT_SHEET, AMOUNT_COLS, AMOUNT_NOTE)):
        ws = wb.create_sheet(title)
        ws.append([note])
        ws.append([label for _, label in cols])
        for c in range(1, len(cols) + 1):
            ws.cell(2, c).font = bold
        sheets.append(ws)
    fs, ins, ams = sheets
    for i, f in enumerate(forms):
        no = i + 1
        vals = {"no": no, "kind": f.kind, "stage": f.stage, "name": f.name, "publisher": f.publisher,
                "budget": _v(f.budget), "actual": _v(f.actual), "rate": _v(f.rate), "weight": _v(f.execution_weight),
                "score": _v(f.execution_score), "total": _v(f.total_score),
                "project_total": _v(f.amounts.get("项目总预算"))}
        row = []
        for key, _ in FORM_COLS:
            row.append(None if ("form", i, key) in derived else vals[key])
        fs.append(row)
        for key, _ in FORM_COLS:
            if ("form", i, key) in derived:
                fs.cell(fs.max_row, [k for k, _ in FORM_COLS].index(key) + 1).fill = grey
        for j, ind in enumerate(f.indicators):
            prev = f.indicators[j - 1] if j else None
            same1 = prev is not None and prev.level1 == ind.level1
            same2 = same1 and prev is not None and prev.level2 == ind.level2
            iv = {"no": no, "level1": ind.level1, "w1": None if same1 else _v(ind.level1_weight),
                  "level2": ind.level2, "w2": None if same2 else _v(ind.level2_weight), "name": ind.name,
                  "weight": _v(ind.weight), "target": ind.target, "actual": ind.actual, "score": _v(ind.score)}
            ins.append([None if ("indicator", i, j, key) in derived else iv[key] for key, _ in IND_COLS])
            for n, (key, _) in enumerate(IND_COLS, start=1):
                if ("indicator", i, j, key) in derived:
                    ins.cell(ins.max_row, n).fill = grey
        for key, v in f.amounts.items():
            if key.startswith(_SKIP_AMOUNTS):
                continue
            derived_cell = ("amount", i, key) in derived
            ams.append([no, key, None if derived_cell else _v(v)])
            if derived_cell:
                ams.cell(ams.max_row, 3).fill = grey
    for ws, widths in ((fs, (6, 6, 6, 40, 30, 12, 12, 10, 10, 10, 8, 12)),
                       (ins, (6, 12, 8, 16, 8, 30, 6, 16, 16, 8)), (ams, (6, 30, 14))):
        for n, w in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(2, n).column_letter].width = w


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def _rows(ws, cols: list[tuple[str, str]]):
    """(excel row number, {key: (value, "sheet!A1")}) of each filled row under the header."""
    header_at = None
    for r in ws.iter_rows(max_row=6):
        if r and _text(r[0].value) == cols[0][1]:
            header_at = r[0].row
            break
    if header_at is None:
        raise InputError(f"工作表“{ws.title}”找不到表头行（第一栏为“{cols[0][1]}”）")
    head = [_text(c.value) for c in next(ws.iter_rows(min_row=header_at, max_row=header_at))]
    pos = {key: head.index(label) for key, label in cols if label in head}
    for r in ws.iter_rows(min_row=header_at + 1):
        cells = {key: r[j] for key, j in pos.items() if j < len(r)}
        if all(_text(c.value) == "" for c in cells.values()):
            continue
        yield r[0].row, {key: (c.value, f"{ws.title}!{c.coordinate}") for key, c in cells.items()}


def read_forms(wb, data: WriteData, amount) -> None:
    """The forms of the workbook into ``data.doc.performance`` with every cell's address in ``data.form_refs``;
    ``amount(value, where)`` parses a number."""
    if FORM_SHEET not in wb.sheetnames:
        return
    by_no: dict[str, int] = {}
    forms: list[PerformanceForm] = []
    for _, cells in _rows(wb[FORM_SHEET], FORM_COLS):
        no = _text(cells.get("no", (None, ""))[0])
        kind, stage = _text(cells.get("kind", ("", ""))[0]), _text(cells.get("stage", ("", ""))[0]) or "自评"
        where = cells.get("kind", (None, FORM_SHEET))[1]
        if kind not in ("整体", "项目"):
            raise InputError(f"{where} 类型应为“整体”或“项目”，实为“{kind}”")
        if stage not in ("自评", "目标"):
            raise InputError(f"{cells['stage'][1]} 阶段应为“自评”或“目标”，实为“{stage}”")
        i = len(forms)
        by_no[no] = i
        num = {k: amount(cells[k][0], cells[k][1]) if k in cells else None
               for k in ("budget", "actual", "rate", "weight", "score", "total", "project_total")}
        f = PerformanceForm(kind=kind, stage=stage, name=_text(cells.get("name", ("", ""))[0]),  # type: ignore[arg-type]
                            publisher=_text(cells.get("publisher", ("", ""))[0]) or None, budget=num["budget"],
                            actual=num["actual"], rate=num["rate"], execution_weight=num["weight"],
                            execution_score=num["score"], total_score=num["total"])
        if num["project_total"] is not None:
            f.amounts["项目总预算"] = num["project_total"]
        for key, (_, ref) in cells.items():
            data.form_refs[("form", i, key)] = ref
        forms.append(f)
    for sheet, cols in ((IND_SHEET, IND_COLS), (AMOUNT_SHEET, AMOUNT_COLS)):
        if sheet not in wb.sheetnames:
            continue
        for _, cells in _rows(wb[sheet], cols):
            no = _text(cells.get("no", (None, ""))[0])
            if no not in by_no:
                raise InputError(f"{cells['no'][1]} 表号“{no}”在“{FORM_SHEET}”中没有")
            i = by_no[no]
            f = forms[i]
            if sheet == AMOUNT_SHEET:
                key = _text(cells.get("key", ("", ""))[0])
                v = amount(cells["value"][0], cells["value"][1]) if "value" in cells else None
                data.form_refs[("amount", i, key)] = cells.get("value", (None, sheet))[1]
                if key and v is not None:
                    f.amounts[key] = v
                continue
            j = len(f.indicators)
            g = {k: cells[k][0] if k in cells else None for k, _ in cols}
            f.indicators.append(Indicator(
                level1=_text(g["level1"]) or None, level1_weight=amount(g["w1"], cells.get("w1", (0, ""))[1]),
                level2=_text(g["level2"]) or None, level2_weight=amount(g["w2"], cells.get("w2", (0, ""))[1]),
                name=_text(g["name"]), weight=amount(g["weight"], cells.get("weight", (0, ""))[1]),
                target=_text(g["target"]) or None, actual=_text(g["actual"]) or None,
                score=amount(g["score"], cells.get("score", (0, ""))[1])))
            _inherit(f.indicators)
            for key, (_, ref) in cells.items():
                data.form_refs[("indicator", i, j, key)] = ref
    data.doc.performance = forms


def _inherit(inds: list[Indicator]) -> None:
    """A level left blank under the one above it (a merged cell) is that one, with its weight."""
    if len(inds) < 2:
        return
    prev, ind = inds[-2], inds[-1]
    if ind.level1 is None:
        ind.level1 = prev.level1
    if ind.level1 == prev.level1 and ind.level1_weight is None:
        ind.level1_weight = prev.level1_weight
    if ind.level2 is None and ind.level1 == prev.level1:
        ind.level2 = prev.level2
    if ind.level2 == prev.level2 and ind.level1 == prev.level1 and ind.level2_weight is None:
        ind.level2_weight = prev.level2_weight


__all__ = ["AMOUNT_SHEET", "FORM_SHEET", "IND_SHEET", "read_forms", "write_forms"]
