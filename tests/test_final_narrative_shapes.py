"""The 决算 narrative of the Shanghai template (samples planning and social-work) checked against the tables:
“收入支出总计X万元” (表1 总计), “财政拨款收入支出总计X万元” (表4 总计), and the per-item comparison word opening
the sentence after an execution statement (“决算数小于预算数的主要原因”, “决算数同预算数持平”). Each defect
is injected into a copy of a sample PDF and found exactly once; the untouched samples stay as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE, check_doc, needs_samples, pinned_elsewhere


def _new(path: Path, original: Path) -> list:
    """The findings (warnings and errors) of ``path`` that ``original`` does not have."""
    before = {(f.rule, f.message) for f in check_doc(original).findings}
    return [f for f in check_doc(path).findings if f.severity != "info" and (f.rule, f.message) not in before]


def _edit(tmp_path: Path, sample: str, page: int, anchor: str | None, old: str, new: str) -> Path:
    """``old`` replaced on the (first) line of ``page`` holding ``anchor`` (the page, when None)."""
    import pymupdf

    from pdf_edit import band, replace_text

    clip = None
    if anchor is not None:
        with pymupdf.open(SAMPLE[sample]) as pdf:
            clip = band(pdf[page - 1], anchor)
    return replace_text(SAMPLE[sample], tmp_path / f"{sample}.pdf", page, old, new, clip=clip).path


@needs_samples
def test_untouched_samples_keep_their_findings() -> None:
    loud = {k: sorted((f.rule, f.severity) for f in check_doc(SAMPLE[k]).findings
                  if f.severity != "info" and not pinned_elsewhere(f))
            for k in ("planning", "social")}
    assert loud["social"] == []
    # (the two NAR002/NAR004 warnings: rates cut at their last digit, annotated in test_sample_findings.py)
    assert loud["planning"] == [("IDN001", "error"), ("IDN006", "error"), ("NAR001", "error"), ("NAR001", "error"),
                                ("NAR001", "warning"), ("NAR002", "warning"), ("NAR004", "warning"),
                                ("REL001", "warning")]


@needs_samples
def test_total_of_income_and_spending_against_table_1(tmp_path: Path) -> None:
    """“…2024 年度收入支出总计0 万元” while 表1 总计 is 9,859.38."""
    path = _edit(tmp_path, "planning", 20, None, "9859.38", "0")
    found = _new(path, SAMPLE["planning"])
    assert [(f.rule, f.severity, f.expected, f.actual) for f in found] == [("NAR001", "error", "9,859.38", "0.00")]
    assert found[0].location.page == 20 and "表T1" in found[0].message


@needs_samples
def test_fiscal_total_against_table_4(tmp_path: Path) -> None:
    """“…财政拨款收入支出总计0.3 万元” while 表4 总计 is 307.82 (before: read as 财政拨款收入 of 表2, or not at all)."""
    path = _edit(tmp_path, "social", 17, "财政拨款收入支出总计增加", "307.82", "0.3")
    found = _new(path, SAMPLE["social"])
    assert [(f.rule, f.severity, f.location.table or "", f.expected) for f in found] == [
        ("NAR001", "error", "", "307.82")], found
    assert "表T4" in found[0].message and "0.3" in found[0].message


@needs_samples
@pytest.mark.parametrize("sample, page, anchor, old, new, truth", [
    # “年初预算为452.40万元，支出决算为446.11万元，完成年初预算的98.61%。决算数小于预算数的主要原因…”
    ("planning", 22, "98.61%", "小于", "大于", "小于"),
    ("planning", 22, "98.61%", "小于", "等于", "小于"),
    # “年初预算为28.11万元，支出决算为28.11万元，完成年初预算的100.00%。决算数同预算数持平。”
    ("planning", 22, "决算数同预算数持平", "同预算数持平", "大于预算数", "等于"),
    # “全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。决算数小于全年预算数…”
    ("social", 18, "98.69%", "小于", "大于", "小于"),
])
def test_comparison_word_of_an_item_after_its_execution_sentence(tmp_path: Path, sample, page, anchor, old, new,
                                                                truth) -> None:
    path = _edit(tmp_path, sample, page, anchor, old, new)
    found = _new(path, SAMPLE[sample])
    assert [(f.rule, f.severity, f.expected) for f in found] == [("NAR005", "error", truth)], found
    assert found[0].location.page == page
