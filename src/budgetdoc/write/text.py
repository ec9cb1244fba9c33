"""Numbers into words: amounts, shares that add up to 100 % (largest remainder), year-on-year changes with
their direction words and rates, execution rates. Money is Decimal throughout."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..check.tolerance import convert
from ._num import quantize

CENT = Decimal("0.01")
ZERO = Decimal(0)


def wan(value: Decimal | None, unit: str = "万元") -> Decimal:
    """An amount of a table in ``unit`` in 万元, two decimals (half up, as the budget system rounds)."""
    return quantize(convert(value or ZERO, unit, "万元"), CENT, ROUND_HALF_UP)


def money(value: Decimal | None) -> str:
    """``1,466.86`` (two decimals, thousands separators)."""
    return f"{quantize(value or ZERO, CENT, ROUND_HALF_UP):,.2f}"


def rate(part: Decimal, whole: Decimal, decimals: int = 1) -> Decimal | None:
    if not whole:
        return None
    return quantize(part * 100 / whole, Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def pct(value: Decimal | None) -> str:
    if value is None:
        return ""
    s = f"{value:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def shares(parts: list[Decimal], decimals: int = 1) -> list[Decimal] | None:
    """Shares of ``parts`` in their sum, rounded so that they add up to exactly 100 (largest remainder:
    every share is rounded down, then the units left go to the largest remainders). None when the parts
    cannot be shares (a negative part, or a zero sum)."""
    if any(p < 0 for p in parts):
        return None
    whole = sum(parts, ZERO)
    if whole <= 0:
        return None
    unit = Decimal(1).scaleb(-decimals)
    exact = [p * 100 / whole for p in parts]
    floors = [quantize(e, unit, "ROUND_FLOOR") for e in exact]
    left = int((Decimal(100) - sum(floors, ZERO)) / unit)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return floors


def change(current: Decimal, previous: Decimal, decimals: int = 1) -> tuple[str, Decimal, str, Decimal | None]:
    """(增加/减少/持平, |change|, 增长/下降/持平, rate of the change on the previous amount)."""
    diff = current - previous
    if diff == 0:
        return "持平", ZERO, "持平", ZERO
    r = rate(abs(diff), previous, decimals) if previous else None
    return ("增加" if diff > 0 else "减少"), abs(diff), ("增长" if diff > 0 else "下降"), r


def yoy_clause(subject: str, current: Decimal, previous: Decimal | None, year: int, each: bool = False) -> str:
    """``与2022年度相比，收入合计减少310.64万元，下降17.5%``; empty without a previous amount."""
    if previous is None:
        return ""
    word, diff, rword, r = change(current, previous)
    if word == "持平":
        return f"与{year - 1}年度持平"
    tail = f"，{rword}{pct(r)}%" if r is not None else ""
    return f"与{year - 1}年度相比，{subject}{'各' if each else ''}{word}{money(diff)}万元{tail}"
