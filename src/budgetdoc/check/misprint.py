"""Which printed cell is wrong: the one cell whose correction makes a table's failing identities hold.

A misprinted 项目支出 on a 项 row breaks two identities at once: its row's 合计 = 基本支出 + 项目支出 (ARI001)
and its 款's 项目支出 = Σ 项 (ARI003). Each finding points at the total of its identity (the 合计, the 款),
which are right; the cell to correct is the one both identities share. :func:`misprints` works it out
from the findings of the sum rules (ARI001–ARI003) and the model:

- the failing identities of a table are grouped by the cells they share (each identity: its total and the
  cells summed, and by how much it fails);
- in a group of two or more, a cell that is in every identity and whose one correction (the same amount
  for each: minus the difference where it is the total, plus it where it is summed) makes all of them
  hold is the misprint — when exactly one cell does;
- anything else (one identity alone, two cells that would each do, differences that disagree) names no
  cell: the findings keep their own 应为.

Reports use it to tell a unit what to correct (``budgetdoc serve``'s 整改通知).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

from ..model import Disclosure, Location
from .tolerance import envelope

SUM_RULES = ("ARI001", "ARI002", "ARI003")
Key = tuple[str, str, str, str]  # table, part, row, column


class FindingLike(Protocol):
    rule: str
    severity: str
    location: Location
    expected: str | None
    actual: str | None
    related: Sequence[Location]


@dataclass
class Misprint:
    """The misprinted cell: where it is, what is printed, what it should be, and the findings (their
    indexes in the list given) that its correction settles."""

    location: Location
    printed: Decimal
    should_be: Decimal
    findings: list[int] = field(default_factory=list)


def _key(loc: Location) -> Key | None:
    if not (loc.table and loc.row and loc.column):
        return None
    return (loc.table, loc.part or "", loc.row, loc.column)


def _dec(s: str | None) -> Decimal | None:
    try:
        return Decimal(str(s).replace(",", "")) if s not in (None, "") else None
    except InvalidOperation:
        return None


def _value(doc: Disclosure, key: Key) -> Decimal | None:
    table, part, row, column = key
    for t in doc.tables:
        if t.key == table and (r := t.find(row, part or None)) is not None and r.value(column) is not None:
            return r.value(column)
    return None


def misprints(doc: Disclosure, findings: Sequence[FindingLike]) -> list[Misprint]:
    """The misprinted cells that explain groups of failing sum identities (see the module's text)."""
    idents: list[tuple[int, Key, set[Key], Decimal]] = []
    for i, f in enumerate(findings):
        if f.rule not in SUM_RULES or f.severity != "error":
            continue
        total, expected, actual = _key(f.location), _dec(f.expected), _dec(f.actual)
        if total is None or expected is None or actual is None:
            continue
        parts = {k for loc in f.related if (k := _key(loc)) is not None and k != total}
        idents.append((i, total, parts, actual - expected))
    # groups of identities sharing cells (union-find over the identities)
    parent = list(range(len(idents)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    owner: dict[Key, int] = {}
    for n, (_, total, parts, _) in enumerate(idents):
        for k in (total, *parts):
            if k in owner:
                parent[root(n)] = root(owner[k])
            else:
                owner[k] = n
    groups: dict[int, list[int]] = {}
    for n in range(len(idents)):
        groups.setdefault(root(n), []).append(n)
    units = {t.key: t.unit for t in doc.tables}
    out: list[Misprint] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        common = set.intersection(*({idents[n][1], *idents[n][2]} for n in members))
        found: list[tuple[Key, Decimal]] = []
        for cell in common:
            deltas = [(-diff if cell == total else diff) for _, total, _, diff in (idents[n] for n in members)]
            slack = envelope(len(members), units.get(cell[0], "万元"))
            if max(deltas) - min(deltas) <= slack and deltas[0] != 0:
                found.append((cell, deltas[0]))
        if len(found) != 1:
            continue
        cell, delta = found[0]
        printed = _value(doc, cell)
        if printed is None:
            continue
        loc = _location(findings, [idents[n][0] for n in members], cell)
        out.append(Misprint(loc, printed, printed + delta, sorted(idents[n][0] for n in members)))
    return out


def _location(findings: Sequence[FindingLike], which: list[int], cell: Key) -> Location:
    for i in which:
        for loc in (findings[i].location, *findings[i].related):
            if _key(loc) == cell:
                return loc
    table, part, row, column = cell
    return Location(table=table, part=part or None, row=row, column=column)
