"""Budget execution stated in the narrative (NAR004, NAR005)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeExecutionRate(NarrativeRule):
    """An execution rate equals actual ÷ budget; a stated difference from the budget equals actual − budget.

    When the budget is not stated, “比年初预算减少1.71万元” implies it (actual + 1.71). The rate is the
    ratio rounded to the precision it is printed with (primer §5); a rate cut at its last digit (95.45% for
    95.457%) is a warning, any other figure an error.
    Bad: “公务用车运行费1.29万元，完成年初预算的100%，比年初预算减少1.71万元” (1.29 ÷ 3.00 = 43%).
    Good: “年初预算为1,069.2万元，支出决算444.42万元，完成年初预算的41.6%”.
    """

    id = "NAR004"
    name = "execution-rate"
    severity = "error"


class NarrativeExecutionWord(NarrativeRule):
    """The comparison word of an execution statement matches its numbers.

    Bad: “年初预算为577.82万元，支出决算为591.02万元 … 支出决算数小于年初预算数”.
    Good: “年初预算为69.69万元，支出决算为69.9万元 … 支出决算数大于年初预算数”.
    """

    id = "NAR005"
    name = "comparison-word"
    severity = "error"
