"""Decimal helpers of the writer (rounding any magnitude, parsing typed amounts)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation


def quantize(value: Decimal, exp: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    if not value.is_finite():
        return value
    digits = max(value.adjusted(), 0) - min(int(exp.as_tuple().exponent), 0) + 2
    return value.quantize(exp, rounding=rounding, context=Context(prec=max(28, digits)))


def to_decimal(text: str | None) -> Decimal | None:
    """A typed amount (thousands commas allowed); None for anything else."""
    if text is None:
        return None
    t = text.strip().replace(",", "").replace("，", "")
    if not t or len(t) > 40 or "e" in t.lower():
        return None
    try:
        d = Decimal(t)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None
