"""The performance forms as generic table blocks (every renderer draws them like any table): a
self-evaluation form (单位名称, 预算执行情况 with 预算数 A / 执行数 B / 执行率 / 得分, the indicators with their
weights as printed “产出指标（40分）”, 总分, the scoring rules under it) and a target form (整体: 总体资金情况,
项目支出情况, indicators with 指标值; 项目: 项目名称, 项目总预算 / 项目当年预算, 项目资金来源, indicators), laid out
as budgetdoc's performance reader reads them."""

from __future__ import annotations

from decimal import Decimal

from ..check.rules.performance_common import num
from ..model import Indicator, PerformanceForm
from .document import TableBlock

WIDTH = 7


def _amount(v: Decimal | None) -> str:
    return "" if v is None else f"{v:.2f}"


def _weighted(name: str | None, weight: Decimal | None) -> str:
    if not name:
        return ""
    return f"{name}（{num(weight)}分）" if weight is not None else name


def _row(*cells: str) -> list[str]:
    out = [c or "" for c in cells][:WIDTH]
    return out + [""] * (WIDTH - len(out))


def project_title(name: str, fmt: str) -> str:
    """``{project}自评表`` with the name ending in 项目 (the reader finds a project form by 项目…自评表)."""
    project = name if name.endswith("项目") else f"{name}项目"
    return fmt.format(project=project, name=name)


def _indicators(inds: list[Indicator], stage: str) -> list[list[str]]:
    if stage == "自评":
        rows = [_row("年度绩效指标", "一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）", "得分")]
    else:
        rows = [_row("年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值")]
    prev1: tuple = (None, None)
    prev2: tuple = (None, None)
    for ind in inds:
        k1, k2 = (ind.level1, ind.level1_weight), (ind.level2, ind.level2_weight)
        l1 = _weighted(*k1) if k1 != prev1 else ""
        l2 = _weighted(*k2) if (k2 != prev2 or k1 != prev1) else ""
        prev1, prev2 = k1, k2
        cells = ["", l1, l2, _weighted(ind.name, ind.weight), ind.target or ""]
        if stage == "自评":
            cells += [ind.actual or "", "" if ind.score is None else num(ind.score)]
        rows.append(_row(*cells))
    return rows


def self_evaluation(f: PerformanceForm) -> list[list[str]]:
    rows = []
    basic, project = f.amounts.get("基本支出总额"), f.amounts.get("项目支出总额")
    if f.kind == "整体" and (basic is not None or project is not None):
        rows.append(_row("基本支出总额", _amount(basic), "项目支出总额", _amount(project)))
    w = num(f.execution_weight) if f.execution_weight is not None else ""
    rows.append(_row(f"预算执行情况（万元）（{w}分）" if w else "预算执行情况（万元）", "预算数（A）", "执行数（B）",
                     "执行率（B/A）", f"得分（{w}分*执行率）" if w else "得分"))
    rows.append(_row("部门整体支出总额" if f.kind == "整体" else "年度财政资金总额", _amount(f.budget),
                     _amount(f.actual), "" if f.rate is None else f"{num(f.rate)}%",
                     "" if f.execution_score is None else num(f.execution_score)))
    rows += _indicators(f.indicators, "自评")
    if f.total_score is not None:
        rows.append(_row("总分", num(f.total_score)))
    return rows


def target(f: PerformanceForm) -> list[list[str]]:
    rows: list[list[str]] = []
    if f.kind == "整体":
        rows.append(_row("总体资金情况", "", "当年金额"))
        for section in ("收入构成", "支出构成"):
            first = True
            for k, v in f.amounts.items():
                if k.startswith(section + "/"):
                    rows.append(_row(section if first else "", k.split("/", 1)[1], _amount(v)))
                    first = False
        projects = [(k.split("/", 1)[1], v) for k, v in f.amounts.items() if k.startswith("项目/")]
        if projects:
            rows.append(_row("项目名称", "支出项目类别", "项目总预算", "项目本年度预算"))
            rows += [_row(name, "", "", _amount(v)) for name, v in projects]
    else:
        rows.append(_row("项目总预算", _amount(f.amounts.get("项目总预算")), "项目当年预算", _amount(f.budget)))
        sources = [(k.split("/", 1)[1], v) for k, v in f.amounts.items() if k.startswith("资金来源/")]
        if sources:
            rows.append(_row("项目资金来源", "来源项目", "金额"))
            rows += [_row(name, _amount(v)) for name, v in sorted(sources, key=lambda x: x[0] != "合计")]
            rows.append(_row("其中：使用上年度财政拨款结转"))
    return rows + _indicators(f.indicators, "目标")


def form_block(f: PerformanceForm, title: str, number: str, holder: str, note: str, unit: str = "") -> TableBlock:
    """One form as a table block; ``title`` is what the reader finds it by. Its 单位名称 (项目实施/执行单位) is
    the form's own unit, else ``unit`` (the publisher)."""
    unit = f.publisher or unit
    if f.kind == "整体":
        head = _row("单位名称", unit)
    else:
        head = _row("项目名称", f.name, "项目执行单位" if f.stage == "目标" else "项目实施单位", unit)
    body = self_evaluation(f) if f.stage == "自评" else target(f)
    return TableBlock(key="form", title=title, number=number, holder=holder, unit_line="金额单位：万元",
                      header=[head], body=body, numeric=[False] * WIDTH, note=note)


__all__ = ["form_block", "project_title"]
