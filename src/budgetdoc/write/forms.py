"""Performance forms computed, not typed (primer §7): the execution rate and score from 预算数 A and
执行数 B, each quantitative indicator's score from its target and actual by the region's rule (正向 权重 ×
B/A, 反向 权重 × A/B, never above the weight), a qualitative indicator met as targeted at its full weight,
the total score, the level weights from the weights under them, the totals of a target form's amounts and
its list of projects (from the project forms), and a whole-unit self-evaluation's 基本/项目支出总额 from
the 一般公共预算 table.

What the data gives and the rules decide must agree: a score over its weight (WRT006), weights that do
not add up (WRT007), a typed value that differs from the computed one (WRT008), a qualitative score outside
its tier or missing (WRT009), a whole-unit 预算数 other than the 年初预算 of 文档信息 (WRT010, a warning: the
adjusted budget may legitimately differ) — each a finding naming the cell of the 绩效表 / 绩效指标 / 绩效金额
sheets.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..check.findings import Finding
from ..check.rules.performance_common import Params, comparable, form_label, is_negative, num, params_for
from ..check.tolerance import classify
from ..model import Disclosure, Indicator, Location, PerformanceForm
from ._num import quantize
from .data import WriteData

ZERO, CENT, HUNDRED = Decimal(0), Decimal("0.01"), Decimal(100)
_FAIL = re.compile(r"未达成|未完成|未实现|未达到")
_PART = re.compile(r"部分达成|部分完成|部分实现|基本")


def r2(v: Decimal) -> Decimal:
    return quantize(v, CENT, ROUND_HALF_UP)


def r1(v: Decimal) -> Decimal:
    return quantize(v, Decimal("0.1"), ROUND_HALF_UP)


class FormComputer:
    """Computes every form of ``data`` against the computed tables ``doc``; ``findings`` on the data,
    ``derived`` the (sheet, form, indicator or amount key, field) cells it computed."""

    def __init__(self, data: WriteData, doc: Disclosure) -> None:
        self.data, self.doc = data, doc
        self.findings: list[Finding] = []
        self.derived: set[tuple] = set()

    def ref(self, *key: object) -> str:
        return self.data.form_refs.get(tuple(key), "")

    def finding(self, rule: str, message: str, ref: str, expected: str | None = None,
                actual: str | None = None, severity: str = "error") -> None:
        self.findings.append(Finding(rule=rule, name="write-data", category="data", severity=severity,
                                     message=f"{ref + '：' if ref else ''}{message}",
                                     location=Location(file=self.data.source, table=ref.split("!")[0] or None),
                                     expected=expected, actual=actual))

    def agree(self, given: Decimal | None, computed: Decimal, what: str, ref: str, tolerance: Decimal = ZERO,
              key: tuple = (), basis: str = "按计分规则计算") -> Decimal:
        """The computed value; a given one that differs beyond ``tolerance`` is WRT008."""
        if key:
            self.derived.add(key)
        if given is not None and abs(given - computed) > tolerance:
            self.finding("WRT008", f"{what}填为 {num(given)}，{basis}应为 {num(computed)}", ref,
                         expected=num(computed), actual=num(given))
        return computed

    # ---------------------------------------------------------------- the forms
    def run(self) -> list[PerformanceForm]:
        forms = [f.model_copy(deep=True) for f in self.data.doc.performance]
        for i, f in enumerate(forms):
            if f.stage == "自评":
                self.self_evaluation(i, f)
            else:
                self.target_amounts(i, f, forms)
            self.weights(i, f)
        return forms

    def params(self, f: PerformanceForm) -> Params:
        probe = Disclosure(source=self.data.source, identity=self.doc.identity)
        return params_for(probe, f)

    def self_evaluation(self, i: int, f: PerformanceForm) -> None:
        p = self.params(f)
        w = f.execution_weight if f.execution_weight is not None else p.execution_weight
        f.execution_weight = w
        if f.budget and f.actual is not None:
            rate = f.actual / f.budget * HUNDRED
            printed = r1(rate)
            if f.rate is not None and abs(f.rate - rate) > max(Decimal(1).scaleb(f.rate.as_tuple().exponent), CENT):  # type: ignore[arg-type]
                self.finding("WRT008", f"执行率填为 {num(f.rate)}%，执行数 {num(f.actual)} ÷ 预算数 {num(f.budget)} = "
                             f"{num(printed)}%", self.ref("form", i, "rate"), f"{num(printed)}%", f"{num(f.rate)}%")
            self.derived.add(("form", i, "rate"))
            f.rate = printed
            score = r2(min(w, w * f.actual / f.budget))
            if f.execution_score is not None and f.execution_score > w:
                self.over(f"预算执行得分 {num(f.execution_score)} 超过其权重 {num(w)}", self.ref("form", i, "score"), w,
                          f.execution_score)
            else:
                self.agree(f.execution_score, score, "预算执行得分", self.ref("form", i, "score"), CENT,
                           ("form", i, "score"))
            f.execution_score = score
        elif f.execution_score is not None and f.execution_score > w:
            self.over(f"预算执行得分 {num(f.execution_score)} 超过其权重 {num(w)}", self.ref("form", i, "score"), w,
                      f.execution_score)
        for j, ind in enumerate(f.indicators):
            self.indicator(i, j, f, ind, p)
        if f.kind == "整体" and self.doc.identity.kind == "决算":
            self.whole_split(i, f)
            initial = self.data.money("initial_budget")
            if initial is not None and f.budget is not None and initial != f.budget:
                self.finding("WRT010", f"整体绩效自评表预算数（A）{f.budget:,.2f} 与文档信息“年初预算” {initial:,.2f}"
                             f"（{self.data.info_refs.get('initial_budget', '文档信息')}）不同：预算数应为调整后预算（含上年结转），"
                             "请核实调整依据", self.ref("form", i, "budget"), num(initial), num(f.budget),
                             severity="warning")
        scores = [ind.score for ind in f.indicators]
        if f.indicators and all(s is not None for s in scores):
            total = sum(scores, ZERO) + (f.execution_score or ZERO)  # type: ignore[arg-type]
            given = f.total_score
            self.derived.add(("form", i, "total"))
            if given is not None and classify(given - total, len(scores) + 1) == "real":
                self.finding("WRT008", f"总分填为 {num(given)}，预算执行得分 {num(f.execution_score)} ＋ 指标得分合计 "
                             f"{num(sum(scores, ZERO))} = {num(total)}",  # type: ignore[arg-type]
                             self.ref("form", i, "total"), num(total), num(given))
            f.total_score = total

    def over(self, message: str, ref: str, weight: Decimal, score: Decimal) -> None:
        self.finding("WRT006", message + "（得分不得超过权重）", ref, f"≤{num(weight)}", num(score))

    def indicator(self, i: int, j: int, f: PerformanceForm, ind: Indicator, p: Params) -> None:
        ref = self.ref("indicator", i, j, "score")
        label = f"{form_label(f)}指标“{ind.name}”"
        if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
            self.over(f"{label}得分 {num(ind.score)} 超过其权重 {num(ind.weight)}", ref, ind.weight, ind.score)
            return
        if ind.weight is None:
            return
        pair = comparable(ind)
        if pair is not None:
            t, a = pair
            if is_negative(t):
                expected = ind.weight if a.value == 0 else ind.weight * t.value / a.value
            elif t.value:
                expected = ind.weight * a.value / t.value
            else:
                return
            ind.score = self.agree(ind.score, r2(min(ind.weight, expected)), f"{label}得分", ref, CENT,
                                   ("indicator", i, j, "score"))
            return
        actual, target = (re.sub(r"\s+", "", x or "") for x in (ind.actual, ind.target))
        if ind.score is None:
            if actual and actual == target:
                self.derived.add(("indicator", i, j, "score"))
                ind.score = ind.weight  # met as targeted: the top of the 达成 tier
            elif actual:
                self.finding("WRT009", f"{label}为定性指标，实际完成值“{ind.actual}”与目标值“{ind.target}”不同，"
                             f"得分须按档（{p.basis}：达成 {num(p.tiers[0][0])}-{num(p.tiers[0][1])}%、部分达成 "
                             f"{num(p.tiers[1][0])}-{num(p.tiers[1][1])}%、未达成 {num(p.tiers[2][0])}-0%）填写", ref)
            return
        tier = 2 if _FAIL.search(actual) else 1 if _PART.search(actual) else None
        if tier is None:
            self.weaker(label, ind, actual, target, p, ref)
            return
        hi, lo = p.tiers[tier]
        share = ind.score / ind.weight * HUNDRED if ind.weight else ZERO
        if share > hi or (tier < 2 and share < lo):
            self.finding("WRT009", f"{label}实际完成值“{ind.actual}”，得分 {num(ind.score)} 为权重 {num(ind.weight)} 的 "
                         f"{share:.1f}%，不在该档 {num(hi)}-{num(lo)}% 区间内（{p.basis}）", ref,
                         f"{num(lo * ind.weight / HUNDRED)}-{num(hi * ind.weight / HUNDRED)}", num(ind.score))

    def weaker(self, label: str, ind: Indicator, actual: str, target: str, p: Params, ref: str) -> None:
        """A score in the 达成 tier for an actual weaker than its target (目标“有效提升”、实际“提升”), or one
        below it for an actual equal to its target: said (a warning, as the checker's PRF004 says it)."""
        if ind.score is None or not ind.weight:
            return
        share = ind.score / ind.weight * HUNDRED
        hi, lo = p.tiers[0]
        if actual and target and actual != target and actual in target and share >= lo:
            self.finding("WRT009", f"{label}实际完成值“{ind.actual}”未达到目标值“{ind.target}”，得分 {num(ind.score)} 却为"
                         f"权重 {num(ind.weight)} 的 {share:.1f}%（“达成”档 {num(hi)}-{num(lo)}%）；部分达成应按 "
                         f"{num(p.tiers[1][0])}-{num(p.tiers[1][1])}% 计分", ref,
                         f"<{num(lo * ind.weight / HUNDRED)}", num(ind.score), severity="warning")
        elif actual and actual == target and share < lo:
            self.finding("WRT009", f"{label}实际完成值与目标值相同（“{ind.actual}”），得分 {num(ind.score)} 却低于“达成”档"
                         f"下限 {num(lo)}%", ref, f"≥{num(lo * ind.weight / HUNDRED)}", num(ind.score),
                         severity="warning")

    def whole_split(self, i: int, f: PerformanceForm) -> None:
        t = self.doc.table("T5")
        if t is None:
            return
        for key, col in (("基本支出总额", "basic"), ("项目支出总额", "project")):
            v = t.value("合计", col)
            if v is None:
                continue
            f.amounts[key] = self.agree(f.amounts.get(key), v, key, self.ref("amount", i, key), CENT,
                                        ("amount", i, key), f"由{t.title or 'T5'}合计行计算")

    # ---------------------------------------------------------------- weights
    def weights(self, i: int, f: PerformanceForm) -> None:
        inds = f.indicators
        if not inds or all(x.weight is None and x.level1_weight is None and x.level2_weight is None for x in inds):
            return
        groups: list[tuple[int, list[int]]] = []  # level-1 groups of indicator indexes
        for j, x in enumerate(inds):
            if not groups or (inds[groups[-1][0]].level1, inds[groups[-1][0]].level1_weight) != (x.level1, x.level1_weight):
                groups.append((j, []))
            groups[-1][1].append(j)
        level1: list[Decimal | None] = []
        for first, members in groups:
            subs: list[list[int]] = []
            for j in members:
                if not subs or (inds[subs[-1][0]].level2, inds[subs[-1][0]].level2_weight) != (inds[j].level2,
                                                                                               inds[j].level2_weight):
                    subs.append([])
                subs[-1].append(j)
            w2s: list[Decimal | None] = []
            for sub in subs:
                ws = [inds[j].weight for j in sub]
                w2 = inds[sub[0]].level2_weight
                if all(w is not None for w in ws) and inds[sub[0]].level2:
                    s = sum(ws, ZERO)  # type: ignore[arg-type]
                    self.derived.add(("indicator", i, sub[0], "w2"))
                    if w2 is not None and w2 != s:
                        self.finding("WRT007", f"{form_label(f)}二级指标“{inds[sub[0]].level2}”权重 {num(w2)} 与其下三级指标"
                                     f"权重之和 {' + '.join(num(w) for w in ws)} = {num(s)} 不符",  # type: ignore[arg-type]
                                     self.ref("indicator", i, sub[0], "w2"), num(s), num(w2))
                    w2 = s
                    for j in sub:
                        inds[j].level2_weight = s
                w2s.append(w2)
            w1 = inds[first].level1_weight
            if all(w is not None for w in w2s) and inds[first].level1:
                s = sum(w2s, ZERO)  # type: ignore[arg-type]
                self.derived.add(("indicator", i, first, "w1"))
                if w1 is not None and w1 != s:
                    self.finding("WRT007", f"{form_label(f)}一级指标“{inds[first].level1}”权重 {num(w1)} 与其下二级指标权重之和 "
                                 f"{' + '.join(num(w) for w in w2s)} = {num(s)} 不符",  # type: ignore[arg-type]
                                 self.ref("indicator", i, first, "w1"), num(s), num(w1))
                w1 = s
                for j in members:
                    inds[j].level1_weight = s
            level1.append(w1)
        if f.stage != "自评" or any(w is None for w in level1):
            return
        p = self.params(f)
        ew = f.execution_weight if f.execution_weight is not None else p.execution_weight
        total = sum(level1, ZERO)  # type: ignore[arg-type]
        if total + ew != HUNDRED:
            self.finding("WRT007", f"{form_label(f)}指标权重合计 {num(total)}，加预算执行权重 {num(ew)} 为 {num(total + ew)}，"
                         f"应为 100（{p.basis}）", self.ref("indicator", i, 0, "w1") or self.ref("form", i, "weight"),
                         num(HUNDRED - ew), num(total))

    # ---------------------------------------------------------------- target forms (预算)
    def target_amounts(self, i: int, f: PerformanceForm, forms: list[PerformanceForm]) -> None:
        for section in ("收入构成", "支出构成", "资金来源"):
            parts = {k: v for k, v in f.amounts.items() if k.startswith(section + "/") and not k.endswith("/合计")}
            if not parts:
                continue
            key = f"{section}/合计"
            s = sum(parts.values(), ZERO)
            f.amounts = {k: v for k, v in f.amounts.items() if k != key}
            f.amounts[key] = self.agree(self.data.doc.performance[i].amounts.get(key), s, f"{section}合计",
                                        self.ref("amount", i, key), ZERO, ("amount", i, key), "由各项之和计算")
        if f.kind == "整体":
            projects = [p for p in forms if p.kind == "项目" and p.budget is not None]
            if projects:
                f.amounts = {k: v for k, v in f.amounts.items() if not k.startswith("项目/")}
                for p in projects:
                    f.amounts[f"项目/{p.name}"] = p.budget  # type: ignore[assignment]
            total = f.amounts.get("支出构成/合计") or f.amounts.get("收入构成/合计")
            if total is not None:
                f.budget = self.agree(f.budget, total, "整体资金合计", self.ref("form", i, "budget"), ZERO,
                                      basis="由收入（支出）构成计算")
        elif f.kind == "项目":
            src = f.amounts.get("资金来源/合计")
            if src is not None and f.budget is not None and src != f.budget:
                self.finding("WRT008", f"{form_label(f)}项目资金来源合计 {num(src)} 与项目当年预算 {num(f.budget)} 不符",
                             self.ref("form", i, "budget"), num(src), num(f.budget))


def compute_forms(data: WriteData, doc: Disclosure) -> tuple[list[PerformanceForm], list[Finding], set[tuple]]:
    c = FormComputer(data, doc)
    forms = c.run()
    return forms, c.findings, c.derived


__all__ = ["FormComputer", "compute_forms"]
