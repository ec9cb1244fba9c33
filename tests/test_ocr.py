"""Scanned pages: without OCR they are said (REC002, or one sentence and exit 2 when nothing is left);
with the ``ocr`` extra they are read like the text layer (a few seconds a page, so at most two here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from budgetdoc.check import check
from budgetdoc.errors import InputError
from budgetdoc.model import Diagnostic, Disclosure, Location
from budgetdoc.pipeline import load
from budgetdoc.read import Line, ocr, read
from budgetdoc.read import pdf as pdfmod
from budgetdoc.read.pdf import read_pdf
from budgetdoc.recognise import recognise
from conftest import SAMPLE, needs_samples

SOCIAL = SAMPLE["social"]
TOTALS = 5  # 收入支出决算总表 of the social-work sample
NEEDS_OCR = pytest.mark.skipif(not ocr.available(), reason="the ocr extra (rapidocr, onnxruntime) is not installed")


def image_pdf(tmp_path: Path, images: set[int], pages: list[int] | None = None, turn: float = 0.0) -> Path:
    """A copy of the sample's ``pages`` (all by default) where the pages in ``images`` are only an image
    of themselves (150 dpi, no text layer); ``turn`` degrees: those images scanned askew, with noise
    and JPEG compression."""
    src = pymupdf.open(str(SOCIAL))
    out = pymupdf.open()
    for n in pages or range(1, src.page_count + 1):
        if n not in images:
            out.insert_pdf(src, from_page=n - 1, to_page=n - 1)
            continue
        page = src[n - 1]
        pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        if turn:
            import cv2
            import numpy as np

            img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.stride)[:, : pix.width]
            m = cv2.getRotationMatrix2D((pix.width / 2, pix.height / 2), turn, 1.0)
            img = cv2.warpAffine(img, m, (pix.width, pix.height), borderValue=255)
            noise = np.random.default_rng(0).normal(0, 10, img.shape)
            img = np.clip(img + noise, 0, 255).astype(np.uint8)
            new.insert_image(new.rect, stream=cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 60])[1].tobytes())
        else:
            new.insert_image(new.rect, pixmap=pix)
    path = tmp_path / f"scan-{'-'.join(map(str, sorted(images)))}-{turn}.pdf"
    out.save(str(path))
    return path


@pytest.fixture
def no_ocr():
    previous = pdfmod.set_ocr_hook(None)
    yield
    pdfmod.set_ocr_hook(previous)


@pytest.fixture
def with_ocr():
    previous = pdfmod.set_ocr_hook(ocr.read_page)
    yield
    pdfmod.set_ocr_hook(previous)


def findings(doc: Disclosure, rule: str) -> list:
    return [f for f in check(doc).findings if f.rule == rule]


# ---------------------------------------------------------------- REC002 on its own


def test_rec002_joins_pages_of_one_reason_and_says_ocr_pages_as_info() -> None:
    def diag(code: str, n: int, why: str) -> Diagnostic:
        return Diagnostic(code=code, message=f"第{n}页{why}", location=Location(page=n))

    from budgetdoc.recognise import OCR, SKIPPED

    doc = Disclosure(
        source="x.pdf",
        diagnostics=[diag("page-skipped", 3, SKIPPED), diag("page-skipped", 4, SKIPPED), diag("page-ocr", 9, OCR)],
    )
    rec2 = findings(doc, "REC002")
    assert [(f.severity, f.message) for f in rec2] == [
        ("warning", "第3、4页没有可用的文字层（可能是扫描件），未能识别；安装 budgetdoc[ocr] 后可识别"),
        ("info", "第9页没有文字层，内容由 OCR 识别，其中的金额请与原件核对"),
    ]
    assert rec2[0].location.page == 3 and [r.page for r in rec2[0].related] == [4]
    assert rec2[0].location.file == "x.pdf"
    assert findings(doc, "REC001") == []  # page diagnostics are REC002's only


def test_page_lists() -> None:
    from budgetdoc.check.rules.recognition import pages_text

    assert pages_text([4, 3]) == "第3、4页"
    assert pages_text(list(range(1, 25))) == "第1至24页"
    assert pages_text([2, 5, 6, 7, 9]) == "第2、5至7、9页"


def test_clean_document_has_no_rec002() -> None:
    assert findings(Disclosure(source="x.txt"), "REC002") == []


# ---------------------------------------------------------------- without OCR


@needs_samples
def test_hook_off_leaves_scan_unread_and_custom_hook_marks_page(tmp_path: Path) -> None:
    path = image_pdf(tmp_path, {TOTALS}, pages=[TOTALS, TOTALS + 1])
    src = read_pdf(str(path), ocr=False)
    assert [(p.has_text, p.ocr, len(p.lines) > 0) for p in src.pages] == [(False, False, False), (True, False, True)]
    assert src.ocr_engine is None

    def hook(page, number):
        return [Line(text="识别出的文字", page=number, number=1)]

    src = read_pdf(str(path), ocr=hook)
    assert src.pages[0].ocr and src.pages[0].lines[0].text == "识别出的文字"
    assert src.ocr_engine == "hook"
    src = read_pdf(str(path), ocr=lambda page, number: [])
    assert not src.pages[0].ocr and src.ocr_engine  # asked, found nothing: still unread


@needs_samples
def test_mixed_pdf_reports_exactly_the_image_page(tmp_path: Path, no_ocr) -> None:
    doc = load(image_pdf(tmp_path, {TOTALS}))
    rec2 = findings(doc, "REC002")
    assert len(rec2) == 1
    f = rec2[0]
    assert f.severity == "warning" and f.location.page == TOTALS and not f.related
    assert f.message == "第5页没有可用的文字层（可能是扫描件），未能识别；安装 budgetdoc[ocr] 后可识别"
    assert "T1" not in {t.key for t in doc.tables}  # its table was on that page
    assert {t.key for t in doc.tables} >= {"T2", "T3", "T4"}


@needs_samples
def test_scanned_pdf_without_ocr_is_one_sentence(tmp_path: Path, no_ocr) -> None:
    path = image_pdf(tmp_path, {1, 2, TOTALS}, pages=[1, 2, TOTALS])
    with pytest.raises(InputError, match=r"PDF 没有文字层（扫描件），请安装 budgetdoc\[ocr\] 以识别"):
        load(path)
    p = subprocess.run(
        [sys.executable, "-m", "budgetdoc", "check", str(path)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "BUDGETDOC_OCR": "0"},
    )
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr and p.stdout == ""
    (line,) = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert line == f"budgetdoc: PDF 没有文字层（扫描件），请安装 budgetdoc[ocr] 以识别：{path}"


# ---------------------------------------------------------------- with OCR (one page each)


def _rows(doc: Disclosure, key: str) -> dict:
    table = next(t for t in doc.tables if t.key == key)
    return {(r.part, r.key): {c.column: c.value for c in r.cells} for r in table.rows}


@needs_samples
@NEEDS_OCR
def test_ocr_reads_the_totals_table_like_the_text_layer(tmp_path: Path, with_ocr) -> None:
    path = image_pdf(tmp_path, {TOTALS})
    src = read(str(path))
    page = src.pages[TOTALS - 1]
    assert not page.has_text and page.ocr and src.ocr_engine == "rapidocr"
    text = read(str(SOCIAL)).pages[TOTALS - 1]
    assert [ln.cells for ln in page.lines] == [ln.cells for ln in text.lines]
    (total,) = [ln for ln in page.lines if ln.cells and ln.cells[0] == "本年收入合计"]
    assert total.cells == ["本年收入合计", "307.82", "本年支出合计", "307.82"]
    assert total.bbox is not None and abs(total.bbox[1] - 618) < 3  # in PDF points, where it is printed
    doc = recognise(src)
    assert _rows(doc, "T1") == _rows(load(SOCIAL), "T1")
    rec2 = findings(doc, "REC002")
    assert [(f.severity, f.location.page) for f in rec2] == [("info", TOTALS)]
    assert "由 OCR 识别" in rec2[0].message


@needs_samples
@NEEDS_OCR
def test_ocr_straightens_a_page_scanned_askew(tmp_path: Path, with_ocr) -> None:
    """Turned 1.5° with noise and JPEG: unstraightened, its rules break up and no cell is found."""
    src = read(str(image_pdf(tmp_path, {TOTALS}, pages=[TOTALS], turn=1.5)))
    text = read(str(SOCIAL)).pages[TOTALS - 1]
    assert [ln.cells for ln in src.pages[0].lines] == [ln.cells for ln in text.lines]


# ---------------------------------------------------------------- progress and bounded work


@needs_samples
def test_progress_is_told_for_each_page_read_by_ocr_and_only_those(tmp_path: Path) -> None:
    """A library caller passes ``progress`` to load/run: told after each page OCR read (its number, the
    document's page count, the seconds it took), in page order; a page with a text layer is not OCR."""
    path = image_pdf(tmp_path, {2, TOTALS}, pages=[1, 2, 3, 4, TOTALS, TOTALS + 1])
    read_by_ocr: list[int] = []

    def hook(pg, number: int) -> list[Line]:
        read_by_ocr.append(number)
        return read_pdf(str(SOCIAL), ocr=False).pages[TOTALS - 1].lines if number == 5 else []

    told: list[tuple[int, int, float]] = []
    previous = pdfmod.set_ocr_hook(hook)
    try:
        doc = load(path, progress=lambda n, count, s: told.append((n, count, s)))
    finally:
        pdfmod.set_ocr_hook(previous)
    assert read_by_ocr == [2, 5]
    assert [(n, count) for n, count, _ in told] == [(2, 6), (5, 6)]
    assert all(s >= 0 for _, _, s in told)
    assert "T1" in {t.key for t in doc.tables}  # the page OCR read is in the document
    told.clear()
    load(SOCIAL, progress=lambda *a: told.append(a))
    assert told == []


@NEEDS_OCR
def test_the_detector_sees_a_page_of_bounded_size() -> None:
    """Whatever the page's size, the detector's input is at most DET_SIDE pixels on its longer side (its
    memory grows with the pixels it sees); the recogniser takes one box at a time. One engine serves
    every page."""
    import numpy as np

    engine = ocr.engine()
    assert ocr.engine() is engine
    for h, w in ((2339, 1654), (1654, 2339), (3000, 3000), (600, 400)):
        img = np.full((h, w, 3), 255, np.uint8)
        prepared = engine._load_det_model().get_preprocess()(img)
        assert max(prepared.shape[2:]) <= ocr.DET_SIDE, (h, w, prepared.shape)
    assert engine.cfg.Rec.rec_batch_num == engine.cfg.Cls.cls_batch_num == 1
    assert engine.cfg.EngineConfig.onnxruntime.enable_cpu_mem_arena is False


@needs_samples
@NEEDS_OCR
def test_check_says_each_page_it_reads_by_ocr_on_stderr(tmp_path: Path) -> None:
    path = image_pdf(tmp_path, {TOTALS})
    p = subprocess.run([sys.executable, "-m", "budgetdoc", "check", "--format", "json", str(path)],
                       capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert p.returncode in (0, 1), p.stderr
    assert "Traceback" not in p.stderr
    (said,) = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert said.startswith(f"OCR：第 {TOTALS} 页已识别（共 24 页；本页 ") and said.endswith(" 秒）"), said
    assert json.loads(p.stdout)["summary"]
