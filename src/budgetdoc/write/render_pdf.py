"""The written document as a PDF (PyMuPDF): CJK text in an embedded font (Noto Sans CJK when installed,
else PyMuPDF's built-in ``china-s``), ASCII runs in Helvetica, ruled tables (one rectangle per cell, merged
group headers), amounts right-aligned, the header rows repeated on every page a table continues on, wide
tables on landscape pages, a page number in every footer. Deterministic for the same blocks."""

from __future__ import annotations

import functools
import glob
import re

import pymupdf

from .document import Block, TableBlock

_NOTO = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK*-Regular.ttc", recursive=True))


@functools.cache
def _fonts() -> tuple[pymupdf.Font, pymupdf.Font]:
    cjk = pymupdf.Font(fontfile=_NOTO[0]) if _NOTO else pymupdf.Font("china-s")
    return cjk, pymupdf.Font("helv")


@functools.cache
def _em(ch: str) -> float:
    cjk, ascii_ = _fonts()
    return (ascii_ if ch.isascii() else cjk).text_length(ch, 1.0)


def width(text: str, size: float) -> float:
    return sum(_em(ch) for ch in text) * size


def wrap(text: str, room: float, size: float) -> list[str]:
    lines, cur, used = [], "", 0.0
    for tok in re.findall(r"[\x21-\x7e]+|\s|.", text):
        w = width(tok, size)
        if cur and used + w > room:
            lines.append(cur.rstrip())
            cur, used = tok.lstrip(), width(tok.lstrip(), size)
        else:
            cur, used = cur + tok, used + w
    lines = [*lines, cur] if cur or not lines else lines
    for i in range(len(lines) - 1):  # no closing punctuation at a line's start
        while lines[i + 1][:1] in set("，。、；：）)”》%") and len(lines[i]) > 1:
            lines[i], lines[i + 1] = lines[i][:-1], lines[i][-1] + lines[i + 1]
    return lines


class PdfWriter:
    MARGIN, SIZE, PAD = 50.0, 10.5, 3.0

    def __init__(self) -> None:
        self.pdf = pymupdf.open()
        self.page: pymupdf.Page | None = None
        self.landscape = False
        self.y = self.MARGIN

    @property
    def bottom(self) -> float:
        return self.page.rect.height - self.MARGIN

    def new_page(self, landscape: bool | None = None) -> None:
        if self.page is not None:
            self.finish()
        if landscape is not None:
            self.landscape = landscape
        w, h = 595.0, 842.0
        self.page = self.pdf.new_page(width=h if self.landscape else w, height=w if self.landscape else h)
        self.tw = pymupdf.TextWriter(self.page.rect)
        self.shape = self.page.new_shape()
        self.y = self.MARGIN
        self.fresh = True

    def finish(self) -> None:
        label = f"- {self.pdf.page_count} -"
        self.put((self.page.rect.width - width(label, 9)) / 2, self.page.rect.height - self.MARGIN / 2, label, 9)
        self.tw.write_text(self.page)
        self.shape.finish(color=(0, 0, 0), width=0.5)
        self.shape.commit()

    def put(self, x: float, y: float, text: str, size: float, color: tuple = (0, 0, 0)) -> None:
        cjk, ascii_ = _fonts()
        for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
            font = ascii_ if run[0].isascii() else cjk
            self.tw.append((x, y), run, font=font, fontsize=size)
            x += font.text_length(run, size)

    def text(self, level: int, text: str) -> None:
        size = {1: 16.0, 2: 14.0, 3: 12.0}.get(level, self.SIZE)
        room = self.page.rect.width - 2 * self.MARGIN
        while level and size > 10.5 and width(text, size) > room - 2 * size:  # a heading stays on one line
            size -= 0.5
        for i, ln in enumerate(wrap(text, room - 2 * size, size)):
            if self.y + size * 1.6 > self.bottom:
                self.new_page()
            indent = 2 * size if i == 0 and not level else 0
            x = (self.page.rect.width - width(ln, size)) / 2 if level in (1, 2) else self.MARGIN + indent
            self.put(x, self.y + size, ln, size)
            self.y += size * 1.6
        self.fresh = False

    def line_pair(self, left: str, right: str) -> None:
        size = self.SIZE
        self.put(self.MARGIN, self.y + size, left, size)
        self.put(self.page.rect.width - self.MARGIN - width(right, size), self.y + size, right, size)
        self.y += size * 1.6

    def table(self, tb: TableBlock, draft: bool) -> None:
        n = max(len(r) for r in tb.header + tb.body)
        # a table is set on one page when it fits at 7 pt or more, landscape when it is wide, else
        # portrait (as the published documents are); a longer one continues with its header repeated
        for landscape in ((n >= 9, n < 9) if n >= 9 else (False,)):
            if self.fresh and self.page is not None:  # an empty page: set it anew, do not leave it blank
                self.pdf.delete_page(-1)
                self.page = None
            self.new_page(landscape)
            size = self.SIZE
            while size > 7.0 and self._height(tb, size, draft) > self.bottom - self.y - 5 * size * 1.6:
                size -= 0.5
            if self._height(tb, size, draft) <= self.bottom - self.y - 5 * size * 1.6:
                break
        self._table(tb, draft, size)

    def _height(self, tb: TableBlock, size: float, draft: bool) -> float:
        return self._table(tb, draft, size, measure=True)

    def _table(self, tb: TableBlock, draft: bool, size: float, measure: bool = False) -> float:
        pad = self.PAD
        n = max(len(r) for r in tb.header + tb.body)
        if not measure:
            self.text(2, tb.title)
        if tb.number and not measure:
            self.put(self.page.rect.width - self.MARGIN - width(tb.number, size), self.y + size, tb.number, size)
            self.y += size * 1.6
        if not measure:
            self.line_pair(tb.holder, tb.unit_line)
        rows = [r + [""] * (n - len(r)) for r in tb.header + tb.body]
        head = len(tb.header)
        room = self.page.rect.width - 2 * self.MARGIN
        widths = []
        for c in range(n):
            texts = [rows[r][c] for r in range(len(rows)) if not (r < head and _spanned(rows[r], c))]
            natural = max([width(t, size) for t in texts] + [0])
            numeric = c < len(tb.numeric) and tb.numeric[c]
            widths.append(max(2.5 * size, natural if numeric else min(natural, 150.0)) + 2 * pad)
        fixed = [c < len(tb.numeric) and tb.numeric[c] for c in range(n)]  # amounts are never wrapped
        while sum(widths) > room and any(not f and w > 3 * size for f, w in zip(fixed, widths, strict=True)):
            k = max((i for i in range(n) if not fixed[i]), key=lambda i: widths[i])
            widths[k] *= 0.95
        widths = [w * room / sum(widths) for w in widths]
        xs = [self.MARGIN + sum(widths[:c]) for c in range(n + 1)]
        lead = size * 1.25

        def spans(r: int) -> list[tuple[int, int]]:
            """(first, last) column of each cell: a group header spans the blanks after it."""
            out, c = [], 0
            row = rows[r]
            while c < n:
                end = c
                if r < head and row[c]:
                    while end + 1 < n and not row[end + 1] and r + 1 < len(rows) and r + 1 < head:
                        end += 1
                out.append((c, end))
                c = end + 1
            return out

        def cell_lines(r: int, c0: int, c1: int) -> list[str]:
            text = rows[r][c0]
            if draft and r >= head and (r - head, c0) in tb.marks:
                text += f"【{tb.marks[(r - head, c0)]}】"
            return wrap(text, xs[c1 + 1] - xs[c0] - 2 * pad, size) if text else []

        heights = [max([len(cell_lines(r, a, b)) for a, b in spans(r)] + [1]) * lead + 2 * pad
                   for r in range(len(rows))]
        if measure:
            return sum(heights)

        def draw_row(r: int) -> None:
            for a, b in spans(r):
                rect = pymupdf.Rect(xs[a], self.y, xs[b + 1], self.y + heights[r])
                self.shape.draw_rect(rect)
                lines = cell_lines(r, a, b)
                y = rect.y0 + (rect.height - len(lines) * lead) / 2 + size * 0.95
                numeric = r >= head and a < len(tb.numeric) and tb.numeric[a]
                for ln in lines:
                    w = width(ln, size)
                    x = (rect.x1 - pad - w) if numeric else (rect.x0 + (rect.width - w) / 2) if r < head \
                        else rect.x0 + pad
                    self.put(x, y, ln, size)
                    y += lead
            self.y += heights[r]

        for r in range(head):
            draw_row(r)
        for r in range(head, len(rows)):
            if self.y + heights[r] > self.bottom:
                self.new_page()
                for h in range(head):  # the header rows again on the continuation page
                    draw_row(h)
            draw_row(r)
        self.y += size * 0.6
        for text in (tb.statement, tb.note):
            if text:
                self.text(0, text)
        return 0.0


def _spanned(row: list[str], c: int) -> bool:
    return bool(row[c]) and c + 1 < len(row) and not row[c + 1]


def write_pdf(blocks: list[Block], out: str, draft: bool = False) -> None:
    w = PdfWriter()
    w.new_page(False)
    for b in blocks:
        if b.kind == "pagebreak":
            if not w.fresh:
                w.new_page(False)
        elif b.kind == "heading":
            w.text(b.level, b.text)
        elif b.kind == "para":
            w.text(0, b.text + (f"【待改：{b.mark}】" if draft and b.mark else ""))
        elif b.kind == "table" and b.table is not None:
            w.table(b.table, draft)
            w.fresh = False
    w.finish()
    w.pdf.set_metadata({"title": next((b.text for b in blocks if b.kind == "heading"), ""),
                        "creator": "budgetdoc write"})
    w.pdf.save(out, garbage=1, deflate=True)
    w.pdf.close()
