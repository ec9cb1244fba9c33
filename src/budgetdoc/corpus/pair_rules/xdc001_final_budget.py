"""XDC001: a unit's 决算 of year N quotes the 年初预算 its own 预算 of year N printed."""

from __future__ import annotations

from collections.abc import Iterator

from ...check.findings import Finding
from ...check.tolerance import WAN, convert
from ..common import bound, cell_value, describe, parse_ref, statement_location, subject, wan
from ..group import Corpus
from ..rule import PairRule

# the 决算 table a narrative execution statement's actual names → the 预算 table of the same money
_BUDGET_TABLE = {"T5": "B5_1", "T3": "B3", "T7": "B8", "T8": "B9"}
_BUDGET_COLUMN = {"T5": "total", "T3": "total", "T7": "total", "T8": "total"}
# the 三公 table's 预算数 columns (决算 T9) → the 预算's 三公 table (B7)
_SANGONG = {"budget_total": "total", "budget_abroad": "abroad", "budget_car": "car", "budget_car_buy": "car_buy",
            "budget_car_run": "car_run", "budget_reception": "reception"}
_SANGONG_FINAL = {"final_total": "total", "final_abroad": "abroad", "final_car": "car",
                  "final_car_buy": "car_buy", "final_car_run": "car_run", "final_reception": "reception"}


class FinalQuotesBudget(PairRule):
    """A unit's 决算 of year N quotes the 年初预算 its own 预算 of year N printed: the narrative's execution
    statements (“年初预算为A万元，支出决算为B万元”, by 功能科目 and in total) against the 预算's 一般公共预算支出表
    (or 支出总表, 政府性基金 / 国有资本经营 tables), and the 三公 table's 预算数 columns against the 预算's 三公 table
    (《预算法》第十四条: the budget approved at the start of the year is published, and the 决算 set against
    it; the 年初预算数 a 决算 quotes is that budget; primer §2, §6).

    Bad:  the 2023 决算 says “信息化建设(项)年初预算为1,069.2万元” while the unit's 2023 预算 prints
          2080108 信息化建设 1,000.00 万元 in its 一般公共预算支出表.
    Good: both say 1,069.20 万元.
    """

    id = "XDC001"
    name = "final-quotes-budget"
    severity = "error"

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        for final in corpus.of_kind(kind="决算"):
            budget = corpus.counterpart(final, "预算", final.identity.year)
            if budget is None:
                continue
            covered: set[str] = set()
            yield from self._sangong(final, budget, covered)
            for st in final.narrative:
                if st.kind != "execution" or "budget" not in st.values:
                    continue
                if "年初" not in st.words.get("budget_word", "") and not st.refs.get("budget"):
                    continue  # 全年预算 (adjusted) is not the 预算 document's amount
                target = self._target(st.refs)
                if target is None or target in covered:
                    continue
                parsed = parse_ref(target)
                cv = cell_value(budget, *parsed) if parsed else None
                if cv is None:
                    continue
                stated = st.values["budget"]
                diff = stated - cv.wan
                if abs(diff) <= bound(1, cv.table.unit):
                    continue
                yield self.finding(
                    f"决算说明“{subject(st)}”的年初预算为{stated:,}万元，而{describe(budget)}"
                    f"{cv.quote()}，相差{wan(diff)}",
                    statement_location(final, st), related=[cv.location()],
                    expected=cv.wan, actual=stated,
                )

    @staticmethod
    def _target(refs: dict[str, str]) -> str | None:
        """The 预算's cell a statement's budget amount is: by the table its actual (or budget) names."""
        for role in ("budget", "actual"):
            parsed = parse_ref(refs.get(role, ""))
            if parsed is None:
                continue
            key, row, part, column = parsed
            if key == "T9":
                col = _SANGONG.get(column) or _SANGONG_FINAL.get(column)
                return f"B7:{row}:{col}" if col else None
            if key in _BUDGET_TABLE and column == _BUDGET_COLUMN[key]:
                return f"{_BUDGET_TABLE[key]}:{row}{'@' + part if part else ''}:total"
        return None

    def _sangong(self, final, budget, covered: set[str]) -> Iterator[Finding]:
        t9, b7 = final.table("T9"), budget.table("B7")
        if t9 is None or b7 is None:
            return
        for row in t9.rows:
            for column, bcol in _SANGONG.items():
                quoted = cell_value(final, "T9", row.key, row.part, column)
                if quoted is None or quoted.cell is None or quoted.cell.value is None:
                    continue
                cv = cell_value(budget, "B7", row.key, row.part, bcol) or (
                    cell_value(budget, "B7", b7.rows[0].key, b7.rows[0].part, bcol) if len(b7.rows) == 1
                    and len(t9.rows) == 1 else None)
                if cv is None:
                    continue
                covered.add(f"B7:{row.key}:{bcol}")
                covered.add(f"B7:{cv.row.key}:{bcol}")
                q = convert(quoted.value, t9.unit, WAN)
                diff = q - cv.wan
                if abs(diff) <= bound(0, t9.unit, cv.table.unit):
                    continue
                yield self.finding(
                    f"{quoted.quote()}（年初预算），而{describe(budget)}{cv.quote()}，相差{wan(diff)}",
                    quoted.location(), related=[cv.location()], expected=cv.wan, actual=q,
                )
