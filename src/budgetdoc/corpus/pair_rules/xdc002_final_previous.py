"""XDC002: the 上年 figures a 决算 of year N compares with are those of the unit's 决算 of year N-1."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...check.findings import Finding
from ..common import bound, describe, previous_amount, ref_cell, statement_location, subject, wan
from ..group import Corpus
from ..rule import PairRule


def names_year(st_words: dict[str, str], year: int) -> bool:
    """The comparison is with ``year`` (“与2022年度相比”, “比2022年度决算数”, “比上年”)."""
    base = st_words.get("base", "") + st_words.get("comparison", "")
    years = {int(y) for y in re.findall(r"20\d\d", base)}
    return year in years or (not years and "上年" in base)


class FinalPrevious(PairRule):
    """The 上年 figures a 决算 of year N compares with (“与2022年度相比，支出合计减少310.64万元”: last year's
    amount = this year's ∓ the change) are the amounts the unit's 决算 of year N-1 printed for the same
    table quantity (《预算法》第十四条: the approved 决算 is published, and is final; primer §6).

    Bad:  the 2024 决算 says “与2023年度相比，支出合计增加88.00万元” on 1,554.86 万元 — last year 1,466.86 —
          while the 2023 决算's 支出决算表 合计 is 1,400.00 万元.
    Good: the 2023 决算 prints 1,466.86 万元.
    """

    id = "XDC002"
    name = "final-previous-year"
    severity = "error"

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        for doc in corpus.of_kind(kind="决算"):
            year = doc.identity.year
            prev = corpus.counterpart(doc, "决算", year - 1) if year else None
            if prev is None:
                continue
            for st in doc.narrative:
                if st.kind != "yoy" or not names_year(st.words, year - 1):
                    continue
                derived = previous_amount(st)
                cv = ref_cell(prev, st.refs.get("current"))
                if derived is None or cv is None:
                    continue
                stated, n = derived
                diff = stated - cv.wan
                if abs(diff) <= bound(n, cv.table.unit):
                    continue
                how = "所述上年数" if "previous" in st.values else "所述本年数与增减额推得的上年数"
                yield self.finding(
                    f"“{subject(st)}”{how}为{wan(stated)}，而{describe(prev)}{cv.quote()}，相差{wan(diff)}",
                    statement_location(doc, st), related=[cv.location()], expected=cv.wan, actual=stated,
                )
