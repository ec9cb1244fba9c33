"""What ``check`` reports on the real published PDFs, pinned finding by finding.

Each warning and error was read against the rendered page by a person; info findings are rounding
residue only. A new finding here is either a true one (add it with why) or a false alarm (fix the rule).
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import SAMPLE, check_doc, needs_samples, pinned_elsewhere

KNOWN = {
    "planning": [
        ("IDN001", "error", 7, 1),  # tables part heading names 上海市规划和自然资源局 (the city bureau)
        ("REL001", "warning", 9, 3),  # 2120101 income 1,092.80 vs spending 1,105.68: carry-over spent
        ("NAR001", "warning", 21, 10),  # 卫生健康支出 236.63 vs 表5 236.64: one cent (表1/表4 print 236.63)
        ("NAR001", "error", 24, 14),  # 一般公共预算财政拨款基本支出 5,377.64 vs 表5 5,364.75
        ("NAR001", "error", 24, 15),  # 人员经费 4,896.98 vs 表6 人员经费合计 4,884.09
        ("IDN006", "error", 26, 5),  # “上海市普陀区规划与自然资源局” three times on page 26
        # 9,746.50 ÷ 9,759.38 = 99.868%, printed “占本年支出合计的99.86%”; 9,746.50 ÷ 10,210.34 = 95.457%,
        # printed “完成年初预算的95.45%”: cut at the last digit, not rounded (a warning: the digits are true)
        ("NAR002", "warning", 21, 3),
        ("NAR004", "warning", 21, 15),
    ],
    "social": [],
}


def _pinned(report) -> list[tuple]:
    return sorted(
        ((f.rule, f.severity, f.location.page, f.location.line) for f in report.findings
         if f.severity != "info" and not pinned_elsewhere(f)),
        key=str,
    )


@needs_samples
@pytest.mark.parametrize("name", sorted(KNOWN))
def test_sample_findings_are_exactly_the_known_ones(name: str) -> None:
    report = check_doc(SAMPLE[name])
    assert _pinned(report) == sorted(KNOWN[name], key=str)
    for f in report.findings:
        assert f.location.page is not None and f.location.bbox is not None, f.message
        if f.severity == "info" and not pinned_elsewhere(f):
            assert "尾差" in f.message, f.message


@needs_samples
def test_template_reports_its_placeholders_and_empty_tables() -> None:
    report = check_doc(SAMPLE["template"])
    counts = Counter((f.rule, f.severity) for f in report.findings if not pinned_elsewhere(f))
    assert counts[("IDN003", "error")] >= 100  # XX 局, XXXX, “填写”, “（如持平作持平表述）” …
    empty = sorted(f.location.table for f in report.findings if f.rule == "CMP003")
    assert empty == ["T1", "T2", "T3", "T4", "T5", "T6", "T9"]  # T7/T8 carry the template's “说明”
    assert set(counts) <= {("IDN003", "error"), ("CMP003", "error"), ("CMP003", "warning")}
    xx = [f for f in report.findings if f.rule == "IDN003" and "上海市XX 局" in f.message]
    assert xx and xx[0].location.page == 1
