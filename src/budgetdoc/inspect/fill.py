"""Fill the bureau's form from a check report (:func:`fill`).

Each finding goes to the row of the place it is in: the table it names, else the performance form or the
table whose span holds its line, else the part its line is in (``check/parts.py``), else a row that lists
its rule, else the checklist's fallback row. A row is 否 when a finding counts against it: an error or a
warning, or a note of a content or presentation rule (“。。”); rounding notes and notes on codes the
reference data lacks do not count. What could not be read (REC…) is said under its row, never as a
defect. A dismissed finding (its fingerprint among ``dismissed``) is shown, marked, and no longer fails
its row. An optional part a document leaves out meets its row, said so. 及时性 comes from the dates.
The score is rows met ÷ rows that apply (未核实 does not apply).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..check import Finding, Report
from ..check.parts import PartMap, key, part_map
from ..data.checklists import Checklist, Row, area_of, select
from ..data.content import part_label
from ..model import Disclosure
from .model import Crop, FilledChecklist, FilledRow, KnownDates, Remark, Score
from .timeliness import cover_hints, judge, pdf_hints

COUNTING_INFO = ("content", "presentation")  # categories whose notes are defects the inspector writes down
_NUMBERED = re.compile(r"^(\d+)\.\s")


def counts(f: Finding) -> bool:
    """A finding that makes its row 否 (unless dismissed)."""
    if f.category == "recognition" or f.rule.startswith("REC"):
        return False
    return f.severity in ("error", "warning") or f.category in COUNTING_INFO


def fill(
    doc: Disclosure,
    report: Report,
    checklist: Checklist | None = None,
    *,
    dismissed: Collection[str] = frozenset(),
    fingerprints: list[str] | None = None,
    dates: KnownDates | None = None,
    url: str | None = None,
) -> FilledChecklist:
    """The form for ``doc`` filled from ``report``. ``fingerprints`` (one per finding of the report, as
    the store computes them) are needed to honour ``dismissed``; without them they are computed when
    there is something dismissed (the store's module, which needs the corpus extra)."""
    c = checklist or select(doc)
    if c is None:
        raise LookupError(f"没有适用于该文件的检查表（{doc.identity.kind or '类型未知'}）")
    findings = report.findings
    if fingerprints is None and dismissed:
        from ..store.fingerprint import fingerprints as compute
        from ..store.fingerprint import identity_key

        fingerprints = compute(findings, doc, identity_key(doc.identity))
    pm = part_map(doc)
    scope = doc.identity.scope
    placed: dict[str, list[tuple[Finding, str | None]]] = {r.id: [] for r in c.rows}
    for i, f in enumerate(findings):
        if f.severity == "info" and not counts(f) and not f.rule.startswith("REC"):
            continue  # rounding residue, codes the reference data lacks: not the inspector's business
        fp = fingerprints[i] if fingerprints is not None and i < len(fingerprints) else None
        placed[_row_for(f, c, pm, doc).id].append((f, fp))
    known = _with_hints(dates, doc, pm)
    rows: list[FilledRow] = []
    present = pm.present() | ({"toc"} if pm.toc is not None else set()) | {"cover"}
    for r in c.rows:
        if r.timeliness:
            status, said = judge(known)
            rows.append(FilledRow(id=r.id, group=r.group, label=r.text(scope), status=status,
                                  notes=[said]))
            continue
        remarks: list[Remark] = []
        notes: list[str] = []
        failing = False
        for f, fp in placed[r.id]:
            if not counts(f):
                notes.append(f"未能完整识别：{f.message}")
                continue
            gone = fp is not None and fp in dismissed
            failing |= not gone
            remarks.append(_remark(doc, f, len(remarks) + 1, fp, gone))
        if r.optional and r.parts and not present & set(r.parts) and not any(
                f for f, _ in placed[r.id]) and not (r.tables and any(doc.table(t) for t in r.tables)):
            notes.append(f"本文件未列“{part_label(r.parts[0])}”（该部分视情况公开）")
        if r.optional and r.tables and not r.parts and not any(doc.table(t) for t in r.tables):
            notes.append("本文件未列该表（该表视情况公开）")
        rows.append(FilledRow(id=r.id, group=r.group, label=r.text(scope), status="否" if failing else "是",
                              remarks=remarks, notes=notes))
    area = area_of(c, doc)
    return rescore(FilledChecklist(
        source=doc.source, checklist=c.id, version=c.version, name=c.name,
        title=c.title_for(doc.identity.year, area, scope), document=doc.identity,
        unit=doc.identity.publisher or "", url=url, rows=rows, score=Score(met=0, applicable=0),
        hints=known.hints,
    ))


def rescore(filled: FilledChecklist) -> FilledChecklist:
    """The score and the failed rows of a filled form, from its rows."""
    applicable = [row for row in filled.rows if row.status != "未核实"]
    filled.score = Score(met=sum(1 for row in applicable if row.status == "是"), applicable=len(applicable))
    filled.failed = [row.label for row in filled.rows if row.status == "否"]
    return filled


def with_dates(filled: FilledChecklist, dates: KnownDates | None) -> FilledChecklist:
    """The form with its 及时性 row judged on ``dates`` (the hints found in the file kept)."""
    d = dates.model_copy(deep=True) if dates is not None else KnownDates()
    seen = {(h.date, h.what) for h in d.hints}
    d.hints.extend(h for h in filled.hints if (h.date, h.what) not in seen)
    for row in filled.rows:
        if any(r.timeliness for r in _checklist(filled).rows if r.id == row.id):
            row.status, said = judge(d)
            row.notes = [said]
    return rescore(filled)


def merge(filled: FilledChecklist, findings: list[Finding], doc: Disclosure | None = None) -> FilledChecklist:
    """Findings made after the form was filled (the cross-document ones) added to their rows: the row of
    the table they name, else a row listing their rule, else the fallback row."""
    c = _checklist(filled)
    for f in findings:
        if not counts(f):
            continue
        row = next((r for r in c.rows if f.location.table and f.location.table in r.tables), None) \
            or next((r for r in c.rows if f.rule in r.rules), None) or c.row(c.fallback)
        target = filled.row(row.id)
        target.remarks.append(Remark(
            number=len(target.remarks) + 1, text=_plain_remark(f), rule=f.rule, severity=f.severity,
            page=f.location.page, line=f.location.line, table=f.location.table, expected=f.expected,
            actual=f.actual, crop=crop_of(doc, f) if doc is not None else _pdf_crop(filled.source, f),
        ))
        target.status = "否"
    return rescore(filled)


def _checklist(filled: FilledChecklist) -> Checklist:
    from ..data.checklists import checklists

    return next(c for c in checklists() if c.id == filled.checklist)


def _plain_remark(f: Finding) -> str:
    where = f"第{f.location.page}页：" if f.location.page is not None else ""
    return f"{where}{f.message.rstrip('。')}。"


def _pdf_crop(source: str, f: Finding) -> Crop | None:
    if source.lower().endswith(".pdf") and f.location.page is not None and f.location.bbox is not None:
        return Crop(page=f.location.page, bbox=f.location.bbox)
    return None


def _with_hints(dates: KnownDates | None, doc: Disclosure, pm: PartMap) -> KnownDates:
    """The known dates, with the hints the file gives added: a date printed on the cover, the PDF's
    creation and modification dates."""
    d = dates.model_copy(deep=True) if dates is not None else KnownDates()
    end = pm.toc[0] if pm.toc is not None else (pm.keys[pm.headings[0][0]] if pm.headings else None)
    cover = "".join(ln.text for ln in doc.lines()[:12] if end is None or key(ln.page, ln.number) < end)
    known = {(h.date, h.what) for h in d.hints}
    d.hints.extend(h for h in [*cover_hints(cover), *pdf_hints(doc.source)] if (h.date, h.what) not in known)
    return d


def _row_for(f: Finding, c: Checklist, pm: PartMap, doc: Disclosure) -> Row:
    loc = f.location
    if loc.table:
        row = next((r for r in c.rows if loc.table in r.tables), None)
        if row is not None:
            return row
    if loc.line is not None:
        form = _form_at(doc, pm, loc.page, loc.line)
        if form is not None:
            row = next((r for r in c.rows if form in r.forms), None)
            if row is not None:
                return row
        tkey = pm.table_at(loc.page, loc.line)
        if tkey is not None:
            row = next((r for r in c.rows if tkey in r.tables), None)
            if row is not None:
                return row
        part = pm.part_of(loc.page, loc.line)
        row = next((r for r in c.rows if part in r.parts), None)
        if row is not None:
            return row
        if part == "tables":  # the title of the set of tables: the first table's row
            k = key(loc.page, loc.line)
            after = [tk for start, _, tk in pm.tables if start >= k]
            row = next((r for tk in after[:1] for r in c.rows if tk in r.tables), None)
            if row is not None:
                return row
    listing = [r for r in c.rows if f.rule in r.rules]
    if len(listing) > 1:
        said = f"{f.expected or ''}{f.message}"
        for r in listing:
            labels = [part_label(p) for p in r.parts] + [r.label.replace("{scope}", "")]
            if any(lb and lb in said for lb in labels):
                return r
    if listing:
        return listing[0]
    return c.row(c.fallback)


def _form_at(doc: Disclosure, pm: PartMap, page: int | None, line: int) -> str | None:
    k = key(page, line)
    for form, (start, end) in zip(doc.performance, pm.forms, strict=False):
        if start <= k <= end:
            return form.kind
    return None


def remark_text(doc: Disclosure, f: Finding) -> str:
    """The inspector's sentence: where (page, table), what is printed, what it should be."""
    loc = f.location
    where = []
    if loc.page is not None and (doc.source.lower().endswith(".pdf") or loc.page > 1 or _paged(doc)):
        where.append(f"第{loc.page}页")
    elif loc.line is not None:
        where.append(f"第{loc.line}行")
    msg = f.message.rstrip("。")
    tail = ""
    if f.expected and f.expected not in msg and f.expected not in ("缺失",) and len(f.expected) <= 40:
        tail = f"（应为：{f.expected}）"
    return f"{''.join(where)}{'：' if where else ''}{msg}{tail}。"


def _paged(doc: Disclosure) -> bool:
    lines = doc.lines()
    return bool(lines) and lines[-1].page > 1


def _remark(doc: Disclosure, f: Finding, n: int, fp: str | None, dismissed: bool) -> Remark:
    return Remark(
        number=n, text=remark_text(doc, f), rule=f.rule, severity=f.severity, page=f.location.page,
        line=f.location.line, table=f.location.table, expected=f.expected, actual=f.actual,
        fingerprint=fp, dismissed=dismissed, crop=crop_of(doc, f),
    )


def crop_of(doc: Disclosure, f: Finding) -> Crop | None:
    """The screenshot of a remark: a box on its PDF page, else the quoted lines of the text."""
    loc = f.location
    if doc.source.lower().endswith(".pdf") and loc.page is not None:
        bbox = loc.bbox
        if bbox is None and loc.line is not None:
            bbox = next((ln.bbox for ln in doc.lines() if ln.page == loc.page and ln.number == loc.line), None)
        related = [r.bbox for r in f.related if r.bbox is not None and r.page == loc.page]
        return Crop(page=loc.page, bbox=bbox, related=related)
    if loc.line is None:
        return None
    lines = [ln for ln in doc.lines() if (loc.page is None or ln.page == loc.page) and ln.text.strip()]
    idx = next((i for i, ln in enumerate(lines) if ln.number == loc.line), None)
    if idx is None:
        return None
    lo, hi = max(0, idx - 1), min(len(lines), idx + 2)
    return Crop(page=loc.page, lines=[(lines[i].number, lines[i].text.strip(), i == idx) for i in range(lo, hi)])


__all__ = ["counts", "crop_of", "fill", "merge", "remark_text", "rescore", "with_dates"]
