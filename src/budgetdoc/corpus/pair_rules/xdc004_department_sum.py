"""XDC004: a 部门 document is the sum of its units' documents, table by table, code by code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ...check.findings import Finding
from ...check.tolerance import convert, envelope_of
from ...check.util import cell_location, table_name
from ...model import Disclosure, Location, Table
from ..common import CellValue, cell_value, describe
from ..group import Corpus, unit_key
from ..rule import PairRule

# tables of fiscal appropriations: a department's amount is its units' sum (an error when not);
# the other tables may carry money passed between the department's own units (上级补助, 附属单位上缴)
FISCAL = {"T4", "T5", "T6", "T7", "T8", "T9", "B4", "B5_1", "B6", "B7", "B8", "B9"}
OTHER = {"T1", "T2", "T3", "B1", "B2", "B3"}
# money passed between units of one department: eliminated when the department consolidates them
_INTERNAL_COLUMNS = {"superior", "affiliated", "to_superior", "to_affiliated"}
_INTERNAL_ROWS = re.compile(r"上级补助|附属单位上缴|上缴上级|对附属单位补助|总计|结转|结余")


def _doubtful(corpus: Corpus, cv: CellValue | None) -> bool:
    """A cell that fails its own table's identities in its own document (said there, by ARI…)."""
    return cv is not None and (cv.table.key, cv.row.key, cv.row.part, cv.column) in corpus.doubtful(cv.doc)


def _fmt(v: Decimal, unit: str) -> str:
    return f"{v:,.2f} {unit}"


class DepartmentSum(PairRule):
    """A 部门 document consolidates its units' documents (the department's own office and each unit its
    构成 / 机构设置 section, or a register, lists): each amount of its tables is the sum of the same cell (table,
    code or row, column) in its units' documents of the same kind and year — within the rounding envelope,
    amounts of 元 and 万元 tables converted (primer §1: 部门 = the department's own office plus the units under
    it, consolidated). Fiscal-appropriation tables (财政拨款收支总表 and after) must add up (error); the
    收支总表 / 收入 / 支出 tables may carry money passed between the department's units (a warning); the
    carry-over and 总计 rows and the 上级补助 / 附属单位上缴 money are not compared. When not every unit
    is given (or the department lists none), only what is certain is said: the department's amount is not
    less than any one unit's (a warning). A cell that fails its own table's identities in its own document
    (its ARI001-ARI004 error says so there) is not compared: which of its cells is misprinted is not known,
    and a department is not blamed for its unit's misprint (nor a unit for its department's).

    Bad:  the 2025 部门预算 of 上海市普陀区商务委员会 (one unit: the 本部; its 中小企业服务中心 不单列预算) prints
          2011301 行政运行 9,389,913.00 元 in its 一般公共预算支出功能分类预算表, its office's 单位预算
          9,489,913.00 元.
    Good: both print 9,389,913.00 元.
    """

    id = "XDC004"
    name = "department-sum"
    severity = "error"

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        for dept in corpus.of_kind(scope="部门"):
            i = dept.identity
            members = corpus.units_of(dept) or []
            found = {m: corpus.unit_document(m, i.kind, i.year) for m in members}
            units: list[Disclosure] = list({id(d): d for d in found.values() if d is not None}.values())
            complete = bool(members) and all(d is not None for d in found.values())
            if not members:  # nothing listed: the department's own office, by its name
                own = corpus.find(unit_key(dept), "单位", i.kind or "", i.year)
                units = [own] if own is not None else []
            if not units:
                continue
            for table in dept.tables:
                if table.key not in FISCAL | OTHER:
                    continue
                if complete:
                    yield from self._sum(corpus, dept, table, units)
                else:
                    for u in units:
                        yield from self._at_least(corpus, dept, table, u)

    @staticmethod
    def _cells(t: Table, columns: set[str]) -> list[tuple[str, str | None, str]]:
        out = []
        for r in t.rows:
            if _INTERNAL_ROWS.search(r.name or r.key):
                continue
            for c in t.columns:
                if c.id in columns and c.id not in _INTERNAL_COLUMNS:
                    out.append((r.key, r.part, c.id))
        return out

    def _sum(self, corpus: Corpus, dept: Disclosure, table: Table, units: list[Disclosure]) -> Iterator[Finding]:
        others = [u.table(table.key) for u in units]
        if any(t is None for t in others):
            return  # a unit without the table: its amounts are unknown
        columns = {c.id for c in table.columns}
        for t in others:
            columns &= {c.id for c in t.columns}  # type: ignore[union-attr]
        keys = list(dict.fromkeys(self._cells(table, columns) + [k for t in others for k in self._cells(t, columns)]))
        severity = "error" if table.key in FISCAL else "warning"
        for key, part, column in keys:
            g = cell_value(dept, table.key, key, part, column)
            if g is None and (table.find(key, part) is not None or table.uncertain):
                continue  # a guessed cell, or a row an uncertain table may have left unread
            if _doubtful(corpus, g):
                continue
            parts: list[tuple[Disclosure, Table, CellValue | None]] = []
            known = True
            for u, t in zip(units, others, strict=True):
                cv = cell_value(u, table.key, key, part, column)
                if (cv is None and (t.find(key, part) is not None or t.uncertain)  # type: ignore[union-attr]
                        or _doubtful(corpus, cv)):
                    known = False
                    break
                parts.append((u, t, cv))  # type: ignore[arg-type]
            if not known:
                continue
            total = sum((convert(cv.value, t.unit, table.unit) for _, t, cv in parts if cv), Decimal(0))
            have = g.value if g is not None else Decimal(0)
            if g is None and total == 0:
                continue
            diff = have - total
            if abs(diff) <= envelope_of([table.unit] + [t.unit for _, t, _ in parts], table.unit):
                continue
            each = "；".join(f"{u.identity.publisher} {_fmt(cv.value, t.unit) if cv else '无此行'}"
                            for u, t, cv in parts)
            here = g.quote() if g is not None else f"{table_name(table)}没有“{key}”行（{column}）"
            loc = g.location() if g is not None else cell_location(dept, table, None, None)
            related = [cv.location() if cv else cell_location(u, t, None, None) for u, t, cv in parts]
            yield self.finding(
                f"部门{here}，而所属{len(parts)}个单位之和为{_fmt(total, table.unit)}（{each}），"
                f"相差{_fmt(diff, table.unit)}",
                loc, related=related, severity=severity,  # type: ignore[arg-type]
                expected=total, actual=have,
            )

    def _at_least(self, corpus: Corpus, dept: Disclosure, table: Table, unit: Disclosure) -> Iterator[Finding]:
        ut = unit.table(table.key)
        if ut is None:
            return
        columns = {c.id for c in table.columns} & {c.id for c in ut.columns}
        for key, part, column in self._cells(ut, columns):
            cv = cell_value(unit, table.key, key, part, column)
            if cv is None or cv.value <= 0 or _doubtful(corpus, cv):
                continue
            g = cell_value(dept, table.key, key, part, column)
            if g is None and (table.uncertain or table.find(key, part) is not None) or _doubtful(corpus, g):
                continue
            have = g.value if g is not None else Decimal(0)
            mine = convert(cv.value, ut.unit, table.unit)
            if have - mine >= -envelope_of([table.unit, ut.unit], table.unit):
                continue
            here = g.quote() if g is not None else f"{table_name(table)}没有“{key}”行（{column}）"
            loc: Location = g.location() if g is not None else cell_location(dept, table, None, None)
            yield self.finding(
                f"部门{here}，小于所属单位{describe(unit)}的{cv.quote()}（部门数应不小于其任一单位数）",
                loc, related=[cv.location()], severity="warning", expected=mine, actual=have,
            )
