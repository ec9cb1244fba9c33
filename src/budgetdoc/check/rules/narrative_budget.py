"""This year's budget against last year's (预算编制说明 of a Shanghai budget; NAR013)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeBudgetChange(NarrativeRule):
    """A budget's comparison with last year's budget or last year's execution (预算执行数) agrees with
    itself (primer §3.1, §6 end; 《预算法》第十四条: 部门预算 are published with their explanations, and the
    Shanghai 预算编制说明 states each item against the year before): the rate is change ÷ last year's amount, the
    direction word (增加/减少, 增长/下降) matches the sign of this year − last year, 持平 means the two
    amounts are equal, the change is their difference, the years are the document's and the year before,
    “预算安排B万元” restates the amount the item printed first, and a reason names the direction it explains
    (“财政拨款收入支出减少的主要原因” after a 减少; an item's free-text reason: a warning).

    Bad:  “2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数增加57.14%”
          (25.77 < 60.13: 减少); “…348.52万元，2024年预算安排352.67万元，比2023年预算执行数增加0.53%”
          after “住房公积金（项）”350.35万元” (352.67 ≠ 350.35; 4.15 ÷ 348.52 = 1.19%).
    Good: “2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%”
          (34.36 ÷ 60.13 = 57.14%).
    A rate against a previous amount of 0 (“增加100.00%” for a new item) is not computed. The rate is the
    ratio rounded to its printed precision (primer §5): a rate cut at its last digit is a warning, any other
    figure an error. A wrong year in
    a comparison (“比2025年预算增加” in a 2025 budget) is this rule's finding, not also IDN005's: this rule
    read the statement and names its item (``covers``).
    """

    id = "NAR013"
    name = "budget-change"
    severity = "error"
    covers = ("IDN005",)
