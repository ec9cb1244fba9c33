"""What the recogniser could not read is said, never dropped silently."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..rule import Rule


class Unrecognised(Rule):
    """Lines inside a table that could not be read, and amounts whose column is ambiguous.

    A checker that silently skips what it cannot read misses the wrong numbers there. Each such place is
    reported as a warning so a person can look at it.

    Bad:  a table row ``2080199 其他… 191.76 191.76 1.0`` whose numbers fit no column layout.
    Good: every row of every table read into its columns.
    """

    id = "REC001"
    name = "unrecognised"
    category = "recognition"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        for d in doc.diagnostics:
            yield self.finding(d.message, d.location.at(file=d.location.file or doc.source))
