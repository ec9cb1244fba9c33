"""XDC003: a 预算's 上年预算 / 上年预算执行数 are the unit's 预算 and 决算 of the year before."""

from __future__ import annotations

from collections.abc import Iterator

from ...check.findings import Finding
from ..common import bound, describe, parse_ref, previous_amount, ref_cell, statement_location, subject, wan
from ..group import Corpus
from ..rule import PairRule
from .xdc002_final_previous import names_year

# a 预算 table quantity → the same money in the 决算 (its execution)
_FINAL = {"B5_1": ("T5", {"total": "total", "basic": "basic", "project": "project"}),
          "B3": ("T3", {"total": "total", "basic": "basic", "project": "project"}),
          "B8": ("T7", {"total": "total", "basic": "basic", "project": "project"}),
          "B9": ("T8", {"total": "total", "basic": "basic", "project": "project"}),
          "B7": ("T9", {"total": "final_total", "abroad": "final_abroad", "car": "final_car",
                        "car_buy": "final_car_buy", "car_run": "final_car_run", "reception": "final_reception"})}


def final_ref(ref: str | None) -> str | None:
    parsed = parse_ref(ref) if ref else None
    if parsed is None or parsed[0] not in _FINAL:
        return None
    key, row, part, column = parsed
    table, columns = _FINAL[key]
    col = columns.get(column)
    return f"{table}:{row}{'@' + part if part else ''}:{col}" if col else None


class BudgetPrevious(PairRule):
    """A 预算 of year N compares with last year's budget or last year's execution (“比2024年预算增加…”,
    “比2024年预算执行数增加…”, “2024年当年预算执行数为A万元”); last year's amount it states or implies is the
    unit's 预算 of year N-1 for the same table quantity (an error), and its 决算 of year N-1 for the execution
    (a warning: the 预算执行数 is estimated before the 决算 is closed) (《预算法》第十四条; primer §3.1,
    §6).

    Bad:  the 2025 预算 says “一般公共预算拨款支出预算37,151.47万元，比2024年预算增加24,491.71万元” (last
          year 12,659.76 万元) while the unit's 2024 预算 prints 12,000.00 万元 in its 一般公共预算支出表.
    Good: the 2024 预算 prints 12,659.76 万元.
    """

    id = "XDC003"
    name = "budget-previous-year"
    severity = "error"

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        for doc in corpus.of_kind(kind="预算"):
            year = doc.identity.year
            if not year:
                continue
            prev_budget = corpus.counterpart(doc, "预算", year - 1)
            prev_final = corpus.counterpart(doc, "决算", year - 1)
            if prev_budget is None and prev_final is None:
                continue
            for st in doc.narrative:
                if st.kind not in ("budget_yoy", "yoy") or not names_year(st.words, year - 1):
                    continue
                derived = previous_amount(st)
                if derived is None:
                    continue
                stated, n = derived
                execution = "执行" in st.words.get("base", "") + st.words.get("comparison", "")
                if execution:
                    other, ref, severity, said = prev_final, final_ref(st.refs.get("current")), "warning", \
                        "上年预算执行数"
                else:
                    other, ref, severity, said = prev_budget, st.refs.get("current"), "error", "上年预算数"
                cv = ref_cell(other, ref) if other is not None else None
                if cv is None:
                    continue
                diff = stated - cv.wan
                if abs(diff) <= bound(n, cv.table.unit):
                    continue
                yield self.finding(
                    f"预算说明“{subject(st)}”的{said}为{wan(stated)}，而{describe(other)}{cv.quote()}，"
                    f"相差{wan(diff)}",
                    statement_location(doc, st), related=[cv.location()], severity=severity,
                    expected=cv.wan, actual=stated,
                )
