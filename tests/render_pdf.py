"""Render a markdown seed (headings, paragraphs, tab-separated tables) as a PDF laid out like the
Wuhan disclosures the seeds were extracted from, to test the PDF path on that layout.

Narrative lines and headings are text lines (hanzi in ``china-s``, ASCII runs in ``helv``, so digits
are half an em as in SimSun); each run of tab-separated lines is a ruled table: one rectangle per cell
(merged header cells as one rectangle), column widths from the content, a name wrapped inside its cell
(at the spaces where the converter saw the original's line breaks, else where it is too wide), amounts
right-aligned. A table of :attr:`Style.landscape_cols` columns or more is on landscape pages; a section
holding a table starts a new page; a full page breaks a table, which goes on without a repeated header;
every page has its number in the footer. Deterministic: the same seed and style give the same PDF.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

CJK, ASCII = pymupdf.Font("china-s"), pymupdf.Font("helv")
_TAG = re.compile(r"<[^>]{0,200}>")
_AMOUNT = re.compile(r"^-?[\d,]*\d\.\d+$")  # a row holding one is a data row
_NUMERIC = re.compile(r"^[-+]?[\d,.]*\d[\d,.]*%?$")  # right-aligned
_LABEL = re.compile(r"^(?:栏次|合计|总计|.{0,8}合计)$")  # spans the name column after it when that is blank
_BREAK = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")  # the converter's trace of a wrapped cell


@dataclass(frozen=True)
class Style:
    page: tuple[float, float] = (595.0, 842.0)  # A4 portrait (w, h)
    size: float = 10.5  # body and table text
    margin: float = 50.0
    max_text: float = 150.0  # a text column grows to this width at most, its cells wrap beyond
    pad: float = 3.0
    landscape_cols: int = 9


@functools.cache
def _em(ch: str) -> float:
    return (ASCII if ch.isascii() else CJK).text_length(ch, 1.0)


def width(text: str, size: float) -> float:
    return sum(_em(ch) for ch in text) * size


def _runs(text: str) -> list[str]:
    return re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text)


def clean(cell: str) -> str:
    cell = _TAG.sub(" ", cell) if "<p" in cell or "<br" in cell else _TAG.sub("", cell)
    return re.sub(r"\s+", " ", html.unescape(cell).replace("**", "")).strip()


def wrap(text: str, room: float, size: float) -> list[str]:
    """Lines of ``text`` no wider than ``room``: breaks between hanzi or before an ASCII word."""
    lines, cur, used = [], "", 0.0
    toks = re.findall(r"[\x21-\x7e]+|\s|.", text)
    toks = [t for tok in toks for t in (tok if width(tok, size) > room else [tok])]  # a long code: by characters
    for tok in toks:
        w = width(tok, size)
        if cur and used + w > room:
            lines.append(cur.rstrip())
            cur, used = tok.lstrip(), width(tok.lstrip(), size)
        else:
            cur, used = cur + tok, used + w
    lines = [*lines, cur] if cur or not lines else lines
    for i in range(len(lines) - 1):  # line-breaking rules: no opening bracket at a line's end,
        while lines[i][-1:] in set("（(“《") and len(lines[i]) > 1:  # no closing punctuation at a start
            lines[i], lines[i + 1] = lines[i][:-1].rstrip(), lines[i][-1] + lines[i + 1]
        while lines[i + 1][:1] in set("，。、；：）)”》%") and len(lines[i]) > 1:  # (as Word: the
            lines[i], lines[i + 1] = lines[i][:-1], lines[i][-1] + lines[i + 1]  # char before moves down)
    return lines


def cell_lines(text: str, room: float, size: float) -> list[str]:
    parts = _BREAK.split(text)
    parts = parts if len(parts) > 1 and all(len(p) >= 2 for p in parts) else [text]
    return [ln for p in parts for ln in wrap(p, room, size)]


def blocks(markdown: str) -> list[tuple]:
    """("text", heading level, text) and ("table", rows) in order; blank lines inside a table run
    (a page break of the original) do not end it."""
    out: list[tuple] = []
    for raw in markdown.splitlines():
        if "\t" in raw:
            row = [clean(c) for c in raw.split("\t")]
            if out and out[-1][0] == "table":
                out[-1][1].append(row)
            else:
                out.append(("table", [row]))
            continue
        m = re.match(r"^(#{1,6})\s*(.*)$", raw)
        text = clean(re.sub(r"^\s*[-*+]\s+", "", m.group(2) if m else raw))
        if text:
            out.append(("text", len(m.group(1)) if m else 0, text))
    return out


def header_rows(rows: list[list[str]]) -> int:
    """The number of header rows: those before the first with an amount, a code or a total."""
    for r, row in enumerate(rows):
        filled = [c.replace(" ", "") for c in row if c]
        total = filled in (["合计"], ["总计"])  # the total row of an empty table
        if any(_AMOUNT.match(c) for c in row) or total or (filled and re.match(r"^\d{3,}$", filled[0])):
            return r
    return len(rows)


def merges(rows: list[list[str]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Merged cells as {(row, col) of the top-left: (last row, last col)}; others are 1×1."""
    n = len(rows[0])
    head = header_rows(rows)
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # covered cell → its top-left
    span: dict[tuple[int, int], tuple[int, int]] = {}

    def cover(r0: int, c0: int, r1: int, c1: int) -> None:
        span[(r0, c0)] = (r1, c1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    owner[(r, c)] = (r0, c0)

    for r, row in enumerate(rows):
        filled = [c for c in range(n) if row[c]]
        for c in filled:
            if _LABEL.match(row[c].replace(" ", "")) and c + 1 < n and not row[c + 1]:
                cover(r, c, r, c + 1)
        # a sub-header row (text under a header merged across columns): its blanks are merged down
        sub = 0 < r < head and any(row[c] and span.get(owner.get((r - 1, c), (r - 1, c)), (0, c))[1] > c
                                   for c in range(n))
        for c in range(n):
            if sub and not row[c] and (r, c) not in owner:  # under a one-column header cell
                top = owner.get((r - 1, c), (r - 1, c))
                if rows[top[0]][top[1]] and span.get(top, (r - 1, c))[1] == c == top[1]:
                    cover(top[0], c, r, c)
        if filled and filled[0] == 0 and len(filled) <= 2 and filled[-1] <= n - 3:
            if not any(_AMOUNT.match(c) for c in row) and not any((r, c) in owner for c in range(filled[-1], n)):
                cover(r, filled[-1], r, n - 1)  # a label and one long text: the text spans the row
        if r < head and r + 1 < len(rows):  # a group header over the cells below it
            below = rows[r + 1]
            for c in filled:
                if (r, c) in span:
                    continue
                end = c + 1
                while end < n and not row[end] and (r, end) not in owner:
                    end += 1
                if end - 1 > c and any(below[c + 1 : end]):
                    cover(r, c, r, end - 1)
    return span


class Renderer:
    def __init__(self, style: Style) -> None:
        self.s = style
        self.pdf = pymupdf.open()
        self.page: pymupdf.Page | None = None
        self.landscape = False

    # pages
    @property
    def bottom(self) -> float:
        return self.page.rect.height - self.s.margin

    def new_page(self, landscape: bool | None = None) -> None:
        if self.page is not None:
            self.finish()
        self.landscape = self.landscape if landscape is None else landscape
        w, h = self.s.page
        self.page = self.pdf.new_page(width=h if self.landscape else w, height=w if self.landscape else h)
        self.tw = pymupdf.TextWriter(self.page.rect)
        self.shape = self.page.new_shape()  # every cell's rectangle, stroked at the end of the page
        self.y = self.s.margin

    def finish(self) -> None:
        label = f"- {self.pdf.page_count} -"
        x = (self.page.rect.width - width(label, 9)) / 2
        self.put(x, self.page.rect.height - self.s.margin / 2, label, 9)
        self.tw.write_text(self.page)
        self.shape.finish(color=(0, 0, 0), width=0.5)
        self.shape.commit()

    def put(self, x: float, y: float, text: str, size: float) -> None:
        for run in _runs(text):
            font = ASCII if run[0].isascii() else CJK
            self.tw.append((x, y), run, font=font, fontsize=size)
            x += font.text_length(run, size)

    # narrative
    def text(self, level: int, text: str) -> None:
        size = {1: 16.0, 2: 14.0, 3: 12.0}.get(level, self.s.size)
        left, room = self.s.margin, self.page.rect.width - 2 * self.s.margin
        # a heading breaks where the converter saw the original's line break (a space between hanzi)
        lines = cell_lines(text, room - 2 * size, size) if level else wrap(text, room - 2 * size, size)
        for i, ln in enumerate(lines):
            if self.y + size * 1.6 > self.bottom:
                self.new_page()
            indent = 2 * size if i == 0 and not level else 0
            x = (self.page.rect.width - width(ln, size)) / 2 if level in (1, 2) else left + indent
            self.put(x, self.y + size, ln, size)
            self.y += size * 1.6

    # tables
    def table(self, rows: list[list[str]]) -> None:
        s, size = self.s, self.s.size
        n = max(len(r) for r in rows)
        rows = [r + [""] * (n - len(r)) for r in rows]
        span, head = merges(rows), header_rows(rows)
        owned = {(r, c) for (r0, c0), (r1, c1) in span.items() for r in range(r0, r1 + 1)
                 for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        room = self.page.rect.width - 2 * s.margin
        widths = []
        for c in range(n):
            texts = [rows[r][c] for r in range(len(rows)) if span.get((r, c), (r, c))[1] == c and (r, c) not in owned]
            natural = max([width(p, size) for t in texts for p in cell_lines(t, 1e9, size)] or [0])
            numeric = all(_NUMERIC.match(t) or not t for t in texts)
            widths.append(max(2.5 * size, natural if numeric else min(natural, s.max_text)) + 2 * s.pad)
        while sum(widths) > room:
            k = widths.index(max(widths))
            widths[k] *= 0.95
        widths = [w * room / sum(widths) for w in widths]
        xs = [s.margin + sum(widths[:c]) for c in range(n + 1)]

        def lines(r: int, c: int) -> list[str]:
            c1 = span.get((r, c), (r, c))[1]
            return cell_lines(rows[r][c], xs[c1 + 1] - xs[c] - 2 * s.pad, size) if rows[r][c] else []

        lead = size * 1.25
        heights = [max([len(lines(r, c)) for c in range(n) if span.get((r, c), (r, c))[0] == r] + [1]) * lead
                   + 2 * s.pad for r in range(len(rows))]
        for (r0, c0), (r1, _) in span.items():  # a cell merged down: its last row grows if it must
            need = len(lines(r0, c0)) * lead + 2 * s.pad - sum(heights[r0:r1 + 1])
            heights[r1] += max(0.0, need)
        tops: dict[int, float] = {}
        r = 0
        while r < len(rows):
            end = max([r1 for (r0, _), (r1, _) in span.items() if r0 == r] + [r])  # rows that go together
            h = sum(heights[r:end + 1])
            assert h <= self.bottom - s.margin, "a row taller than a page (not rendered: choose another style)"
            if self.y + h > self.bottom and self.y > s.margin:
                self.new_page()
            for k in range(r, end + 1):
                tops[k] = self.y
                self.y += heights[k]
            for k in range(r, end + 1):
                for c in range(n):
                    if (k, c) in owned:
                        continue
                    r1, c1 = span.get((k, c), (k, c))
                    rect = pymupdf.Rect(xs[c], tops[k], xs[c1 + 1], tops[k] + sum(heights[k:r1 + 1]))
                    self.shape.draw_rect(rect)
                    self.cell(rect, lines(k, c), rows[k][c], header=k < head)
            r = end + 1
        self.y += size

    def cell(self, rect: pymupdf.Rect, lines: list[str], text: str, header: bool) -> None:
        size, lead, pad = self.s.size, self.s.size * 1.25, self.s.pad
        y = rect.y0 + (rect.height - len(lines) * lead) / 2 + size * 0.95
        for ln in lines:
            w = width(ln, size)
            if _NUMERIC.match(text) and not re.fullmatch(r"\d{3}(?:\d{2}){0,2}", text):  # codes go left
                x = rect.x1 - pad - w
            elif header:
                x = rect.x0 + (rect.width - w) / 2
            else:
                x = rect.x0 + pad
            self.put(x, y, ln, size)
            y += lead


def render(markdown: Path | str, out: Path, style: Style = Style()) -> Path:
    """Render the markdown file ``markdown`` as a PDF at ``out`` (returned)."""
    items = blocks(Path(markdown).read_text("utf-8"))
    r = Renderer(style)
    r.new_page(False)
    for i, item in enumerate(items):
        if item[0] == "text" and item[1]:  # a heading: a section holding a table starts a page
            nxt = next((b for b in items[i + 1 :] if b[0] == "table" or b[1]), None)
            if nxt is not None and nxt[0] == "table":
                r.new_page(max(map(len, nxt[1])) >= style.landscape_cols)
        if item[0] == "text":
            r.text(item[1], item[2])
        else:
            r.table(item[1])
    r.finish()
    r.pdf.save(str(out), garbage=1, deflate=True)
    r.pdf.close()
    return out
