"""CNT010: a table with amounts whose note says it is empty."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..rule import Rule
from ..util import cell_location, fmt, table_name

_EMPTY = re.compile(r"(?:本表)?(?:为空表|无数据)|(?:无|没有)[^，。；]{0,30}(?:预算|支出|收入|经费)[^，。；]{0,6}[，,]?故")


class EmptyStatementWithData(Rule):
    """A table's note and its amounts agree: a table whose note says it is empty (“故本表为空表”,
    “本表无数据”) prints no amount (primer §2: an empty table is printed with a statement below it; a
    statement under a table that is not empty contradicts it). Only amounts read with certainty count
    (a grid's cells, a text's amounts placed the one way that fits or the way its identities confirm).
    A warning: the note or the amounts are wrong, the reviewer says which.

    Bad:  the 三公 table printing 合计 47.91 and 机关运行经费 443.18 above “注：本部门2024年无“三公”经费和机关运
          行经费预算，故本表为空表。” (万里街道 2024).
    Good: the same table without the note; an empty table with it.
    """

    id = "CNT010"
    name = "empty-note-with-data"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables:
            if t.uncertain or not t.statement or not _EMPTY.search("".join(t.statement.split())):
                continue
            amounts = [(r, c) for r in t.rows for c in r.cells
                       if c.value and c.read in ("header", "position", "unique", "identity")]
            if not amounts:
                continue
            r, c = amounts[0]
            shown = "、".join(f"{row.name or row.key} {fmt(cell.value)}" for row, cell in amounts[:4])
            yield self.finding(
                f"{table_name(t)}表下注明“{t.statement.strip()}”，但表中列有金额（{shown}）：说明与表格矛盾",
                cell_location(doc, t, r, c.column), actual=t.statement.strip()[:60],
            )
