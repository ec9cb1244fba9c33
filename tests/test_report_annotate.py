"""The annotated PDF: one rectangle per finding with a box, on its page, inside the page; a note for the
others; a dashed box at each related place; the finding's label printed beside its box; legend pages
first; the original's bytes never change."""

from __future__ import annotations

import hashlib

import pytest

from conftest import SAMPLE
from test_report_model import example_doc, example_pdf, example_report


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def annots(path, related: bool = False):
    """(page of the original, type, rect, page rect, content) of the finding annotations (``related``:
    of the dashed boxes at related places); the legend pages before page 1 are not counted."""
    import pymupdf

    doc = pymupdf.open(path)
    legend = legend_pages(doc)
    out = [(p.number + 1 - legend, a.type[1], a.rect, p.rect, a.info.get("content", ""))
           for p in doc for a in p.annots() if (a.info.get("subject") == "相关位置") == related]
    doc.close()
    return out


def legend_pages(doc) -> int:
    return sum(1 for p in doc if "检查结果图例" in p.get_text() or p.get_text().startswith("编号"))


def test_annotated_copy_of_rendered_pdf(tmp_path):
    from budgetdoc.report.annotate import annotate_pdf

    pdf = example_pdf(tmp_path)
    before = sha(pdf)
    doc = example_doc(pdf)
    rep = example_report(doc)
    out = tmp_path / "annotated.pdf"
    counts = annotate_pdf(str(pdf), rep, str(out))
    assert sha(pdf) == before
    boxed = [f for f in rep.findings if f.location.page and f.location.bbox]
    assert (counts["boxes"], counts["notes"]) == (len(boxed), len(rep.findings) - len(boxed))
    assert counts["legend"] == 1
    got = annots(out)
    rects = [a for a in got if a[1] == "Square"]
    notes = [a for a in got if a[1] == "Text"]
    assert len(rects) == len(boxed) and len(notes) == len(rep.findings) - len(boxed)
    for f in boxed:
        match = [a for a in rects if a[0] == f.location.page and f.message in a[4]]
        assert len(match) == 1, f
        page, _, rect, page_rect, _ = match[0]
        assert page_rect.contains(rect)
        x0, y0, x1, y1 = f.location.bbox
        assert rect.x0 <= x0 + 0.01 and rect.y0 <= y0 + 0.01 and rect.x1 >= min(x1, page_rect.x1 - 3) - 0.01
    for f in rep.findings:
        if not (f.location.page and f.location.bbox):
            page = f.location.page or 1
            assert any(a[0] == page and f.message in a[4] for a in notes), f


def test_boxes_from_lines_when_findings_have_no_bbox(tmp_path):
    """The recogniser may locate a cell by page and line only: the word printing its amount is boxed."""
    from budgetdoc.report.annotate import annotate_pdf

    pdf = example_pdf(tmp_path)
    doc = example_doc(pdf)
    rep = example_report(doc)
    boxed = {id(f): f.location.bbox for f in rep.findings if f.location.bbox}
    for f in rep.findings:
        f.location = f.location.at(bbox=None)
    out = tmp_path / "annotated.pdf"
    counts = annotate_pdf(str(pdf), rep, str(out), doc)
    assert counts["boxes"] == len(boxed)
    rects = [a for a in annots(out) if a[1] == "Square"]
    for f in rep.findings:
        if id(f) in boxed:
            r = next(a[2] for a in rects if f.message in a[4])
            x0, y0, x1, y1 = boxed[id(f)]
            # the word printing the amount (or the line): inside the box the model had
            assert r.x0 >= x0 - 3 and r.y0 >= y0 - 3 and r.x1 <= x1 + 3 and r.y1 <= y1 + 3, (f.rule, r, boxed[id(f)])


def test_refuses_text_input_and_overwriting(tmp_path):
    from budgetdoc.errors import InputError
    from budgetdoc.report.annotate import annotate_pdf
    from test_report_model import EXAMPLE

    doc = example_doc()
    with pytest.raises(InputError, match="PDF"):
        annotate_pdf(str(EXAMPLE), example_report(doc), str(tmp_path / "x.pdf"))
    pdf = example_pdf(tmp_path)
    before = sha(pdf)
    with pytest.raises(InputError, match="覆盖"):
        annotate_pdf(str(pdf), example_report(example_doc(pdf)), str(pdf))
    assert sha(pdf) == before


@pytest.mark.parametrize("name", sorted(SAMPLE))
def test_annotated_samples(tmp_path, name):
    from budgetdoc.check import check
    from budgetdoc.errors import InputError
    from budgetdoc.report.annotate import Boxes, annotate_pdf
    from conftest import load_doc

    path = SAMPLE[name]
    if not path.exists():
        pytest.skip(f"{path} not present")
    before = sha(path)
    try:
        doc = load_doc(path)
    except InputError as e:
        pytest.skip(f"the PDF reader does not read {path.name} yet: {e}")
    rep = check(doc)
    out = tmp_path / f"{name}-annotated.pdf"
    counts = annotate_pdf(str(path), rep, str(out), doc)
    assert sha(path) == before
    box = Boxes(doc)
    with_box = [f for f in rep.findings if f.location.page and box(f.location)]
    assert counts["boxes"] == len(with_box) and counts["notes"] == len(rep.findings) - len(with_box)
    got = annots(out)
    assert len(got) == len(rep.findings)
    with_related = [f for f in rep.findings if any(r.page and box(r) for r in f.related)]
    assert bool(counts["related"]) == bool(with_related)
    for f in with_box:
        hits = [a for a in got if a[1] == "Square" and a[0] == f.location.page and f.message in a[4]]
        assert hits, f
        assert all(a[3].contains(a[2]) for a in hits)


def _annotated_planning(tmp_path):
    from budgetdoc.check import check
    from budgetdoc.report.annotate import annotate_pdf
    from conftest import load_doc_or_skip

    path = SAMPLE["planning"]
    if not path.exists():
        pytest.skip("the planning sample is not present")
    doc = load_doc_or_skip(path)
    rep = check(doc)
    out = tmp_path / "planning-annotated.pdf"
    before = sha(path)
    counts = annotate_pdf(str(path), rep, str(out), doc)
    assert sha(path) == before
    return path, doc, rep, out, counts


def test_legend_page_and_labels_print_on_the_page(tmp_path):
    """A printout explains itself: legend page(s) first listing every finding (number, rule, severity,
    page, message), and on each page the label of each box (“①ARI001”) as page text, not a hidden note."""
    import pymupdf

    from budgetdoc.check.findings import SEVERITY_ZH
    from budgetdoc.report.annotate import Boxes, label_number
    from budgetdoc.report.groups import ordered

    path, doc, rep, out, counts = _annotated_planning(tmp_path)
    pdf = pymupdf.open(out)
    original = pymupdf.open(path)
    legend = counts["legend"]
    assert legend >= 1 and pdf.page_count == original.page_count + legend
    first = pdf[0].get_text()
    assert "检查结果图例" in first
    s = rep.summary()
    assert f"共 {len(rep.findings)} 项：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}" in first
    legend_text = "".join(pdf[i].get_text() for i in range(legend)).replace("\n", "")
    findings = ordered(rep.findings)
    assert findings[0].severity == "error"
    for n, f in enumerate(findings, start=1):
        assert label_number(n) in legend_text and f.rule in legend_text
        assert SEVERITY_ZH[f.severity] in legend_text
        assert f.message[:20] in legend_text, f.message
    # legend rows in order: the first error's number comes before any note's
    assert legend_text.index(label_number(1)) < legend_text.index(label_number(len(findings)))
    box = Boxes(doc)
    for n, f in enumerate(findings, start=1):
        if f.location.page and box(f.location):
            page_text = pdf[f.location.page - 1 + legend].get_text().replace("\n", "")
            assert f"{label_number(n)}{f.rule}" in page_text, (n, f.rule, f.location.page)
    # the original pages are otherwise the same pages (text of the original still there)
    for i in range(original.page_count):
        assert original[i].get_text()[:40] in pdf[i + legend].get_text()
    pdf.close()
    original.close()


def test_both_sides_of_a_mismatch_are_boxed(tmp_path):
    """A REL001 (two tables) and an ARI001 (a row's total and its parts): a box at the finding's cell and
    a dashed box at each related cell, on its own page."""
    from budgetdoc.report.annotate import Boxes

    path, doc, rep, out, counts = _annotated_planning(tmp_path)
    box = Boxes(doc)
    main = annots(out)
    rel = annots(out, related=True)
    assert counts["related"] == len(rel) > 0
    checked = set()
    for f in rep.findings:
        if f.rule not in ("REL001", "ARI001") or not f.related:
            continue
        assert any(a[0] == f.location.page and f.message in a[4] for a in main), f
        for r in f.related:
            rb = box(r)
            if not (r.page and rb):
                continue
            x0, y0, x1, y1 = rb
            hits = [a for a in rel if a[0] == r.page and f.message in a[4] and a[2].x0 <= x0 + 0.5
                    and a[2].y0 <= y0 + 0.5 and a[2].x1 >= min(x1, a[3].x1 - 3) - 0.5]
            assert hits, (f.rule, f.location.page, r.page, rb)
            checked.add((f.rule, r.page != f.location.page))
    assert ("REL001", True) in checked  # the other table is on another page
    assert ("ARI001", False) in checked


def test_render_annotated_pages(tmp_path):
    """The first two pages (legend, then the document's first page) rendered to PNG for a person to look
    at (tmp folder: legend.png, page1.png)."""
    import pymupdf

    _, _, _, out, _ = _annotated_planning(tmp_path)
    pdf = pymupdf.open(out)
    for i, name in enumerate(("legend.png", "page1.png")):
        pix = pdf[i].get_pixmap(dpi=110)
        pix.save(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 10_000
    pdf.close()
