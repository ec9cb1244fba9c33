"""A table's layout on a PDF page at one type size: column widths, the header's merged cells, each cell's
lines and alignment, row heights. Drawing is :mod:`.render_pdf`'s.

Widths as a published table has them: an amount column as wide as its widest amount (amounts are never
wrapped), a name column as wide as its names up to a limit, the header's labels wrapped within them; room
left over goes first to the narrowest columns (amount columns come out equal), and a table too wide is
narrowed in its name columns, never below four characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import TableBlock
from .render_pdf import width, wrap

_UNBROKEN = re.compile(r"[\x21-\x7e]+|[^\x00-\x7f]")
NAME_MAX = 150.0  # points: a name column wider than this wraps
HEAD_MAX = 6  # characters: a header label longer than this wraps unless its column is wider anyway


def _unbroken(text: str, size: float) -> float:
    """The width of the longest piece ``wrap`` never breaks (an ASCII run, else one character)."""
    return max((width(t, size) for t in _UNBROKEN.findall(text)), default=0.0)


def _rows(tb: TableBlock) -> tuple[int, list[list[str]]]:
    n = max(len(r) for r in tb.header + tb.body)
    return n, [r + [""] * (n - len(r)) for r in tb.header + tb.body]


def _ordinals(texts) -> bool:
    """A column of row numbers (行次), centred as printed."""
    texts = [t for t in texts if t]
    return bool(texts) and all(t.isdigit() and len(t) <= 3 for t in texts)


def _numeric(tb: TableBlock, c: int) -> bool:
    return c < len(tb.numeric) and tb.numeric[c]


def spans(rows: list[list[str]], head: int, r: int) -> list[tuple[int, int]]:
    """(first, last) column of each cell of row ``r``: a group header (above the last header row) spans
    the blanks after it."""
    out, c, row, n = [], 0, rows[r], len(rows[r])
    while c < n:
        end = c
        if r + 1 < head and row[c]:
            while end + 1 < n and not row[end + 1]:
                end += 1
        out.append((c, end))
        c = end + 1
    return out


def _bounds(tb: TableBlock, size: float, pad: float) -> tuple[list[float], list[float], list[float]]:
    """Each column's least width, wanted width (a name up to ``NAME_MAX``) and full width (every name on
    one line); an amount column's are all its widest amount (or its header's least)."""
    n, rows = _rows(tb)
    head = len(tb.header)
    least, want, full = [2.5 * size] * n, [2.5 * size] * n, [2.5 * size] * n
    for r, row in enumerate(rows):
        for a, b in spans(rows, head, r):
            text = row[a]
            if a != b or not text:
                continue
            w = width(text, size)
            if r >= head and _numeric(tb, a):
                least[a], want[a], full[a] = max(least[a], w), max(want[a], w), max(full[a], w)
                continue
            least[a] = max(least[a], _unbroken(text, size), min(w, 4 * size))
            want[a] = max(want[a], min(w, NAME_MAX if r >= head else HEAD_MAX * size))
            full[a] = max(full[a], w if r >= head else min(w, HEAD_MAX * size))
    want = [max(w, le) for w, le in zip(want, least, strict=True)]
    full = [max(f, w) for f, w in zip(full, want, strict=True)]
    return tuple([x + 2 * pad for x in v] for v in (least, want, full))  # type: ignore[return-value]


def wide(tb: TableBlock, size: float, pad: float, room: float) -> bool:
    """A table for a landscape page: nine columns or more, or too wide for ``room`` (a portrait page's)
    unless its names wrap more than a little."""
    least, want, _ = _bounds(tb, size, pad)
    return len(least) >= 9 or sum(least) > room or sum(want) > room * 1.15


def column_widths(tb: TableBlock, size: float, room: float, pad: float) -> list[float]:
    least, want, full = _bounds(tb, size, pad)
    if sum(full) <= room:  # every name on one line
        want = full
    if sum(want) <= room:  # fill the room: raise the narrowest columns (not blank ones) to a common level
        _, rows = _rows(tb)
        blank = [not any(r[c] for r in rows) for c in range(len(want))]
        if all(blank):
            blank = [False] * len(want)
        lo, hi = 0.0, room
        for _ in range(40):
            mid = (lo + hi) / 2
            total = sum(w if b else max(w, mid) for w, b in zip(want, blank, strict=True))
            lo, hi = (mid, hi) if total <= room else (lo, mid)
        widths = [w if b else max(w, lo) for w, b in zip(want, blank, strict=True)]
        grow = sum(1 for b in blank if not b)
        return [w if b else w + (room - sum(widths)) / grow for w, b in zip(widths, blank, strict=True)]
    names = [not _numeric(tb, c) for c in range(len(want))]
    slack = sum(w - le for w, le, f in zip(want, least, names, strict=True) if f)
    over = sum(want) - room
    if slack >= over:  # narrow the name columns, each in proportion to what it can give
        return [w - (w - le) * over / slack if f else w for w, le, f in zip(want, least, names, strict=True)]
    widths = [le if f else w for w, le, f in zip(want, least, names, strict=True)]
    return [w * room / sum(widths) for w in widths]


@dataclass
class TableLayout:
    tb: TableBlock
    size: float
    room: float
    pad: float
    draft: bool = False
    head: int = 0
    rows: list[list[str]] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)  # column edges from the table's left
    heights: list[float] = field(default_factory=list)
    # per row: the cells that start in it: (first column, last column, last row, lines, align l/c/r)
    cells: list[list[tuple[int, int, int, tuple[str, ...], str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        tb, size, pad = self.tb, self.size, self.pad
        n, self.rows = _rows(tb)
        self.head = head = len(tb.header)
        widths = column_widths(tb, size, self.room, pad)
        self.xs = [sum(widths[:c]) for c in range(n + 1)]
        self.lead = size * 1.25
        covered: set[tuple[int, int]] = set()
        ordinal = {c for c in range(n) if not _numeric(tb, c) and _ordinals(r[c] for r in self.rows[head:])}
        self.cells = [[] for _ in self.rows]
        for r in range(len(self.rows)):
            for a, b in spans(self.rows, head, r):
                if (r, a) in covered:
                    continue
                last = self._down(r, a, b) if r < head else r
                covered.update((rr, c) for rr in range(r, last + 1) for c in range(a, b + 1))
                text = self._text(r, a, last)
                lines = wrap(text, self.xs[b + 1] - self.xs[a] - 2 * pad, size) if text else ()
                align = "c" if r < head or a in ordinal else "r" if _numeric(tb, a) else "l"
                self.cells[r].append((a, b, last, lines, align))
        self.heights = [self.lead + 2 * pad] * len(self.rows)
        merged = sorted(((r, c) for r, cells in enumerate(self.cells) for c in cells), key=lambda x: x[1][2] - x[0])
        for r, (_, _, last, lines, _) in merged:  # single-row cells first; a merged one adds to its last row
            need = len(lines) * self.lead + 2 * pad
            have = sum(self.heights[r:last + 1])
            if need > have:
                self.heights[last] += need - have

    def _down(self, r: int, a: int, b: int) -> int:
        """The last header row a header cell reaches: down over blank cells under it (a group label stays
        in its row over its sub-labels), and a blank cell down to the single-column label under it."""
        rows, last = self.rows, r
        if not rows[r][a]:
            below = next((k for k in range(r + 1, self.head) if rows[k][a]), None)
            if a != b or below is None or (a, a) not in spans(rows, self.head, below):
                return r
            last = below
        while last + 1 < self.head and not any(rows[last + 1][a:b + 1]):
            last += 1
        return last

    def _text(self, r: int, a: int, last: int) -> str:
        text = next((self.rows[rr][a] for rr in range(r, last + 1) if self.rows[rr][a]), "")
        if self.draft and r >= self.head and (r - self.head, a) in self.tb.marks:
            text += f"【{self.tb.marks[(r - self.head, a)]}】"
        return text

    def height(self) -> float:
        return sum(self.heights)
