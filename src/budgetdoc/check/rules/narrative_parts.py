"""Parts stated in the narrative add up to their whole (NAR007)."""

from __future__ import annotations

from .narrative_analysis import NarrativeRule


class NarrativeParts(NarrativeRule):
    """The parts the narrative lists add up to the whole it states (within the rounding envelope).

    基本支出 = 人员经费 + 公用经费; 三公 = 出国 + 公务用车 + 接待; 公务用车 = 购置 + 运行; 支出 = 基本 + 项目;
    “其中：维修费0.38万元；保险费0.18万元” of 0.56; the execution items of a section add up to its total
    (budget and actual). A difference inside the envelope is information; a sum above the whole, or below a
    complete list, is an error; below a list that may be partial, a warning.
    Bad: “基本支出830.68万元，其中：人员经费784.85万元 … 公用经费55.83万元”. Good: 774.85 + 55.83 = 830.68.
    """

    id = "NAR007"
    name = "parts-sum"
    severity = "error"
