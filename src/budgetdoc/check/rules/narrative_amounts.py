"""Narrative amounts against the tables (NAR001, NAR006) and against each other (NAR011)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeAmountTable(NarrativeRule):
    """An amount the narrative states for a table quantity equals that table value.

    Every amount in the 情况说明 that names a table quantity (收入合计, 基本支出, a functional class, 人员经费,
    三公 items …) restates a cell; a different number is a misstatement, whatever its size.
    Bad: “基本支出 128.14 万元” where 表5 合计行基本支出 is 128.13. Good: “基本支出 128.13 万元”.
    """

    id = "NAR001"
    name = "narrative-amount"
    severity = "error"


class NarrativeExecutionTable(NarrativeRule):
    """The actual (支出决算) of an execution statement equals the table row of its code.

    “社会保障和就业支出(类)…信息化建设(项)。年初预算为1,069.2万元，支出决算444.42万元” must match
    the 表5 row 2080108; 三公 items match 表9 决算数 (and 预算数 when the narrative says 预算, not 年初预算).
    Bad: 支出决算 454.42 where 表5 2080108 is 444.42. Good: 支出决算 444.42.
    """

    id = "NAR006"
    name = "execution-actual"
    severity = "error"


class NarrativeRestated(NarrativeRule):
    """The narrative states the same table quantity with the same amount everywhere.

    Reported only when the table cannot tell which of the two is right.
    Bad: “基本支出 128.13 万元” in 五 and “基本支出 128.14 万元” in 六. Good: the same amount in both.
    """

    id = "NAR011"
    name = "restated-amount"
    severity = "warning"
