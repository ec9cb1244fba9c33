"""The narrative states this year's amounts under this year (primer §9: a wrong year in one place)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ...model import Disclosure, Location
from ..findings import Finding
from ..rule import Rule
from ..util import line_location

# a clause that opens with a year and gives an amount a few words later: “2023年度收、支总计1,466.86万元”
_CLAUSE = re.compile(
    r"(?:^|[。；：:，,])\s*(?P<year>20\d\d)\s*年度?(?P<what>[^，。；0-9]{1,20}?)(?P<num>\d[\d,]*(?:\.\d+)?)\s*万元"
)
_COMPARE = re.compile(r"相比|比较|较|同比|上年|上一年|增加|减少|增长|下降")


def _amounts(doc: Disclosure) -> set[Decimal]:
    return {c.value for t in doc.tables for r in t.rows for c in r.cells if c.value}


class NarrativeYear(Rule):
    """A narrative clause that gives one of this year's table amounts names this fiscal year.

    The 情况说明 restates the tables under the document's year (“2023年度收、支总计1,466.86万元”). A
    clause that opens with another year and then gives an amount printed in this year's tables has the
    year wrong. Clauses that compare with another year (相比, 增加, 上年 …) and amounts not in the tables
    (e.g. last year's figures) are left alone.

    Bad:  “2022年度收、支总计1,466.86万元” in the 2023 final account whose 表1 总计 is 1,466.86.
    Good: “2023年度收、支总计1,466.86万元”.
    """

    id = "IDN005"
    name = "narrative-year"
    category = "identity"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        year = doc.identity.year
        if not year or not doc.tables or not doc.narrative:
            return
        amounts = _amounts(doc)
        start = min((s.location.line or 0 for s in doc.narrative), default=0)
        for ln in doc.lines():
            if (ln.number or 0) < start or "年" not in ln.text:
                continue
            text = ln.text.replace(" ", "")
            for m in _CLAUSE.finditer(text):
                printed = int(m.group("year"))
                if printed == year or _COMPARE.search(m.group("what")):
                    continue
                try:
                    value = Decimal(m.group("num").replace(",", ""))
                except InvalidOperation:
                    continue
                if value not in amounts:
                    continue
                loc: Location = line_location(doc, ln.page, ln.number)
                yield self.finding(
                    f"说明中“{m.group(0).lstrip('。；：:，,')}”的年度为{printed}年，"
                    f"但 {value:,.2f} 万元是本文件（{year}年度）表中的金额",
                    loc,
                    expected=str(year),
                    actual=str(printed),
                )
