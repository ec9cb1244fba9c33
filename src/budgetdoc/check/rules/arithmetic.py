"""Arithmetic inside tables, driven by the identities the table catalog declares (primer §2.1, §3)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from ...data import catalog
from ...model import Disclosure, Row, Table
from ..findings import Finding
from ..rule import Rule
from ..tolerance import classify, envelope
from ..util import ZERO, amount, cell_location, col_label, row_name, table_name, val

_TERM = re.compile(r"([+-]?)\s*([a-z_]+)")


def parse_expr(expr: str) -> tuple[str, list[tuple[int, str]]]:
    """``"total = basic + project - x"`` → ("total", [(1, "basic"), (1, "project"), (-1, "x")])."""
    lhs, rhs = (s.strip() for s in expr.split("="))
    terms = [(-1 if sign == "-" else 1, name) for sign, name in _TERM.findall(rhs)]
    return lhs, terms


# a table read by its structure (a layout the catalog does not know, keys S1, S2, …): its code hierarchy
_STRUCTURAL = {"identities": [{"kind": "hierarchy"}]}


def _identities(t: Table, kind: str) -> list[dict]:
    spec = catalog()["by_key"].get(t.key)
    if spec is None and re.fullmatch(r"S\d+", t.key):
        spec = _STRUCTURAL
    return [i for i in (spec or {}).get("identities", []) if i["kind"] == kind]


def row_identity_rows(t: Table, ident: dict) -> tuple[Row, list[Row]] | None:
    """(total row, item rows) of a catalog ``rows`` identity in table ``t``; None where it does not apply:
    its total is not printed, or it is another layout's — the rows it ``requires`` are missing, a row it
    is ``unless`` is printed (Shanghai 收入总计 = 财政拨款收入 + 事业收入 + …; Wuhan 收入总计 = 本年收入合计 +
    上年结转结余), or one of its listed items is printed under none of its alternatives
    (``一般公共预算资金|一般公共预算``)."""
    part = ident.get("part")
    # ``key@part``: a total printed in another part (a name spanning two column groups)
    total_key, _, total_part = ident["total"].partition("@")
    total_row = t.find(total_key, total_part or part)
    if total_row is None:
        return None
    if any(t.find(k, part) is None for k in ident.get("requires", ())):
        return None
    if any(t.find(k, part) is not None for k in ident.get("unless", ())):
        return None
    rows = [r for r in t.rows if part is None or r.part == part]
    if ident["items"] == "before":
        idx = rows.index(total_row) if total_row in rows else len(rows)
        return total_row, [r for r in rows[:idx] if "合计" not in r.key and "小计" not in r.key]
    if ident["items"] == "codes":
        return total_row, [r for r in rows if r.code and r is not total_row]
    found = [_find_any(t, k, part) for k in ident["items"]]
    if any(r is None for r in found):
        return None
    return total_row, [r for r in found if r is not None]


_TOTAL_NAME = re.compile(r"^(?:合计|总计|收入总计|支出总计)$")


def tree_identity_rows(t: Table) -> list[tuple[Row, list[Row]]]:
    """(parent row, its children) of a ``tree`` table (a row's :attr:`~budgetdoc.model.Row.part` is its
    parent's key): every parent with children, and a top-level 合计/总计 row with the other top-level
    rows. ``其中`` rows (a part of their parent, not an addend) are left out."""
    kids: dict[str | None, list[Row]] = {}
    for r in t.rows:
        kids.setdefault(r.part, []).append(r)

    def addends(rows: list[Row]) -> list[Row]:
        return [r for r in rows if not r.name.replace(" ", "").startswith("其中")
                and not _TOTAL_NAME.match(r.key)]

    out = [(r, addends(kids[r.key])) for r in t.rows if r.key in kids and addends(kids[r.key])]
    top = kids.get(None, [])
    for r in top:
        if _TOTAL_NAME.match(r.key) and addends(top):
            out.append((r, addends(top)))
    return out


def _find_any(t: Table, keys: str, part: str | None) -> Row | None:
    return next((r for k in keys.split("|") if (r := t.find(k, part)) is not None), None)


def _sum_text(parts: list[tuple[str, Decimal | None, int]]) -> str:
    out = ""
    for i, (label, v, sign) in enumerate(parts):
        op = ("－" if sign < 0 else "＋") if i else ("－" if sign < 0 else "")
        out += f"{op}{label} {amount(v)}"
    return out


class _SumRule(Rule):
    """Shared reporting: a total against the sum of its parts, residue as info, beyond as error."""

    category = "arithmetic"

    def _report(
        self,
        doc: Disclosure,
        t: Table,
        row: Row,
        column: str,
        total: Decimal | None,
        parts: list[tuple[str, Decimal | None, int]],
        what: str | Callable[[], str],
        cells: list[tuple[Row, str]] | Callable[[], list[tuple[Row, str]]] | None = None,
    ) -> Finding | None:
        """A finding when ``total`` is not the sum of ``parts`` (``what`` and ``cells`` may be given as
        functions: they are only needed for a finding, and most totals agree)."""
        computed = ZERO  # sum((val(v) * sign for _, v, sign in parts), ZERO), without a generator
        for _, v, sign in parts:
            computed = computed + (ZERO if v is None else v) * sign
        diff = (ZERO if total is None else total) - computed
        kind = classify(diff, len(parts), t.unit)
        if kind is None:
            return None
        if callable(what):
            what = what()
        if callable(cells):
            cells = cells()
        severity = "info" if kind == "residue" else "error"
        tail = "，在四舍五入尾差范围内" if kind == "residue" else ""
        msg = (
            f"{table_name(t)}{what}：{amount(total)} ≠ {_sum_text(parts)} = {amount(computed)}"
            f"（相差 {abs(diff):,.2f}{tail}）"
        )
        # the parts' cells are the other places involved: one of them may be the wrong one (a blank read
        # as such by a guess too: certainty.settle drops the finding)
        related = [cell_location(doc, t, r, c) for r, c in cells or () if r.cell(c) is not None]
        return self.finding(
            msg, cell_location(doc, t, row, column), severity=severity, expected=computed, actual=val(total),
            related=related,
        )


class ColumnIdentity(_SumRule):
    """Column identities on every row (表注 “1栏各行＝（2＋3＋…）栏各行”).

    Enforces the identities the catalog declares per table, e.g. 支出决算表 本年支出合计 = 基本支出 +
    项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出; 三公 合计 = 出国 + 公务用车 + 接待.

    Bad:  ``208 社会保障和就业支出 1,285.63 649.45 646.18``  (649.45 + 646.18 = 1,295.63)
    Good: ``208 社会保障和就业支出 1,285.63 649.45 636.18``
    A difference within the rounding envelope (n × 0.005 万元, n × 0.5 元) is reported as info only.
    """

    id = "ARI001"
    name = "column-identity"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            for ident in _identities(t, "columns"):
                lhs, terms = ident.get("parsed") or parse_expr(ident["expr"])
                ids = {lhs, *(n for _, n in terms)}
                # a column the table does not print is blank; ``needs``: columns without which the
                # identity says nothing (a variant's own split of a total)
                if not t.column(lhs) or not any(t.column(n) for _, n in terms):
                    continue
                if any(not t.column(n) for n in ident.get("needs", ())):
                    continue
                printed = [(s, n, col_label(t, n)) for s, n in terms if t.column(n)]
                lhs_label = col_label(t, lhs)
                for r in t.rows:
                    if ident.get("part") and r.part != ident["part"]:
                        continue
                    values: dict[str, Decimal | None] = {}
                    for c in r.cells:  # the first cell of a column, as Row.value reads it
                        values.setdefault(c.column, c.value)
                    if all(values.get(i) is None for i in ids):
                        continue
                    parts = [(label, values.get(n), s) for s, n, label in printed]
                    f = self._report(
                        doc, t, r, lhs, values.get(lhs), parts,
                        lambda r=r, label=lhs_label: f"行「{row_name(r)}」{label}",
                        lambda r=r, printed=printed: [(r, n) for _, n, _ in printed],
                    )
                    if f:
                        yield f


class RowTotals(_SumRule):
    """Total rows equal the sum of their item rows (表注 “27行＝（1＋2＋…＋8）行” etc.).

    Enforces the row identities of the summary tables (本年收入合计 = Σ 收入 items; 总计 = 本年收入合计 +
    使用非财政拨款结余 + 年初结转和结余; 本年支出合计 = Σ 功能分类 rows) and of the economic table
    (人员经费合计 = 301 + 303; 公用经费合计 = 302 + 310 + …).

    Bad:  ``一般公共预算财政拨款收入 1 1466.86 … 本年收入合计 27 1476.86``
    Good: ``一般公共预算财政拨款收入 1 1466.86 … 本年收入合计 27 1466.86``
    """

    id = "ARI002"
    name = "row-totals"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            groups = [row_identity_rows(t, ident) for ident in _identities(t, "rows")]
            if _identities(t, "tree"):
                groups += tree_identity_rows(t)
            for related in groups:
                if related is None:
                    continue
                total_row, items = related
                columns = [c.id for c in t.columns if total_row.cell(c.id) is not None
                           or any(r.cell(c.id) is not None for r in items)]
                for col in columns:
                    if total_row.value(col) is None and all(r.value(col) is None for r in items):
                        continue
                    parts = [(row_name(r), r.value(col), 1) for r in items if r.value(col) is not None]
                    what = f"「{row_name(total_row)}」{col_label(t, col)}"
                    cells = [(r, col) for r in items]
                    f = self._report(doc, t, total_row, col, total_row.value(col), parts, what, cells)
                    if f:
                        yield f


class CodeHierarchy(_SumRule):
    """Classification hierarchy inside a table: 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类 (primer §2.1).

    Functional codes (3/5/7 digits) and economic codes (3/5 digits) start with their parent's code; a
    parent's amount in each column equals the sum of its children's printed amounts.

    Bad:  ``20801 人力资源和社会保障管理事务 1207.2`` with children 444.42 + 571.02 + 191.76 = 1,207.20
          printed as ``1217.2``
    Good: ``20801 … 1207.2``
    """

    id = "ARI003"
    name = "code-hierarchy"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            if not _identities(t, "hierarchy"):
                continue
            coded = [r for r in t.rows if r.code and r.code.isdigit()]
            if not coded:
                continue
            lengths = sorted({len(r.code) for r in coded})
            top = lengths[0]
            # (parent's length, children's length) → parent code → its children, in the table's order
            by_parent: dict[tuple[int, int], dict[str, list[Row]]] = {}
            for n in lengths[1:]:
                for short in (k for k in lengths if k < n):
                    groups = by_parent[(short, n)] = {}
                    for c in coded:
                        if len(c.code) == n:
                            groups.setdefault(c.code[:short], []).append(c)
            longer = {k: next((n for n in lengths if n > k), None) for k in lengths}
            for r in coded:
                nxt = longer[len(r.code)]
                if nxt is None:
                    continue
                children = by_parent[(len(r.code), nxt)].get(r.code)
                if children:
                    yield from self._check(doc, t, r, children)
            total = t.find("合计")
            if total is not None:
                yield from self._check(doc, t, total, [r for r in coded if len(r.code) == top])

    def _check(self, doc: Disclosure, t: Table, parent: Row, children: list[Row]) -> Iterator[Finding]:
        rows = [parent, *children]
        values: list[dict[str, Decimal | None]] = [{} for _ in rows]
        for v, r in zip(values, rows, strict=True):
            for c in r.cells:  # the first cell of a column, as Row.value reads it
                v.setdefault(c.column, c.value)
        for col in (c.id for c in t.columns):
            if all(v.get(col) is None for v in values):
                continue
            parts = [(c.code or c.key, v[col], 1) for c, v in zip(children, values[1:], strict=True)
                     if v.get(col) is not None]
            f = self._report(
                doc, t, parent, col, values[0].get(col), parts,
                lambda col=col: f"「{row_name(parent)}」{col_label(t, col)}（下级科目之和）",
                lambda col=col: [(c, col) for c in children],
            )
            if f:
                yield f


class HalvesBalance(Rule):
    """Both halves of a summary table balance: 收入总计 = 支出总计 (primer §2.1, §3).

    Bad:  ``总计 31 1466.86 … 总计 62 1476.86``
    Good: ``总计 31 1466.86 … 总计 62 1466.86``
    """

    id = "ARI004"
    name = "halves-balance"
    category = "arithmetic"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            for ident in _identities(t, "halves"):
                lk, lp = ident["left"].split("@")
                rk, rp = ident["right"].split("@")
                left, right = t.find(lk, lp), t.find(rk, rp)
                if left is None or right is None:
                    continue
                lcol = next((c.id for c in t.columns if left.value(c.id) is not None), None)
                rcol = next((c.id for c in t.columns if right.value(c.id) is not None), None)
                lv = left.value(lcol) if lcol else None
                rv = right.value(rcol) if rcol else None
                diff = val(lv) - val(rv)
                kind = classify(diff, 1, t.unit)
                if kind is None:
                    continue
                sev = "info" if abs(diff) <= envelope(1, t.unit) else "error"
                yield self.finding(
                    f"{table_name(t)}收入总计 {amount(lv)} 与支出总计 {amount(rv)} 不相等（相差 {abs(diff):,.2f}）",
                    cell_location(doc, t, right, rcol),
                    severity=sev,
                    expected=val(lv),
                    actual=val(rv),
                    related=[cell_location(doc, t, left, lcol)],
                )
