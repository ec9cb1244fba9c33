"""The written document as a PDF (PyMuPDF), set as the published ones are: a cover page (the title, the
publisher, the date), the 目录 on its own page, ruled tables (one rectangle per cell, merged group
headers) under their title, holder and unit line, amounts right-aligned and never wrapped, the header
rows repeated on every page a table continues on, wide tables on landscape pages, a page number in every
footer but the cover's. Deterministic for the same blocks.

CJK text is set in Droid Sans Fallback (PyMuPDF's built-in ``china-s``, a TrueType font: MuPDF subsets
it, so only the glyphs used are embedded) and ASCII runs in Helvetica. Not Noto Sans CJK: its CFF
outlines cannot be subset by MuPDF (the whole 16 MB face would be embedded), and the ToUnicode map MuPDF
makes for it names the compatibility ideographs (U+F98E for 年, U+FA01 for 度) for glyphs they share
with the unified ones, so a reader (budgetdoc, a search, a copy) gets ``2022年度`` back as other
characters — the year, the kind and every column label with 年 in it were lost.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import pymupdf
from pymupdf import mupdf

from .document import Block, TableBlock
from .render_pdf_toc import entry_name, toc_entries, toc_pages

if TYPE_CHECKING:
    from .render_pdf_table import TableLayout

PORTRAIT = (595.0, 842.0)
_TOKENS = re.compile(r"[\x21-\x7e]+(?:万元|亿元|元|个百分点|%)?|\s|.")  # an amount stays with its unit
_NO_LINE_START = set("，。、；：）)”》%")


@functools.cache
def _font() -> pymupdf.Font:
    return pymupdf.Font("china-s")


@functools.cache
def _em(ch: str) -> float:
    return _font().text_length(ch, 1.0)


@functools.lru_cache(maxsize=65536)
def _ems(text: str) -> float:
    return sum(_em(ch) for ch in text)


def width(text: str, size: float) -> float:
    return _ems(text) * size


@functools.lru_cache(maxsize=65536)
def wrap(text: str, room: float, size: float) -> tuple[str, ...]:
    """``text`` in lines of at most ``room`` points (ASCII runs unbroken, no closing punctuation first)."""
    lines, cur, used = [], "", 0.0
    for tok in _TOKENS.findall(text):
        w = width(tok, size)
        if cur and used + w > room:
            lines.append(cur.rstrip())
            cur, used = tok.lstrip(), width(tok.lstrip(), size)
        else:
            cur, used = cur + tok, used + w
    lines = [*lines, cur] if cur or not lines else lines
    for i in range(len(lines) - 1):
        while lines[i + 1][:1] in _NO_LINE_START and len(lines[i]) > 1:
            lines[i], lines[i + 1] = lines[i][:-1], lines[i][-1] + lines[i + 1]
    return tuple(lines)


class PdfWriter:
    MARGIN, SIZE, TABLE_SIZE, MIN_SIZE, PAD = 50.0, 12.0, 10.0, 8.0, 3.0

    def __init__(self, dry: bool = False, layouts: dict | None = None) -> None:
        self.pdf = pymupdf.open()
        self.page: pymupdf.Page | None = None  # None in a dry pass, and before the first page
        self.rect = pymupdf.Rect(0, 0, *PORTRAIT)
        self.count = 0  # pages made
        self.open = False  # a page is being set (finished by the next new_page or at the end)
        self.landscape = False
        self.y = self.MARGIN
        self.fresh = True
        self.numbered = True
        self.dry = dry  # lay out only (where things start), set no text and no rules
        self.started = 0  # the page the last heading, paragraph or table started on
        self.starts: dict[int, int] = {}  # block index → the page it started on
        self.layouts: dict[tuple, TableLayout] = {} if layouts is None else layouts  # (table id, size, width, draft) → layout

    @property
    def bottom(self) -> float:
        return self.rect.height - self.MARGIN

    @property
    def room(self) -> float:
        return self.rect.width - 2 * self.MARGIN

    def new_page(self, landscape: bool | None = None) -> None:
        if self.open:
            self.finish()
        self.open = True
        if landscape is not None:
            self.landscape = landscape
        w, h = PORTRAIT
        self.rect = pymupdf.Rect(0, 0, h, w) if self.landscape else pymupdf.Rect(0, 0, w, h)
        self.count += 1
        if not self.dry:
            self.page = self.pdf.new_page(width=self.rect.width, height=self.rect.height)
            self.tw = pymupdf.TextWriter(self.rect)
            self.shape = self.page.new_shape()
        self.rules: list[str] = []
        self.y = self.MARGIN
        self.fresh = True

    def finish(self) -> None:
        if self.numbered:
            label = f"- {self.count} -"
            self.put((self.rect.width - width(label, 9)) / 2, self.rect.height - self.MARGIN / 2,
                     label, 9)
        self.numbered = True
        if self.dry:
            return
        self.tw.write_text(self.page)
        if self.rules:  # the table rules: one rectangle per cell, stroked at once
            self.shape.draw_cont += "".join(self.rules)
            self.shape.finish(color=(0, 0, 0), width=0.5)
            self.shape.commit()

    def put(self, x: float, y: float, text: str, size: float) -> None:
        if self.dry:
            return
        # TextWriter.append's own work, less the bounding box it recomputes for every call (half the cost
        # of writing a page of tables); a TextWriter's space is PDF space, y upwards
        trm = mupdf.fz_make_matrix(size, 0, 0, size, x, self.rect.height - y)
        mupdf.fz_show_string(self.tw.this, _font().this, trm, text, 0, 0, 0, 0)

    def centred(self, text: str, size: float) -> None:
        """One or more centred lines (a title too long for one line is wrapped, not shrunk to dust)."""
        for ln in wrap(text, self.room, size):
            self.put((self.rect.width - width(ln, size)) / 2, self.y + size, ln, size)
            self.y += size * 1.6

    def text(self, level: int, text: str, centre: bool | None = None) -> None:
        """A heading (level 1 centred, 2 and 3 indented as a paragraph) or a paragraph (first line
        indented two characters)."""
        size = {1: 16.0, 2: 14.0, 3: 12.5}.get(level, self.SIZE)
        centre = level == 1 if centre is None else centre
        while level and size > 10.5 and width(text, size) > self.room - 2 * size:  # a heading on one line
            size -= 0.5
        lead = size * (1.6 if level else 1.75)
        if level and not self.fresh and not centre:
            self.y += size * 0.5  # a little room above a section heading
        for i, ln in enumerate(wrap(text, self.room - (0 if centre else 2 * size), size)):
            if self.y + lead > self.bottom:
                self.new_page()
            if i == 0:
                self.started = self.count
            indent = 2 * self.SIZE if level else 2 * size if i == 0 else 0
            x = (self.rect.width - width(ln, size)) / 2 if centre else self.MARGIN + indent
            self.put(x, self.y + size, ln, size)
            self.y += lead
        self.fresh = False

    def toc_line(self, name: str, page: int | None, indent: bool) -> None:
        """A 目录 entry: its name, a dotted leader and its page at the right margin (a table's entry
        indented); it takes the same lines whatever its page and indent."""
        size, num = self.SIZE, "" if page is None else str(page)
        x0 = self.MARGIN + (2 * size if indent else 0)
        right = self.rect.width - self.MARGIN
        lines = wrap(name, right - self.MARGIN - 2 * size - width(" ...... 000", size), size)
        for ln in lines[:-1]:
            self.put(x0, self.y + size, ln, size)
            self.y += size * 1.75
        end = x0 + width(lines[-1], size) + size * 0.3
        dots = "." * max(2, int((right - width(num, size) - size * 0.3 - end) / width(".", size)))
        self.put(x0, self.y + size, lines[-1], size)
        self.put(end, self.y + size, dots, size)
        self.put(right - width(num, size), self.y + size, num, size)
        self.y += size * 1.75
        self.fresh = False

    def cover(self, title: str, lines: list[str]) -> None:
        """The cover page: the title a third of the way down, the publisher and date under it."""
        self.y = self.rect.height * 0.3
        size = 24.0
        while size > 18 and width(title, size) > self.room:
            size -= 1
        m = re.search(r"20\d\d年", title)
        if width(title, size) > self.room and m and m.start() > 0:  # the publisher over the year and kind
            self.centred(title[:m.start()], size)
            self.centred(title[m.start():], size)
        else:
            self.centred(title, size)
        self.y = self.rect.height * 0.5
        for ln in lines:
            self.centred(ln, 15.0)
            self.y += 8
        self.numbered = False
        self.fresh = False

    def line_pair(self, left: str, right: str, size: float) -> None:
        self.put(self.MARGIN, self.y + size, left, size)
        self.put(self.rect.width - self.MARGIN - width(right, size), self.y + size, right, size)
        self.y += size * 1.6

    def table(self, tb: TableBlock, draft: bool) -> None:
        from .render_pdf_table import wide

        landscape = wide(tb, self.TABLE_SIZE, self.PAD, PORTRAIT[0] - 2 * self.MARGIN)
        if self.fresh and self.count:  # an empty page: set it anew, do not leave it blank
            if not self.dry:
                self.pdf.delete_page(-1)
            self.count -= 1
            self.open = False
        self.new_page(landscape)
        start = self.count
        above = 14 * 1.6 + 2 * self.TABLE_SIZE * 1.6 + (self.TABLE_SIZE * 1.6 if tb.number else 0)
        room_y = self.bottom - self.y - above - 2 * self.SIZE * 1.6  # title, unit line, a note under it
        # a table that fits one page at a smaller size (down to 8 pt) is set so; a longer one keeps its
        # size and continues on the next pages with its header rows repeated
        layout = self.layout(tb, self.TABLE_SIZE, draft)
        if layout.height() > room_y and self.layout(tb, self.MIN_SIZE, draft).height() <= room_y:
            size = self.TABLE_SIZE
            while layout.height() > room_y:
                size -= 0.5
                layout = self.layout(tb, size, draft)
        above = tb.number.startswith("表")  # 表7 over the title (预算); 公开01表 at the right under it (决算)
        if tb.number and above:
            self.put(self.MARGIN, self.y + layout.size, tb.number, layout.size)
            self.y += layout.size * 1.6
        self.text(2, tb.title, centre=True)
        if tb.number and not above:
            self.put(self.rect.width - self.MARGIN - width(tb.number, layout.size), self.y + layout.size,
                     tb.number, layout.size)
            self.y += layout.size * 1.6
        self.line_pair(tb.holder, tb.unit_line, layout.size)
        self.draw(layout)
        self.y += layout.size * 0.6
        for text in (f"【{tb.mark}】" if draft and tb.mark else "", tb.statement, tb.note):
            if text:
                self.text(0, text)
        self.started = start  # the table starts where its title is, not where its note is

    def layout(self, tb: TableBlock, size: float, draft: bool) -> TableLayout:
        """A table's layout at ``size`` on this page's width (kept for the second pass)."""
        from .render_pdf_table import TableLayout

        key = (id(tb), size, self.room, draft)
        if key not in self.layouts:
            self.layouts[key] = TableLayout(tb, size, self.room, self.PAD, draft)
        return self.layouts[key]

    def draw(self, layout: TableLayout) -> None:
        for r in range(layout.head):
            self.draw_row(layout, r)
        for r in range(layout.head, len(layout.rows)):
            if self.y + layout.heights[r] > self.bottom:
                self.new_page()
                for h in range(layout.head):  # the header rows again on the continuation page
                    self.draw_row(layout, h)
            self.draw_row(layout, r)

    def draw_row(self, layout: TableLayout, r: int) -> None:
        size, pad, lead = layout.size, self.PAD, layout.lead
        xs = [self.MARGIN + x for x in layout.xs]
        for a, b, last, lines, align in layout.cells[r]:
            rect = pymupdf.Rect(xs[a], self.y, xs[b + 1], self.y + sum(layout.heights[r:last + 1]))
            self.rules.append(f"{rect.x0:.2f} {self.rect.height - rect.y1:.2f} {rect.width:.2f} "
                              f"{rect.height:.2f} re\n")
            y = rect.y0 + (rect.height - len(lines) * lead) / 2 + size * 0.95
            for ln in lines:
                w = width(ln, size)
                x = rect.x1 - pad - w if align == "r" else rect.x0 + (rect.width - w) / 2 if align == "c" \
                    else rect.x0 + pad
                self.put(x, y, ln, size)
                y += lead
        self.y += layout.heights[r]


def _cover_end(blocks: list[Block], i: int) -> int:
    """The end of a cover starting at ``blocks[i]`` (a title, then lines up to the 目录), else ``i``."""
    if blocks[i].kind != "heading" or blocks[i].level != 1:
        return i
    j = i + 1
    while j < len(blocks) and blocks[j].kind == "para":
        j += 1
    if j < len(blocks) and blocks[j].kind == "heading" and blocks[j].text.replace(" ", "") == "目录":
        return j
    return i


def _render(blocks: list[Block], draft: bool, toc: dict[int, tuple[int | None, bool]],
            dry: bool = False, layouts: dict | None = None) -> PdfWriter:
    """The blocks set on pages, the 目录's entries (``toc``: block index → page, a table's) with their
    pages; ``dry``: only where each block starts (``PdfWriter.starts``), no text and no rules."""
    w = PdfWriter(dry=dry, layouts=layouts)
    w.new_page(False)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        end = _cover_end(blocks, i)
        if end > i:
            if not w.fresh:
                w.new_page(False)
            w.cover(b.text, [p.text for p in blocks[i + 1:end]])
            w.new_page(False)
            i = end
            continue
        if b.kind == "pagebreak":
            if not w.fresh:
                w.new_page(False)
        elif b.kind == "heading":
            w.text(b.level, b.text)
        elif b.kind == "para" and i in toc:
            w.toc_line(entry_name(b.text), *toc[i])
        elif b.kind == "para":
            w.text(0, b.text + (f"【待改：{b.mark}】" if draft and b.mark else ""))
        elif b.kind == "table" and b.table is not None:
            w.table(b.table, draft)
            w.fresh = False
        w.starts[i] = w.started
        i += 1
    w.finish()
    return w


def write_pdf(blocks: list[Block], out: str, draft: bool = False) -> None:
    entries = toc_entries(blocks)
    toc: dict[int, tuple[int | None, bool]] = {i: (None, False) for i in entries}
    layouts: dict = {}  # the blocks live through both passes: their ids are theirs
    if entries:  # a dry pass finds the pages the 目录 names (an entry takes the same lines either way)
        dry = _render(blocks, draft, toc, dry=True, layouts=layouts)
        dry.pdf.close()
        toc.update(toc_pages(blocks, entries, dry.starts))
    w = _render(blocks, draft, toc, layouts=layouts)
    w.pdf.set_metadata({"title": next((b.text for b in blocks if b.kind == "heading"), ""),
                        "creator": "budgetdoc write"})
    w.pdf.subset_fonts()  # only the glyphs used are embedded
    w.pdf.save(out, garbage=3, deflate=True)
    w.pdf.close()
