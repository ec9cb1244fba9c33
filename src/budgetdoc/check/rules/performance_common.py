"""Helpers shared by the performance-form rules (PRF…): scoring parameters, value parsing, naming."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ...data import scoring
from ...decimals import quantize
from ...model import Disclosure, Indicator, PerformanceForm
from ..findings import fmt

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Params:
    execution_weight: Decimal
    indicator_weight: Decimal
    tiers: tuple[tuple[Decimal, Decimal], ...]  # (high, low) percent, best tier first
    region: str  # region key or "default"
    basis: str  # what decided: 表下注释 / 地区 / 默认


_TIERS = re.compile(
    r"100\s*-\s*(\d+)\s*%?\s*[（(]\s*含\s*\d+\s*%?\s*[)）]\s*[、,，]\s*(\d+)\s*%?\s*-\s*(\d+)\s*%?"
)


def region_of(doc: Disclosure, form: PerformanceForm | None = None) -> str:
    """The scoring region whose match words occur in the document's region, publisher or title."""
    data = scoring()
    text = " ".join(
        x
        for x in (
            doc.identity.region,
            doc.identity.publisher,
            doc.identity.title,
            form.publisher if form else None,
        )
        if x
    )
    for key, spec in data.get("regions", {}).items():
        if any(w in text for w in spec.get("match", [])):
            return key
    return "default"


def params_for(doc: Disclosure, form: PerformanceForm) -> Params:
    """Scoring parameters for a form: the rules printed under it win, then its region, then the default."""
    data = scoring()
    key = region_of(doc, form)
    spec = data["regions"][key] if key != "default" else data["default"]
    ew = Decimal(str(spec["execution_weight"]))
    iw = Decimal(str(spec["indicator_weight"]))
    tiers = tuple((Decimal(str(h)), Decimal(str(lo))) for h, lo in spec["tiers"])
    basis = "地区规则" if key != "default" else "默认规则"
    if form.execution_weight is not None:
        iw = HUNDRED - form.execution_weight
        ew = form.execution_weight
        basis = "表内所印权重"
    m = _TIERS.search(re.sub(r"\s+", "", form.rules_text or ""))
    if m:
        t1, t2hi, t2lo = (Decimal(g) for g in m.groups())
        tiers = ((HUNDRED, t1), (t2hi, t2lo), (t2lo, ZERO))
        basis = "表下所印计分规则"
    return Params(ew, iw, tiers, key, basis)


def r2(v: Decimal) -> Decimal:
    return quantize(v, CENT, ROUND_HALF_UP)


def num(v: Decimal | None) -> str:
    """A score or weight as a message prints it: no trailing zeros (12.72, 20, 2.5)."""
    if v is None:
        return "空白"
    s = f"{v:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def money(v: Decimal | None) -> str:
    return fmt(v) or "空白"


_VALUE = re.compile(
    r"^(?P<pre>[^\d≤≥<>＜＞]*?)(?P<cmp>[≤≥<>＜＞]=?)?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<unit>[^\d]*)$"
)


@dataclass(frozen=True)
class Quantity:
    prefix: str
    comparator: str
    value: Decimal
    unit: str


def quantity(text: str | None) -> Quantity | None:
    if not text:
        return None
    m = _VALUE.match(re.sub(r"\s+", "", text))
    if not m:
        return None
    return Quantity(
        m.group("pre"), m.group("cmp") or "", Decimal(m.group("num").replace(",", "")), m.group("unit")
    )


def comparable(ind: Indicator) -> tuple[Quantity, Quantity] | None:
    """Target and actual as numbers with the same unit (and same words before them), else None."""
    t, a = quantity(ind.target), quantity(ind.actual)
    if t is None or a is None or a.comparator:
        return None
    if t.prefix != a.prefix or t.unit != a.unit:
        return None
    return t, a


def is_negative(t: Quantity) -> bool:
    return t.comparator in ("≤", "<", "＜", "<=") or t.unit.endswith(("内", "以内", "以下"))


def form_label(form: PerformanceForm) -> str:
    what = "整体" if form.kind == "整体" else "项目"
    stage = "绩效自评表" if form.stage == "自评" else "绩效目标表"
    if form.kind == "项目":
        return f"项目{stage}《{form.name}》"
    return f"{what}{stage}"


def norm_name(name: str) -> str:
    """A project name without year, spaces and the word 项目, for matching across places."""
    n = re.sub(r"\s+", "", name)
    n = re.sub(r"^\d{4}年度?", "", n)
    n = re.sub(r"(项目)?(绩效)?(自评表|目标表)?$", "", n)
    n = re.sub(r"项目$", "", n)
    return n


def similarity(a: str, b: str) -> float:
    """Dice coefficient over character bigrams of the normalised names."""
    a, b = norm_name(a), norm_name(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ba = {a[i : i + 2] for i in range(len(a) - 1)} or {a}
    bb = {b[i : i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(ba & bb) / (len(ba) + len(bb))


__all__ = [
    "CENT",
    "HUNDRED",
    "Params",
    "Quantity",
    "ZERO",
    "comparable",
    "form_label",
    "is_negative",
    "money",
    "norm_name",
    "num",
    "params_for",
    "quantity",
    "r2",
    "region_of",
    "similarity",
]
