"""An annotated copy of a PDF disclosure that explains itself on paper: every finding is numbered
(errors first) and its box carries the number and rule printed on the page (“①ARI001”); the other
side(s) of a mismatch (the finding's related places) get a dashed box with the same number; legend
pages inserted before page 1 list every finding (number, rule, severity, page, message). The boxes are
also rectangle annotations holding the Chinese message (a note icon at the top left of its page, or of
page 1, for a finding without a box), for reading on screen.

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
from .groups import ordered
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
        ln = self.lines.get((self.doc.line_page(loc), loc.line))
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
        ln = self.lines.get((self.doc.line_page(loc), loc.line)) if self.doc is not None else None
        return list(ln.words or []) if ln else []


def label_number(n: int) -> str:
    """① … ⑳, then (21), (22) …"""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def _content(f, n: int | None = None) -> str:
    head = f"{label_number(n)}{f.rule}" if n is not None else f.rule
    lines = [f"[{SEVERITY_ZH.get(f.severity, f.severity)}·{CATEGORY_ZH.get(f.category, f.category)}] {head}",
             f.message]
    if f.expected is not None or f.actual is not None:
        lines.append(f"应为 {f.expected or '—'}，实为 {f.actual or '—'}")
    lines.append(f"位置：{where(f.location)}")
    return "\n".join(lines)


class _Labels:
    """Short labels printed on the pages (page content, so they print): placed beside a box, moved
    along until they overlap no earlier label of the page."""

    SIZE = 7.0

    def __init__(self, font) -> None:
        self.font = font
        self.placed: dict[int, tuple] = {}  # page number → (page, [(spot, text, colour)])

    def add(self, page, rect, text: str, color: tuple) -> None:
        import pymupdf

        w = self.font.text_length(text, fontsize=self.SIZE) + 2
        h = self.SIZE + 2
        pr = page.rect
        _, taken = self.placed.setdefault(page.number, (page, []))
        spot = None
        for step in range(60):
            dy = (step // 4) * (h + 0.5)
            # beside the box on the right (amounts are right-aligned: the next cell's left is mostly
            # blank, and a table's last column has the margin), else above, below, on the left
            x, y = [(rect.x1 + 1, rect.y0 + dy), (rect.x0, rect.y0 - h - 0.5 - dy),
                    (rect.x0, rect.y1 + 0.5 + dy), (rect.x0 - w - 1, rect.y0 + dy)][step % 4]
            if step % 4 == 0 and rect.x1 + 1 + w > pr.x1 - 1:
                continue
            x = min(max(pr.x0 + 1, x), pr.x1 - w - 1)
            y = min(max(pr.y0 + 1, y), pr.y1 - h - 1)
            box = pymupdf.Rect(x, y, x + w, y + h)
            if not any(box.intersects(t) for t, _, _ in taken):
                spot = box
                break
        if spot is None:
            x = min(max(pr.x0 + 1, rect.x0), pr.x1 - w - 1)
            spot = pymupdf.Rect(x, max(pr.y0 + 1, rect.y0 - h), x + w, max(pr.y0 + 1, rect.y0 - h) + h)
        taken.append((spot, text, color))

    def flush(self) -> None:
        """Write the labels: a white ground with a coloured edge, then the text in the same colour."""
        import pymupdf

        for page, taken in self.placed.values():
            writers: dict[tuple, pymupdf.TextWriter] = {}
            for spot, text, color in taken:
                page.draw_rect(spot, color=color, fill=(1, 1, 1), width=0.5, fill_opacity=0.75)
                tw = writers.setdefault(color, pymupdf.TextWriter(page.rect))
                tw.append(pymupdf.Point(spot.x0 + 1, spot.y1 - 2), text, font=self.font, fontsize=self.SIZE)
            for color, tw in writers.items():
                tw.write_text(page, color=color)


def _legend(pdf, findings: list, report: Report, font, numbers: dict[int, int], doc: Disclosure | None) -> int:
    """Insert the legend pages before page 1: every finding with its number, rule, severity, page
    and message (应为/实为). The number of pages inserted."""
    import pymupdf

    from .html import doc_title

    page_rect = pymupdf.paper_rect("a4")
    margin = 40.0
    size, line_h = 8.5, 12.0
    cols = [("编号", 34.0), ("规则", 46.0), ("级别", 28.0), ("页", 26.0)]
    msg_x = margin + sum(w for _, w in cols)
    msg_w = page_rect.width - margin - msg_x
    s = report.summary()
    title = doc_title(doc.identity) if doc is not None else (report.document.publisher or "")
    head = [
        (f"检查结果图例：{title}", 13.0),
        (f"共 {len(findings)} 项：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}。"
         "各页上的编号框（如“①ARI001”）对应下表；虚线框为同一问题的相关位置（比较的另一方）。", size),
        ("页码为原文件的页码（不含本图例页）。颜色：红色为错误，橙色为警告，蓝色为提示。", size),
    ]

    widths: dict[str, float] = {}

    def wrap(text: str, width: float) -> list[str]:
        out, cur, used = [], "", 0.0
        for ch in text:
            cw = widths.get(ch)
            if cw is None:
                cw = widths[ch] = font.text_length(ch, fontsize=size)
            if ch == "\n" or used + cw > width:
                out.append(cur)
                cur, used = ("", 0.0) if ch == "\n" else (ch, cw)
            else:
                cur, used = cur + ch, used + cw
        if cur:
            out.append(cur)
        return out or [""]

    def put(writers: dict, page, x: float, y: float, text: str, fs: float = size,
            color: tuple = (0, 0, 0)) -> None:
        tw = writers.setdefault(color, pymupdf.TextWriter(page.rect))
        tw.append(pymupdf.Point(x, y), text, font=font, fontsize=fs)

    rows = []
    for f in findings:
        text = f.message
        if f.expected is not None or f.actual is not None:
            text += f"（应为 {f.expected or '—'}，实为 {f.actual or '—'}）"
        page = str(f.location.page) if f.location.page else "—"
        rows.append(([label_number(numbers[id(f)]), f.rule, SEVERITY_ZH.get(f.severity, f.severity), page],
                     wrap(text, msg_w), COLORS.get(f.severity, COLORS["info"])))

    pages = 0
    i = 0
    while i < len(rows) or pages == 0:
        page = pdf.new_page(pno=pages, width=page_rect.width, height=page_rect.height)
        pages += 1
        writers: dict[tuple, pymupdf.TextWriter] = {}

        y = margin + 10
        if pages == 1:
            for text, fs in head:
                for ln in wrap(text, page_rect.width - 2 * margin) if fs == size else [text]:
                    put(writers, page, margin, y, ln, fs)
                    y += fs + 5
            y += 6
        x = margin
        for name, w in cols:
            put(writers, page, x, y, name, size, (0.3, 0.3, 0.3))
            x += w
        put(writers, page, msg_x, y, "说明", size, (0.3, 0.3, 0.3))
        page.draw_line(pymupdf.Point(margin, y + 4), pymupdf.Point(page_rect.width - margin, y + 4),
                       color=(0.6, 0.6, 0.6), width=0.6)
        y += line_h + 4
        while i < len(rows):
            cells, lines, color = rows[i]
            need = line_h * len(lines) + 4
            if y + need > page_rect.height - margin and y > margin + 60:
                break
            x = margin
            for k, (cell, (_, w)) in enumerate(zip(cells, cols, strict=True)):
                put(writers, page, x, y, cell, size, color if k < 3 else (0, 0, 0))
                x += w
            for ln in lines:
                put(writers, page, msg_x, y, ln)
                y += line_h
            page.draw_line(pymupdf.Point(margin, y - line_h + 5), pymupdf.Point(page_rect.width - margin,
                           y - line_h + 5), color=(0.88, 0.88, 0.88), width=0.4)
            y += 4
            i += 1
        put(writers, page, page_rect.width - margin - 60, page_rect.height - 20, f"图例 第 {pages} 页", 7.5, (0.4, 0.4, 0.4))
        for color, tw in writers.items():
            tw.write_text(page, color=color)
    return pages


def annotate_pdf(source: str, report: Report, out: str, doc: Disclosure | None = None) -> dict[str, int]:
    """Write the annotated copy to ``out``. Every finding gets a number (errors first, then warnings,
    then notes); its box (or, without one, a note icon) carries the number and rule printed beside it
    (“①ARI001”) and the message as the annotation's text; each related place on its page gets a dashed
    box with the same number. Legend pages listing every finding are inserted before page 1 (page labels
    keep the original page numbers). Counts: ``boxes`` (findings boxed), ``notes`` (findings as a note
    icon), ``related`` (dashed boxes of related places), ``legend`` (pages inserted)."""
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
    font = pymupdf.Font("cjk")
    labels = _Labels(font)
    boxes = notes = related = 0
    stack: dict[int, int] = {}
    box_of = Boxes(doc)
    findings = ordered(report.findings)
    numbers = {id(f): n for n, f in enumerate(findings, start=1)}
    original_pages = pdf.page_count

    def rect_on(page, bbox: tuple):
        inner = page.rect + (3, 3, -3, -3)  # the border is drawn outside the rect: keep it on the page
        rect = pymupdf.Rect(bbox) & inner
        if rect.is_empty:
            return None
        return (rect + (-1.5, -1.5, 1.5, 1.5)) & inner

    for f in findings:
        n = numbers[id(f)]
        tag = f"{label_number(n)}{f.rule}"
        loc = f.location
        bbox = box_of(loc)
        color = COLORS.get(f.severity, COLORS["info"])
        page_no = loc.page if loc.page and 1 <= loc.page <= original_pages else 1
        page = pdf[page_no - 1]
        content = _content(f, n)
        rect = rect_on(page, bbox) if loc.page and bbox and 1 <= loc.page <= original_pages else None
        if rect is not None:
            a = page.add_rect_annot(rect)
            a.set_colors(stroke=color)
            a.set_border(width=1.2)
            a.set_opacity(0.9)
            a.set_info(title=f"budgetdoc {f.rule}", content=content, subject=f.name or f.rule)
            a.update()
            labels.add(page, rect, tag, color)
            boxes += 1
        else:
            # no box: a note icon at the top left of the page, stacked downwards, its label beside it
            k = stack.get(page_no, 0)
            stack[page_no] = k + 1
            pr = page.rect
            point = pymupdf.Point(pr.x0 + 8 + 22 * (k // 30), pr.y0 + 8 + 22 * (k % 30))
            a = page.add_text_annot(point, content, icon="Note")
            a.set_colors(stroke=color)
            a.set_info(title=f"budgetdoc {f.rule}", content=content, subject=f.name or f.rule)
            a.update()
            labels.add(page, pymupdf.Rect(point.x, point.y, point.x + 18, point.y + 18), tag, color)
            notes += 1
        # the other side(s) of a mismatch: a dashed box with the same number on each related place
        seen: set[tuple] = set()
        per_page: dict[int, int] = {}
        labelled: set[int] = set()
        for r in f.related:
            if r.page:
                per_page[r.page] = per_page.get(r.page, 0) + 1
        for r in f.related:
            rb = box_of(r)
            if not (r.page and rb and 1 <= r.page <= original_pages):
                continue
            key = (r.page, tuple(round(x, 1) for x in rb))
            if key in seen or (r.page == loc.page and bbox is not None and tuple(rb) == tuple(bbox)):
                continue
            seen.add(key)
            rpage = pdf[r.page - 1]
            rr = rect_on(rpage, rb)
            if rr is None:
                continue
            a = rpage.add_rect_annot(rr)
            a.set_colors(stroke=color)
            a.set_border(width=0.9, dashes=[2, 1.5])
            a.set_opacity(0.8)
            a.set_info(title=f"budgetdoc {f.rule}", subject="相关位置",
                       content=f"{tag} 的相关位置（比较的另一方）：{where(r)}\n{f.message}")
            a.update()
            if per_page[r.page] <= 3 or r.page not in labelled:
                labelled.add(r.page)
                # many related places on a page (a sum of 26 items): the number on the first one only
                extra = f"（相关 {per_page[r.page]} 处）" if per_page[r.page] > 3 else ""
                labels.add(rpage, rr, label_number(n) + extra, color)
            related += 1
    labels.flush()
    legend = _legend(pdf, findings, report, font, numbers, doc)
    try:  # the legend pages are i, ii …; the document's pages keep their numbers in a viewer
        pdf.set_page_labels([
            {"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
            {"startpage": legend, "prefix": "", "style": "D", "firstpagenum": 1},
        ])
    except Exception:  # noqa: BLE001 - page labels are a convenience of viewers
        pass
    pdf.subset_fonts()
    pdf.save(out, garbage=3, deflate=True, use_objstms=1)  # object streams: about the original's size
    pdf.close()
    return {"boxes": boxes, "notes": notes, "related": related, "legend": legend}


def annotate_parts(doc: Disclosure, report: Report, out: str) -> dict[str, int]:
    """The annotated copy of a document published as several PDF files: one PDF, the files' pages one
    after the other (as the document was read), each finding on its page there."""
    import tempfile

    import pymupdf

    if not all(p.file.lower().endswith(".pdf") for p in doc.parts):
        raise InputError("只有 PDF 文件才能输出带批注的 PDF：" + "、".join(p.file for p in doc.parts))
    combined = pymupdf.open()
    for p in doc.parts:
        with open(p.file, "rb") as fh:
            one = pymupdf.open(stream=fh.read(), filetype="pdf")
        combined.insert_pdf(one)
    fd, tmp = tempfile.mkstemp(suffix=".pdf", dir=os.path.dirname(os.path.abspath(out)) or ".")
    os.close(fd)
    try:
        combined.save(tmp)
        combined.close()

        def merged(loc: Location) -> Location:
            return loc.at(file=None, page=doc.line_page(loc))

        copy = report.model_copy(update={"findings": [
            f.model_copy(update={"location": merged(f.location), "related": [merged(r) for r in f.related]})
            for f in report.findings]})
        return annotate_pdf(tmp, copy, out, doc)
    finally:
        os.remove(tmp)


__all__ = ["Boxes", "annotate_parts", "annotate_pdf", "label_number"]
