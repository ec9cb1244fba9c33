"""What the pair rules share: reading a table cell a reference names (with certainty), where it is, how
a message quotes it, and how a narrative comparison gives last year's amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..check.tolerance import WAN, convert, envelope_of
from ..check.util import cell_location, table_name
from ..model import Cell, Disclosure, Location, Row, Statement, Table

ZERO = Decimal(0)


@dataclass(frozen=True)
class CellValue:
    """A cell a reference names: its table, row, cell (None: a blank cell of a known column), its value as
    printed (in ``table.unit``) and in 万元."""

    doc: Disclosure
    table: Table
    row: Row
    column: str
    cell: Cell | None
    value: Decimal

    @property
    def wan(self) -> Decimal:
        return convert(self.value, self.table.unit, WAN)

    def location(self) -> Location:
        return cell_location(self.doc, self.table, self.row, self.column)

    def quote(self) -> str:
        """``表B5_1《一般公共预算支出表》2080108 信息化建设行 合计：1,069.20 万元``."""
        name = f"{self.row.code} {self.row.name}" if self.row.code and self.row.code not in self.row.name \
            else (self.row.name or self.row.key)
        label = next((c.label for c in self.table.columns if c.id == self.column), self.column)
        amount = f"{self.value:,.2f} {self.table.unit}"
        if self.table.unit != WAN:
            amount += f"（{self.wan:,.2f}万元）"
        return f"{table_name(self.table)}“{name}”行{label} {amount}"


def parse_ref(ref: str) -> tuple[str, str, str | None, str] | None:
    """``T5:2080108:total`` / ``T1:总计@收入:amount`` → (table, row key, part, column); alternatives
    (``a|b``) give the first."""
    ref = ref.split("|", 1)[0]
    try:
        key, row, column = ref.split(":")
    except ValueError:
        return None
    part = None
    if "@" in row:
        row, part = row.split("@", 1)
    return key, row, part, column


def cell_value(doc: Disclosure, table_key: str, row_key: str, part: str | None, column: str) -> CellValue | None:
    """The cell, read with certainty: a guessed cell is no value (house rule: errors only on what was read
    with certainty); a blank cell of a column the table has is zero; a row that is not there is None."""
    t = doc.table(table_key)
    if t is None or t.column(column) is None:
        return None
    r = t.find(row_key, part) or (t.find(row_key) if part is None else None)
    if r is None:
        return None
    c = r.cell(column)
    if c is not None and c.read == "guess":
        return None
    value = c.value if c is not None and c.value is not None else ZERO
    return CellValue(doc, t, r, column, c, value)


def ref_cell(doc: Disclosure, ref: str | None) -> CellValue | None:
    parsed = parse_ref(ref) if ref else None
    return cell_value(doc, *parsed) if parsed else None


def statement_location(doc: Disclosure, st: Statement) -> Location:
    loc = st.location
    return loc if loc.file else loc.at(file=doc.source)


def identity_location(doc: Disclosure) -> Location:
    loc = doc.identity.location
    return loc if loc.file else loc.at(file=doc.source)


def describe(doc: Disclosure) -> str:
    """``武汉市…信息中心2023年单位预算（文件 x.txt）``: how a message names the other document."""
    i = doc.identity
    name = f"{i.publisher or '?'}{i.year or ''}年{i.scope or ''}{i.kind or ''}"
    return f"{name}（{doc.source.rsplit('/', 1)[-1]}）"


def subject(st: Statement) -> str:
    """How a message names a statement's subject: a 类/款/项 chain by its 项 name and code."""
    from ..check.rules.narrative_analysis import named

    return named(st) or "支出"


def wan(v: Decimal) -> str:
    return f"{v:,.2f}万元"


def previous_amount(st: Statement) -> tuple[Decimal, int] | None:
    """Last year's amount a comparison states (``previous``), or derives (current ∓ change, 持平: current),
    and how many printed amounts it rests on; None when the words contradict each other or a number is
    missing."""
    v = st.values
    if "previous" in v:
        return v["previous"], 1
    cur = v.get("current")
    if cur is None:
        return None
    direction = st.words.get("direction", "")
    up = any(w in direction for w in ("增加", "增长", "上升", "提高"))
    down = any(w in direction for w in ("减少", "下降", "降低"))
    if direction == "持平" and not up and not down:
        return cur, 1
    change = v.get("change")
    if change is None or up == down:
        return None
    return (cur - change if up else cur + change), 2


def bound(n_wan: int, *units: str | None) -> Decimal:
    """Rounding envelope, in 万元, of ``n_wan`` amounts printed in 万元 and one amount per ``units``."""
    return envelope_of([WAN] * n_wan + list(units), WAN)


__all__ = ["CellValue", "bound", "cell_value", "describe", "identity_location", "parse_ref", "previous_amount",
           "ref_cell", "statement_location", "subject", "wan"]
