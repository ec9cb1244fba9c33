"""Performance forms in converter markdown: tab-separated cells, merged cells left blank (seeds 002, 004).

Columns are found from the indicator header (一级指标 / 二级指标 / 三级指标 / 年初目标值 / 实际完成值 / 得分,
or 指标值 with a sub-header 预期当年实现值 in target forms). Converters shift cells when a merged cell is
dropped, so a row is read by position when its 三级指标 cell holds a name, else by content: level names
(产出指标, 数量指标 …) are labels, the first other cell is the indicator, values follow it at the header's
offsets. In target forms only the annual indicators (年度绩效指标/年度绩效目标表) are kept; the long-term ones
(长期绩效指标) restate them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Indicator, Location, PerformanceForm
from ..read import Line
from .performance import Region
from .performance_text import dec
from .text import compact

_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*%$")
_WEIGHTED = re.compile(r"^(?P<n>.+?)[（(]\s*(?P<w>\d+(?:\.\d+)?)\s*分\s*[)）]$")
_L1 = {
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "效果指标",
    "投入",
    "过程",
    "产出",
    "效果",
    "效益",
    "投入指标",
    "过程指标",
}
_L2_END = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "满意度指标",
)
_STOP = ("目标未完成", "偏差", "改进措施", "未完成原因", "绩效自评总结", "部门职能", "项目采购", "总分")
_SUBHEADER = re.compile(r"^(__)?(前|上|当|近两)|年$|指标值|实现")


def _cells(ln: Line) -> list[str]:
    return [compact(c) for c in (ln.cells or [])]


def _level(c: str) -> tuple[int, str, Decimal | None] | None:
    """(1 or 2, name, weight) when a cell is a level label."""
    m = _WEIGHTED.match(c)
    name, w = (m.group("n"), dec(m.group("w"))) if m else (c, None)
    if name in _L1:
        return 1, name, w
    if name.endswith(_L2_END):
        return 2, name, w
    return None


def _is_value(c: str) -> bool:
    return bool(re.match(r"^[≤≥<>＜＞]?=?-?\d", c))


def parse_md_form(region: Region, path: str) -> PerformanceForm | None:
    rows = [ln for ln in region.lines[1:] if ln.cells]
    if not rows:
        return None

    def loc(ln: Line) -> Location:
        return Location(file=path, page=ln.page, line=ln.number)

    form = PerformanceForm(
        kind=region.kind,
        stage=region.stage,
        name=region.title,  # type: ignore[arg-type]
        location=loc(region.lines[0]),
    )
    notes = [ln.text.strip() for ln in region.lines if re.match(r"^(备注|注)\s*[:：]", ln.text.strip())]
    form.rules_text = "\n".join(notes) or None
    _header_fields(form, rows)
    _execution(form, rows, loc)
    if form.stage == "目标":
        _target_amounts(form, rows)
    form.indicators = _indicators(rows, loc)
    for ln in rows:
        cs = _cells(ln)
        if cs and cs[0].startswith("总分"):
            nums = [dec(c.rstrip("分")) for c in cs[1:] if _NUMBER.match(c.rstrip("分"))]
            if nums:
                form.total_score = nums[0]
    return form


def _next_value(cs: list[str], i: int) -> str | None:
    return next((c for c in cs[i + 1 :] if c), None)


def _header_fields(form: PerformanceForm, rows: list[Line]) -> None:
    """单位名称 (整体) or 项目执行/实施单位 (项目) as publisher; the first 项目名称 as a project's name."""
    named = False
    for ln in rows:
        cs = _cells(ln)
        for i, c in enumerate(cs):
            if c == "单位名称" and form.publisher is None:
                form.publisher = _next_value(cs, i)
            elif c in ("基本支出总额", "项目支出总额") and form.kind == "整体":
                v = dec(_next_value(cs, i))
                if v is not None:
                    form.amounts.setdefault(c, v)
            elif c in ("项目执行单位", "项目实施单位") and form.kind == "项目":
                form.publisher = form.publisher or _next_value(cs, i)
            elif c == "项目名称" and form.kind == "项目" and not named:
                v = _next_value(cs, i)
                if v:
                    form.name, named = v, True


def _execution(form: PerformanceForm, rows: list[Line], loc) -> None:
    for n, ln in enumerate(rows):
        cs = _cells(ln)
        ia = next((i for i, c in enumerate(cs) if re.fullmatch(r"(全年)?预算数([（(]A[)）])?", c)), None)
        if ia is None:
            if form.kind == "项目" and "项目当年预算" in cs and form.budget is None:
                form.budget = dec(_next_value(cs, cs.index("项目当年预算")))
                form.location = loc(ln)
                if "项目总预算" in cs:
                    v = dec(_next_value(cs, cs.index("项目总预算")))
                    if v is not None:
                        form.amounts["项目总预算"] = v
            continue
        label = "".join(cs[:ia])
        m = re.search(r"[（(](\d+(?:\.\d+)?)分[)）]", label) or re.search(
            r"得分[（(](\d+(?:\.\d+)?)分", "".join(cs)
        )
        if m:
            form.execution_weight = dec(m.group(1))
        form.location = loc(ln)
        if ia + 1 < len(cs) and _NUMBER.match(cs[ia + 1]):  # inline: 预算数 201.43 全年执行数 193.13 执行率
            form.budget = dec(cs[ia + 1])
            ib = next((i for i, c in enumerate(cs) if "执行数" in c and i > ia), None)
            if ib is not None and ib + 1 < len(cs) and _NUMBER.match(cs[ib + 1]):
                form.actual = dec(cs[ib + 1])
            for more in rows[n + 1 : n + 3]:
                mc = _cells(more)
                for i, c in enumerate(mc):
                    if (
                        c
                        and not _NUMBER.match(c)
                        and not _PERCENT.match(c)
                        and i + 1 < len(mc)
                        and _NUMBER.match(mc[i + 1])
                    ):
                        form.amounts[re.sub(r"^其中[:：]", "", c)] = dec(mc[i + 1])  # type: ignore[assignment]
                    pm = _PERCENT.match(c)
                    if pm and form.rate is None:
                        form.rate = dec(pm.group(1))
            return
        ib = next((i for i, c in enumerate(cs) if c.startswith("执行数")), None)
        ir = next((i for i, c in enumerate(cs) if c.startswith("执行率")), None)
        is_ = next((i for i, c in enumerate(cs) if c.startswith("得分")), None)
        for more in rows[n + 1 : n + 3]:
            mc = _cells(more)
            if len(mc) > ia and _NUMBER.match(mc[ia]):
                form.budget = dec(mc[ia])
                if ib is not None and ib < len(mc):
                    form.actual = dec(mc[ib]) if _NUMBER.match(mc[ib]) else None
                if ir is not None and ir < len(mc):
                    pm = _PERCENT.match(mc[ir])
                    form.rate = dec(pm.group(1)) if pm else None
                if is_ is not None and is_ < len(mc) and _NUMBER.match(mc[is_]):
                    form.execution_score = dec(mc[is_])
                form.location = loc(more)
                return
        return


def _target_amounts(form: PerformanceForm, rows: list[Line]) -> None:
    """Budget-stage amounts: 总体资金情况 (整体), 项目资金来源 and 支出明细测算 (项目)."""
    section = None
    amount_col = None
    detail_total = Decimal(0)
    detail_rows = 0
    mode = None
    for ln in rows:
        cs = _cells(ln)
        first = next((c for c in cs if c), "")
        if "当年金额" in cs:
            mode = "funds"
            continue
        if first in ("项目资金来源",):
            mode = "sources"
            continue
        if "项目活动" in cs and "金额" in cs:
            mode, amount_col = "detail", cs.index("金额")
            continue
        if "项目名称" in cs and ("项目本年度预算" in cs or "项目总预算" in cs) and form.kind == "整体":
            mode = "projects"
            continue
        if mode == "funds":
            if first in ("部门职能概述", "年度工作任务"):
                mode = None
                continue
            labels = [c for c in cs if c and not _NUMBER.match(c) and not _PERCENT.match(c)]
            nums = [c for c in cs if _NUMBER.match(c)]
            for c in labels:
                if c in ("收入构成", "支出构成"):
                    section = c
            label = next((c for c in labels if c not in ("收入构成", "支出构成")), None)
            if label and nums and section:
                form.amounts[f"{section}/{label}"] = dec(nums[0])  # type: ignore[assignment]
        elif mode == "projects":
            if first in ("整体绩效总目标",) or not any(_NUMBER.match(c) for c in cs):
                mode = None
                continue
            name = first
            nums = [c for c in cs if _NUMBER.match(c)]
            form.amounts[f"项目/{name}"] = dec(nums[-1])  # type: ignore[assignment]
        elif mode == "sources":
            if first.startswith("其中：使用上年度") or first.startswith("<") or "项目支出明细测算" in first:
                mode = None
                continue
            nums = [c for c in cs if _NUMBER.match(c)]
            if first and nums:
                form.amounts[f"资金来源/{first}"] = dec(nums[0])  # type: ignore[assignment]
        elif mode == "detail":
            if first in ("项目采购", "项目绩效总目标"):
                mode = None
                continue
            if amount_col is not None and amount_col < len(cs) and _NUMBER.match(cs[amount_col]):
                detail_total += dec(cs[amount_col]) or 0
                detail_rows += 1
    if detail_rows:
        form.amounts["支出明细测算合计"] = detail_total
    if form.kind == "整体" and form.budget is None:
        form.budget = form.amounts.get("支出构成/合计") or form.amounts.get("收入构成/合计")


def _indicators(rows: list[Line], loc) -> list[Indicator]:
    out: list[Indicator] = []
    header = None  # (l1, l2, l3, offsets{target, actual, score})
    mode = "annual"
    l1: tuple[str | None, Decimal | None] = (None, None)
    l2: tuple[str | None, Decimal | None] = (None, None)
    awaiting_sub = False
    for ln in rows:
        cs = _cells(ln)
        first = next((c for c in cs if c), "")
        if first.startswith(_STOP) and header is not None:
            header = None
            continue
        if "一级指标" in cs and any("三级指标" in c for c in cs):
            i1 = cs.index("一级指标")
            i2 = cs.index("二级指标") if "二级指标" in cs else i1 + 1
            i3 = next(i for i, c in enumerate(cs) if "三级指标" in c)
            offs: dict[str, int] = {}
            for i, c in enumerate(cs):
                if (
                    re.match(r"(年初目标值|年度指标值|目标值|指标值)", c)
                    and "target" not in offs
                    and "依据" not in c
                ):
                    offs["target"] = i - i3
                elif re.match(r"(实际完成值|年度完成值|完成值)", c):
                    offs["actual"] = i - i3
                elif c.startswith("得分"):
                    offs["score"] = i - i3
            header = (i1, i2, i3, offs)
            if cs[0].startswith("长期"):
                mode = "long"
            elif cs[0].startswith("年度"):
                mode = "annual"
            awaiting_sub = True
            l1, l2 = (None, None), (None, None)
            continue
        if first.startswith("长期"):
            mode = "long"
        elif first.startswith(("年度绩效", "年度目标")):
            mode = "annual"
        if cs and re.match(r"^(年度|长期)目标\d*[:：]", cs[0]):
            continue  # “年度目标1: …” introduces a group of indicators; it is not one
        if header is None:
            continue
        if awaiting_sub and cs and all(_SUBHEADER.search(c) for c in cs if c):
            for i, c in enumerate(cs):
                if "当年实现" in c:
                    header[3]["target"] = i - header[2]
            continue
        awaiting_sub = False
        i1, i2, i3, offs = header
        # position first; content when the converter shifted the cells
        name_at = None
        if i3 < len(cs) and cs[i3] and _level(cs[i3]) is None and not _is_value(cs[i3]):
            name_at = i3
            if i1 < len(cs) and cs[i1] and not cs[i1].startswith(("年度", "长期", "目标名称")):
                l1, l2 = (_strip_weight(cs[i1]), _weight(cs[i1])), (None, None)
            if i2 < len(cs) and cs[i2]:
                l2 = (_strip_weight(cs[i2]), _weight(cs[i2]))
        else:
            for i, c in enumerate(cs):
                if not c or (i == 0 and c.startswith(("年度", "长期", "目标名称"))):
                    continue
                lv = _level(c)
                if lv and lv[0] == 1:
                    l1, l2 = (lv[1], lv[2]), (None, None)
                elif lv:
                    l2 = (lv[1], lv[2])
                elif not _is_value(c):
                    name_at = i
                    break
                else:
                    break
        if name_at is None or mode == "long":
            continue

        def at(key: str, cs=cs, offs=offs, name_at=name_at) -> str | None:
            if key not in offs:
                return None
            j = name_at + offs[key]
            return (cs[j] or None) if 0 <= j < len(cs) else None

        score = at("score")
        nm, w = _strip_weight(cs[name_at]), _weight(cs[name_at])
        out.append(
            Indicator(
                level1=l1[0],
                level1_weight=l1[1],
                level2=l2[0],
                level2_weight=l2[1],
                name=nm,
                weight=w,
                target=at("target"),
                actual=at("actual"),
                score=dec(score) if score and _NUMBER.match(score) else None,
                location=loc(ln),
            )
        )
    return out


def _weight(c: str) -> Decimal | None:
    m = _WEIGHTED.match(c)
    return dec(m.group("w")) if m else None


def _strip_weight(c: str) -> str:
    m = _WEIGHTED.match(c)
    return m.group("n") if m else c


__all__ = ["parse_md_form"]
