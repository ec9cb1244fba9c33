"""CNT011: a growth rate computed from a zero base."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

# last year's amount printed as 0 (“上年为0万元”, “2023年当年预算执行数为0.00万元”) and a rate in the same sentence
_ZERO_BEFORE = re.compile(r"(?:上年|上一年|20\d\d年)[^。；，,]{0,16}?(?:为|是)0(?:\.0+)?万?元")
_INCREASE = re.compile(r"增加(?P<v>\d[\d,]*\.\d+)万元")
_RATE = re.compile(r"(?:增长|增加|上升|下降|减少)(?P<pct>\d+(?:\.\d+)?)%")


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
        p = prose(doc)
        index = {(ln.page, ln.number): i for i, ln in enumerate(p.lines)}
        said: set[int] = set()  # the sentences already reported (by their start)
        for f in self._statements(doc):
            i = index.get((f.location.page, f.location.line))
            if i is not None:
                a = p.starts[i]
                b = p.starts[i + 1] if i + 1 < len(p.starts) else len(p.text)
                said.update(p.sentence_start(x) for x in range(a, b))
            yield f
        for m in [*_ZERO_BEFORE.finditer(p.text), *self._all_new(p.text)]:
            start = p.sentence_start(m.start())
            end = p.text.find("。", m.end())
            rate = _RATE.search(p.text, m.end(), end if end >= 0 else len(p.text))
            if rate is None or float(rate.group("pct")) == 0 or start in said:
                continue
            said.add(start)
            yield self.finding(
                f"说明中“{p.sentence(m.start(), 90)}”：上年数为0，却写“{rate.group(0)}”：基数为零时增长率没有意义，"
                f"应写明上年无此项、本年新增",
                p.location(doc, m.start()), expected="不列增长率", actual=rate.group(0),
            )

    @staticmethod
    def _all_new(text: str) -> Iterator[re.Match[str]]:
        """“总计307.82万元。与2023年度相比，总计增加307.82万元，增长100.00%”: the increase is the whole amount
        this sentence or the one before states, so last year's was 0."""
        for m in _INCREASE.finditer(text):
            value = m.group("v").replace(",", "")
            if float(value) == 0:
                continue
            a = max(text.rfind("。", 0, max(0, text.rfind("。", 0, m.start()))), 0)
            before = text[a: m.start()].replace(",", "")
            if re.search(rf"(?<![\d.])(?<!增加)(?<!减少)(?<!增长)(?<!下降){re.escape(value)}万元", before):
                yield m

    def _statements(self, doc: Disclosure) -> Iterator[Finding]:
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

