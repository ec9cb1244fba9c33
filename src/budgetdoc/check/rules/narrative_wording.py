"""Wording defects of the narrative: a missing 万 (NAR009), contradictory direction words (NAR010)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeUnit(NarrativeRule):
    """Amounts of a 万元 document are written in 万元; a non-zero amount written “…元” has lost its 万.

    Bad: “卫生健康（类）支出149.91元，占9.4%”. Good: “149.91万元”; “政府采购工程支出0元” is fine.
    """

    id = "NAR009"
    name = "amount-unit"
    severity = "error"


class NarrativeContradiction(NarrativeRule):
    """One clause does not say both directions (增加减少, 增长下降, 大于小于).

    Bad: “比 2022 年度决算数增加减少310.64万元”. Good: “比 2022 年度决算数减少310.64万元”.
    """

    id = "NAR010"
    name = "self-contradiction"
    severity = "error"
