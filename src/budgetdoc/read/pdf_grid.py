"""Table grids from a PDF page's ruling lines (helper of :mod:`budgetdoc.read.pdf`).

Ruling lines come as stroked lines (WPS: one ``l`` per rule), thin filled rectangles (Word: one 0.48 pt
``re`` per cell edge, hundreds per table) or stroked rectangles. They are reduced to horizontal and
vertical segments, merged where collinear and touching, and grouped into tables (segments that cross
each other). A table's column grid is the set of distinct x of its verticals; its row bands are the
gaps between distinct y of its horizontals. In each band only the verticals that really cross it are
cell boundaries, so a merged cell (``合计`` over 编码 + 名称) is one span whose text goes to the span's
first grid column, the others blank, as a spreadsheet export does; likewise a cell with no
horizontal rule across it at a band boundary is merged down and belongs to its top band.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

THIN = 3.0  # a filled rectangle thinner than this is a rule, not shading
SNAP = 2.0  # positions closer than this are the same rule
MIN_RULE = 4.0  # shorter segments are corner dots or glyph parts
MAX_DRAWINGS = 20_000  # more paths than this on one page: not a ruled table, skip the grid
MAX_PAIRS = 400_000  # merged horizontals × verticals (a dense table: 100 × 20 = 2,000)


@dataclass(slots=True)
class Grid:
    """One ruled table on one page."""

    xs: list[float]  # column boundaries, left to right (len = columns + 1)
    ys: list[float]  # row band boundaries, top to bottom (len = bands + 1)
    # merged rules, sorted by position: verticals (x, y0, y1), horizontals (y, x0, x1)
    verticals: list[tuple[float, float, float]] = field(default_factory=list)
    horizontals: list[tuple[float, float, float]] = field(default_factory=list)
    # per band boundary ys[k]: (x0, x1) of the horizontals on it (within SNAP); per band: its cells (spans);
    # made once, on first use
    _on_y: list[list[tuple[float, float]]] | None = field(default=None, init=False, repr=False, compare=False)
    _spans: list[list[tuple[int, int]]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def columns(self) -> int:
        return len(self.xs) - 1

    def owner(self, band: int, x: float) -> int:
        """The top band of the cell at (band, x): a cell merged down over several bands has no rule
        across it at the band boundaries inside it (``年初结转和结余`` over two header bands)."""
        while band > 0 and not self._ruled(band, x):
            band -= 1
        return band

    def _ruled(self, k: int, x: float) -> bool:
        """A horizontal rule runs through x at the band boundary ys[k]."""
        if self._on_y is None:
            self._on_y = _on(self.ys, self.horizontals)
        for x0, x1 in self._on_y[k]:
            if x0 - SNAP <= x <= x1 + SNAP:
                return True
        return False

    def spans(self, band: int) -> list[tuple[int, int]]:
        """The cells of a band as (first column, last column + 1): a grid boundary counts only where
        a vertical rule crosses the band's middle. Worked out for every band at once, on first use."""
        if self._spans is None:
            self._spans = self._all_spans()
        return self._spans[band]

    def _all_spans(self) -> list[list[tuple[int, int]]]:
        bands = len(self.ys) - 1
        middles = []  # per band, the stretch around its middle a rule must cross
        for b in range(bands):
            top, bottom = self.ys[b], self.ys[b + 1]
            mid = (top + bottom) / 2
            reach = max(1.0, (bottom - top) * 0.3)
            middles.append((mid - reach, mid + reach))
        on_x = _on(self.xs, self.verticals)
        cut = [[False] * len(self.xs) for _ in range(bands)]
        for k in range(1, len(self.xs) - 1):
            for y0, y1 in on_x[k]:
                for b, (lo, hi) in enumerate(middles):
                    if y0 <= lo and y1 >= hi:
                        cut[b][k] = True
        last = len(self.xs) - 1
        out = []
        for b in range(bands):
            cuts = [0, *(k for k in range(1, last) if cut[b][k]), last]
            out.append(list(zip(cuts, cuts[1:], strict=False)))
        return out


def _on(bounds: list[float], rules: list[tuple[float, float, float]]) -> list[list[tuple[float, float]]]:
    """For each boundary position, the extents of the rules lying on it (within SNAP)."""
    out: list[list[tuple[float, float]]] = [[] for _ in bounds]
    for pos, a, b in rules:
        k = bisect.bisect_left(bounds, pos - SNAP)
        while k < len(bounds) and bounds[k] <= pos + SNAP:
            out[k].append((a, b))
            k += 1
    return out


def rotate(drawings: list[dict], m: tuple[float, float, float, float, float, float]) -> list[dict]:
    """Drawings of a page with /Rotate mapped into the page as shown (``m`` = its rotation matrix
    a, b, c, d, e, f), as the words are: lines and rectangles only, the rest is not a rule."""
    a, b, c, d, e, f = m

    def pt(p) -> tuple[float, float]:
        return (p[0] * a + p[1] * c + e, p[0] * b + p[1] * d + f)

    def box(r) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = pt((r[0], r[1])), pt((r[2], r[3]))
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    out = []
    for dr in drawings:
        items = []
        for item in dr.get("items", ()):
            if item[0] == "l":
                items.append(("l", pt(item[1]), pt(item[2])))
            elif item[0] == "re":
                items.append(("re", box(item[1]), *item[2:]))
        out.append({**dr, "items": items})
    return out


_VECTOR = re.compile(r"<vector (filled|stroked), color: #([0-9a-fA-F]{6}), alpha: \d+, is-rect: (true|false)")


def from_blocks(blocks: list[tuple]) -> list[dict] | None:
    """The drawings of a page from the vector blocks of its text page (``TEXT_COLLECT_VECTORS``:
    ``extractBLOCKS`` gives each subpath's box, kind, colour and whether it is a rectangle), as
    ``get_cdrawings`` gives them for :func:`grids`: a filled rectangle (Word's rules and shading) as
    itself, a stroked line (a stroked rectangle as thin as a rule, WPS) as that rule. None when a block
    is something else (a stroked box, whose edges lie inside its box by half the line width; a curve):
    the drawings are then asked of MuPDF."""
    out: list[dict] = []
    for b in blocks:
        if b[6] != 3:
            continue
        kind = _KINDS.get(b[4], _MISSING)
        if kind is _MISSING:
            kind = _kind(b[4])
        if kind is None:
            return None
        x0, y0, x1, y1 = b[0], b[1], b[2], b[3]
        filled, key, rgb = kind
        if not filled and x1 - x0 > THIN and y1 - y0 > THIN:
            return None
        out.append({"type": "f" if filled else "s", key: rgb, "items": [("re", (x0, y0, x1, y1))]})
    return out


_MISSING = object()
_KINDS: dict[str, tuple[bool, str, tuple[float, float, float]] | None] = {}  # a block's text → what it says


def _kind(text: str) -> tuple[bool, str, tuple[float, float, float]] | None:
    """What a vector block's text says: filled or stroked, the key of its colour and the colour; None
    when it is not a rectangle. Remembered (a page has hundreds of blocks in a few distinct texts)."""
    m = _VECTOR.search(text)
    if m is None or m.group(3) != "true":
        kind = None
    else:
        filled = m.group(1) == "filled"
        h = m.group(2)
        kind = (filled, "fill" if filled else "color", (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255))
    if len(_KINDS) < 1024:  # bounded: a file cannot grow it without end
        _KINDS[text] = kind
    return kind


def _white(color) -> bool:
    return color is not None and len(color) >= 3 and min(color[:3]) >= 0.95


def segments(drawings: list[dict]) -> tuple[list[list[float]], list[list[float]]]:
    """Horizontal ``[y, x0, x1]`` and vertical ``[x, y0, y1]`` rule segments of a page's drawings."""
    hs: list[list[float]] = []
    vs: list[list[float]] = []
    for d in drawings:
        kind = d.get("type") or ""
        stroked = "s" in kind
        filled = "f" in kind
        if stroked and not filled and _white(d.get("color")):
            continue
        if filled and not stroked and _white(d.get("fill")):
            continue
        for item in d.get("items", ()):
            op = item[0]
            if op == "l":
                (ax, ay), (bx, by) = item[1], item[2]
                if abs(ay - by) <= 1.0 and abs(ax - bx) >= MIN_RULE:
                    hs.append([(ay + by) / 2, min(ax, bx), max(ax, bx)])
                elif abs(ax - bx) <= 1.0 and abs(ay - by) >= MIN_RULE:
                    vs.append([(ax + bx) / 2, min(ay, by), max(ay, by)])
                continue
            if op == "re":
                x0, y0, x1, y1 = item[1]
            elif op == "qu":
                q = item[1]
                pts = q if isinstance(q[0], tuple | list) else ((q[0], q[1]), (q[2], q[3]))
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
            else:
                continue
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
            w, h = x1 - x0, y1 - y0
            if w <= THIN and h >= MIN_RULE:
                vs.append([(x0 + x1) / 2, y0, y1])
            elif h <= THIN and w >= MIN_RULE:
                hs.append([(y0 + y1) / 2, x0, x1])
            elif stroked and w > THIN and h > THIN:
                hs += [[y0, x0, x1], [y1, x0, x1]]
                vs += [[x0, y0, y1], [x1, y0, y1]]
    return _merge(hs), _merge(vs)


def _merge(segs: list[list[float]]) -> list[list[float]]:
    """Collinear segments that touch or overlap become one. Positions within SNAP of each other are
    one line (a chain of Word's per-cell rules jitters by hundredths of a point)."""
    segs.sort(key=lambda s: s[0])
    lines: list[list[list[float]]] = []
    for s in segs:
        if lines and s[0] - lines[-1][-1][0] <= SNAP:
            lines[-1].append(s)
        else:
            lines.append([s])
    out: list[list[float]] = []
    for line in lines:
        if len(line) == 1:  # a rule alone at its position (WPS: one path a rule)
            out.append(list(line[0]))
            continue
        pos = sum(s[0] for s in line) / len(line)
        line.sort(key=lambda s: s[1])
        cur = [pos, line[0][1], line[0][2]]
        for s in line[1:]:
            if s[1] <= cur[2] + SNAP:
                cur[2] = max(cur[2], s[2])
            else:
                out.append(cur)
                cur = [pos, s[1], s[2]]
        out.append(cur)
    return out


def _cluster(values: list[float]) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def grids(drawings: list[dict]) -> list[Grid]:
    """Ruled tables of a page, top to bottom. A table needs two columns and one band at least."""
    if len(drawings) > MAX_DRAWINGS:
        return []
    hs, vs = segments(drawings)
    if len(hs) < 2 or len(vs) < 3 or len(hs) * len(vs) > MAX_PAIRS:
        return []
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vx = [v[0] for v in vs]  # the verticals are sorted by x (segments): those a horizontal spans by bisection
    first = len(hs)
    for i, (y, hx0, hx1) in enumerate(hs):
        root = find(i)
        for j in range(bisect.bisect_left(vx, hx0 - SNAP), bisect.bisect_right(vx, hx1 + SNAP)):
            _, vy0, vy1 = vs[j]
            if vy0 - SNAP <= y <= vy1 + SNAP:
                b = find(first + j)
                if b != root:
                    parent[b] = root  # root stays a root: the others are joined under it
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out: list[Grid] = []
    for hgroup, vgroup in groups.values():
        ys = _cluster([h[0] for h in hgroup])
        xs = _cluster([v[0] for v in vgroup])
        if len(ys) < 2 or len(xs) < 3:
            continue
        out.append(
            Grid(
                xs=xs,
                ys=ys,
                verticals=sorted(tuple(v) for v in vgroup),
                horizontals=sorted(tuple(h) for h in hgroup),
            )
        )
    out.sort(key=lambda g: g.ys[0])
    return out
