"""Rounding tolerance (primer §5).

Amounts are rounded to 0.01 cell by cell after summing in yuan, so a printed total next to n printed parts
can differ from their sum by up to about n × 0.005. Inside that envelope a difference is rounding residue
(info); outside it is a misstatement (error, or warning for relations that may legitimately not hold).
"""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")


def envelope(n_terms: int) -> Decimal:
    """Largest difference rounding alone can explain for a sum of ``n_terms`` printed amounts."""
    return max(CENT, HALF_CENT * (n_terms + 1))


def classify(diff: Decimal, n_terms: int) -> str | None:
    """None when equal, "residue" inside the envelope, "real" beyond it."""
    d = abs(diff)
    if d == 0:
        return None
    return "residue" if d <= envelope(n_terms) else "real"


def percent_agrees(stated: Decimal, computed: Decimal, decimals: int, slack_units: int = 1) -> bool:
    """A stated percentage agrees when it equals the computed one at the stated precision.

    ``slack_units`` last-digit units are allowed (documents force shares to add up to 100 %, and round
    from yuan, not from the printed 万元 amounts).
    """
    unit = Decimal(1).scaleb(-decimals)
    return abs(stated - computed) <= unit * slack_units + unit / 2
