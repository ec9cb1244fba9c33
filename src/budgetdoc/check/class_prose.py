"""Classification names as the prose prints them: ``社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）``.

:func:`paths` finds every 类/款/项 path of a document's prose (a name followed by its level in brackets,
chained); :class:`Names` indexes the national list of a year (names by level, children by parent) and
the renamings (``data/renames.toml``). Used by CNT001 (old names), CNT002 (paths not in the year's list)
and CNT003 (the bracket forms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..data import all_names, codes
from ..data.content import Rename, renames

LEVEL_LEN = {"类": 3, "款": 5, "项": 7}
# the level in brackets after a name: （类） (类) （款) …; a code inside (（210类）) is CNT003's
MARKER = re.compile(r"[（(](?P<code>\d{0,7})(?P<level>类|款|项)[)）]")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff、]")
_MAX_NAME = 40


@dataclass
class Named:
    level: str  # 类 / 款 / 项
    name: str  # as printed (the name run before the marker)
    start: int  # offset of the name in the prose text
    end: int  # offset after the marker
    code: str  # digits printed inside the bracket ('' normally)
    bracket: str  # the marker as printed


@dataclass
class Path:
    items: list[Named] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.items[0].start

    @property
    def end(self) -> int:
        return self.items[-1].end

    def text(self, prose: str) -> str:
        return prose[self.start: self.end]


def paths(text: str) -> list[Path]:
    """Every chain of named levels in ``text`` (a name, its bracketed level, the next name right after)."""
    out: list[Path] = []
    prev_end = -1
    for m in MARKER.finditer(text):
        j = m.start()
        lo = max(prev_end, m.start() - _MAX_NAME, 0)
        while j > lo and _NAME_CHAR.match(text[j - 1]):
            j -= 1
        name = text[j: m.start()]
        item = Named(m.group("level"), name, j, m.end(), m.group("code"), m.group(0))
        if out and j == prev_end and name:
            out[-1].items.append(item)
        else:
            out.append(Path([item]))
        prev_end = m.end()
    return [p for p in out if p.items[0].name or p.items[0].code]


class Names:
    """The functional classification of one year, for names printed in prose."""

    def __init__(self, year: int | None) -> None:
        self.year = year
        self.codes = dict(codes("functional", year))
        for code, name in list(self.codes.items()):
            # 其他…支出: a 款 XXX99 has one 项 XXX9999 of its name (the shipped list does not always print it)
            if len(code) == 5 and code.endswith("99"):
                self.codes.setdefault(code + "99", name)
        self.by_name: dict[str, list[str]] = {}
        for code, name in self.codes.items():
            self.by_name.setdefault(name, []).append(code)
        history = all_names("functional")
        self.ever: dict[str, set[int]] = {}  # name → levels (code lengths) it has had in any year
        for code, names_ in history.items():
            for name in names_.values():
                self.ever.setdefault(name, set()).add(len(code))
                if len(code) == 5 and code.endswith("99"):
                    self.ever[name].add(7)
        self.renamed: list[Rename] = [r for r in renames() if year is None or year >= r.year]
        self.old: dict[str, Rename] = {r.old: r for r in self.renamed}

    def at(self, name: str, level: str, parent: str | None = None) -> list[str]:
        """Codes of ``level`` with this name this year (under ``parent`` when given)."""
        n = LEVEL_LEN[level]
        return [c for c in self.by_name.get(name, ()) if len(c) == n and (parent is None or c.startswith(parent))]

    def children(self, parent: str) -> list[str]:
        n = len(parent) + 2
        return [c for c in self.codes if len(c) == n and c.startswith(parent)]

    def class_name(self, run: str) -> tuple[str, str] | None:
        """(name, code) of the longest suffix of ``run`` that is this year's 类 name (or, when the run has
        a clear left end, the whole run): the run before （类） may start with words of the sentence."""
        for i in range(len(run)):
            cand = run[i:]
            hits = self.at(cand, "类")
            if hits:
                return cand, hits[0]
        return None


@cache
def names(year: int | None) -> Names:
    return Names(year)


def strip_run(run: str, n: Names, level: str) -> str:
    """The part of a name run before （类） that can be a name: the longest suffix that is a known name
    of any level or an old name (the run may start with the words before it: ``其中社会保障和就业支出``)."""
    for i in range(len(run)):
        cand = run[i:]
        if cand in n.ever or cand in n.old:
            return cand
    return run


__all__ = ["LEVEL_LEN", "MARKER", "Named", "Names", "Path", "names", "paths", "strip_run"]
