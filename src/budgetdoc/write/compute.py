"""Computed, not typed: every total, subtotal and class row from the leaves, and every code's name from
the reference data of the year.

The identities are the catalog's (``data/catalog.toml``): column identities (``total = basic +
project``), row totals (``本年收入合计`` = the rows before it), the code hierarchy (类 = Σ 款, 款 = Σ 项,
合计 = Σ 类), plus the class rows of the summary tables taken from their detail tables (:data:`DERIVE`).
A total the data gives is kept when it agrees with the computed one — exactly, or within the rounding
envelope (a total rounded from yuan may differ from the sum of rounded parts by a few cents) — and is
refused with a finding naming its input cell otherwise.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..check.findings import Finding
from ..check.rules.arithmetic import parse_expr, row_identity_rows
from ..check.tolerance import classify
from ..check.util import fold
from ..data import catalog, codes
from ..model import Cell, Disclosure, Location, Row, Table
from .data import WriteData

ZERO = Decimal(0)
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)])\s*")

# summary-table class rows taken from the detail tables: (table, part, column) ← (table, column)
DERIVE: list[tuple[tuple[str, str, str], tuple[str, str]]] = [
    (("T1", "支出", "amount"), ("T3", "total")),
    (("T4", "支出", "general"), ("T5", "total")),
    (("T4", "支出", "fund"), ("T7", "total")),
    (("T4", "支出", "soe"), ("T8", "total")),
    (("B1", "支出", "amount"), ("B3", "total")),
    (("B4", "支出", "general"), ("B5_1", "total")),
    (("B4", "支出", "fund"), ("B8", "total")),
    (("B4", "支出", "soe"), ("B9", "total")),
]
# a summary whose expenditure half prints one amount column (Wuhan 财政拨款收支总表): each class row is the sum
# of the fund tables' class rows — applied only when the summary has none of the per-fund columns
DERIVE_SUM: list[tuple[tuple[str, str, str], list[tuple[str, str]]]] = [
    (("B4", "支出", "amount"), [("B5_1", "total"), ("B8", "total"), ("B9", "total")]),
]


def strip_ordinal(name: str) -> str:
    return _ORDINAL.sub("", name or "").strip()


def scheme_of(t: Table) -> str:
    spec = catalog()["by_key"].get(t.key, {})
    return "economic" if spec.get("layout") == "economic" else "functional"


class Computer:
    """Fills one document's derived cells; ``findings`` says where given totals or names disagree,
    ``derived`` which cells were computed (table, part, row key, column)."""

    def __init__(self, data: WriteData) -> None:
        self.data = data
        self.doc: Disclosure = data.doc.model_copy(deep=True)
        self.findings: list[Finding] = []
        self.derived: set[tuple] = set()
        self.given: dict[tuple, Decimal] = {}
        for t in self.doc.tables:
            for r in t.rows:
                for c in r.cells:
                    if c.value is not None:
                        self.given[(t.key, r.part, r.key, c.column)] = c.value

    # ---------------------------------------------------------------- findings
    def finding(self, rule: str, message: str, t: Table | None, r: Row | None = None, column: str | None = None,
                expected: str | None = None, actual: str | None = None, severity: str = "error") -> None:
        ref = self.data.ref(t.key if t else None, r.part if r else None, r.key if r else None, column)
        loc = Location(file=self.data.source, table=t.key if t else None, row=r.key if r else None,
                       part=r.part if r else None, column=column,
                       column_label=(t.column(column).label if t and column and t.column(column) else None))
        self.findings.append(Finding(rule=rule, name="write-data", category="data", severity=severity,
                                     message=f"{ref + '：' if ref else ''}{message}", location=loc,
                                     expected=expected, actual=actual))

    # ---------------------------------------------------------------- names
    def names(self) -> None:
        year = self.doc.identity.year
        for t in self.doc.tables:
            ref = codes(scheme_of(t), year)
            for r in t.rows:
                if not r.code:
                    continue
                name = ref.get(r.code)
                given = strip_ordinal(r.name)
                if name is None:
                    if not given:
                        self.finding("WRT002", f"科目编码 {r.code} 不在{year}年科目表中，且未填写科目名称", t, r)
                    continue
                if given and fold(given) != fold(name) and _layout(t) != "summary":
                    self.finding("WRT002", f"科目 {r.code} 的名称填为“{given}”，{year}年科目名称为“{name}”",
                                 t, r, expected=name, actual=given)
                r.name = name

    # ---------------------------------------------------------------- values
    def set(self, t: Table, r: Row, column: str, value: Decimal | None, n_terms: int) -> None:
        """Put a computed value; a given value that disagrees beyond rounding is a finding."""
        if value is None or t.column(column) is None:
            return
        key = (t.key, r.part, r.key, column)
        given = self.given.get(key)
        if given is not None:
            kind = classify(given - value, max(n_terms, 1), t.unit)
            if kind == "real":
                self.finding("WRT001", f"{_row_label(r)}「{t.column(column).label}」填为 {given:,.2f}，"
                             f"由明细计算应为 {value:,.2f}", t, r, column,
                             expected=f"{value:.2f}", actual=f"{given:.2f}")
            elif kind == "residue":
                # a total rounded from yuan: keep what was given (and a filled workbook keeps it typed)
                self.derived.discard(key)
                return
        self.derived.add(key)
        cell = r.cell(column)
        if cell is None:
            r.cells.append(Cell(column=column, value=value, text=f"{value:.2f}"))
        else:
            cell.value, cell.text = value, f"{value:.2f}"

    @staticmethod
    def total(values: list[Decimal | None], signs: list[int] | None = None) -> Decimal | None:
        if all(v is None for v in values):
            return None
        signs = signs or [1] * len(values)
        return sum(((v or ZERO) * s for v, s in zip(values, signs, strict=True)), ZERO)

    def columns(self, t: Table) -> None:
        idents = _identities(t, "columns")
        parsed = [parse_expr(i["expr"]) for i in idents]
        used = {n for _, terms in parsed for _, n in terms}
        # an identity whose result is a term of another runs first (basic = personnel + public before
        # total = basic + project), so a total is never taken from a part not yet computed
        for ident in sorted(idents, key=lambda i: parse_expr(i["expr"])[0] not in used):
            lhs, terms = parse_expr(ident["expr"])
            if not t.column(lhs) or not any(t.column(n) for _, n in terms):
                continue
            if any(not t.column(n) for n in ident.get("needs", ())):
                continue
            for r in t.rows:
                if ident.get("part") and r.part != ident["part"]:
                    continue
                present = [(s, n) for s, n in terms if t.column(n)]
                v = self.total([r.value(n) for _, n in present], [s for s, _ in present])
                self.set(t, r, lhs, v, len(present))

    def hierarchy(self, t: Table) -> None:
        if not _identities(t, "hierarchy"):
            return
        coded = [r for r in t.rows if r.code and r.code.isdigit()]
        if not coded:
            return
        lengths = sorted({len(r.code) for r in coded})
        for length in reversed(lengths[:-1]):
            nxt = [n for n in lengths if n > length][0]
            for r in (r for r in coded if len(r.code) == length):
                children = [c for c in coded if len(c.code) == nxt and c.code.startswith(r.code)]
                if children:
                    for col in t.columns:
                        self.set(t, r, col.id, self.total([c.value(col.id) for c in children]), len(children))
        top = [r for r in coded if len(r.code) == lengths[0]]
        total = t.find("合计")
        if total is not None:
            for col in t.columns:
                self.set(t, total, col.id, self.total([c.value(col.id) for c in top]), len(top))

    def rows(self, t: Table) -> None:
        for ident in _identities(t, "rows"):
            related = row_identity_rows(t, ident)
            if related is None:
                continue
            total_row, items = related
            part = ident.get("part")
            for col in t.columns:
                if col.group and part and col.group != part:
                    continue
                self.set(t, total_row, col.id, self.total([r.value(col.id) for r in items]), len(items))

    def derive(self) -> None:
        for (tk, part, col), (sk, scol) in DERIVE:
            t, s = self.doc.table(tk), self.doc.table(sk)
            if t is None or s is None or t.column(col) is None or s.column(scol) is None:
                continue
            classes = {r.code: r for r in s.rows if r.code and len(r.code) == 3}
            for r in t.rows:
                if r.part == part and r.code and len(r.code) == 3:
                    src = classes.get(r.code)
                    self.set(t, r, col, src.value(scol) if src else None, 1)
            missing = [c for c in classes.values() if c.value(scol) not in (None, ZERO)
                       and t.find(c.code, part) is None]
            for c in missing:  # a class with money that the summary does not list
                self.finding("WRT003", f"{t.title or t.key}支出部分缺少类级科目 {c.code} {c.name}"
                             f"（{s.title or s.key}有该类金额）", t)
        for (tk, part, col), sources in DERIVE_SUM:
            t = self.doc.table(tk)
            if t is None or t.column(col) is None or any(t.column(c) for c in ("general", "fund", "soe")):
                continue
            tables = [(self.doc.table(sk), scol) for sk, scol in sources]
            tables = [(s, scol) for s, scol in tables if s is not None and s.column(scol) is not None]
            if not tables:
                continue
            for r in t.rows:
                if r.part == part and r.code and len(r.code) == 3:
                    vals = [s.value(r.code, scol) for s, scol in tables]
                    self.set(t, r, col, self.total(vals) if any(v is not None for v in vals) else None, 1)

    def run(self) -> Disclosure:
        self.names()
        functional = [t for t in self.doc.tables if _layout(t) != "summary"]
        summary = [t for t in self.doc.tables if _layout(t) == "summary"]
        for t in functional:
            self.columns(t)
            self.hierarchy(t)
            self.columns(t)
            self.rows(t)
        self.derive()
        for t in summary:
            self.columns(t)
            self.rows(t)
            self.columns(t)
            self.halves(t)
        return self.doc

    def halves(self, t: Table) -> None:
        for ident in _identities(t, "halves"):
            lk, lp = ident["left"].split("@")
            rk, rp = ident["right"].split("@")
            left, right = t.find(lk, lp), t.find(rk, rp)
            if left is None or right is None:
                continue
            lv = next((left.value(c.id) for c in t.columns if left.value(c.id) is not None), None)
            rv = next((right.value(c.id) for c in t.columns if right.value(c.id) is not None), None)
            if lv is not None and rv is not None and classify(lv - rv, 1, t.unit) == "real":
                self.finding("WRT001", f"收入总计 {lv:,.2f} 与支出总计 {rv:,.2f} 不相等", t, right,
                             expected=f"{lv:.2f}", actual=f"{rv:.2f}")


def _layout(t: Table) -> str | None:
    return catalog()["by_key"].get(t.key, {}).get("layout")


def _row_label(r: Row) -> str:
    return f"「{r.code} {r.name}」" if r.code else f"「{r.part + '·' if r.part else ''}{r.name or r.key}」"


def _identities(t: Table, kind: str) -> list[dict]:
    spec = catalog()["by_key"].get(t.key)
    return [i for i in (spec or {}).get("identities", []) if i["kind"] == kind]


def compute(data: WriteData) -> tuple[Disclosure, list[Finding], set[tuple]]:
    """The document with every derived cell computed, the findings on the data, the derived cells."""
    c = Computer(data)
    doc = c.run()
    return doc, c.findings, c.derived
