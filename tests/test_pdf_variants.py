"""One defect injected into a sample PDF is found at the page (and the box) where it was printed.

Each variant is a copy of a published sample in ``tmp_path`` with one piece of text replaced on one page
(:func:`pdf_edit.replace_text`: the old text redacted, ruling lines kept, the new one printed at the same
place and size in a CJK font), or a table's pages removed. The cases are those of issue #3: an amount
changed in a table and in the narrative, a table removed, a heading year changed, a direction word
flipped, a placeholder left in. The untouched samples stay as pinned and name none of the injected
values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE, check_doc, load_doc, needs_samples
from test_sample_findings import KNOWN, _pinned

pymupdf = pytest.importorskip("pymupdf")
from pdf_edit import Edit, clear_pages, drop_pages, page_text, replace_text  # noqa: E402

# id, sample, page (1-based), old, new, anchor (a text on the same line, when old is not unique on the
# page), rule ids or prefixes a finding may carry, the text it must name
CASES = [
    # (1) a table amount: 2120101 行政运行's 项目支出 in 支出决算表 (T3) 8.77 → 9.77
    ("table-amount-planning", "planning", 11, "8.77", "9.77", "2120101", ("ARI",), "9.77"),
    # (1) a T6 economic item: 30101 基本工资 14.12 → 15.12
    ("table-economic-social", "social", 13, "14.12", "15.12", None, ("ARI",), "15.12"),
    # (2) the narrative's 基本支出 (表3 5,377.64 / 105.58)
    ("narrative-amount-planning", "planning", 20, "5377.64", "5737.64", None, ("NAR",), "5737.64"),
    ("narrative-amount-social", "social", 17, "105.58", "150.58", None, ("NAR",), "150.58"),
    # (4) a heading's year: the 第三部分 heading, the tables' heading above 收入支出决算总表
    ("heading-year-planning", "planning", 20, "2024", "2023", "第三部分", ("IDN002",), "2023"),
    ("heading-year-social", "social", 5, "2024", "2023", None, ("IDN002",), "2023"),
    # (5) a year-on-year change's direction word: 增加 → 减少 while the rate still says 增长
    ("direction-planning", "planning", 20, "增加", "减少", "1062.85", ("NAR003", "NAR005", "NAR010"), "减少"),
    ("direction-social", "social", 18, "增加", "减少", None, ("NAR003", "NAR005", "NAR010"), "减少"),
    # (6) a placeholder left in: the unit's name in the first sentence of the 情况说明
    ("placeholder-planning", "planning", 20, "上海市普陀区规划和自然资源局", "XX局", "年度收入支出总计", ("IDN003",), "XX局"),
    ("placeholder-social", "social", 17, "中共上海市普陀区委社会工作部", "XX局", "年度收入支出总计", ("IDN003",), "XX局"),
]

# (3) a table removed: its pages deleted, or every text on them redacted (the frame stays)
REMOVED = [
    ("planning", "T5", [14, 15], "一般公共预算财政拨款支出决算表"),
    ("social", "T9", [14], "财政拨款“三公”经费支出决算表"),
]


def _names(f, text: str) -> bool:
    return text in f.message.replace(",", "") or text == (f.actual or "").replace(",", "")


def _named(report, prefixes: tuple[str, ...], text: str) -> list:
    return [
        f for f in report.findings
        if f.rule.startswith(prefixes) and f.severity in ("error", "warning") and _names(f, text)
    ]


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box, page_rect, tol: float = 1.0) -> bool:
    return (box[0] >= page_rect[0] - tol and box[1] >= page_rect[1] - tol
            and box[2] <= page_rect[2] + tol and box[3] <= page_rect[3] + tol)


def _reader_text(path: Path, page: int) -> str:
    """What budgetdoc's reader sees on one page (cells kept apart, spaces dropped)."""
    return "\n".join(ln.text.replace(" ", "") for ln in load_doc(path).lines() if ln.page == page)


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, Edit]:
    """Every edited variant, built once (each edit saves a copy of a 2-3 MB sample)."""
    if not all(SAMPLE[n].is_file() for n in ("planning", "social")):
        pytest.skip("sample PDFs not available")
    out = tmp_path_factory.mktemp("pdf-variants")
    return {
        cid: replace_text(SAMPLE[name], out / f"{cid}.pdf", page, old, new, anchor=anchor)
        for cid, name, page, old, new, anchor, _, _ in CASES
    }


@needs_samples
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_variant_reads_the_new_text(variants: dict[str, Edit], case: tuple) -> None:
    cid, name, page, old, new, _, _, _ = case
    edit = variants[cid]
    before, after = _reader_text(SAMPLE[name], page), _reader_text(edit.path, page)
    assert after.count(new) == before.count(new) + 1, after
    assert after.count(old) == before.count(old) - 1, after
    raw_before, raw_after = page_text(SAMPLE[name], page), page_text(edit.path, page)
    assert raw_after.count(new) == raw_before.count(new) + 1
    assert raw_after.count(old) == raw_before.count(old) - 1
    # nothing else on the page moved: the other pages read as before
    for other in (page - 1, page + 1):
        assert _reader_text(edit.path, other) == _reader_text(SAMPLE[name], other)


@needs_samples
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_injected_defect_is_found_where_it_is(variants: dict[str, Edit], case: tuple) -> None:
    cid, name, page, _, new, _, prefixes, named = case
    edit = variants[cid]
    found = _named(check_doc(edit.path), prefixes, named)
    assert found, f"no {prefixes} finding names {named!r}"
    here = [f for f in found if f.location.page == page]
    assert here, [(f.rule, f.location.page, f.message) for f in found]
    for f in here:
        assert f.severity == "error", f.message
        assert f.location.bbox is not None and _inside(f.location.bbox, edit.page_rect), f.location
    # the finding marks the edited text: its own box, or the box of a cell it names as related
    boxes = [f.location.bbox for f in here] + [r.bbox for f in here for r in f.related if r.page == page and r.bbox]
    assert any(_overlaps(b, edit.rect) for b in boxes), (edit.rect, boxes)
    if prefixes[0].startswith("IDN"):
        # one defect, one finding: a changed year or name does not make other headings look wrong
        assert len(_named(check_doc(edit.path), ("IDN",), named)) == 1


@needs_samples
@pytest.mark.parametrize("name", ["planning", "social"])
def test_untouched_sample_is_as_pinned_and_names_no_injected_value(name: str) -> None:
    report = check_doc(SAMPLE[name])
    assert _pinned(report) == sorted(KNOWN[name], key=str)
    for cid, sample, page, _, _, _, prefixes, named in CASES:
        if sample == name:
            assert not [f for f in _named(report, prefixes, named) if f.location.page == page], cid


@needs_samples
@pytest.mark.parametrize("how", ["deleted", "cleared"])
@pytest.mark.parametrize("removed", REMOVED, ids=[f"{r[0]}-{r[1]}" for r in REMOVED])
def test_removed_table_is_reported_at_its_toc_entry(tmp_path: Path, removed: tuple, how: str) -> None:
    name, key, pages, title = removed
    out = tmp_path / f"{name}-no-{key}-{how}.pdf"
    (drop_pages if how == "deleted" else clear_pages)(SAMPLE[name], out, pages)
    assert key in {t.key for t in load_doc(SAMPLE[name]).tables}
    assert key not in {t.key for t in load_doc(out).tables}
    report = check_doc(out)
    missing = [f for f in report.findings if f.rule in ("CMP001", "CMP002") and title in f.message]
    assert len(missing) == 1, [f.message for f in missing]
    f = missing[0]
    assert f.severity == "error" and f.location.table == key
    # the 目录 entry that promises the table
    with pymupdf.open(str(out)) as pdf:
        entries = [(no + 1, tuple(r), tuple(pdf[no].rect)) for no in (1, 2) for r in pdf[no].search_for(title)]
    assert len(entries) == 1, entries
    toc_page, rect, page_rect = entries[0]
    assert f.location.page == toc_page
    assert _inside(f.location.bbox, page_rect) and _overlaps(f.location.bbox, rect), (f.location.bbox, rect)
    assert not [g for g in check_doc(SAMPLE[name]).findings if g.rule in ("CMP001", "CMP002")]
