"""Decimal arithmetic that never raises on what a document prints.

A printed amount can be anything: 40 digits (a typo, a glued line), ``NaN``, ``Infinity``. Parsing such a
text gives a finite :class:`~decimal.Decimal` or None (:func:`to_decimal`), never a NaN or an infinity;
rounding a huge value to cents would exceed the default context's 28 digits (``InvalidOperation``), so
:func:`quantize` rounds in a context as wide as the value needs.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

MAX_DIGITS = 200  # longer digit strings are not numbers of a document (and bound the work on them)


def to_decimal(text: str | None) -> Decimal | None:
    """The finite decimal ``text`` spells (thousands commas allowed); None for anything else: empty,
    garbage, ``NaN``, ``Infinity``, exponents, more than :data:`MAX_DIGITS` characters."""
    if text is None:
        return None
    t = text.strip().replace(",", "").replace("，", "")
    if not t or len(t) > MAX_DIGITS or not any(c.isdigit() for c in t):
        return None
    try:
        d = Decimal(t)
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or "e" in t.lower():
        return None
    return d


def quantize(value: Decimal, exp: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """``value.quantize(exp, rounding)`` for a value of any size; a NaN or infinity comes back as it is."""
    if not value.is_finite() or not exp.is_finite():
        return value
    digits = max(value.adjusted(), 0) - min(int(exp.as_tuple().exponent), 0) + 2
    return value.quantize(exp, rounding=rounding, context=Context(prec=max(28, digits)))


__all__ = ["MAX_DIGITS", "quantize", "to_decimal"]
