"""Project amounts named in the narrative agree with the project table and the project forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from difflib import SequenceMatcher

from ...model import Disclosure, Statement
from ..findings import Finding
from ..rule import Rule
from ..tolerance import envelope
from ..util import amount

_NOISE = re.compile(r"20\d\d年度?|项目|经费|工作|资金|支出|[（）()“”\"'、，。：:\s]")
MIN_COMMON = 4  # characters a narrative subject and a project name must share to be the same project


def _core(name: str) -> str:
    return _NOISE.sub("", name)


def _same_project(subject: str, name: str) -> bool:
    a, b = _core(subject), _core(name)
    if len(a) < MIN_COMMON or len(b) < MIN_COMMON:
        return False
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= MIN_COMMON and m.size >= 0.6 * min(len(a), len(b))


def _projects(doc: Disclosure) -> list[tuple[str, list[Decimal], str]]:
    """(project name, amounts it may be stated with, where they are printed)."""
    out: list[tuple[str, list[Decimal], str]] = []
    for f in doc.performance:
        if f.kind == "项目":
            values = [v for v in (f.budget, f.actual) if v is not None]
            if values:
                out.append((f.name, values, f"项目绩效{'目标' if f.stage == '目标' else '自评'}表《{f.name}》"))
    t = doc.table("B10")
    if t is not None:
        for r in t.rows:
            v = r.value("total")
            if v is not None and r.key != "合计":
                out.append((r.name or r.key, [v], f"项目支出表「{r.name or r.key}」"))
    return out


class ProjectAmount(Rule):
    """An amount the narrative gives for a named project is that project's amount in the project table
    (预算: 项目支出表) or on its performance form (预算数 A or 执行数 B) (primer §3, §6, §7).

    Bad:  “项目支出主要用于人社信息系统化建设 454.42 万元” while the project's self-evaluation form
          prints 预算数 1,069.20 and 执行数 444.42.
    Good: “…人社信息系统化建设 444.42 万元”.
    Only amounts whose subject clearly names one project (a shared name of four or more characters) are
    compared, and only when the amount matches none of that project's printed amounts.
    """

    id = "NAR012"
    name = "project-amount"
    category = "narrative"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        projects = _projects(doc)
        if not projects:
            return
        for st in doc.narrative:
            if st.kind != "amount" or "amount" not in st.values or st.refs.get("amount"):
                continue
            yield from self._check(st, projects)

    def _check(self, st: Statement, projects: list) -> Iterator[Finding]:
        stated = st.values["amount"]
        matches = [p for p in projects if _same_project(st.subject, p[0])]
        if not matches:
            return
        if any(abs(stated - v) <= envelope(1) or abs(stated - v / 10000) <= envelope(1)
               for _, values, _ in matches for v in values):
            return  # (v ÷ 10,000: a Shanghai 绩效目标申报表 prints 元, the narrative 万元)
        _, values, where = matches[0]
        printed = "、".join(amount(v) for v in values)
        yield self.finding(
            f"说明中“{st.subject}”为 {amount(stated)} 万元，{where}为 {printed} 万元",
            st.location,
            expected=printed,
            actual=stated,
        )
