"""Shares stated in the narrative (NAR002)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeShare(NarrativeRule):
    """A stated share equals amount ÷ total at the stated precision (primer §5, §6).

    The total is the one the sentence names (占本年支出 → 支出合计, 占一般公共预算项目支出总额 → 表5 项目支出),
    else the whole the enumeration belongs to (“…支出1,466.86万元，主要用于以下方面：…”). One unit of the
    last digit is allowed (shares forced to add up to 100%).
    Bad: “基本支出830.68万元，占本年支出63.4%” of 1,466.86. Good: “占本年支出56.6%”.
    """

    id = "NAR002"
    name = "narrative-share"
    severity = "error"
