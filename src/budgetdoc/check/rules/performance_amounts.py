"""The amounts on performance forms agree with each other, with the tables and with the narrative
(primer §7, §2.2 last line, §3 last line): PRF009–PRF014."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...model import Disclosure, Location, PerformanceForm
from ...recognise.performance_narrative import perf_statements
from ...recognise.text import compact
from ..findings import Finding
from ..rule import Rule
from ..tolerance import classify, convert
from .performance_common import ZERO, form_label, money, norm_name, similarity


def _near(a: Decimal | None, b: Decimal | None, n: int = 1) -> bool:
    """Equal up to rounding residue of ``n`` printed terms."""
    return a is not None and b is not None and classify(a - b, n) in (None, "residue")


def _projects(doc: Disclosure) -> list[PerformanceForm]:
    return [f for f in doc.performance if f.kind == "项目"]


def _whole(doc: Disclosure) -> list[PerformanceForm]:
    return [f for f in doc.performance if f.kind == "整体"]


def _sum(vals: list[Decimal | None]) -> Decimal | None:
    if not vals or any(v is None for v in vals):
        return None
    return sum(vals, ZERO)  # type: ignore[arg-type]


def _table_value(doc: Disclosure, key: str, row: str, column: str, part: str | None = None) -> Decimal | None:
    t = doc.table(key)
    if t is None:
        return None
    v = t.value(row, column, part)
    return None if v is None else convert(v, t.unit)  # in 万元, as the forms print their amounts


class FormAmounts(Rule):
    """A form's own amounts add up: 基本支出总额 + 项目支出总额 = 预算数（或执行数）; 收入/支出构成各项之和 =
    合计; 项目资金来源 合计 = 项目当年预算; 支出明细测算之和 = 项目当年预算.

    Bad (seed 000): 基本支出总额 838.38 + 项目支出总额 398.36 = 1,236.74 against 预算数 2,305.94.
    Good: 1,261.09 + 326.65 = 1,587.74 = 预算数.
    """

    id = "PRF009"
    name = "form-amounts"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        projects = _projects(doc)
        for f in doc.performance:
            if f.kind == "整体" and f.stage == "自评":
                yield from self._split(doc, f, projects)
            if f.stage == "目标":
                yield from self._budget_parts(f)

    def _split(
        self, doc: Disclosure, f: PerformanceForm, projects: list[PerformanceForm]
    ) -> Iterator[Finding]:
        basic, proj = f.amounts.get("基本支出总额"), f.amounts.get("项目支出总额")
        if basic is None or proj is None or f.budget is None:
            return
        total = basic + proj
        split_ok = _near(total, f.budget, 2) or _near(total, f.actual, 2)
        pa = _sum([p.budget for p in projects]) if projects else None
        pb = _sum([p.actual for p in projects]) if projects else None
        proj_ok = not projects or _near(proj, pa, len(projects)) or _near(proj, pb, len(projects))
        if split_ok and proj_ok:
            return
        msg = f"{form_label(f)}："
        if not split_ok:
            msg += (
                f"基本支出总额 {money(basic)} ＋ 项目支出总额 {money(proj)} = {money(total)}，与预算数（A）"
                f"{money(f.budget)}、执行数（B）{money(f.actual)} 均不符"
            )
        if not proj_ok:
            msg += ("；" if not split_ok else "") + (
                f"项目支出总额 {money(proj)} 与各项目绩效自评表预算数合计 {money(pa)}、执行数合计 {money(pb)} 均不符"
            )
        yield self.finding(
            msg,
            f.location,
            severity="error" if not split_ok else "warning",
            expected=money(f.budget) if not split_ok else money(pa),
            actual=money(total if not split_ok else proj),
        )

    def _budget_parts(self, f: PerformanceForm) -> Iterator[Finding]:
        for section in ("收入构成", "支出构成"):
            total = f.amounts.get(f"{section}/合计")
            parts = {
                k.split("/", 1)[1]: v
                for k, v in f.amounts.items()
                if k.startswith(section + "/") and not k.endswith("/合计")
            }
            if total is None or not parts:
                continue
            s = sum(parts.values(), ZERO)
            kind = classify(total - s, len(parts))
            if kind:
                yield self.finding(
                    f"{form_label(f)}：{section}合计 {money(total)} 与各项之和 "
                    f"{' ＋ '.join(f'{k} {money(v)}' for k, v in parts.items())} = {money(s)} 不符",
                    f.location,
                    severity="info" if kind == "residue" else "error",
                    expected=money(s),
                    actual=money(total),
                )
        if f.kind == "项目" and f.budget is not None:
            src = f.amounts.get("资金来源/合计")
            if src is not None and not _near(src, f.budget):
                yield self.finding(
                    f"{form_label(f)}：项目资金来源合计 {money(src)} 与项目当年预算 {money(f.budget)} 不符",
                    f.location,
                    expected=money(f.budget),
                    actual=money(src),
                )
            detail = f.amounts.get("支出明细测算合计")
            if detail is not None and classify(detail - f.budget, 8) == "real":
                yield self.finding(
                    f"{form_label(f)}：项目支出明细测算金额之和 {money(detail)} 与项目当年预算 {money(f.budget)} 不符",
                    f.location,
                    severity="warning",
                    expected=money(f.budget),
                    actual=money(detail),
                )


class FormsVsTables(Rule):
    """Form amounts match the tables: 决算 — 整体表执行数 = 财政拨款支出合计 (T5/T4 合计, or T3); Σ 项目表执行数
    = T5 合计 项目支出 (warning: a unit may publish forms for some projects only); 预算 — 整体表 合计 = 支出总表
    合计; Σ 项目表 预算 = 支出总表 项目支出 (warning); a project's budget = its 项目支出表 row.

    Bad: 整体表执行数 1,500.00 while T5 合计 is 1,466.86. Good: 1,466.86.
    """

    id = "PRF010"
    name = "form-vs-tables"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        if not doc.tables:
            return
        if doc.identity.kind == "预算":
            yield from self._budget(doc)
        else:
            yield from self._final(doc)

    def _final(self, doc: Disclosure) -> Iterator[Finding]:
        t5 = _table_value(doc, "T5", "合计", "total")
        cands = {
            "T5 合计": t5,
            "T4 本年支出合计": _table_value(doc, "T4", "本年支出合计", "total", "支出"),
            "T3 合计": _table_value(doc, "T3", "合计", "total"),
        }
        known = {k: v for k, v in cands.items() if v is not None}
        for f in _whole(doc):
            if f.actual is None or not known:
                continue
            if any(_near(f.actual, v) for v in known.values()):
                continue
            yield self.finding(
                f"{form_label(f)}：执行数（B）{money(f.actual)} 与报表支出合计不符（"
                + "、".join(f"{k} {money(v)}" for k, v in known.items())
                + "）",
                f.location,
                expected=money(next(iter(known.values()))),
                actual=money(f.actual),
            )
        projects = _projects(doc)
        pb = _sum([p.actual for p in projects])
        t5p = _table_value(doc, "T5", "合计", "project")
        t3p = _table_value(doc, "T3", "合计", "project")
        ref = [v for v in (t5p, t3p) if v is not None]
        if projects and pb is not None and ref and not any(_near(pb, v, len(projects)) for v in ref):
            yield self.finding(
                f"各项目绩效自评表执行数合计 {money(pb)}（{len(projects)} 个项目）与 T5 合计 项目支出 {money(t5p)}"
                + (f"、T3 合计 项目支出 {money(t3p)}" if t3p is not None else "")
                + " 不符",
                projects[0].location,
                severity="warning",
                expected=money(ref[0]),
                actual=money(pb),
            )

    def _budget(self, doc: Disclosure) -> Iterator[Finding]:
        total = _table_value(doc, "B3", "合计", "total")
        for f in _whole(doc):
            if f.budget is not None and total is not None and not _near(f.budget, total):
                yield self.finding(
                    f"{form_label(f)}：资金合计 {money(f.budget)} 与 B3 支出总表 合计 {money(total)} 不符",
                    f.location,
                    expected=money(total),
                    actual=money(f.budget),
                )
        projects = _projects(doc)
        pa = _sum([p.budget for p in projects])
        b3p = _table_value(doc, "B3", "合计", "project")
        if projects and pa is not None and b3p is not None and not _near(pa, b3p, len(projects)):
            yield self.finding(
                f"各项目支出绩效目标表预算合计 {money(pa)}（{len(projects)} 个项目）与 B3 支出总表 项目支出 {money(b3p)} 不符",
                projects[0].location,
                severity="warning",
                expected=money(b3p),
                actual=money(pa),
            )
        b10 = doc.table("B10")
        if b10 is None:
            return
        for p in projects:
            if p.budget is None:
                continue
            row = next((r for r in b10.rows if r.name and norm_name(r.name) == norm_name(p.name)), None)
            v = row.value("total") if row else None
            v = None if v is None else convert(v, b10.unit)  # in 万元, as the forms print their amounts
            if v is not None and not _near(v, p.budget):
                yield self.finding(
                    f"{form_label(p)}：项目当年预算 {money(p.budget)} 与 项目支出表 “{row.name}” {money(v)} 不符",
                    p.location,
                    expected=money(v),
                    actual=money(p.budget),
                    related=[row.location],
                )


class WholeVsProjects(Rule):
    """The whole-unit target form names the same projects and amounts as the project forms, and its
    特定目标类项目支出 equals the sum of the project forms.

    Bad (seed 002): 整体表 项目支出情况 lists 日常系统运行经费 292.69; its own form says 163.42.
    Good: the same name with the same amount in both.
    """

    id = "PRF011"
    name = "overall-vs-projects"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        projects = [p for p in _projects(doc) if p.stage == "目标"]
        if not projects:
            return
        for f in _whole(doc):
            if f.stage != "目标":
                continue
            listed = {k.split("/", 1)[1]: v for k, v in f.amounts.items() if k.startswith("项目/")}
            for name, v in listed.items():
                match = next((p for p in projects if norm_name(p.name) == norm_name(name)), None)
                if match is not None and match.budget is not None and not _near(v, match.budget):
                    yield self.finding(
                        f"{form_label(f)}：项目支出情况中“{name}” {money(v)} 与 {form_label(match)} 项目当年预算 "
                        f"{money(match.budget)} 不符",
                        f.location,
                        expected=money(match.budget),
                        actual=money(v),
                        related=[match.location],
                    )
            if listed:
                names = {norm_name(n) for n in listed}
                missing = [p for p in projects if norm_name(p.name) not in names]
                if missing:
                    yield self.finding(
                        f"{form_label(f)}：项目支出情况未列出 "
                        + "、".join(f"“{p.name}”（{money(p.budget)}）" for p in missing),
                        f.location,
                        severity="warning",
                    )
            special = f.amounts.get("支出构成/特定目标类项目支出")
            pa = _sum([p.budget for p in projects])
            if special is not None and pa is not None and not _near(special, pa, len(projects)):
                yield self.finding(
                    f"{form_label(f)}：特定目标类项目支出 {money(special)} 与各项目支出绩效目标表预算合计 {money(pa)} 不符",
                    f.location,
                    severity="warning",
                    expected=money(pa),
                    actual=money(special),
                )


class FormsVsNarrative(Rule):
    """The narrative (十三、预算绩效情况说明) restates the forms: each project's 全年预算数/执行数, the money of the
    整体 evaluation, the money and count of the project evaluations; the 整体表 预算数 against the narrative's
    年初预算 (a warning: 预算数 is the adjusted budget incl. carry-over and may legitimately differ).

    The warning is not given where the narrative states the adjustment (“整体支出绩效自评表预算数为调整后预算
    1,587.74万元（年初预算1,614.07万元，…）”); that statement is then checked against the form.

    Bad (seed 000): “开展整体支出绩效自评，资金636.18万元” while the 整体表 says 预算数 2,305.94 / 执行数 1,466.86.
    Good (seed 001): “资金1,587.74万元” = 执行数 1,587.74.
    """

    id = "PRF012"
    name = "form-vs-narrative"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        if not doc.performance or not doc.lines():
            return
        stmts = perf_statements(doc.lines(), doc.source)
        projects = [p for p in _projects(doc) if p.stage == "自评"]
        whole = [f for f in _whole(doc) if f.stage == "自评"]
        proj_stmts = [s for s in stmts if s.kind == "project"]
        for s, p in _match(proj_stmts, projects):
            for role, mine, label in (("budget", p.budget, "预算数"), ("actual", p.actual, "执行数")):
                v = s.values.get(role)
                if v is None or mine is None or _near(v, mine):
                    continue
                yield self.finding(
                    f"情况说明称“{s.name}”全年{label} {money(v)}，{form_label(p)} 为 {money(mine)}",
                    s.location,
                    expected=money(mine),
                    actual=money(v),
                    related=[p.location],
                )
        for s in stmts:
            if s.kind == "whole" and whole:
                f = whole[0]
                v = s.values["amount"]
                if f.budget is None and f.actual is None or _near(v, f.budget) or _near(v, f.actual):
                    continue
                yield self.finding(
                    f"情况说明称整体支出绩效自评涉及资金 {money(v)}，与{form_label(f)}预算数（A）{money(f.budget)}、"
                    f"执行数（B）{money(f.actual)} 均不符",
                    s.location,
                    expected=money(f.actual),
                    actual=money(v),
                    related=[f.location],
                )
            elif s.kind == "projects" and projects:
                yield from self._projects_total(doc, s, projects)
            elif s.kind == "adjusted" and whole and whole[0].budget is not None:
                f = whole[0]
                v = s.values.get("budget")
                if v is not None and not _near(v, f.budget):
                    yield self.finding(
                        f"情况说明称整体支出绩效自评表预算数为调整后预算 {money(v)}，{form_label(f)}预算数（A）为 "
                        f"{money(f.budget)}",
                        s.location,
                        expected=money(f.budget),
                        actual=money(v),
                        related=[f.location],
                    )
            elif s.kind == "initial" and whole and whole[0].budget is not None:
                f = whole[0]
                v = s.values.get("budget")
                explained = any(  # the document says the 预算数 is the adjusted budget, from this 年初预算
                    a.kind == "adjusted" and _near(a.values.get("budget"), f.budget)
                    and _near(a.values.get("initial"), v) for a in stmts
                )
                if v is not None and not explained and not _near(v, f.budget):
                    yield self.finding(
                        f"{form_label(f)}预算数（A）{money(f.budget)} 与情况说明的年初预算 {money(v)} 不同"
                        "（预算数应为调整后预算，含上年结转；请核实调整依据）",
                        f.location,
                        severity="warning",
                        expected=money(v),
                        actual=money(f.budget),
                        related=[s.location],
                    )

    def _projects_total(self, doc: Disclosure, s, projects: list[PerformanceForm]) -> Iterator[Finding]:
        v = s.values["amount"]
        pa = _sum([p.budget for p in projects])
        pb = _sum([p.actual for p in projects])
        n = len(projects)
        count = s.values.get("count")
        if count is not None and int(count) != n:
            yield self.finding(
                f"情况说明称开展绩效自评的项目 {int(count)} 个，附件中项目绩效自评表 {n} 张",
                s.location,
                severity="warning",
                expected=str(n),
                actual=str(int(count)),
            )
        if _near(v, pa, n) or _near(v, pb, n):
            return
        t5p = _table_value(doc, "T5", "合计", "project")
        if t5p is not None and _near(v, t5p):
            return
        severity = "error" if t5p is not None and v > t5p else "warning"
        yield self.finding(
            f"情况说明称项目支出绩效自评涉及资金 {money(v)}，与各项目绩效自评表预算数合计 {money(pa)}、"
            f"执行数合计 {money(pb)} 均不符"
            + (f"，且超过 T5 项目支出 {money(t5p)}" if severity == "error" else ""),
            s.location,
            severity=severity,
            expected=money(pb),
            actual=money(v),
        )


def _match(stmts: list, projects: list[PerformanceForm]) -> list[tuple]:
    """Statements paired with forms by name (bigram similarity ≥ 0.5), or one with one."""
    if len(stmts) == 1 and len(projects) == 1:
        return [(stmts[0], projects[0])]
    out = []
    used: set[int] = set()
    for s in stmts:
        best = max(
            ((similarity(s.name, p.name), i) for i, p in enumerate(projects) if i not in used), default=None
        )
        if best and best[0] >= 0.5:
            used.add(best[1])
            out.append((s, projects[best[1]]))
    return out


class FormPublisher(Rule):
    """The unit named on a form is the document's publisher.

    Bad: a 武汉市黄陂区… document whose form says 单位名称 武汉市黄浦区…. Good: the same name (a form may name
    the unit without its parent department).
    """

    id = "PRF013"
    name = "form-unit-name"
    category = "performance"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        pub = compact(doc.identity.publisher or "")
        if not pub:
            return
        for f in doc.performance:
            mine = compact(f.publisher or "")
            if not mine or mine in pub or pub in mine:
                continue
            yield self.finding(
                f"{form_label(f)}：单位名称“{f.publisher}”与文件的单位“{doc.identity.publisher}”不一致",
                f.location,
                expected=doc.identity.publisher,
                actual=f.publisher,
            )


class FormRecognised(Rule):
    """A performance form is read completely: its 预算数, and in a self-evaluation its indicators.

    Reported as a warning so that a form the reader could not parse is not silently unchecked.
    Bad: a 项目自评表 whose 预算执行情况 row could not be read (no 预算数). Good: 预算数, 执行数 and the
    indicators all read.
    """

    id = "PRF014"
    name = "form-incomplete"
    category = "performance"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in doc.performance:
            missing = []
            if f.budget is None:
                missing.append("预算数")
            if f.stage == "自评" and f.actual is None:
                missing.append("执行数")
            if not f.indicators:
                missing.append("绩效指标")
            if missing:
                yield self.finding(
                    f"{form_label(f)}：未能识别{'、'.join(missing)}，相关核对未进行",
                    f.location if f.location.line else Location(file=doc.source),
                )
