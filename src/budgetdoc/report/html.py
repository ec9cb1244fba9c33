"""A self-contained HTML report for people (Chinese): summary, located findings, tables, charts.

One file: styles, script and images are inline, nothing is fetched, it opens offline. Every finding is
shown with its place: the table excerpt with the disagreeing cell highlighted (``location.table/row/
column``) and the related cells marked, linked to the same cell in the full table below; for a PDF the
crop of the page around ``location.bbox`` (rendered with PyMuPDF, inline PNG) with the box drawn; for a
narrative finding the sentence with its numbers highlighted. Severity and category filters are plain
inline JavaScript. Templates: ``report/templates/*.html.j2``.
"""

from __future__ import annotations

import base64
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..check import Finding, Report
from ..check.findings import SEVERITY_ORDER, SEVERITY_ZH
from ..model import Disclosure, Location, Table
from .charts import charts as make_charts
from .groups import Group, group, is_rounding
from .text import CATEGORY_ZH, parts_line, where

TEMPLATES = Path(__file__).with_name("templates")
MAX_CROPS = 300  # page crops per report (each ~20-60 kB)


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> Markup:
    return Markup((TEMPLATES / name).read_text("utf-8"))


def money(v: Decimal | None) -> str:
    return "" if v is None else f"{v:,.2f}"


def doc_title(ident: Any) -> str:
    bits = [ident.publisher or "（未识别单位）"]
    if ident.year:
        bits.append(f"{ident.year}年度")
    bits.append(f"{ident.scope or ''}{ident.kind or ''}")
    return " ".join(b for b in bits if b)


# ------------------------------------------------------------------ locating cells

@dataclass
class CellRef:
    table: str
    row: int
    column: str | None  # column id


def locate(doc: Disclosure, loc: Location) -> CellRef | None:
    """The table cell (or row, or table: ``row`` -1) a location names, looked up by its keys: the table
    key, the row key (with the part of a summary table's half when the key is in both) and the column
    id, as every rule fills them. None when the location names no table of the document."""
    if not loc.table:
        return None
    t = doc.table(loc.table)
    if t is None:
        return None
    cid = loc.column if loc.column and t.column(loc.column) else None
    if not loc.row:
        return CellRef(t.key, -1, cid)
    rows = [i for i, r in enumerate(t.rows) if r.key == loc.row]
    if len(rows) > 1 and loc.part is not None:
        rows = [i for i in rows if t.rows[i].part == loc.part] or rows
    return CellRef(t.key, rows[0] if rows else -1, cid)


def cell_id(ref: CellRef) -> str:
    return f"c-{ref.table}-{ref.row}-{ref.column or 'row'}"


def row_id(table: str, row: int) -> str:
    return f"r-{table}-{row}"


# ------------------------------------------------------------------ rendering tables

def _lead_columns(t: Table) -> list[tuple[str, str]]:
    cols = []
    if any(r.part for r in t.rows):
        cols.append(("part", "部分"))
    if any(r.code for r in t.rows):
        cols.append(("code", "科目编码"))
    cols.append(("name", "项目"))
    if any(r.number is not None for r in t.rows):
        cols.append(("number", "行次"))
    return cols


def table_html(t: Table, rows: list[int] | None = None, marks: dict[tuple[int, str | None], str] | None = None,
               ids: bool = False, link: bool = False, titles: dict[tuple[int, str | None], str] | None = None
               ) -> Markup:
    """A table as HTML. ``rows``: the row indices to show (None: all; gaps shown as …);
    ``marks``: (row, column id or None for the whole row) → CSS class; ``ids``: give cells ids (the full
    table); ``link``: link marked cells to the full table's cell."""
    marks = marks or {}
    titles = titles or {}
    lead = _lead_columns(t)
    out = ['<div class="tablewrap"><table class="data">', "<thead><tr>"]
    for _, label in lead:
        out.append(f"<th>{escape(label)}</th>")
    for c in t.columns:
        num = f'<span class="colno">{escape(c.number)}</span>' if c.number else ""
        group = f'<span class="colgroup">{escape(c.group)}</span>' if c.group and c.group not in c.label else ""
        out.append(f"<th>{group}{escape(c.label)}{num}</th>")
    out.append("</tr></thead><tbody>")
    show = list(range(len(t.rows))) if rows is None else rows
    prev = -1
    span = len(lead) + len(t.columns)
    for i in show:
        if rows is not None and prev >= 0 and i > prev + 1 or rows is not None and prev < 0 and i > 0:
            out.append(f'<tr class="gap"><td colspan="{span}">…</td></tr>')
        prev = i
        r = t.rows[i]
        rcls = marks.get((i, None), "")
        rid = f' id="{row_id(t.key, i)}"' if ids else ""
        out.append(f'<tr{rid} class="{rcls}">' if rcls or rid else "<tr>")
        for key, _ in lead:
            v = {"part": r.part, "code": r.code, "name": r.name or r.key, "number": r.number}[key]
            cls = ' class="code"' if key == "code" else ""
            out.append(f"<td{cls}>{escape('' if v is None else str(v))}</td>")
        for c in t.columns:
            cell = r.cell(c.id)
            text = money(cell.value) if cell and cell.value is not None else (cell.text if cell else "")
            cls = ["num"]
            mark = marks.get((i, c.id))
            if mark:
                cls.append(mark)
            ref = CellRef(t.key, i, c.id)
            attrs = f' class="{" ".join(cls)}"'
            if ids:
                attrs += f' id="{cell_id(ref)}"'
            tip = titles.get((i, c.id))
            if tip:
                attrs += f' title="{escape(tip)}"'
            body = escape(text)
            if link and mark:
                body = Markup(f'<a href="#{cell_id(ref)}">{body or "（空）"}</a>')
            out.append(f"<td{attrs}>{body}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return Markup("".join(out))


# ------------------------------------------------------------------ narrative and source lines

_NUM = re.compile(r"\d[\d,，]*(?:\.\d+)?%?")


def _plain(s: str | None) -> str:
    return re.sub(r"[,，%\s]", "", s or "")


def highlight_numbers(text: str, bad: list[str], good: list[str]) -> Markup:
    bad_n = {_plain(b) for b in bad if b}
    good_n = {_plain(g) for g in good if g}

    def same(a: str, pool: set[str]) -> bool:
        for p in pool:
            if a == p:
                return True
            try:
                if Decimal(a) == Decimal(p):
                    return True
            except Exception:  # noqa: BLE001 - not a number
                continue
        return False

    out, pos = [], 0
    for m in _NUM.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        n = _plain(m.group())
        cls = "num-bad" if same(n, bad_n) else "num-exp" if same(n, good_n) else "num-any"
        out.append(f'<mark class="{cls}">{escape(m.group())}</mark>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _statement_for(doc: Disclosure, loc: Location):
    best = None
    for st in doc.narrative:
        sl = st.location
        if sl.file and loc.file and sl.file != loc.file:
            continue  # (a document of several files: another file's page of that number)
        if loc.line is not None and sl.line == loc.line and (loc.page is None or sl.page in (None, loc.page)):
            return st
        if best is None and loc.line is not None and sl.line is not None and 0 <= loc.line - sl.line <= 3 \
                and (loc.page is None or sl.page in (None, loc.page)):
            best = st
    return best


def _source_lines(doc: Disclosure, loc: Location, around: int = 1) -> list[tuple[int, str, bool]]:
    if loc.line is None:
        return []
    page = doc.line_page(loc)
    lines = [ln for ln in doc.lines() if page is None or ln.page == page]
    idx = next((i for i, ln in enumerate(lines) if ln.number == loc.line), None)
    if idx is None:
        return []
    lo, hi = max(0, idx - around), min(len(lines), idx + around + 1)
    return [(lines[i].number, lines[i].text, i == idx) for i in range(lo, hi)]


# ------------------------------------------------------------------ PDF crops

class PdfCrops:
    """Crops of the pages of the source PDF around a box, as inline SVG (PNG + drawn boxes)."""

    def __init__(self, path: str | None, parts: list | None = None):
        """``parts``: the files of a document of several files, their pages one after the other (the
        numbering of :meth:`Disclosure.line_page`)."""
        self.doc = None
        self.count = 0
        files = [p.file for p in parts] if parts else [path]
        if all(f and f.lower().endswith(".pdf") and os.path.isfile(f) for f in files):
            try:
                import pymupdf

                for f in files:
                    with open(f, "rb") as fh:
                        one = pymupdf.open(stream=fh.read(), filetype="pdf")
                    if self.doc is None:
                        self.doc = one
                    else:
                        self.doc.insert_pdf(one)
            except Exception:  # noqa: BLE001 - a report without crops is still a report
                self.doc = None

    def crop(self, page: int, bbox: tuple, related: list[tuple], css: str) -> Markup | None:
        if self.doc is None or self.count >= MAX_CROPS or not (1 <= page <= self.doc.page_count):
            return None
        import pymupdf

        p = self.doc[page - 1]
        pr = p.rect
        box = pymupdf.Rect(bbox) & pr
        if box.is_empty and not pymupdf.Rect(bbox).is_empty:
            return None
        clip = pymupdf.Rect(pr.x0, max(pr.y0, box.y0 - 70), pr.x1, min(pr.y1, box.y1 + 70))
        zoom = 1.6
        pix = p.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip)
        self.count += 1
        data = base64.b64encode(pix.tobytes("png")).decode("ascii")
        w, h = clip.width, clip.height

        def rect(b: tuple, cls: str) -> str:
            r = pymupdf.Rect(b)
            return (f'<rect class="{cls}" x="{r.x0 - clip.x0 - 2:.1f}" y="{r.y0 - clip.y0 - 2:.1f}" '
                    f'width="{r.width + 4:.1f}" height="{r.height + 4:.1f}"/>')

        rects = [rect(b, "relbox") for b in related] + [rect(bbox, f"hitbox {css}")]
        return Markup(
            f'<svg class="crop" viewBox="0 0 {w:.1f} {h:.1f}" width="{w * 1.25:.0f}" '
            f'xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,{data}" width="{w:.1f}" '
            f'height="{h:.1f}"/>{"".join(rects)}</svg>'
        )


# ------------------------------------------------------------------ the report

@dataclass
class FindingView:
    index: int
    f: Finding
    severity_zh: str
    category_zh: str
    where: str
    excerpt: Markup | None = None
    crop: Markup | None = None
    sentence: Markup | None = None
    source: list[tuple[int, str, bool]] = field(default_factory=list)
    target: str | None = None  # id of the cell / row / table in the full tables
    related: list[tuple[str, str | None]] = field(default_factory=list)  # (where, anchor)


def _finding_view(doc: Disclosure, i: int, f: Finding, crops: PdfCrops, boxes) -> FindingView:
    files = {p.file for p in doc.parts}
    v = FindingView(i, f, SEVERITY_ZH.get(f.severity, f.severity), CATEGORY_ZH.get(f.category, f.category),
                    where(f.location, files))
    ref = locate(doc, f.location)
    rel_refs = [(r, locate(doc, r)) for r in f.related]
    for loc, rr in rel_refs:
        anchor = None
        if rr is not None:
            anchor = cell_id(rr) if rr.row >= 0 and rr.column else row_id(rr.table, rr.row) if rr.row >= 0 \
                else f"t-{rr.table}"
        v.related.append((where(loc, files), anchor))
    if ref is not None:
        t = doc.table(ref.table)
        assert t is not None
        if ref.row >= 0:
            v.target = cell_id(ref) if ref.column else row_id(t.key, ref.row)
        else:
            v.target = f"t-{t.key}"
        marks: dict[tuple[int, str | None], str] = {}
        rows = set()
        for _, rr in rel_refs:
            if rr is not None and rr.table == t.key and rr.row >= 0:
                rows.add(rr.row)
                marks[(rr.row, rr.column)] = "rel"
        if ref.row >= 0:
            rows.add(ref.row)
            marks[(ref.row, ref.column)] = f"hit sev-{f.severity}"
        if rows:
            shown = sorted({j for r in rows for j in (r - 1, r, r + 1) if 0 <= j < len(t.rows)})
            if len(shown) > 40:
                shown = sorted(rows)
            v.excerpt = table_html(t, shown, marks, link=True)
    box = boxes(f.location) if crops.doc is not None else None
    page = doc.line_page(f.location)
    if page and box:
        rel_boxes = [b for r in f.related if doc.line_page(r) == page and (not doc.parts or r.file == f.location.file)
                     and (b := boxes(r))]
        v.crop = crops.crop(page, box, rel_boxes, f"sev-{f.severity}")
    if ref is None or f.category == "narrative" or not v.excerpt:
        # a narrative or performance finding shows its statement; others the source lines they point at
        st = _statement_for(doc, f.location) if f.category in ("narrative", "performance") else None
        bad = [f.actual or ""]
        good = [f.expected or ""]
        if st is not None and st.text:
            v.sentence = highlight_numbers(st.text, bad, good)
        else:
            v.source = [(n, highlight_numbers(text, bad, good), hit) for n, text, hit in
                        _source_lines(doc, f.location)]
    return v


def _full_tables(doc: Disclosure, views: list[FindingView]) -> list[dict[str, Any]]:
    marks: dict[str, dict[tuple[int, str | None], str]] = {}
    titles: dict[str, dict[tuple[int, str | None], str]] = {}
    for v in views:
        ref = locate(doc, v.f.location)
        for r in [x for x in (locate(doc, loc) for loc in v.f.related) if x is not None and x.row >= 0]:
            marks.setdefault(r.table, {}).setdefault((r.row, r.column), "rel")
        if ref is not None and ref.row >= 0:
            cur = marks.setdefault(ref.table, {}).get((ref.row, ref.column), "")
            new = f"hit sev-{v.f.severity}"
            if not cur.startswith("hit") or SEVERITY_ORDER[v.f.severity] > SEVERITY_ORDER.get(cur[8:], -1):
                marks[ref.table][(ref.row, ref.column)] = new
            tip = titles.setdefault(ref.table, {})
            tip[(ref.row, ref.column)] = (tip.get((ref.row, ref.column), "") + f"[{v.f.rule}] {v.f.message}\n")
    out = []
    for t in doc.tables:
        n_find = sum(1 for v in views if v.f.location.table == t.key)
        out.append({
            "key": t.key,
            "title": t.title,
            "number": t.number,
            "unit": t.unit,
            "where": where(t.location),
            "empty": t.empty,
            "statement": t.statement,
            "notes": t.notes,
            "rows": len(t.rows),
            "findings": n_find,
            "html": table_html(t, None, marks.get(t.key), ids=True, titles=titles.get(t.key)),
        })
    return out


@dataclass
class EntryView:
    """One entry of the findings list: a finding, or a group of repeated ones (each member with its
    view, shown folded under the list of places)."""

    index: int
    group: Group
    views: list[FindingView]
    severity_zh: str
    category_zh: str
    pattern: str
    places: list[tuple[str, str, str]]  # (where, what differs there, anchor of the member)

    @property
    def f(self) -> Finding:
        return self.group.first

    @property
    def v(self) -> FindingView:
        return self.views[0]


def entries(doc: Disclosure, findings: list[Finding], crops: PdfCrops, boxes, first: int = 0,
            first_view: int = 0) -> tuple[list[EntryView], list[FindingView]]:
    """The entries of the findings list in report order (errors, warnings, notes; repeated findings
    grouped) and the view of every finding (in the same order), numbered from ``first`` (entries) and
    ``first_view`` (findings: anchors ``f-<n>``)."""
    out: list[EntryView] = []
    views: list[FindingView] = []
    for gi, g in enumerate(group(findings)):
        members = []
        for f in g.findings:
            members.append(_finding_view(doc, first_view + len(views), f, crops, boxes))
            views.append(members[-1])
        places = [(m.where, d, f"f-{m.index}") for m, d in zip(members, g.details(), strict=True)]
        out.append(EntryView(first + gi, g, members, SEVERITY_ZH.get(g.severity, g.severity),
                             CATEGORY_ZH.get(g.category, g.category), g.pattern(), places))
    return out, views


def html_report(doc: Disclosure, report: Report) -> str:
    """The whole report as one HTML string."""
    from .annotate import Boxes

    crops = PdfCrops(doc.source, doc.parts)
    boxes = Boxes(doc)
    # errors first, then warnings, then notes; the rounding notes last, folded; repeated findings grouped
    main = [f for f in report.findings if not is_rounding(f)]
    rounding = [f for f in report.findings if is_rounding(f)]
    shown, views = entries(doc, main, crops, boxes)
    folded, folded_views = entries(doc, rounding, crops, boxes, len(shown), len(views))
    views += folded_views
    summary = report.summary()
    cats = Counter(f.category for f in report.findings)
    categories = [(c, CATEGORY_ZH.get(c, c or "其他"), n) for c, n in
                  sorted(cats.items(), key=lambda kv: (list(CATEGORY_ZH).index(kv[0])
                                                       if kv[0] in CATEGORY_ZH else 99, kv[0]))]
    by_cat_sev = {c: Counter(f.severity for f in report.findings if f.category == c) for c in cats}
    ident = doc.identity
    identity_rows = [
        ("单位", ident.publisher), ("范围", ident.scope), ("类型", ident.kind),
        ("年度", str(ident.year) if ident.year else None), ("金额单位", ident.unit), ("地区", ident.region),
        ("标题", ident.title), ("文件", parts_line(doc.parts) if doc.parts else doc.source),
    ]
    chart_list = make_charts(doc)
    return _env().get_template("report.html.j2").render(
        title=doc_title(ident),
        identity=[(k, v) for k, v in identity_rows],
        summary=summary,
        total=len(report.findings),
        severities=[(s, SEVERITY_ZH[s], summary[s]) for s in ("error", "warning", "info")],
        categories=categories,
        by_cat_sev=by_cat_sev,
        stats={"规则": report.rules_run, "表格": report.tables, "说明语句": report.statements,
               "绩效表": report.forms, "文本行": doc.text_lines},
        findings=views,
        entries=shown,
        rounding=folded,
        rounding_count=len(rounding),
        tables=_full_tables(doc, views),
        charts=[(c.name, c.title, Markup(c.svg)) for c in chart_list],
        performance=doc.performance,
        css=_asset("report.css"),
        js=_asset("report.js"),
        money=money,
    )


def write_html(doc: Disclosure, report: Report, out: str) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(html_report(doc, report))


def index_html(entries: list[dict[str, Any]], title: str = "预决算公开检查报告汇总") -> str:
    """The index of a batch: one line per input (link and counts, or the reason it could not be used)."""
    totals = Counter()
    for e in entries:
        for k, n in (e.get("summary") or {}).items():
            totals[k] += n
    return _env().get_template("index.html.j2").render(
        title=title,
        entries=entries,
        totals=totals,
        ok=sum(1 for e in entries if e.get("href")),
        failed=sum(1 for e in entries if e.get("reason")),
        css=_asset("report.css"),
    )


__all__ = ["html_report", "index_html", "locate", "table_html", "write_html"]
