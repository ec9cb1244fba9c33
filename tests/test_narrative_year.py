"""IDN005: a narrative clause with this year's table amount names this fiscal year."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE, SEED, check_doc, needs_samples, needs_seeds, variant


def _idn005(report) -> list:
    return [f for f in report.findings if f.rule == "IDN005"]


@needs_seeds
@pytest.mark.parametrize("seed", sorted(SEED))
def test_seeds_are_quiet(seed: str) -> None:
    assert _idn005(check_doc(SEED[seed])) == []


@needs_samples
@pytest.mark.parametrize("name", ["planning", "social"])
def test_samples_are_quiet(name: str) -> None:
    assert _idn005(check_doc(SAMPLE[name])) == []


@needs_seeds
def test_wrong_year_on_a_current_amount(tmp_path: Path) -> None:
    path = variant(tmp_path, "000", "2023 年度收、支总计1,466.86万元", "2022 年度收、支总计1,466.86万元")
    found = _idn005(check_doc(path))
    assert len(found) == 1
    assert found[0].location.line == 650 and found[0].actual == "2022" and found[0].expected == "2023"


@needs_seeds
def test_another_years_amount_is_not_reported(tmp_path: Path) -> None:
    # a clause about last year with last year's amount (not printed in this year's tables) is legitimate
    path = variant(tmp_path, "002", "2026年项目支出292.69万元", "2025年项目支出280.11万元")
    assert _idn005(check_doc(path)) == []
    (tmp_path / "b").mkdir()
    path = variant(tmp_path / "b", "002", "2026年项目支出292.69万元", "2025年项目支出292.69万元")
    assert len(_idn005(check_doc(path))) == 1


@needs_seeds
@pytest.mark.parametrize(
    "seed,old,new,expected",
    [
        ("000", "与 2022 年度相比，收", "与 2023 年度相比，收", "2022"),  # compared with itself
        ("000", "截至 2023 年12月31日", "截至 2022 年12月31日", "2023"),  # assets at the fiscal year's end
        ("002", "说明：2026年无政府性基金预算安排支出", "说明：2025年无政府性基金预算安排支出", "2026"),
        ("004", "第四部分 2021 年重点工作完成情况", "第四部分 2020 年重点工作完成情况", "2021"),
        ("000", "项目名称 2023年度人社信息系统化建设项目", "项目名称 2022年度人社信息系统化建设项目", "2023"),
    ],
)
def test_other_dated_places(tmp_path: Path, seed: str, old: str, new: str, expected: str) -> None:
    found = _idn005(check_doc(variant(tmp_path, seed, old, new)))
    assert len(found) == 1, [f.message for f in found]
    assert found[0].expected == expected and found[0].severity == "error"
