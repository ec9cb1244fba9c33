"""Narrative text as blocks of joined sentences, with a map from characters back to source lines.

PDF text wraps sentences mid-word and mid-number (“1,466.86万\\n元”, “39.9\\n%”). A :class:`Block` is the
whitespace-free concatenation of consecutive lines of one paragraph or enumerated item; ``lines[i]`` is the
source line number of character ``i``. :func:`numbers` finds the numbers of a joined text with their units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .text import compact

# a number: thousands groups with an ASCII comma (a Chinese comma separates clauses), optional decimals;
# not glued to a preceding digit, point or digit+comma
NUMBER = re.compile(
    r"(?<![\d.])(?<!\d,)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?P<unit>亿元|万元|元|%|万(?=[（(，。；、,;）)]|$))?"
)


@dataclass(slots=True)
class Token:
    """A number found in a block: its value, unit (万元, 元, 亿元, %, or "" for a bare number), span."""

    value: Decimal
    unit: str
    start: int
    end: int
    decimals: int
    text: str

    @property
    def is_money(self) -> bool:
        return self.unit in ("万元", "元", "亿元", "万")  # “0.39 万（含…）”: 万 before a bracket

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    def wan(self) -> Decimal:
        """The amount in 万元 (亿元 converted; a bare 元 amount is kept at face value: see NAR009)."""
        return self.value * 10000 if self.unit == "亿元" else self.value


def parse_number(text: str) -> Decimal:
    """``"1,466.86"`` → ``Decimal("1466.86")``."""
    return Decimal(text.replace(",", ""))


def numbers(text: str, shift: int = 0) -> list[Token]:
    """The numbers of ``text``; their spans are offsets in ``text`` plus ``shift`` (``text`` being a
    slice of a block that begins at ``shift``)."""
    out = []
    for m in NUMBER.finditer(text):
        whole, frac, unit = m.group(0, "frac", "unit")
        raw = whole[: len(whole) - len(unit)] if unit else whole
        start, end = m.span()
        out.append(Token(Decimal(raw.replace(",", "")), unit or "", start + shift, end + shift,
                         len(frac) if frac else 0, whole))
    return out


_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")


def doubt(block: Block, t: Token, year: int | None = None, before: Token | None = None) -> str | None:
    """Why the number ``t`` of ``block`` cannot be read with certainty (None: it can): its digits run over
    a page break, or over a line break right after a year (“2026” ending a line, “22.59万元” the next), or
    it opens a line after a bare number (``before``) that ended its line, the two perhaps one number cut by
    a line put between them (“22.5” / a running header / “9万元”), or its digits begin with the document's
    year glued to an amount (“202622.59万元”)."""
    s, e = t.start, t.end - len(t.unit)
    if s >= len(block.lines) or e > len(block.lines):
        return None
    if len(set(block.pages[s:e])) > 1:
        return "跨页断开"
    if block.lines[s] != block.lines[e - 1]:
        cut = next(i for i in range(s, e) if block.lines[i] != block.lines[s])
        if _YEAR_LIKE.fullmatch(block.text[s:cut]):
            return "年份与金额连在一起"
    if s > 0 and block.lines[s - 1] != block.lines[s] and block.text[s - 1] in "0123456789.,":
        return "被换行截断"
    if (before is not None and not before.unit and s > 0 and block.lines[s - 1] != block.lines[s]
            and before.end < len(block.lines) and block.lines[before.end] != block.lines[before.end - 1]):
        return "被换行截断"
    digits = t.text.split(".")[0]
    if (year is not None and "," not in digits and len(digits) >= 6 and digits[:4].isdigit()
            and abs(int(digits[:4]) - year) <= 1):
        return "年份与金额连在一起"
    return None


@dataclass
class Block:
    """Joined text of consecutive lines; ``lines``/``pages`` give each character's source line/page."""

    text: str = ""
    lines: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    section: str = ""  # the numbered section (一、…) the block is in
    subsection: str = ""  # the (一) … subsection, if any
    part: str = ""  # the heading of the narrative part, where a document has several (Shanghai budgets)

    def add(self, text: str, line: int, page: int) -> None:
        t = compact(text)
        self.text += t
        self.lines.extend([line] * len(t))
        self.pages.extend([page] * len(t))

    def line_at(self, offset: int) -> int:
        return self.lines[min(max(offset, 0), len(self.lines) - 1)]

    def page_at(self, offset: int) -> int:
        return self.pages[min(max(offset, 0), len(self.pages) - 1)]

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) spans of the sentences (ending at 。！？, or at the block end)."""
        spans = []
        start = 0
        for m in re.finditer(r"[。！？]", self.text):
            if m.end() > start:
                spans.append((start, m.end()))
            start = m.end()
        if start < len(self.text):
            spans.append((start, len(self.text)))
        return spans


def join(pieces: list[str], first_line: int = 1) -> Block:
    """A block of the given line texts (numbered from ``first_line``): for tests and tools."""
    b = Block()
    for i, p in enumerate(pieces):
        b.add(p, first_line + i, 1)
    return b
