"""The order people act in, and repeated findings said once: shared by the terminal and HTML reports.

- Order: errors, then warnings, then notes (info); inside a severity by category (the order of
  :data:`budgetdoc.report.text.CATEGORY_ZH`), then page and line.
- Rounding notes (info findings whose difference lies inside the rounding envelope: their message says
  尾差) are folded by default: the terminal prints their count, the HTML page a collapsed section.
- Repeated findings: the same rule and severity with the same message pattern at different places
  (e.g. a wrong unit name in six table headers, a template placeholder left on many lines) become one
  :class:`Group` listing the places. A message's pattern is its text with the quoted parts, table keys and
  numbers as slots; findings group when their texts are the same apart from quoted parts and table keys
  (every number, i.e. every amount, must be the same: two arithmetic errors with different amounts stay
  two entries).

The JSON output stays flat (one object per finding, the contract in the README).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..check import Finding
from ..check.findings import SEVERITY_ORDER

CATEGORY_ORDER = ("completeness", "arithmetic", "relation", "classification", "identity", "narrative",
                  "performance", "content", "presentation", "recognition")

# a slot of a message: a quoted part, a table key (T3, B5_1, 表3), or a number (amount, percentage, count)
_SLOT = re.compile(
    r"“(?:[^“”]|“[^“”]*”)*”|「[^」]*」|《[^》]*》|\"[^\"]*\"|‘[^’]*’"
    r"|(?:(?<![A-Za-z0-9])[TB]|表)\d+(?:_\d+)?(?![0-9])"
    r"|(?P<num>[-−]?\d[\d,，]*(?:\.\d+)?%?)"
)
_OPEN = "“「《\"‘"


def is_rounding(f: Finding) -> bool:
    """A rounding note: an info finding whose difference rounding alone explains (the message says 尾差)."""
    return f.severity == "info" and "尾差" in f.message


def order_key(f: Finding) -> tuple:
    cat = CATEGORY_ORDER.index(f.category) if f.category in CATEGORY_ORDER else len(CATEGORY_ORDER)
    loc = f.location
    return (-SEVERITY_ORDER.get(f.severity, 0), cat, loc.page or 0, loc.line or 0)


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; by category, page and line inside a severity (stable)."""
    return sorted(findings, key=order_key)


def split(message: str) -> tuple[tuple[str, ...], list[str], list[bool]]:
    """The message's literal pieces (one more than the slots), its slots and which slots are numbers."""
    literals, slots, numeric = [], [], []
    pos = 0
    for m in _SLOT.finditer(message):
        literals.append(message[pos:m.start()])
        slots.append(m.group())
        numeric.append(m.group("num") is not None)
        pos = m.end()
    literals.append(message[pos:])
    return tuple(literals), slots, numeric


@dataclass
class Group:
    """One entry of a report: a finding, or several with the same rule and message pattern."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def severity(self) -> str:
        return self.first.severity

    @property
    def rule(self) -> str:
        return self.first.rule

    @property
    def category(self) -> str:
        return self.first.category

    @property
    def size(self) -> int:
        return len(self.findings)

    @property
    def grouped(self) -> bool:
        return len(self.findings) > 1

    def _span(self) -> tuple[int, int] | None:
        """The slots (first, last) that differ between the places; None when none do."""
        all_slots = [split(f.message)[1] for f in self.findings]
        varying = [i for i in range(len(all_slots[0])) if len({s[i] for s in all_slots}) > 1]
        return (varying[0], varying[-1]) if varying else None

    @staticmethod
    def _bounds(message: str, span: tuple[int, int]) -> tuple[int, int]:
        matches = list(_SLOT.finditer(message))
        return matches[span[0]].start(), matches[span[1]].end()

    def pattern(self) -> str:
        """The message with the stretch that differs between the places elided (“…”)."""
        span = self._span() if self.grouped else None
        if span is None:
            return self.first.message
        m = self.first.message
        a, b = self._bounds(m, span)
        return m[:a] + "…" + m[b:]

    def details(self) -> list[str]:
        """Per place, the stretch of its message that :meth:`pattern` elides ("" when none is)."""
        span = self._span() if self.grouped else None
        if span is None:
            return [""] * len(self.findings)
        out = []
        for f in self.findings:
            a, b = self._bounds(f.message, span)
            out.append(f.message[a:b])
        return out


def _key(f: Finding) -> tuple:
    literals, slots, numeric = split(f.message)
    numbers = tuple(s for s, n in zip(slots, numeric, strict=True) if n)
    return (f.rule, f.severity, literals, numbers)


def group(findings: Iterable[Finding]) -> list[Group]:
    """The findings in report order (:func:`ordered`), repeated ones gathered into one :class:`Group` at
    the place of their first member."""
    groups: list[Group] = []
    by_key: dict[tuple, Group] = {}
    for f in ordered(findings):
        k = _key(f)
        g = by_key.get(k)
        if g is None:
            g = by_key[k] = Group()
            groups.append(g)
        g.findings.append(f)
    return groups


__all__ = ["CATEGORY_ORDER", "Group", "group", "is_rounding", "order_key", "ordered", "split"]
