"""A unit's 整改通知 (rectification notice): its open errors (not dismissed) in the newest version of each
of its documents, each with where it is, the page crop (PDF documents) and both numbers (应为 / 实为),
as a PDF (PyMuPDF) and a DOCX (python-docx)."""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass, field
from datetime import date

from markupsafe import escape
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..store.schema import Blob, Document, FindingRow
from .views import _unit_doc_ids, _where, decisions, latest_doc_ids, latest_run


@dataclass
class NoticeItem:
    document: str
    rule: str
    message: str
    where: str
    expected: str | None
    actual: str | None
    crops: list[bytes] = field(default_factory=list)  # PNG: the finding's page first


@dataclass
class Notice:
    unit: str
    code: str
    items: list[NoticeItem] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def _crops(pdf, page: int | None, bbox: list[float] | None, related: list[dict]) -> list[bytes]:
    """PNG crops of the page around the finding's box (red) and the boxes of the cells it is compared
    with (blue): one crop per page, the finding's page first."""
    if pdf is None or not page or not bbox:
        return []
    import pymupdf

    boxes: dict[int, list[tuple[object, tuple[float, float, float]]]] = {page: [(bbox, (0.85, 0.1, 0.1))]}
    for r in related:
        if r.get("page") and r.get("bbox"):
            boxes.setdefault(int(r["page"]), []).append((r["bbox"], (0.1, 0.3, 0.85)))
    out = []
    for pno, marks in list(boxes.items())[:3]:
        if not (1 <= pno <= pdf.page_count):
            continue
        p = pdf[pno - 1]
        drawn = [(pymupdf.Rect(b) & p.rect, color) for b, color in marks]
        drawn = [(r, color) for r, color in drawn if not r.is_empty]
        if not drawn:
            continue
        top, bottom = min(r.y0 for r, _ in drawn), max(r.y1 for r, _ in drawn)
        if bottom - top > 400:  # far apart on the page: around the first box only
            top, bottom = drawn[0][0].y0, drawn[0][0].y1
        for r, color in drawn:
            p.draw_rect(r + (-2, -2, 2, 2), color=color, width=1.5)  # on the in-memory copy only
        clip = pymupdf.Rect(p.rect.x0, max(p.rect.y0, top - 50), p.rect.x1, min(p.rect.y1, bottom + 50))
        out.append(p.get_pixmap(matrix=pymupdf.Matrix(1.6, 1.6), clip=clip).tobytes("png"))
    return out


def collect(engine: Engine, code: str, unit_name: str, year: int | None = None, issuer: str = "财政局",
            due_days: int = 15) -> Notice:
    import pymupdf

    out = Notice(unit_name, code)
    with Session(engine) as s:
        latest = set(latest_doc_ids(s))
        ids = sorted(i for i in _unit_doc_ids(s, code) if i in latest)
        for i in ids:
            d = s.get(Document, i)
            if d is None or (year is not None and d.year != year):
                continue
            run = latest_run(s, i)
            if run is None:
                continue
            fs = list(s.scalars(select(FindingRow).where(FindingRow.run_id == run.id,
                                                         FindingRow.severity == "error").order_by(FindingRow.id)))
            decs = decisions(s, [f.fingerprint for f in fs])
            fs = [f for f in fs if not (decs.get(f.fingerprint) and decs[f.fingerprint].decision == "dismissed")]
            title = f"{d.publisher or ''} {d.year or ''}年度{d.scope or ''}{d.kind or ''}".strip()
            out.documents.append(title)
            pdf = None
            if d.suffix == ".pdf" and fs:
                blob = s.get(Blob, d.sha256)
                if blob is not None:
                    try:
                        pdf = pymupdf.open(stream=zlib.decompress(blob.data), filetype="pdf")
                    except Exception:  # noqa: BLE001 - a notice without crops is still a notice
                        pdf = None
            for f in fs:
                loc = json.loads(f.location_json or "{}")
                related = json.loads(f.related_json or "[]")
                out.items.append(NoticeItem(title, f.rule, f.message, _where(f), f.expected, f.actual,
                                            _crops(pdf, loc.get("page"), loc.get("bbox"), related)))
            if pdf is not None:
                pdf.close()
    return out


def _intro(n: Notice) -> str:
    if not n.items:
        return f"{n.unit}：经检查，贵单位已公开的文件中没有待整改的错误。"
    return (f"{n.unit}：经检查，贵单位公开的预算/决算文件中有以下 {len(n.items)} 处错误，"
            "请核对原始数据，更正后重新公开，并将更正后的文件重新上传。")


def notice_pdf(n: Notice) -> bytes:
    import pymupdf

    arch = pymupdf.Archive()
    parts = [f"<h1>整改通知</h1><p>{escape(_intro(n))}</p>",
             "<p class='w'>截图中红框为问题所在，蓝框为与之比较的数字。</p>" if any(it.crops for it in n.items) else ""]
    for i, it in enumerate(n.items, 1):
        parts.append(f"<h3>{i}. {escape(it.document)}（{escape(it.rule)}）</h3>")
        parts.append(f"<p>{escape(it.message)}</p><p class='w'>位置：{escape(it.where or '全文')}</p>")
        if it.expected is not None or it.actual is not None:
            parts.append(f"<p class='n'>应为：<b>{escape(it.expected or '—')}</b>　实为：<b>{escape(it.actual or '—')}</b></p>")
        for k, png in enumerate(it.crops):
            name = f"crop{i}-{k}.png"
            arch.add(png, name)
            parts.append(f'<p><img src="{name}" width="480"/></p>')
    parts.append(f"<p class='d'>{date.today().isoformat()}　budgetdoc 生成</p>")
    css = ("body{font-size:10.5pt;line-height:1.5} h1{font-size:18pt;text-align:center} h3{font-size:11pt;"
           "margin-top:10pt} p.w{color:#555} p.n{color:#a00} p.d{text-align:right;color:#777}")
    story = pymupdf.Story(html="".join(parts), archive=arch, user_css=css)
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    box = pymupdf.paper_rect("a4")
    where = box + (56, 56, -56, -56)
    more = True
    while more:
        dev = writer.begin_page(box)
        more, _ = story.place(where)
        story.draw(dev)
        writer.end_page()
    writer.close()
    return buf.getvalue()


def notice_docx(n: Notice) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Docx()
    h = doc.add_heading("整改通知", level=0)
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_intro(n))
    for i, it in enumerate(n.items, 1):
        doc.add_heading(f"{i}. {it.document}（{it.rule}）", level=2)
        doc.add_paragraph(it.message)
        doc.add_paragraph(f"位置：{it.where or '全文'}")
        if it.expected is not None or it.actual is not None:
            t = doc.add_table(rows=1, cols=2)
            t.style = "Table Grid"
            t.cell(0, 0).text = f"应为：{it.expected or '—'}"
            t.cell(0, 1).text = f"实为：{it.actual or '—'}"
        for png in it.crops:
            doc.add_picture(io.BytesIO(png), width=Cm(15))
    p = doc.add_paragraph(f"{date.today().isoformat()}　budgetdoc 生成")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
