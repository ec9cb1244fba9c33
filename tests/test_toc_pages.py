"""目录 page numbers (TocEntry.page) and CMP005: the printed pages agree with where things start.

The three sample PDFs print their 目录 without page numbers (checked below on PyMuPDF's own text, so
the rule has nothing to compare there and must stay silent); the variants built here print them, as
many documents do, counting from the first page after the cover and the 目录 (an offset of 3).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budgetdoc.check import registry
from budgetdoc.pipeline import load
from budgetdoc.recognise.sections import toc_page
from conftest import SAMPLES

pymupdf = pytest.importorskip("pymupdf")

SOCIAL = SAMPLES / "shanghai-putuo-social-work-2024-final.pdf"
PDFS = sorted(SAMPLES.glob("*.pdf")) if SAMPLES.is_dir() else []
needs_samples = pytest.mark.skipif(not SOCIAL.is_file(), reason="sample PDFs not available")

# where the 目录 entries of the social-work sample really start (file pages, checked on PyMuPDF's text)
SOCIAL_PAGES = {
    "第一部分": 4,
    "一、主要职能": 4,
    "二、部门决算单位构成": 4,
    "一、收入支出决算总表": 5,
    "二、收入决算表": 6,
    "三、支出决算表": 8,
    "四、财政拨款收入支出决算总表": 10,
    "五、一般公共预算财政拨款支出决算表": 12,
    "六、一般公共预算财政拨款基本支出决算表": 13,
    "七、财政拨款“三公”经费支出决算表": 14,
    "八、政府性基金预算财政拨款收入支出决算表": 15,
    "九、国有资本经营预算财政拨款收入支出决算表": 16,
    "一、收入支出决算总体情况说明": 17,
    "二、收入决算情况说明": 17,
    "三、支出决算情况说明": 17,
    "十、预算绩效管理情况": 21,
    "第四部分": 23,
}
OFFSET = 3  # cover and two 目录 pages unnumbered


def _cmp005(path: Path) -> list:
    doc = load(path)
    return list(registry()["CMP005"]().run(doc))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("一、收入支出决算总表……………5", ("一、收入支出决算总表", 5)),
        ("一、收入支出决算总表 5", ("一、收入支出决算总表", 5)),
        ("一、收入支出决算总表 . . . . . . 12", ("一、收入支出决算总表", 12)),
        ("一、主要职能\t3", ("一、主要职能", 3)),
        ("收入决算表 ——— 7", ("收入决算表", 7)),
        ("收入支出决算总表5", ("收入支出决算总表5", None)),  # glued: not a page number
        ("附件 2", ("附件 2", None)),
        ("表 1", ("表 1", None)),
        ("第二部分 XX局2024", ("第二部分 XX局2024", None)),
        ("一、收入支出决算总表(表 1)", ("一、收入支出决算总表(表 1)", None)),
    ],
)
def test_toc_page_number(text: str, expected: tuple) -> None:
    assert toc_page(text) == expected


@needs_samples
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_samples_toc_has_no_page_numbers_and_cmp005_is_silent(path: Path) -> None:
    """True result on the samples: their 目录 prints no page numbers (neither in the text layer, nor
    as drawings or links), so no entry can be wrong and CMP005 reports nothing."""
    pdf = pymupdf.open(str(path))
    toc_text = pdf[1].get_text("text") + pdf[2].get_text("text")
    assert not re.search(r"\d\s*$", "\n".join(ln for ln in toc_text.splitlines() if "、" in ln or "部分" in ln))
    doc = load(path)
    assert len(doc.toc) >= 20
    assert all(e.page is None for e in doc.toc)
    assert _cmp005(path) == []


def _with_pages(tmp_path: Path, wrong: dict[str, int] | None = None, leader: bool = True) -> Path:
    """The social-work sample with page numbers printed at the right of its 目录 lines."""
    wrong = wrong or {}
    pdf = pymupdf.open(str(SOCIAL))
    printed = 0
    for pno in (1, 2):
        page = pdf[pno]
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                text = "".join(s["text"] for s in line["spans"]).replace(" ", "")
                key = next((k for k in SOCIAL_PAGES if text.startswith(k)), None)
                if key is None:
                    continue
                number = wrong.get(key, SOCIAL_PAGES[key] - OFFSET)
                y = line["bbox"][3] - 3
                label = ("." * 12 + " " if leader else "") + str(number)
                page.insert_text((440, y), label, fontname="helv", fontsize=11)
                printed += 1
    assert printed == len(SOCIAL_PAGES)
    out = tmp_path / ("toc-pages.pdf" if not wrong else "toc-pages-wrong.pdf")
    pdf.save(str(out))
    return out


@needs_samples
@pytest.mark.parametrize("leader", [True, False], ids=["leader", "gap"])
def test_printed_pages_are_read_into_the_toc(tmp_path: Path, leader: bool) -> None:
    doc = load(_with_pages(tmp_path, leader=leader))
    pages = {e.table_key: e.page for e in doc.toc if e.table_key}
    assert pages == {"T1": 2, "T2": 3, "T3": 5, "T4": 7, "T5": 9, "T6": 10, "T9": 11, "T7": 12, "T8": 13}
    titles = [e.title for e in doc.toc]
    assert "一、主要职能" in titles and not any(re.search(r"\d$", t) for t in titles if "表" in t)
    assert next(e for e in doc.toc if e.number == "第一部分").page == 1


@needs_samples
def test_cmp005_accepts_a_constant_offset(tmp_path: Path) -> None:
    assert _cmp005(_with_pages(tmp_path)) == []


@needs_samples
def test_cmp005_reports_the_entry_that_disagrees(tmp_path: Path) -> None:
    path = _with_pages(tmp_path, wrong={"四、财政拨款收入支出决算总表": 9, "十、预算绩效管理情况": 20})
    found = _cmp005(path)
    assert len(found) == 2, [f.message for f in found]
    by_title = {f.location.table or f.message: f for f in found}
    t4 = by_title["T4"]
    assert t4.severity == "warning" and (t4.expected, t4.actual) == ("7", "9")
    assert "第 10 页" in t4.message and t4.location.page == 2 and t4.location.bbox is not None
    assert t4.related[0].page == 10
    other = next(f for f in found if f is not t4)
    assert "预算绩效管理情况" in other.message and (other.expected, other.actual) == ("18", "20")
