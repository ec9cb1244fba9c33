"""What other tables say a row's cells hold: the catalog's equalities between tables, as evidence for
placing amounts that lost their blank cells.

A 财政拨款收支总表 row ``八、社会保障和就业支出 1285.63 1285.63`` (合计 and one of 一般公共预算 / 政府性基金 /
国有资本经营) is placed by nothing in its own table; the 一般公共预算支出表 says its 208 row is 1285.63, and
the regime says the two are equal (catalog ``[[relations]]``, ``T4-T5-classes``). Only equalities that
always hold (an error when broken, no ``severity`` of their own) are used, and only cells of the other
table that were read with certainty, in the same money unit. :func:`hints` gives, per row, the columns
and amounts so known; :func:`.common.place` keeps a placement only when those leave one open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ...data import catalog
from ...model import Table
from ..text import compact
from .codes import class_code
from .common import TOTAL_NAMES, Draft, row_key
from .resolve import cents


@dataclass(frozen=True)
class _Ref:
    table: str
    row: str  # a row key, ``*class`` (3-digit code) or ``*code`` (any code)
    part: str | None
    column: str


def _ref(text: str) -> _Ref | None:
    parts = text.strip().split(":")
    if len(parts) != 3:
        return None
    row, _, part = parts[1].partition("@")
    return _Ref(parts[0], row, part or None, parts[2])


def _side(text: str) -> list[_Ref] | None:
    refs = [_ref(t) for t in text.split("+")]
    return None if any(r is None for r in refs) or len({r.table for r in refs}) != 1 else refs  # type: ignore[union-attr]


@lru_cache(maxsize=1)
def _equalities() -> list[tuple[_Ref, list[_Ref]]]:
    """(one cell, the cells of another table it equals the sum of), both ways where each side is one."""
    out: list[tuple[_Ref, list[_Ref]]] = []
    for rel in catalog().get("relations", []):
        if rel.get("op", "=") != "=" or rel.get("severity", "error") != "error":
            continue
        left, right = _side(rel.get("left", "")), _side(rel.get("right", ""))
        if not left or not right:
            continue
        if len(left) == 1:
            out.append((left[0], right))
        if len(right) == 1:
            out.append((right[0], left))
    return out


@lru_cache(maxsize=1)
def _parts_of() -> list[tuple[_Ref, _Ref]]:
    """(this table's coded rows, the coded rows of a table that is a part of it): ``T5 ≤ T3`` by code
    (一般公共预算财政拨款 is part of all spending), and their 合计 rows. Where a row's 合计 is the same in both, the rest of the
    row is the part's: every column the two share holds the same amount, the others nothing (amounts
    are not negative)."""
    out = []
    for rel in catalog().get("relations", []):
        left, right = _ref(rel.get("left", "")), _ref(rel.get("right", ""))
        if rel.get("op") != "<=" or not left or not right or "+" in rel["left"] + rel["right"]:
            continue
        if left.column == right.column == "total" and left.row == right.row and left.row in ("*code", "*class"):
            out.append((right, left))
    return out


def _code_of(d: Draft, year: int | None) -> str | None:
    return d.code or class_code(d.name, year)


def _matches(ref: _Ref, d: Draft, year: int | None) -> str | None:
    """The key to look the row up by in the other table when ``d`` is the row ``ref`` names."""
    if ref.part is not None and d.part is not None and ref.part != d.part:
        return None
    code = _code_of(d, year)
    if ref.row == "*class":
        return code if code and len(code) == 3 else None
    if ref.row == "*code":
        return code
    name = compact(d.name)
    if ref.row in TOTAL_NAMES and name in TOTAL_NAMES or row_key(d.name) == ref.row:
        return ref.row
    return None


def hints(
    key: str, unit: str, drafts: list[Draft], columns: list[str], others: list[Table], year: int | None
) -> list[list[tuple[int, int]]]:
    """Per draft, (column index, cents) that a certain cell of another table says the row holds there."""
    out: list[list[tuple[int, int]]] = [[] for _ in drafts]
    tables = {t.key: t for t in others if t.key != key and t.unit == unit}
    if not tables:
        return out
    for mine, others_side in _equalities():
        t = tables.get(others_side[0].table)
        if mine.table != key or mine.column not in columns or t is None:
            continue
        if any(t.column(o.column) is None for o in others_side):
            continue
        col = columns.index(mine.column)
        for i, d in enumerate(drafts):
            at = _matches(mine, d, year)
            if at is None:
                continue
            total = 0
            for o in others_side:
                value = _certain(t, o, at)
                if value is None:
                    break
                total += value
            else:
                out[i].append((col, total))
    for whole, part in _parts_of():
        t = tables.get(part.table)
        if whole.table != key or t is None or "total" not in columns:
            continue
        for i, d in enumerate(drafts):
            at = _matches(whole, d, year)
            if at is None and d.code is None and compact(d.name) in TOTAL_NAMES:
                at = "合计"  # the tables' 合计 rows likewise
            row = t.find(at) if at is not None else None
            if row is None or any(c.read == "guess" for c in row.cells):
                continue
            shared = {c.id for c in t.columns}
            out[i].extend((k, cents(row.value(c)) if c in shared else 0) for k, c in enumerate(columns))
    return out


def _certain(t: Table, ref: _Ref, at: str) -> int | None:
    """The cents a certain cell of ``t`` holds (0 for a blank), None when the row is not printed or the
    cell was read by a guess."""
    look = at if ref.row in ("*class", "*code") else ref.row
    row = t.find(look, ref.part) or (t.find(look) if ref.part is None else None)
    if row is None:
        return None
    cell = row.cell(ref.column)
    if cell is not None and cell.read == "guess":
        return None
    return cents(cell.value if cell is not None else None)


def fits(vec: tuple[int, ...], known: list[tuple[int, int]]) -> bool:
    return all(vec[c] == v for c, v in known)


Hints = Callable[[list[Draft], list[str]], list[list[tuple[int, int]]]]

__all__ = ["Hints", "fits", "hints"]
