"""CNT011: a growth rate computed from a zero base."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..rule import Rule


class ZeroBaseRate(Rule):
    """A rate of change is stated only against a base that is not zero: from nothing, an increase has no
    rate (“增长100%” says nothing true; primer §10: “a rate from a zero base”). Read from the year-on-year
    statements of the narrative (budget: against last year's budget or execution; final account: against
    last year), where last year's amount is printed as 0 or follows as 0 from this year's amount and the
    change. A warning: the amounts are right, the rate is not a figure.

    Bad:  “2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%”.
    Good: “2023年无此项支出，2024年新增预算安排25.00万元”.
    """

    id = "CNT011"
    name = "zero-base-rate"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for st in doc.narrative:
            if st.kind not in ("budget_yoy", "yoy") or "percent" not in st.values:
                continue
            v = st.values
            previous = v.get("previous")
            if previous is None and "current" in v and "change" in v:
                sign = -1 if st.words.get("direction") in ("减少", "下降") else 1
                previous = v["current"] - sign * v["change"]
            if previous is None or previous != 0 or v["percent"] == 0:
                continue
            subject = st.subject.split("/")[-1] if st.subject else "该项"
            yield self.finding(
                f"说明中{subject}上年数为0，却写“{st.words.get('rate_direction') or st.words.get('direction') or '增长'}"
                f"{v['percent']}%”：基数为零时增长率没有意义，应写明上年无此项、本年新增",
                st.location.at(file=st.location.file or doc.source), expected="不列增长率",
                actual=f"{v['percent']}%",
            )

