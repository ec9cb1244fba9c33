"""The written document as DOCX (python-docx, the ``write`` extra): headings, paragraphs with a first-line
indent, ruled tables (Table Grid) whose header rows repeat on every page (w:tblHeader), amounts
right-aligned, wide tables in landscape sections, and the CJK font set through w:eastAsia."""

from __future__ import annotations

from ..errors import InputError
from .document import Block, TableBlock

FONT = "宋体"


def _docx():
    try:
        import docx
    except ImportError as e:
        raise InputError("输出 .docx 需要 python-docx：请安装 budgetdoc[write]。") from e
    return docx


def _east_asia(style_or_run, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    el = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")


def write_docx(blocks: list[Block], out: str, draft: bool = False) -> None:
    docx = _docx()
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        st = d.styles[name]
        st.font.name = "Times New Roman"
        _east_asia(st)
        if name.startswith("Heading"):
            from docx.shared import RGBColor

            st.font.color.rgb = RGBColor(0, 0, 0)
    d.styles["Normal"].font.size = Pt(12)
    pending_break = False

    def section(landscape: bool) -> None:
        sec = d.sections[-1]
        want = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        if sec.orientation != want:
            from docx.enum.section import WD_SECTION

            new = d.add_section(WD_SECTION.NEW_PAGE)
            w, h = new.page_width, new.page_height
            new.orientation = want
            if (w > h) != landscape:
                new.page_width, new.page_height = h, w
            return
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for b in blocks:
        if b.kind == "pagebreak":
            pending_break = True
        elif b.kind == "heading":
            if pending_break:
                section(False)
                pending_break = False
            h = d.add_heading(b.text, level=min(b.level, 4))
            if b.level <= 2:
                h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "para":
            if pending_break:
                section(False)
                pending_break = False
            p = d.add_paragraph(b.text + (f"【待改：{b.mark}】" if draft and b.mark else ""))
            p.paragraph_format.first_line_indent = Pt(24)
        elif b.kind == "table" and b.table is not None:
            tb = b.table
            n = max(len(r) for r in tb.header + tb.body)
            section(n >= 9)
            pending_break = False
            _table(d, tb, n, draft, WD_ALIGN_PARAGRAPH, qn, Pt)
    d.core_properties.title = next((b.text for b in blocks if b.kind == "heading"), "")
    d.save(out)


def _table(d, tb: TableBlock, n: int, draft: bool, align, qn, Pt) -> None:
    h = d.add_heading(tb.title, level=2)
    h.alignment = align.CENTER
    if tb.number:
        d.add_paragraph(tb.number).alignment = align.RIGHT
    d.add_paragraph(f"{tb.holder}\t{tb.unit_line}")
    rows = tb.header + tb.body
    table = d.add_table(rows=len(rows), cols=n)
    table.style = "Table Grid"
    head = len(tb.header)
    for i, row in enumerate(rows):
        tr = table.rows[i]
        if i < head:  # repeated on every page the table continues on
            trpr = tr._tr.get_or_add_trPr()
            el = trpr.makeelement(qn("w:tblHeader"), {})
            el.set(qn("w:val"), "true")
            trpr.append(el)
        for j in range(n):
            text = row[j] if j < len(row) else ""
            mark = tb.marks.get((i - head, j)) if draft and i >= head else None
            cell = tr.cells[j]
            p = cell.paragraphs[0]
            run = p.add_run(text)
            run.font.size = Pt(9)
            if mark:  # the value, then the problem in red on a shaded cell
                flag = p.add_run(f"【{mark}】")
                flag.font.size = Pt(9)
                flag.font.color.rgb = _red()
                _shade(cell, qn)
            if i < head:
                p.alignment = align.CENTER
            elif j < len(tb.numeric) and tb.numeric[j]:
                p.alignment = align.RIGHT
    if draft and tb.mark:
        d.add_paragraph().add_run(f"【{tb.mark}】").font.color.rgb = _red()
    for text in (tb.statement, tb.note):
        if text:
            d.add_paragraph(text)


def _red():
    from docx.shared import RGBColor

    return RGBColor(0xC0, 0, 0)


def _shade(cell, qn) -> None:
    """A marked cell's background (w:shd), as a draft's problems are shown in HTML."""
    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(qn("w:shd"), {})
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "FFD6D6")
    tcpr.append(shd)
