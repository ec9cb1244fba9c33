"""OCR is bounded: a scanned archive does not run for hours; pages past the budget are reported."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from budgetdoc.read import Line, pdf
from budgetdoc.recognise import _page_diagnostics


def _scans(tmp_path: Path, pages: int) -> Path:
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        page.insert_image(page.rect, pixmap=pix)
    out = tmp_path / "scans.pdf"
    doc.save(str(out))
    doc.close()
    return out


def test_pages_past_the_ocr_budget_are_left_and_reported(tmp_path: Path, monkeypatch) -> None:
    calls: list[int] = []

    def ocr(page, number):
        calls.append(number)
        return [Line(text="识别出的文字", page=number, number=1)]

    monkeypatch.setattr(pdf, "MAX_OCR_PAGES", 2)
    source = pdf.read_pdf(str(_scans(tmp_path, 4)), ocr=ocr)
    assert calls == [1, 2]
    assert [p.ocr for p in source.pages] == [True, True, False, False]
    assert [p.ocr_skipped for p in source.pages] == [False, False, True, True]
    skipped = [d for d in _page_diagnostics(source) if d.code == "page-skipped"]
    assert [d.location.page for d in skipped] == [3, 4]
    assert all("上限" in d.message for d in skipped)
