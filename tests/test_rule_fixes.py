"""Rule fixes of issue 14 (REL001 三公 vs 基本支出, CMP003 with the zero stated in the narrative, one finding
per defect), each on a variant of a real document built in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED, check_doc, pinned_elsewhere

REAL = SHARED / "real"
CITYMGMT = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="shared/real not present")


def _edit(tmp_path: Path, src: Path, *pairs: tuple[str, str], name: str = "variant.txt") -> Path:
    text = src.read_text("utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    out = tmp_path / name
    out.write_text(text, "utf-8")
    return out


def _loud(findings, rule: str | None = None):
    return [f for f in findings.findings if f.severity != "info" and (rule is None or f.rule == rule)
            and not pinned_elsewhere(f)]  # the content rules' findings are pinned in test_content_rules.py


# ------------------------------------------------------------------ REL001: 三公 covers project spending too


@needs_real
def test_sangong_above_the_basic_item_is_normal(tmp_path: Path) -> None:
    """The budget's 三公 公务接待费 (0.46 万元) above the 基本支出 table's 30217 (now 3,600 元): project money
    pays the rest. The 基本支出 table still adds up (专用材料费 takes the 1,000 元)."""
    path = _edit(
        tmp_path, CITYMGMT,
        ("302 17 公务接待费 4,600 4,600", "302 17 公务接待费 3,600 3,600"),
        ("302 18 专用材料费 111,000 111,000", "302 18 专用材料费 112,000 112,000"),
    )
    assert _loud(check_doc(path)) == []


@needs_real
def test_sangong_below_the_basic_item_is_a_warning(tmp_path: Path) -> None:
    path = _edit(
        tmp_path, CITYMGMT,
        ("302 17 公务接待费 4,600 4,600", "302 17 公务接待费 5,600 5,600"),
        ("302 18 专用材料费 111,000 111,000", "302 18 专用材料费 110,000 110,000"),
    )
    found = _loud(check_doc(path))
    assert [(f.rule, f.severity) for f in found] == [("REL001", "warning")], found
    assert "5,600.00" in found[0].message and "4,600.00" in found[0].message  # 0.46 万元 in 元


# ------------------------------------------------------------------ CMP003: the zero stated in the narrative

COMMERCE_UNIT = REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf"


@needs_real
def test_empty_table_without_note_but_zero_in_the_narrative_is_a_warning(tmp_path: Path) -> None:
    """The 政府性基金 table printed empty without its note; the 预算编制说明 says “政府性基金拨款支出预算0万元”:
    the reader is told there is no such money, the note belongs under the table (a warning, as for 决算)."""
    from pdf_edit import replace_text

    edit = replace_text(COMMERCE_UNIT, tmp_path / "no-note.pdf", 17,
                        "注:本单位2025年无政府性基金预算财政拨款安排的预算，故本表为空表。", "")
    found = _loud(check_doc(edit.path))
    assert [(f.rule, f.severity, f.location.table) for f in found] == [("CMP003", "warning", "B8")], found
    assert _loud(check_doc(COMMERCE_UNIT)) == []


# ------------------------------------------------------------------ one defect, one finding


@needs_real
def test_wrong_comparison_year_is_one_finding(tmp_path: Path) -> None:
    """“比2025年预算增加” in a 2025 budget: IDN005 (a year that is not the one before) and NAR013 (the
    comparison's year) see the same slip; NAR013, which read the statement, owns it."""
    from pdf_edit import replace_text

    edit = replace_text(COMMERCE_UNIT, tmp_path / "year.pdf", 7,
                        "公共预算拨款支出预算37,151.47万元，比2024年", "公共预算拨款支出预算37,151.47万元，比2025年")
    found = _loud(check_doc(edit.path))
    assert [(f.rule, f.severity, f.expected, f.actual) for f in found] == [("NAR013", "error", "2024", "2025")]
    assert "比2025年预算" in found[0].message and found[0].location.page == 7
    # each rule alone still finds it
    from budgetdoc.check import check
    from conftest import load_doc

    for rule in ("IDN005", "NAR013"):
        assert [f.rule for f in check(load_doc(edit.path), select=[rule]).findings if f.severity == "error"] == [rule]


# ------------------------------------------------------------------ NAR rules act only on numbers read without doubt

SANGONG = "2026年“三公”经费预算数为114.22万元，比2025年预算增加27万元。"


@needs_real
@pytest.mark.parametrize("shape, why", [
    # a running header put between the two halves of a number at a page break: “114.2” / header / “2万元”
    ("2026年“三公”经费预算数为114.2\n普陀区城市管理行政执法局\n2万元，比2025年预算增加27万元。", "被换行截断"),
    # a year left on the line before the amount: “…预算数为2026” / “114.22万元”
    ("2026年“三公”经费预算数为2026\n114.22万元，比2025年预算增加27万元。", "年份与金额连在一起"),
    # the year glued to the amount on one line
    ("2026年“三公”经费预算数为2026114.22万元，比2025年预算增加27万元。", "年份与金额连在一起"),
])
def test_a_number_read_in_doubt_is_said_once_and_not_checked(tmp_path: Path, shape: str, why: str) -> None:
    path = _edit(tmp_path, CITYMGMT, (SANGONG, shape))
    found = _loud(check_doc(path))
    assert [(f.rule, f.severity) for f in found] == [("REC001", "warning")], found
    assert why in found[0].message and "不核对" in found[0].message
    assert _loud(check_doc(CITYMGMT)) == []
