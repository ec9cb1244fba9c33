"""The filled forms as one Word document (the ``write`` extra, python-docx): the summary table, then each
document's form on its own landscape pages, each remark with its crop."""

from __future__ import annotations

from io import BytesIO

from .crops import PdfPages
from .model import FilledChecklist, Unusable


def write_docx(entries: list[FilledChecklist | Unusable], out: str) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.add_heading("预决算公开情况检查表汇总", level=1)
    t = doc.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("序号", "文件", "单位名称", "透明度得分", "不符合要求的检查内容", "说明"),
                          strict=True):
        cell.text = text
    for i, e in enumerate(entries, start=1):
        cells = t.add_row().cells
        if isinstance(e, Unusable):
            values = (str(i), e.source, "", "", "", e.error)
        else:
            values = (str(i), e.source, e.unit, e.score.text(), "；".join(e.failed), "")
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for e in entries:
        if not isinstance(e, FilledChecklist):
            continue
        doc.add_page_break()
        h = doc.add_paragraph()
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = h.add_run(f"《{e.title}》")
        run.bold, run.font.size = True, Pt(16)
        who = "单位名称" if e.document.scope == "单位" else "部门名称"
        doc.add_paragraph(f"{who}：{e.unit}　　公开网址：{e.url or ''}")
        doc.add_paragraph(f"文件：{e.source}　检查表：{e.name}（第{e.version}版）　透明度得分：{e.score.text()}")
        form = doc.add_table(rows=1, cols=4)
        form.style = "Table Grid"
        for cell, text in zip(form.rows[0].cells, ("检查项目", "检查内容", "符合要求（是/否）", "问题截图及说明"),
                              strict=True):
            cell.text = text
        pages = PdfPages(e.source)
        try:
            for row in e.rows:
                cells = form.add_row().cells
                cells[0].text, cells[1].text, cells[2].text = row.group, row.label, row.status
                body = cells[3]
                body.text = ""
                first = True
                for rm in row.remarks:
                    p = body.paragraphs[0] if first else body.add_paragraph()
                    first = False
                    p.add_run(("〔已复核排除〕" if rm.dismissed else "") + f"{rm.number}. {rm.text}")
                    pic = pages.picture(rm.crop)
                    if pic is not None:
                        body.add_paragraph().add_run().add_picture(BytesIO(pic.png), width=Cm(11))
                    elif rm.crop is not None and rm.crop.lines:
                        q = body.add_paragraph()
                        r = q.add_run("\n".join(f"{'▶' if hit else '　'}第{n}行：{t}" for n, t, hit in rm.crop.lines))
                        r.font.size = Pt(9)
                for note in row.notes:
                    p = body.paragraphs[0] if first else body.add_paragraph()
                    first = False
                    p.add_run(note).font.size = Pt(9)
        finally:
            pages.close()
        widths = (Cm(2.2), Cm(5.5), Cm(2.2), Cm(15.5))
        for r in form.rows:
            for cell, w in zip(r.cells, widths, strict=True):
                cell.width = w
    doc.save(out)


__all__ = ["write_docx"]
