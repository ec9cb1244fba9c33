"""The annotated PDF: one rectangle per finding with a box, on its page, inside the page; a note for the
others; the original's bytes never change."""

from __future__ import annotations

import hashlib

import pytest

from conftest import SAMPLE
from test_report_model import example_doc, example_pdf, example_report


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def annots(path):
    import pymupdf

    doc = pymupdf.open(path)
    out = [(p.number + 1, a.type[1], a.rect, p.rect, a.info.get("content", ""))
           for p in doc for a in p.annots()]
    doc.close()
    return out


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
    assert counts == {"boxes": len(boxed), "notes": len(rep.findings) - len(boxed)}
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
    for f in with_box:
        hits = [a for a in got if a[1] == "Square" and a[0] == f.location.page and f.message in a[4]]
        assert hits, f
        assert all(a[3].contains(a[2]) for a in hits)
