"""A 整改通知 (rectification notice): one document of one unit, its open errors (not dismissed), each with
where it is, a crop of the page (PDF documents) and both numbers (应为 / 实为); with the issuing bureau, a
reference number, a deadline and a legend; as a PDF (PyMuPDF, fonts subset, JPEG crops: a few hundred
KB) and an A4 DOCX (python-docx).

Where several sum identities fail because one cell is misprinted (a 项 row's 项目支出 breaks its row's
合计 and its 款), the notice names that cell and the amount it should be — not the totals that are right —
as :func:`budgetdoc.check.misprint.misprints` works it out; the identities it settles are listed under it.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from markupsafe import escape
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..store.core import PARTS
from ..store.schema import Blob, Document, FindingRow, Organisation
from .views import _where, current_ids, decisions, latest_run

MAX_CROPS = 60  # page crops in one notice (the rest are named by page): the file stays small
RED, BLUE = (0.85, 0.1, 0.1), (0.1, 0.3, 0.85)
LEGEND = ("图例：截图中红框为需要更正的数字，蓝框为与之比较或相加的数字。“应为”是按表内勾稽关系算出的正确数，"
          "“实为”是文件中印的数。")


@dataclass
class NoticeItem:
    document: str
    rule: str
    message: str
    where: str
    expected: str | None
    actual: str | None
    crops: list[bytes] = field(default_factory=list)  # JPEG: the finding's page first
    settles: list[str] = field(default_factory=list)  # the findings a misprinted cell's correction settles


@dataclass
class Notice:
    unit: str
    code: str
    items: list[NoticeItem] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    issuer: str = "财政局"
    reference: str = ""
    issued: date = field(default_factory=date.today)
    due: date | None = None
    published: bool = True

    @property
    def title(self) -> str:
        return f"关于{self.documents[0]}公开问题的整改通知" if self.documents else "整改通知"


def _crops(pdf, page: int | None, bbox: list[float] | None, related: list[dict]) -> list[bytes]:
    """JPEG crops of the page around the finding's box (red) and the boxes of the cells it is compared
    with (blue): one crop per page, the finding's page first."""
    if pdf is None or not page or not bbox:
        return []
    import pymupdf

    boxes: dict[int, list[tuple[object, tuple[float, float, float]]]] = {page: [(bbox, RED)]}
    for r in related:
        if r.get("page") and r.get("bbox"):
            boxes.setdefault(int(r["page"]), []).append((r["bbox"], BLUE))
    out = []
    for pno, marks in list(boxes.items())[:2]:
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
        clip = pymupdf.Rect(p.rect.x0, max(p.rect.y0, top - 40), p.rect.x1, min(p.rect.y1, bottom + 40))
        pix = p.get_pixmap(matrix=pymupdf.Matrix(1.4, 1.4), clip=clip)
        out.append(pix.tobytes("jpeg", jpg_quality=70))
    return out


class _Row:
    """A stored finding as :func:`budgetdoc.check.misprint.misprints` reads findings."""

    def __init__(self, f: FindingRow):
        from ..model import Location

        self.row = f
        self.rule, self.severity, self.expected, self.actual = f.rule, f.severity, f.expected, f.actual
        self.location = Location.model_validate_json(f.location_json or "{}")
        self.related = [Location.model_validate(r) for r in json.loads(f.related_json or "[]")]


def documents_of(engine: Engine, code: str, year: int | None = None) -> list[int]:
    """The unit's own current documents (filed under it, not its units', never a held one), newest year
    first."""
    with Session(engine) as s:
        org = s.scalar(select(Organisation).where(Organisation.code == code))
        if org is None:
            return []
        current = set(current_ids(s))
        docs = [d for d in s.scalars(select(Document).where(Document.org_id == org.id, Document.held.is_(None)))
                if d.id in current and (year is None or d.year == year)]
        docs.sort(key=lambda d: (-(d.year or 0), d.kind != "决算", -d.id))
        return [d.id for d in docs]


def collect(engine: Engine, code: str, unit_name: str, year: int | None = None, issuer: str = "财政局",
            due_days: int = 15, document_id: int | None = None) -> Notice:
    """The notice of one document of the unit ``code``: ``document_id``, else its newest current one (of
    ``year``). A unit without a document gets a notice that says it has published nothing."""
    from ..check.misprint import misprints
    from ..model import Disclosure

    today = date.today()
    out = Notice(unit_name, code, issuer=issuer, issued=today, due=today + timedelta(days=due_days))
    ids = documents_of(engine, code, year)
    if document_id is not None:
        ids = [i for i in ids if i == document_id]
    if not ids:
        out.published = False
        out.reference = f"{issuer}公开整改〔{today.year}〕{code}号"
        return out
    with Session(engine) as s:
        d = s.get(Document, ids[0])
        assert d is not None
        run = latest_run(s, d.id)
        title = f"{d.publisher or unit_name}{d.year or ''}年度{d.scope or ''}{d.kind or ''}"
        out.documents.append(title)
        out.reference = f"{issuer}公开整改〔{today.year}〕{d.id}-{run.id if run else 0}号"
        if run is None:
            return out
        fs = list(s.scalars(select(FindingRow).where(FindingRow.run_id == run.id,
                                                     FindingRow.severity == "error").order_by(FindingRow.id)))
        decs = decisions(s, [f.fingerprint for f in fs])
        fs = [f for f in fs if not (decs.get(f.fingerprint) and decs[f.fingerprint].decision == "dismissed")]
        rows = [_Row(f) for f in fs]
        try:
            model = Disclosure.model_validate_json(d.model_json or "{}")
            wrong = misprints(model, rows)
        except Exception:  # noqa: BLE001 - an older model: every finding as it is
            wrong = []
        pdfs: dict[str | None, Any] = {}
        if d.suffix in (".pdf", PARTS) and fs:
            blob = s.get(Blob, d.sha256)
            if blob is not None:
                pdfs = _pdfs(d.suffix, zlib.decompress(blob.data))

        def crops_of(file: str | None, page: int | None, bbox: list[float] | None, related: list[dict]) -> list[bytes]:
            """The crops of a place, in its own file (a document of several files: its file's PDF, and only
            the related places in that file)."""
            if None in pdfs:
                return _crops(pdfs[None], page, bbox, related)
            name = os.path.basename(file or "")
            return _crops(pdfs.get(name), page, bbox,
                          [r for r in related if os.path.basename(r.get("file") or "") == name])
        settled: dict[int, int] = {i: k for k, m in enumerate(wrong) for i in m.findings}
        done: set[int] = set()
        crops = 0
        for i, r in enumerate(rows):
            want_crops = crops < MAX_CROPS
            if i in settled:
                k = settled[i]
                if k in done:
                    continue
                done.add(k)
                m = wrong[k]
                loc = m.location
                others = [rows[j] for j in m.findings]
                related = [x.location.model_dump(mode="json") for x in others]
                item = NoticeItem(
                    title, "、".join(dict.fromkeys(x.rule for x in others)),
                    f"{loc.column_label or loc.column}印为 {m.printed:,.2f}，应为 {m.should_be:,.2f}：更正这一个数，"
                    f"以下 {len(others)} 处勾稽关系即全部相符。",
                    _where_of(loc), f"{m.should_be:,.2f}", f"{m.printed:,.2f}",
                    crops_of(loc.file, loc.page, list(loc.bbox) if loc.bbox else None, related) if want_crops else [],
                    [x.row.message for x in others])
            else:
                f = r.row
                loc = json.loads(f.location_json or "{}")
                item = NoticeItem(title, f.rule, f.message, _where(f), f.expected, f.actual,
                                  crops_of(loc.get("file"), loc.get("page"), loc.get("bbox"),
                                        json.loads(f.related_json or "[]"))
                                  if want_crops else [])
            crops += len(item.crops)
            out.items.append(item)
        for pdf in pdfs.values():
            pdf.close()
    return out


def _pdfs(suffix: str, data: bytes) -> dict[str | None, Any]:
    """The PDFs of a stored document, opened: one file's (key None), or each PDF file of a document of
    several files by its name. None that cannot be opened (a notice without crops is still a notice)."""
    import pymupdf

    out: dict[str | None, Any] = {}
    try:
        if suffix != PARTS:
            return {None: pymupdf.open(stream=data, filetype="pdf")}
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in sorted(z.namelist()):
                if member.lower().endswith(".pdf"):
                    out[os.path.basename(member)[3:]] = pymupdf.open(stream=z.read(member), filetype="pdf")
    except Exception:  # noqa: BLE001
        for pdf in out.values():
            pdf.close()
        return {}
    return out


def _where_of(loc) -> str:
    from ..report.text import where

    return where(loc)


def _intro(n: Notice) -> str:
    if not n.published:
        return (f"{n.unit}：文件库中还没有贵单位公开的预算或决算文件。请按规定公开后，将公开的文件上传，"
                f"并于 {_zh(n.due)} 前完成。")
    if not n.items:
        return f"{n.unit}：经检查，贵单位公开的{n.documents[0]}中没有待整改的错误。"
    return (f"{n.unit}：经检查，贵单位公开的{n.documents[0]}中有以下 {len(n.items)} 处错误。请核对原始数据，"
            f"更正后重新公开，并将更正后的文件重新上传，于 {_zh(n.due)} 前完成整改。")


def _zh(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def notice_pdf(n: Notice) -> bytes:
    import pymupdf

    arch = pymupdf.Archive()
    parts = [f"<h1>{escape(n.title)}</h1><p class='ref'>{escape(n.reference)}</p><p>{escape(_intro(n))}</p>"]
    if n.items:
        parts.append(f"<p class='w'>{escape(LEGEND)}</p>")
    for i, it in enumerate(n.items, 1):
        parts.append(f"<h3>{i}. {escape(it.rule)}</h3><p>{escape(it.message)}</p>"
                     f"<p class='w'>位置：{escape(it.where or '全文')}</p>")
        if it.expected is not None or it.actual is not None:
            parts.append(f"<p class='n'>应为：<b>{escape(it.expected or '—')}</b>　实为：<b>{escape(it.actual or '—')}</b></p>")
        if it.settles:
            parts.append("<ul class='w'>" + "".join(f"<li>{escape(m)}</li>" for m in it.settles) + "</ul>")
        for k, jpg in enumerate(it.crops):
            name = f"crop{i}-{k}.jpg"
            arch.add(jpg, name)
            parts.append(f'<p><img src="{name}" width="470"/></p>')
    parts.append(f"<p class='d'>{escape(n.issuer)}<br/>{_zh(n.issued)}</p>")
    css = ("body{font-size:10.5pt;line-height:1.5} h1{font-size:16pt;text-align:center} p.ref{text-align:center;"
           "color:#444} h3{font-size:11pt;margin-top:10pt} p.w, ul.w{color:#555;font-size:9.5pt} p.n{color:#a00} "
           "p.d{text-align:right}")
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
    with pymupdf.open(stream=buf.getvalue(), filetype="pdf") as doc:  # the fonts as used, not whole
        doc.subset_fonts()
        return doc.tobytes(garbage=3, deflate=True)


def notice_docx(n: Notice) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt, RGBColor

    doc = Docx()
    for sec in doc.sections:  # A4, the margins of an official letter
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin = sec.bottom_margin = Mm(25)
        sec.left_margin = sec.right_margin = Mm(26)
    h = doc.add_heading(n.title, level=1)
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ref = doc.add_paragraph(n.reference)
    ref.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(_intro(n))
    if n.items:
        legend = doc.add_paragraph(LEGEND)
        for run in legend.runs:
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    for i, it in enumerate(n.items, 1):
        doc.add_heading(f"{i}. {it.rule}", level=3)
        doc.add_paragraph(it.message)
        doc.add_paragraph(f"位置：{it.where or '全文'}")
        if it.expected is not None or it.actual is not None:
            t = doc.add_table(rows=1, cols=2)
            t.style = "Table Grid"
            t.cell(0, 0).text = f"应为：{it.expected or '—'}"
            t.cell(0, 1).text = f"实为：{it.actual or '—'}"
        for m in it.settles:
            doc.add_paragraph(m, style="List Bullet")
        for jpg in it.crops:
            doc.add_picture(io.BytesIO(jpg), width=Cm(15))
    p = doc.add_paragraph(f"{n.issuer}\n{_zh(n.issued)}")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
