"""Shares stated in the narrative (NAR002)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeShare(NarrativeRule):
    """A stated share equals amount ÷ total at the stated precision (primer §5, §6).

    The total is the one the sentence names (占本年支出 → 支出合计, 占一般公共预算项目支出总额 → 表5 项目支出),
    else the whole the enumeration belongs to (“…支出1,466.86万元，主要用于以下方面：…”). The amounts are
    known to the precision they are printed with (a share of amounts rounded to the cent may round either
    way where the ratio of the unrounded ones would). One unit of the last digit more is allowed only where
    the document forces its shares to add up to 100%: shares of one total in one section whose stated
    percentages add up to exactly 100 (87.7% + 5.8% + 6.5%, where 87.645% rounds to 87.6%). A share cut at
    its last digit (99.86% for 99.868%) is a warning, any other figure an error.
    Bad: “基本支出830.68万元，占本年支出63.4%” of 1,466.86. Good: “占本年支出56.6%”.
    """

    id = "NAR002"
    name = "narrative-share"
    severity = "error"
