"""Documents grouped by who published them, for which year, of which kind and scope.

A unit is recognised across documents by its name as the identity recognised it, folded (NFKC, no
spaces) and without a trailing ``（本级）``; a department's units come from a register (``members``) or
from the department's own 构成 / 机构设置 section.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ..check.rules.identity import _structure_text, norm_unit
from ..model import Disclosure

# the rules of a table's own identities (row, column, code hierarchy, halves)
IDENTITY_RULES = ("ARI001", "ARI002", "ARI003", "ARI004")


def unit_key(doc: Disclosure) -> str | None:
    """The folded name of the document's publisher (None when the identity names none)."""
    pub = doc.identity.publisher
    if not pub:
        return None
    return norm_unit(pub) or None


# an enumerated member: "1.商务委本部,…", "2上海市普陀区…中心(下属事业单位)", "上海市…办事处 1 (本级)"
_ITEM = re.compile(r"^(?:\d{1,2}[.、．]?)?(?P<name>[\u4e00-\u9fff()（）]{4,60}?)"
                   r"(?:[(（](?P<note>[^()（）]{0,12})[)）])?(?:[。.,，;；:：].*)?$")
_SUFFIX = re.compile(r"(?:中心|队|处|局|委员会|办公室|院|所|站|馆|校|学|会|部|社|室|园|库|台|厅|委|办)$")


def listed_units(doc: Disclosure) -> list[str] | None:
    """The units a department lists as its members (its own office under the department's name), from its
    构成 / 机构设置 section; None when the section lists none. A member said ``不单列预算`` (its money is in
    another member's document) is not a member of its own."""
    lines = doc.lines()
    if not lines:
        return None
    dept = unit_key(doc)
    text = _structure_text(doc)
    apart = [raw for raw in text.split("\n") if "不单列" in raw]
    out: list[str] = []
    for raw in text.split("\n"):
        if "不单列" in raw:
            continue
        m = _ITEM.match(raw)
        if not m or not re.match(r"^\d", raw) and "本级" not in raw:
            continue
        name = norm_unit(m.group("name"))
        note = m.group("note") or ""
        if name.endswith("本部") or "本级" in note or "本部" in note:
            name = dept or name
        elif not _SUFFIX.search(name):
            continue
        if name != dept and any(name in a for a in apart):
            continue  # "…执法大队与局本部合署办公，不单列预算"
        if name not in out:
            out.append(name)
    # "上海市…办事处 / 1 / (本级)": the office's name and its number on separate lines
    if dept and "本级" in text and dept not in out:
        out.insert(0, dept)
    return out or None


def same_unit(a: str | None, b: str | None) -> bool:
    return bool(a) and a == b


class Corpus:
    """The documents of one check, indexed by (unit, scope, kind, year). ``members`` maps a department's
    name to the names of all its units (a register); without it a department's own section is read."""

    def __init__(self, docs: Iterable[Disclosure], members: dict[str, list[str]] | None = None) -> None:
        self.docs: list[Disclosure] = list(docs)
        self.members = {norm_unit(k): [norm_unit(u) for u in v] for k, v in (members or {}).items()}
        self._index: dict[tuple, list[Disclosure]] = defaultdict(list)
        for d in self.docs:
            i = d.identity
            self._index[(unit_key(d), i.scope, i.kind, i.year)].append(d)
        self._tails: dict[tuple, dict[str, list[str]]] = {}
        self._doubtful: dict[int, set[tuple]] = {}

    def doubtful(self, doc: Disclosure) -> set[tuple]:
        """The cells (table, row key, part, column) of ``doc`` that fail one of their own table's identities
        (an ARI error of its own check: the cell it is located at and the cells it sums): which of them is
        misprinted is not known, and the document's own finding says it already, so no cross-document rule
        compares them (one defect, one finding; a unit is not blamed on its department, nor the reverse)."""
        key = id(doc)
        if key not in self._doubtful:
            from ..check import check

            found = check(doc, select=list(IDENTITY_RULES)).findings
            self._doubtful[key] = {
                (loc.table, loc.row, loc.part, loc.column)
                for f in found if f.severity == "error"
                for loc in [f.location, *f.related] if loc.table and loc.column
            }
        return self._doubtful[key]

    def order(self, doc: Disclosure) -> int:
        return next(k for k, d in enumerate(self.docs) if d is doc)

    def find(self, unit: str | None, scope: str | None, kind: str, year: int | None) -> Disclosure | None:
        """The first document given of this unit, scope, kind and year (None: not given)."""
        if not unit or year is None:
            return None
        found = self._index.get((unit, scope, kind, year))
        return found[0] if found else None

    def counterpart(self, doc: Disclosure, kind: str, year: int | None) -> Disclosure | None:
        """The same unit's (same scope) document of ``kind`` and ``year``."""
        return self.find(unit_key(doc), doc.identity.scope, kind, year)

    def unit_document(self, name: str, kind: str | None, year: int | None) -> Disclosure | None:
        """The 单位 document of ``kind`` and ``year`` of the unit called ``name``: by its exact (folded) name,
        else by a name that ends with the other (“普陀区…中心” / “上海市普陀区…中心”, at least six
        characters) when exactly one does."""
        found = self.find(name, "单位", kind or "", year)
        if found is not None or len(name) < 6:
            return found
        key = ("单位", kind, year)
        if key not in self._tails:  # every name of the bucket by each of its tails of six characters or more
            tails: dict[str, list[str]] = defaultdict(list)
            for unit, scope, k, y in self._index:
                if (scope, k, y) == key and unit:
                    for i in range(len(unit) - 5):
                        tails[unit[i:]].append(unit)
            self._tails[key] = tails
        tails = self._tails[key]
        names = set(tails.get(name, []))  # longer names ending with this one
        names |= {name[i:] for i in range(len(name) - 5) if name[i:] in tails and name[i:] in tails[name[i:]]}
        if len(names) != 1:
            return None
        return self.find(names.pop(), "单位", kind or "", year)

    def units_of(self, dept: Disclosure) -> list[str] | None:
        """All the units of a department: the register's list, else the department's own section's."""
        key = unit_key(dept)
        if key and key in self.members:
            return self.members[key]
        return listed_units(dept)

    def registered(self) -> set[str]:
        """Every (folded) name the register lists: departments and their units (empty without one)."""
        return set(self.members) | {u for units in self.members.values() for u in units}

    def of_kind(self, scope: str | None = None, kind: str | None = None) -> list[Disclosure]:
        return [d for d in self.docs if (scope is None or d.identity.scope == scope)
                and (kind is None or d.identity.kind == kind)]


__all__ = ["Corpus", "listed_units", "same_unit", "unit_key"]
