"""Rounding: the one place that says how far printed amounts may disagree by rounding alone (primer §5).

Every amount is computed in yuan and rounded once for printing, cell by cell, to the step of its table's
unit: 0.01 in a 万元 (or 千元, 亿元) table, one yuan in a 元 table — a 元 table prints two decimals but its
amounts are whole yuan (``47,483,458.00``). So a printed total next to the sum of ``n`` printed parts can
differ by up to half a step for each of the n + 1 printed amounts: the envelope is about n × 0.005 万元 in
a 万元 table and n × 0.5 元 in a 元 table (a 1-yuan difference in a 元 document is rounding residue).
Inside the envelope a difference is rounding residue (info); beyond it a misstatement (error, or warning
for relations that may legitimately not hold).

Amounts of tables in different units are converted (:func:`convert`) before they are compared; the
envelope of such a comparison adds each printed amount's half step in the unit compared in
(:func:`envelope_of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
WAN = "万元"  # the default unit of tables, the narrative and the performance forms
YUAN_PER = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "百万元": Decimal(1000000),
            "亿元": Decimal(100000000)}
STEP = {"元": Decimal(1)}  # the printed step of an amount, in its unit (0.01 unless said here)


def _unit(unit: str | None) -> str:
    u = (unit or WAN).strip()
    return u if u in YUAN_PER else WAN


def step(unit: str | None = WAN) -> Decimal:
    """The step amounts of a table in ``unit`` are rounded to (one yuan in a 元 table, else 0.01)."""
    return STEP.get(_unit(unit), CENT)


def convert(value: Decimal, from_unit: str | None, to_unit: str | None = WAN) -> Decimal:
    """``value`` printed in ``from_unit`` expressed in ``to_unit`` (exact: no rounding)."""
    f, t = _unit(from_unit), _unit(to_unit)
    return value if f == t else value * YUAN_PER[f] / YUAN_PER[t]


def envelope_of(units: Iterable[str | None], unit: str | None = WAN) -> Decimal:
    """Largest difference, in ``unit``, rounding alone can explain between sums of printed amounts, one
    entry of ``units`` (its table's unit) per printed amount involved — the total(s) included. Never less
    than one step of ``unit``."""
    half = sum((convert(step(u), u, unit) / 2 for u in units), Decimal(0))
    return max(step(unit), half)


def envelope(n_terms: int, unit: str | None = WAN) -> Decimal:
    """Largest difference rounding alone can explain between a total and the sum of its ``n_terms``
    printed parts, all in a table of ``unit``: (n + 1) half steps, at least one step — about
    n × 0.005 万元, n × 0.5 元."""
    return envelope_of([unit] * (n_terms + 1), unit)


def classify(diff: Decimal, n_terms: int, unit: str | None = WAN, *, bound: Decimal | None = None) -> str | None:
    """None when equal, "residue" inside the envelope of ``n_terms`` parts in ``unit`` (or inside
    ``bound`` when given, e.g. from :func:`envelope_of`), "real" beyond it."""
    if not diff.is_finite():
        return None  # no number to compare (the readers never give one; a rule's arithmetic might)
    d = abs(diff)
    if d == 0:
        return None
    return "residue" if d <= (envelope(n_terms, unit) if bound is None else bound) else "real"


def half_unit(v: Decimal) -> Decimal:
    """Half a unit of the last digit ``v`` was printed with (``183.6`` → 0.05, ``22.59`` → 0.005): how far
    the amount it rounds may lie from it."""
    exp = v.as_tuple().exponent
    return Decimal(1).scaleb(min(exp, 0) if isinstance(exp, int) else 0) / 2


def ratio(num: Decimal, den: Decimal, num_half: Decimal = Decimal(0), den_half: Decimal = Decimal(0)
          ) -> tuple[Decimal, Decimal]:
    """``num`` ÷ ``den`` in percent, and how far the ratio of the amounts they round (each within its half
    unit) may lie from it. ``den`` must be positive; a denominator its rounding could make zero spreads
    without bound (Infinity)."""
    value = num / den * 100
    if den - den_half <= 0:
        return value, Decimal("Infinity")
    corners = [(num + a) / (den + b) * 100 for a in (-num_half, num_half) for b in (-den_half, den_half)]
    return value, max(abs(c - value) for c in corners)


def percent_agrees(stated: Decimal, computed: Decimal, decimals: int, slack_units: int = 0,
                   spread: Decimal = Decimal(0)) -> bool:
    """A stated percentage agrees when it is the computed one rounded to the stated precision (primer §5):
    within half a unit of its last digit of a value the printed amounts allow (``computed`` ± ``spread``,
    :func:`ratio`).

    ``slack_units`` more units of the last digit are allowed only where the document forces shares to add up
    to 100% (NAR002 says when); a rate of change or of execution has no such excuse.
    """
    if not (stated.is_finite() and computed.is_finite()):
        return False
    unit = Decimal(1).scaleb(-decimals)
    return abs(stated - computed) <= unit * slack_units + unit / 2 + spread


__all__ = ["CENT", "HALF_CENT", "WAN", "classify", "convert", "envelope", "envelope_of", "half_unit", "percent_agrees", "ratio",
           "step"]
