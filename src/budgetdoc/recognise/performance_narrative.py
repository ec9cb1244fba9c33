"""What the narrative says about the performance forms (十三、预算绩效情况说明 and the execution section).

Read from the document's lines (joined without whitespace, so wrapped numbers and words rejoin):

- ``project``: “1.人社系统信息化建设项目绩效自评综述：项目全年预算数为1,069.2万元，执行数为444.42万元，
  完成预算的41.6%” → name, budget, actual, percent;
- ``whole``: “我单位组织对1个单位开展整体支出绩效自评，资金1,587.74万元” → amount;
- ``projects``: “对2023年度一般公共预算项目支出全面开展绩效自评，共涉及项目2个，资金636.18万元” →
  count, amount;
- ``initial``: “一般公共预算财政拨款支出年初预算为2,305.94万元，支出决算为1,466.86万元” → budget, actual;
- ``adjusted``: “整体支出绩效自评表预算数为调整后预算1,587.74万元（年初预算1,614.07万元，…）” → budget,
  initial (the document states why the form's 预算数 is not the 年初预算).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Location
from .performance_text import dec
from .text import compact

N = r"(\d[\d,]*(?:\.\d+)?)"
_PATTERNS = {
    "project": re.compile(
        rf"(?P<name>[\u4e00-\u9fff“”（）()\w]{{2,40}}?)绩效自评综述[:：]项目全年预算数为{N}万元[，,]?执行数为{N}万元"
        rf"(?:[，,]?完成预算的{N}%)?"
    ),
    "whole": re.compile(rf"开展整体支出绩效自评[，,]?(?:共涉及)?资金{N}万元"),
    "projects": re.compile(rf"项目支出全面开展绩效自评[，,]?共涉及(?:项目{N}个[，,]?)?资金{N}万元"),
    "initial": re.compile(rf"一般公共预算财政拨款支出年初预算为{N}万元[，,]?支出决算为{N}万元"),
    "adjusted": re.compile(rf"预算数为调整后预算{N}万元[（(，,]年初预算(?:为)?{N}万元"),
}
_ROLES = {
    "project": ("name", "budget", "actual", "percent"),
    "whole": ("amount",),
    "projects": ("count", "amount"),
    "initial": ("budget", "actual"),
    "adjusted": ("budget", "initial"),
}


@dataclass
class PerfStatement:
    kind: str
    name: str = ""
    values: dict[str, Decimal] = field(default_factory=dict)
    text: str = ""
    location: Location = field(default_factory=Location)


def perf_statements(lines: list, path: str | None = None) -> list[PerfStatement]:
    joined, starts = "", []
    for ln in lines:
        t = compact(ln.text)
        if not t:
            continue
        starts.append((len(joined), ln))
        joined += t
    out: list[PerfStatement] = []
    for kind, pat in _PATTERNS.items():
        for m in pat.finditer(joined):
            ln = _line_at(starts, m.start("name") if kind == "project" else m.start())
            st = PerfStatement(
                kind=kind,
                text=m.group(0),
                location=Location(
                    file=path,
                    page=ln.page if ln else None,
                    line=ln.number if ln else None,
                    bbox=ln.bbox if ln else None,
                ),
            )
            for role, g in zip(_ROLES[kind], m.groups(), strict=False):
                if g is None:
                    continue
                if role == "name":
                    st.name = re.sub(r"^\d+[.、]", "", g)
                else:
                    v = dec(g)
                    if v is not None:
                        st.values[role] = v
            if kind == "initial" and any(s.kind == "initial" for s in out):
                continue  # the first statement is the total; later ones are per class
            out.append(st)
    out.sort(key=lambda s: s.location.line or 0)
    return out


def _line_at(starts: list, pos: int):
    found = None
    for off, ln in starts:
        if off > pos:
            break
        found = ln
    return found


__all__ = ["PerfStatement", "perf_statements"]
