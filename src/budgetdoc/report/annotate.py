"""An annotated copy of a PDF disclosure: a rectangle annotation with the Chinese message at every
finding that has a page and a box (every finding of a PDF read by budgetdoc has: the box of its cell,
row, statement or line); a note at the top left of its page (or of page 1) for the others.

The original is read into memory once and never written: the copy goes to ``out`` only (which must be
another path).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

from ..check import Report
from ..check.findings import SEVERITY_ZH
from ..decimals import to_decimal
from ..errors import InputError
from ..model import Disclosure, Location
from .text import CATEGORY_ZH, where

COLORS = {"error": (0.78, 0.16, 0.16), "warning": (0.88, 0.54, 0.0), "info": (0.18, 0.43, 0.71)}


_MONEY = re.compile(r"^[-−]?[\d,，]+\.\d+$")


def _amount(text: str) -> Decimal | None:
    return to_decimal(text)


class Boxes:
    """The box of a location on its PDF page. Read from a PDF, every table, row, cell, statement and
    finding location carries its own ``bbox`` (the cell's words, the row's cells, the title or source
    line), which is used as it is. Only a location without one (a model built by other means, a rule
    that names just a page and line) falls back to the source line it names: the box of the word
    printing the cell's amount, else of the whole line."""

    def __init__(self, doc: Disclosure | None):
        self.doc = doc
        self.lines = {}
        if doc is not None:
            self.lines = {(ln.page, ln.number): ln for ln in doc.lines() if ln.bbox is not None}

    def __call__(self, loc: Location) -> tuple | None:
        if loc.bbox is not None:
            return loc.bbox
        return self._from_line(loc)

    def _from_line(self, loc: Location) -> tuple | None:
        """Fallback for a location without a box: its source line's amount word, or the line."""
        if self.doc is None or loc.page is None or loc.line is None:
            return None
        ln = self.lines.get((loc.page, loc.line))
        if ln is None:
            return None
        value = self._value(loc)
        if value is not None and ln.words:
            hits = [w for w in ln.words if _amount(w.text) == value]
            if len(hits) > 1:
                hits = self._disambiguate(loc, hits) or hits
            if hits:
                return hits[0].bbox
        return ln.bbox

    def _value(self, loc: Location) -> Decimal | None:
        from .html import locate

        ref = locate(self.doc, loc)
        if ref is None or ref.row < 0 or ref.column is None:
            return None
        t = self.doc.table(ref.table)
        return t.rows[ref.row].value(ref.column) if t else None

    def _disambiguate(self, loc: Location, hits: list) -> list:
        """Several words print the same amount: map the table's cells on this line to the amounts of
        the line in reading order (by column, halves left to right) and keep this cell's word."""
        from .html import locate

        ref = locate(self.doc, loc)
        t = self.doc.table(ref.table) if ref else None
        if t is None:
            return []
        order = {c.id: i for i, c in enumerate(t.columns)}
        same_line = []
        for ri, r in enumerate(t.rows):
            for c in r.cells:
                cl = c.location if c.location.line is not None else r.location
                if cl.page == loc.page and cl.line == loc.line and c.value is not None:
                    same_line.append((0 if r.part in (None, "收入") else 1, order.get(c.column, 99), ri, c))
        same_line.sort(key=lambda x: (x[0], x[1]))
        words = sorted((w for w in self.doc_words(loc) if _MONEY.match(w.text.strip())), key=lambda w: w.bbox[0])
        if len(words) != len(same_line):
            return []
        for (_, _, ri, c), w in zip(same_line, words, strict=True):
            if ri == ref.row and c.column == ref.column:
                return [w]
        return []

    def doc_words(self, loc: Location) -> list:
        ln = self.lines.get((loc.page, loc.line))
        return list(ln.words or []) if ln else []


def _content(f) -> str:
    lines = [f"[{SEVERITY_ZH.get(f.severity, f.severity)}·{CATEGORY_ZH.get(f.category, f.category)}] {f.rule}",
             f.message]
    if f.expected is not None or f.actual is not None:
        lines.append(f"应为 {f.expected or '—'}，实为 {f.actual or '—'}")
    lines.append(f"位置：{where(f.location)}")
    return "\n".join(lines)


def annotate_pdf(source: str, report: Report, out: str, doc: Disclosure | None = None) -> dict[str, int]:
    """Write the annotated copy to ``out``; counts of ``boxes`` and ``notes`` added. With the ``doc``
    the report came from, findings located by page and line get the box of their cell or line."""
    import pymupdf

    if not source.lower().endswith(".pdf"):
        with open(source, "rb") as fh:
            if not fh.read(5).startswith(b"%PDF"):
                raise InputError(f"只有 PDF 文件才能输出带批注的 PDF：{source}")
    if os.path.exists(out) and os.path.samefile(source, out):
        raise InputError(f"带批注的 PDF 不能覆盖原文件，请换一个输出路径：{out}")
    with open(source, "rb") as fh:
        data = fh.read()
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # noqa: BLE001 - reported as one sentence
        raise InputError(f"无法打开 PDF，不能输出带批注的副本：{source}") from e
    if pdf.needs_pass:
        raise InputError(f"PDF 已加密，不能输出带批注的副本：{source}")
    boxes = notes = 0
    stack: dict[int, int] = {}
    box_of = Boxes(doc)
    for f in report.findings:
        loc = f.location
        bbox = box_of(loc)
        color = COLORS.get(f.severity, COLORS["info"])
        page_no = loc.page if loc.page and 1 <= loc.page <= pdf.page_count else 1
        page = pdf[page_no - 1]
        content = _content(f)
        if loc.page and bbox and 1 <= loc.page <= pdf.page_count:
            inner = page.rect + (3, 3, -3, -3)  # the border is drawn outside the rect: keep it on the page
            rect = pymupdf.Rect(bbox) & inner
            if not rect.is_empty:
                rect = (rect + (-1.5, -1.5, 1.5, 1.5)) & inner
                a = page.add_rect_annot(rect)
                a.set_colors(stroke=color)
                a.set_border(width=1.2)
                a.set_opacity(0.9)
                a.set_info(title=f"budgetdoc {f.rule}", content=content, subject=f.name or f.rule)
                a.update()
                boxes += 1
                continue
        # no box: a note icon at the top left of the page, stacked downwards
        n = stack.get(page_no, 0)
        stack[page_no] = n + 1
        pr = page.rect
        point = pymupdf.Point(pr.x0 + 8 + 22 * (n // 30), pr.y0 + 8 + 22 * (n % 30))
        a = page.add_text_annot(point, content, icon="Note")
        a.set_colors(stroke=color)
        a.set_info(title=f"budgetdoc {f.rule}", content=content, subject=f.name or f.rule)
        a.update()
        notes += 1
    pdf.save(out, garbage=0, deflate=True)
    pdf.close()
    return {"boxes": boxes, "notes": notes}


__all__ = ["Boxes", "annotate_pdf"]
