"""Performance forms follow their own scoring rules (primer §7): PRF001–PRF008.

The parameters (execution weight, qualitative tiers) come from the rules printed under the form when it
prints them, else from the region of the document (``data/scoring.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ...decimals import quantize
from ...model import Disclosure, Indicator, PerformanceForm
from ..findings import Finding
from ..rule import Rule
from ..tolerance import classify
from .performance_common import (
    CENT,
    HUNDRED,
    ZERO,
    comparable,
    form_label,
    is_negative,
    money,
    num,
    params_for,
    r2,
)


def _scored(doc: Disclosure) -> Iterator[PerformanceForm]:
    for f in doc.performance:
        if f.stage == "自评":
            yield f


class ExecutionScore(Rule):
    """预算执行得分 = 执行权重 × 执行数B ÷ 预算数A，不超过权重（湖北 20 分，其他地区多为 10 分）。

    Bad: 预算数 1,069.20、执行数 444.42、权重 20，得分印为 9.31（应为 20 × 444.42 ÷ 1,069.20 = 8.31）。
    Good: 得分 8.31。A score that follows the printed rate (20 × 41.6% = 8.32) is accepted too; a
    difference of one cent is rounding residue (info).
    """

    id = "PRF001"
    name = "execution-score"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in _scored(doc):
            if f.execution_score is None or not f.budget or f.actual is None:
                continue
            w = params_for(doc, f).execution_weight
            if f.execution_score > w:
                continue  # PRF005
            computed = min(w, w * f.actual / f.budget)
            via_rate = min(w, w * f.rate / HUNDRED) if f.rate is not None else None
            diffs = [abs(f.execution_score - r2(computed))]
            if via_rate is not None:
                diffs.append(abs(f.execution_score - r2(via_rate)))
            d = min(diffs)
            if d == 0:
                continue
            sev = "info" if d <= CENT else "error"
            yield self.finding(
                f"{form_label(f)}：预算执行得分 {num(f.execution_score)} 与 {num(w)} × 执行数 "
                f"{money(f.actual)} ÷ 预算数 {money(f.budget)} = {r2(computed)} 不符"
                + ("（在四舍五入尾差范围内）" if sev == "info" else ""),
                f.location,
                severity=sev,
                expected=str(r2(computed)),
                actual=num(f.execution_score),
            )


class ExecutionRate(Rule):
    """执行率 = 执行数B ÷ 预算数A，按所印精度比较。

    Bad: 预算数 2,305.94、执行数 1,466.86，执行率印为 66.6%（应为 63.6%）。
    Good: 63.6%（1,466.86 ÷ 2,305.94 = 63.61%）。
    """

    id = "PRF002"
    name = "form-execution-rate"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in doc.performance:
            if f.rate is None or not f.budget or f.actual is None:
                continue
            computed = f.actual / f.budget * HUNDRED
            decimals = max(0, -f.rate.as_tuple().exponent)  # type: ignore[operator]
            unit = Decimal(1).scaleb(-decimals)
            d = abs(f.rate - computed)
            if d <= unit / 2 + Decimal("0.000001"):
                continue
            sev = "info" if d <= unit else "error"
            yield self.finding(
                f"{form_label(f)}：执行率 {num(f.rate)}% 与 执行数 {money(f.actual)} ÷ 预算数 "
                f"{money(f.budget)} = {quantize(computed, Decimal('0.01'))}% 不符",
                f.location,
                severity=sev,
                expected=f"{quantize(computed, Decimal('0.01'))}%",
                actual=f"{num(f.rate)}%",
            )


class QuantitativeScore(Rule):
    """定量指标得分：正向（目标值≥X）= 权重 × 实际值B ÷ 目标值A，反向（目标值≤X）= 权重 × A ÷ B，均不超过权重。

    Only when target and actual are numbers in the same unit. Bad: 目标 55,000份、实际 12,500份、权重 10，
    得分 5（应为 10 × 12,500 ÷ 55,000 = 2.27）。Good: 2.27；目标 ≤7.78万元、实际 7.7万元 → 满分。
    """

    id = "PRF003"
    name = "quantitative-score"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in _scored(doc):
            for ind in f.indicators:
                if ind.score is None or ind.weight is None or ind.score > ind.weight:
                    continue
                pair = comparable(ind)
                if pair is None:
                    continue
                t, a = pair
                neg = is_negative(t)
                if neg:
                    expected = ind.weight if a.value == 0 else ind.weight * t.value / a.value
                    formula = f"{num(ind.weight)} × {num(t.value)} ÷ {num(a.value)}"
                else:
                    if t.value == 0:
                        continue
                    expected = ind.weight * a.value / t.value
                    formula = f"{num(ind.weight)} × {num(a.value)} ÷ {num(t.value)}"
                expected = min(ind.weight, expected)
                d = abs(ind.score - r2(expected))
                if d == 0:
                    continue
                sev = "info" if d <= CENT else "error"
                yield self.finding(
                    f"{form_label(f)}：定量指标“{ind.name}”（{'反向' if neg else '正向'}，目标 {ind.target}，"
                    f"实际 {ind.actual}）得分 {num(ind.score)}，按计分规则应为 {formula} = {num(r2(expected))}"
                    "（不超过权重）",
                    ind.location,
                    severity=sev,
                    expected=num(r2(expected)),
                    actual=num(ind.score),
                )


_FAIL = re.compile(r"未达成|未完成|未实现|未达到")
_PART = re.compile(r"部分达成|部分完成|部分实现")
_DONE = re.compile(r"达成|完成|实现|达到")


class QualitativeTier(Rule):
    """定性指标按档计分：达成 100-80%、部分达成 80-50%（其他地区 80-60%）、未达成 50-0% 的权重。

    Bad: 实际完成值“部分达成”、权重 10、得分 9（部分达成最高 8）。Good: 得分 6。When the actual value is a
    weaker form of the target (目标“有效提升”、实际“提升”) and the score is in the top tier, a warning.
    """

    id = "PRF004"
    name = "qualitative-tier"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in _scored(doc):
            p = None
            for ind in f.indicators:
                if ind.score is None or not ind.weight or ind.score > ind.weight or comparable(ind):
                    continue
                p = p or params_for(doc, f)
                actual = re.sub(r"\s+", "", ind.actual or "")
                target = re.sub(r"\s+", "", ind.target or "")
                share = ind.score / ind.weight * HUNDRED
                tier = None
                if _FAIL.search(actual):
                    tier, word = 2, "未达成"
                elif _PART.search(actual):
                    tier, word = 1, "部分达成"
                elif _DONE.search(actual):
                    tier, word = 0, "达成"
                if tier is not None:
                    hi, lo = p.tiers[tier]
                    low_ok = share >= lo if tier < 2 else True
                    high_ok = share <= hi if tier == 0 else (share < hi if tier == 2 else share <= hi)
                    if low_ok and high_ok:
                        continue
                    yield self.finding(
                        f"{form_label(f)}：定性指标“{ind.name}”实际完成值为“{ind.actual}”（{word}），得分 "
                        f"{num(ind.score)} 为权重 {num(ind.weight)} 的 {share:.1f}%，不在该档 {num(hi)}-{num(lo)}% "
                        f"区间内（{p.basis}）",
                        ind.location,
                        expected=f"{num(lo * ind.weight / HUNDRED)}-{num(hi * ind.weight / HUNDRED)}",
                        actual=num(ind.score),
                    )
                    continue
                hi, lo = p.tiers[0]
                weaker = (
                    actual
                    and target
                    and actual != target
                    and (actual in target or re.search(r"基本|部分|较", actual))
                )
                if weaker and share >= lo:
                    yield self.finding(
                        f"{form_label(f)}：定性指标“{ind.name}”实际完成值“{ind.actual}”未达到目标值“{ind.target}”，"
                        f"得分 {num(ind.score)} 却为权重 {num(ind.weight)} 的 {share:.1f}%（“达成”档 {num(hi)}-"
                        f"{num(lo)}%）；部分达成应按 {num(p.tiers[1][0])}-{num(p.tiers[1][1])}% 计分",
                        ind.location,
                        severity="warning",
                        expected=f"<{num(lo * ind.weight / HUNDRED)}",
                        actual=num(ind.score),
                    )
                elif actual and actual == target and share < lo:
                    yield self.finding(
                        f"{form_label(f)}：定性指标“{ind.name}”实际完成值与目标值相同（“{ind.actual}”），得分 "
                        f"{num(ind.score)} 却低于“达成”档下限 {num(lo)}%",
                        ind.location,
                        severity="warning",
                        expected=f"≥{num(lo * ind.weight / HUNDRED)}",
                        actual=num(ind.score),
                    )


class ScoreAboveWeight(Rule):
    """得分不得超过权重（指标得分 ≤ 指标权重，预算执行得分 ≤ 执行权重）。

    Bad: “服务市民数（20分）”得分 22。Good: 得分 20。
    """

    id = "PRF005"
    name = "score-over-weight"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in _scored(doc):
            if f.execution_score is not None:
                w = params_for(doc, f).execution_weight
                if f.execution_score > w:
                    yield self.finding(
                        f"{form_label(f)}：预算执行得分 {num(f.execution_score)} 超过权重 {num(w)}",
                        f.location,
                        expected=f"≤{num(w)}",
                        actual=num(f.execution_score),
                    )
            for ind in f.indicators:
                if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
                    yield self.finding(
                        f"{form_label(f)}：指标“{ind.name}”得分 {num(ind.score)} 超过其权重 {num(ind.weight)}",
                        ind.location,
                        expected=f"≤{num(ind.weight)}",
                        actual=num(ind.score),
                    )


def _groups(inds: list[Indicator]) -> list[tuple[Indicator, list[tuple[Indicator, list[Indicator]]]]]:
    """Indicators grouped by consecutive level-1 label, then level-2 label: [(first, [(first, [inds])])]."""
    out: list = []
    for ind in inds:
        k1 = (ind.level1, ind.level1_weight)
        if not out or (out[-1][0].level1, out[-1][0].level1_weight) != k1:
            out.append((ind, []))
        l2s = out[-1][1]
        k2 = (ind.level2, ind.level2_weight)
        if not l2s or (l2s[-1][0].level2, l2s[-1][0].level2_weight) != k2:
            l2s.append((ind, []))
        l2s[-1][1].append(ind)
    return out


class WeightHierarchy(Rule):
    """一级指标权重 = 其下二级指标权重之和；二级指标权重 = 其下三级指标权重之和。

    Bad: 产出指标（40分）下 质量指标（20分）＋数量指标（20分）＋时效指标（10分）= 50。Good: 40 = 20 + 10 + 10.
    A level-2 weight that disagrees both with its indicators and with its level 1 is reported once, at the
    level 2.
    """

    id = "PRF006"
    name = "weight-levels"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in doc.performance:
            for first1, l2s in _groups(f.indicators):
                fixed: list[Decimal | None] = []
                for first2, inds in l2s:
                    w2 = first2.level2_weight
                    ws = [i.weight for i in inds]
                    s3 = sum(ws, ZERO) if ws and all(w is not None for w in ws) and len(inds) > 1 else None
                    if w2 is not None and s3 is not None and s3 != w2:
                        yield self.finding(
                            f"{form_label(f)}：二级指标“{first2.level2}”权重 {num(w2)} 与其下三级指标权重之和 "
                            f"{' + '.join(num(w) for w in ws)} = {num(s3)} 不符",
                            first2.location,
                            expected=num(s3),
                            actual=num(w2),
                        )
                        fixed.append(s3)
                    else:
                        fixed.append(w2 if w2 is not None else s3)
                w1 = first1.level1_weight
                w2s = [first2.level2_weight for first2, _ in l2s]
                if w1 is None or first1.level1 is None or any(w is None for w in w2s):
                    continue
                s2 = sum(w2s, ZERO)  # type: ignore[arg-type]
                if s2 == w1:
                    continue
                if all(x is not None for x in fixed) and sum(fixed, ZERO) == w1:  # type: ignore[arg-type]
                    continue  # explained by the level-2 finding above
                parts = " + ".join(f"{first2.level2}（{num(first2.level2_weight)}）" for first2, _ in l2s)
                yield self.finding(
                    f"{form_label(f)}：一级指标“{first1.level1}”权重 {num(w1)} 与其下二级指标权重之和 "
                    f"{parts} = {num(s2)} 不符",
                    first1.location,
                    expected=num(s2),
                    actual=num(w1),
                )


class WeightTotal(Rule):
    """指标权重合计 + 预算执行权重 = 100（湖北：指标 80 + 执行 20；其他地区多为 90 + 10）。

    Checked on each level that prints complete weights (一级, 二级, 三级); reported only when no level adds
    up (a mismatch between levels is PRF006). Bad: 产出 40 + 效益 50 = 90 with 执行 20. Good: 40 + 40.
    """

    id = "PRF007"
    name = "weight-total"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in _scored(doc):
            if not f.indicators:
                continue
            p = params_for(doc, f)
            expected = HUNDRED - p.execution_weight
            groups = _groups(f.indicators)
            sums: list[tuple[str, Decimal]] = []
            w1s = [g[0].level1_weight for g in groups]
            if all(w is not None for w in w1s) and all(g[0].level1 for g in groups):
                sums.append(("一级指标", sum(w1s, ZERO)))  # type: ignore[arg-type]
            w2s = [first2.level2_weight for _, l2s in groups for first2, _ in l2s]
            if all(w is not None for w in w2s):
                sums.append(("二级指标", sum(w2s, ZERO)))  # type: ignore[arg-type]
            w3s = [i.weight for i in f.indicators]
            if all(w is not None for w in w3s):
                sums.append(("三级指标", sum(w3s, ZERO)))  # type: ignore[arg-type]
            if not sums or any(s == expected for _, s in sums):
                continue
            what, s = sums[0]
            yield self.finding(
                f"{form_label(f)}：{what}权重合计 {num(s)}，加预算执行权重 {num(p.execution_weight)} 为 "
                f"{num(s + p.execution_weight)}，应为 100（指标权重应合计 {num(expected)}，{p.basis}）",
                f.indicators[0].location,
                expected=num(expected),
                actual=num(s),
            )


class TotalScore(Rule):
    """总分 = 预算执行得分 + 各指标得分之和。

    Bad: 执行得分 12.72、指标得分合计 80，总分印为 93.72。Good: 92.72.
    """

    id = "PRF008"
    name = "total-score"
    category = "performance"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for f in _scored(doc):
            if f.total_score is None or not f.indicators or any(i.score is None for i in f.indicators):
                continue
            s = sum((i.score for i in f.indicators), ZERO)  # type: ignore[misc]
            computed = s + (f.execution_score or ZERO)
            kind = classify(f.total_score - computed, len(f.indicators) + 1)
            if kind is None:
                continue
            sev = "info" if kind == "residue" else "error"
            loc = f.indicators[-1].location
            yield self.finding(
                f"{form_label(f)}：总分 {num(f.total_score)} 与 预算执行得分 {num(f.execution_score)} ＋ 指标得分合计 "
                f"{num(s)} = {num(computed)} 不符",
                loc,
                severity=sev,
                expected=num(computed),
                actual=num(f.total_score),
            )
