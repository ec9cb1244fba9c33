"""Relations between tables, driven by the catalog's ``[[relations]]`` (primer §2.2, §3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ...data import catalog
from ...model import Disclosure, Location, Row, Table
from ..findings import Finding
from ..rule import Rule
from ..tolerance import classify, convert, envelope_of
from ..util import ZERO, amount, cell_location, col_label, row_name, table_name, val


@dataclass(frozen=True)
class Ref:
    table: str
    key: str
    part: str | None
    column: str

    @classmethod
    def parse(cls, text: str) -> Ref:
        table, key, column = text.strip().split(":")
        key, _, part = key.partition("@")
        return cls(table, key, part or None, column)


def _side(text: str) -> list[Ref]:
    return [Ref.parse(t) for t in text.split("+")]


def _rows_by_code(t: Table, ref: Ref, length: int | None) -> dict[str, Row]:
    return {
        r.code: r
        for r in t.rows
        if r.code and r.code.isdigit() and (length is None or len(r.code) == length)
        and (ref.part is None or r.part == ref.part)
    }


def _children(code: str, codes: list[str]) -> list[str]:
    longer = sorted({len(c) for c in codes if len(c) > len(code) and c.startswith(code)})
    return [c for c in codes if longer and len(c) == longer[0] and c.startswith(code)]


class CrossTable(Rule):
    """The same quantity printed in two tables agrees (primer §2.2 and §3).

    Declared in the catalog's ``[[relations]]``: 收入支出决算总表 本年收入合计 = 收入决算表 合计;
    本年支出合计 = 支出决算表 合计 and each class row = the 支出决算表 类 row; 财政拨款 rows of 表1 = 表4;
    表4 一般公共预算 spending by class = 表5; 表5 基本支出 = 表6 人员经费合计 + 公用经费合计; 表4 政府性基金 =
    表7, 国有资本经营 = 表8; the budget's identities between 收支总表, 支出总表, 表5, 表6 and 项目支出表. The
    三公 table (决算 and 预算 alike) covers project spending too, so its figures are at least the 基本支出
    table's economic items (决算: 出国 30212, 接待 30217, 车运行 30231, 车购置 31013; 预算: 接待 30217,
    车运行 30231), never required equal: a 三公 figure above the basic item is normal, one below it a
    warning. Relations that may legitimately not hold (≤
    relations; income vs expenditure of a code when carry-over money was spent) are warnings.

    Bad:  表1 ``社会保障和就业支出 39 1,295.63`` while 表3 ``208 社会保障和就业支出 1,285.63``
    Good: both print 1,285.63
    """

    id = "REL001"
    name = "cross-table"
    category = "relation"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for rel in catalog()["relations"]:
            left, right = _side(rel["left"]), _side(rel["right"])
            tables = {r.table: doc.table(r.table) for r in left + right}
            if any(t is None for t in tables.values()):
                continue  # a missing table is reported by completeness
            if any(not tables[r.table].column(r.column) for r in left + right):
                continue  # a column this layout does not print
            if left[0].key in ("*class", "*code"):
                yield from self._per_code(doc, rel, left[0], right[0], tables)
            else:
                yield from self._single(doc, rel, left, right, tables)

    def _resolve(self, tables: dict, ref: Ref) -> tuple[Table, Row | None, Decimal | None]:
        t = tables[ref.table]
        row = t.find(ref.key, ref.part)
        return t, row, row.value(ref.column) if row else None

    def _single(self, doc, rel, left: list[Ref], right: list[Ref], tables) -> Iterator[Finding]:
        lres = [self._resolve(tables, r) for r in left]
        rres = [self._resolve(tables, r) for r in right]
        if all(v is None for _, _, v in lres + rres):
            return
        if any(row is None and not t.empty for t, row, _ in lres + rres):
            return  # the row itself is not printed (a recognition or completeness matter)
        unit = lres[0][0].unit  # amounts of tables in other units are converted to the left table's
        lv = sum((convert(val(v), t.unit, unit) for t, _, v in lres), ZERO)
        rv = sum((convert(val(v), t.unit, unit) for t, _, v in rres), ZERO)
        bound = envelope_of([t.unit for t, _, _ in lres + rres], unit)
        yield from self._compare(
            doc, rel, lv, rv, bound, lres[0], left[0], rres, right,
        )

    def _per_code(self, doc, rel, lref: Ref, rref: Ref, tables) -> Iterator[Finding]:
        length = 3 if lref.key == "*class" else None
        lt, rt = tables[lref.table], tables[rref.table]
        lrows, rrows = _rows_by_code(lt, lref, length), _rows_by_code(rt, rref, length)
        if not lrows or not rrows:
            return
        codes = sorted(set(lrows) | set(rrows))

        def diff(code: str) -> Decimal:
            lrow, rrow = lrows.get(code), rrows.get(code)
            rv = val(rrow.value(rref.column) if rrow else None)
            return val(lrow.value(lref.column) if lrow else None) - convert(rv, rt.unit, lt.unit)

        diffs = {c: diff(c) for c in codes}
        for code in codes:
            lrow, rrow = lrows.get(code), rrows.get(code)
            lv = lrow.value(lref.column) if lrow else None
            rv = rrow.value(rref.column) if rrow else None
            if val(lv) == 0 and val(rv) == 0:
                continue
            if lrow is None and lt.uncertain or rrow is None and rt.uncertain:
                continue  # a row the table not read with certainty may have left unread
            children = _children(code, codes)
            if children and diffs[code] != 0 and sum(diffs[c] for c in children) == diffs[code]:
                continue  # the difference is entirely that of lower-level codes: reported there, once
            yield from self._compare(
                doc, rel, val(lv), convert(val(rv), rt.unit, lt.unit), envelope_of([lt.unit, rt.unit], lt.unit),
                (lt, lrow, lv), lref, [(rt, rrow, rv)], [rref], code=code,
            )

    def _compare(self, doc, rel, lv, rv, bound, lres, lref, rres, rrefs, code: str | None = None):
        op = rel.get("op", "=")
        diff = lv - rv
        if op == "<=":
            if diff <= bound:
                return
            severity = rel.get("severity", "warning")
        else:
            kind = classify(diff, 1, bound=bound)
            if kind is None:
                return
            severity = "info" if kind == "residue" else rel.get("severity", "error")
        lt, lrow, _ = lres
        left_desc = self._desc(lt, lrow, lref, code)
        right_desc = " ＋ ".join(self._desc(t, row, ref, code) for (t, row, _), ref in zip(rres, rrefs, strict=True))
        rel_word = "不应大于" if op == "<=" else ("与" if "note" in rel else "应等于")
        tail = "不同" if rel_word == "与" else ""
        note = "，在四舍五入尾差范围内" if severity == "info" else ""
        if any(t.unit != lt.unit for t, _, _ in rres):
            note += f"，{'、'.join(sorted({t.unit for t, _, _ in rres} - {lt.unit}))}金额已折算为{lt.unit}"
        msg = f"{left_desc} {amount(lv)}，{rel_word}{right_desc} {amount(rv)}{tail}（相差 {abs(diff):,.2f}{note}）"
        if severity == "warning" and rel.get("note"):
            msg += f"；{rel['note']}"
        where = self._loc(doc, lt, lrow, lref) if lrow is not None else self._loc(doc, *rres[0][:2], rrefs[0])
        related = [self._loc(doc, t, row, ref) for (t, row, _), ref in zip(rres, rrefs, strict=True)]
        yield self.finding(msg, where, severity=severity, expected=rv, actual=lv, related=related)

    @staticmethod
    def _desc(t: Table, row: Row | None, ref: Ref, code: str | None) -> str:
        rname = row_name(row) if row is not None else (code or ref.key)
        return f"{table_name(t)}「{rname}」{col_label(t, ref.column)}"

    @staticmethod
    def _loc(doc: Disclosure, t: Table, row: Row | None, ref: Ref) -> Location:
        return cell_location(doc, t, row, ref.column)
