"""One defect injected into a real seed is found and named; the untouched seed does not name it.

Each case edits a copy of a seed in a temporary directory (never the seed itself): an amount changed in a
table, in the narrative or in a performance form; a code's name changed; a table removed; the unit's
name or the year changed in one place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, check_doc, needs_seeds, variant, without

CASES = [
    # id, seed, old, new, nth, the text a finding must name, rule-id prefix
    ("table-amount", "003", "208 社会保障和就业支出 1,703.45 1,703.45", "208 社会保障和就业支出 1,713.45 1,713.45",
     1, "1,713.45", "ARI"),
    ("narrative-amount", "000", "基本支出830.68万", "基本支出830.86万", 1, "830.86", "NAR"),
    ("performance-score", "000", "2,305.94 1,466.86 63.6% 12.72", "2,305.94 1,466.86 63.6% 14.72",
     1, "14.72", "PRF"),
    ("code-name", "003", "2101103 公务员医疗补助 118.24 118.24", "2101103 行政单位医疗 118.24 118.24",
     1, "行政单位医疗", "CLS"),
    ("unit-name", "003", "单位：武汉市社会保险中心 单位：万元", "单位：武汉市社会保障中心 单位：万元",
     3, "武汉市社会保障中心", "IDN"),
    ("heading-year", "003", "2022 年度支出决算表（表 3）", "2021 年度支出决算表（表 3）", 1, "2021", "IDN"),
    ("part-heading-year", "003", "第二部分 武汉市社会保险中心 2022 年度", "第二部分 武汉市社会保险中心 2023 年度",
     1, "2023", "IDN"),
    ("part-heading-name", "003", "第一部分 武汉市社会保险中心概况", "第一部分 武汉市社会保障中心概况", 1,
     "武汉市社会保障中心", "IDN"),
    ("wrapped-part-heading-name", "000", "第二部分 武汉市人力资源和社会保障信息中", "第二部分 武汉市人力资源和社会保障技术中",
     1, "技术中", "IDN"),
    ("title-name", "002", "# 武汉市人力资源和社会保障信息中心 2026 年单位预算", "# 武汉市人力资源和社会保障服务中心 2026 年单位预算",
     1, "服务中心", "IDN"),
    ("title-year", "002", "# 武汉市人力资源和社会保障信息中心 2026 年单位预算",
     "# 武汉市人力资源和社会保障信息中心 2025 年单位预算", 1, "2025", "IDN"),
    ("narrative-year", "000", "2023 年度收、支总计1,466.86万元", "2022 年度收、支总计1,466.86万元", 1, "2022", "IDN"),
    ("narrative-year-budget", "002", "2026年项目支出292.69万元", "2025年项目支出292.69万元", 1, "2025", "IDN"),
]


def _named(report, text: str, prefix: str) -> list:
    return [
        f for f in report.findings
        if f.severity in ("error", "warning") and f.rule.startswith(prefix)
        and (text in f.message or text == f.actual)
    ]


@needs_seeds
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_injected_defect_is_found(tmp_path: Path, case: tuple) -> None:
    _, seed, old, new, nth, named, prefix = case
    path = variant(tmp_path, seed, old, new, nth=nth)
    report = check_doc(path)
    found = _named(report, named, prefix)
    assert found, f"no {prefix} finding names {named!r}"
    if prefix == "IDN":
        # one defect, one place: a changed year or name must not make every other heading look wrong
        assert len(found) == 1, [f.message for f in found]
    assert not _named(check_doc(SEED[seed]), named, prefix), "the untouched seed must not name it"
    for f in found:
        assert f.location.line is not None or f.location.table is not None


@needs_seeds
def test_removed_table_is_reported(tmp_path: Path) -> None:
    out = without(
        tmp_path,
        "003",
        "2022 年度国有资本经营预算财政拨款支出决算表（表 8）",
        "2022 年度财政拨款“三公”经费支出决算表（表 9）",
        "003-no-T8.txt",
    )
    report = check_doc(out)
    missing = [f for f in report.findings if f.rule.startswith("CMP") and "国有资本经营" in f.message]
    assert len(missing) == 1 and missing[0].severity == "error"
    assert not [f for f in check_doc(SEED["003"]).findings if f.rule.startswith("CMP00") and "缺少" in f.message]
