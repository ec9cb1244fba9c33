"""CLS003: the class rows of the summary tables, each once and in the national list's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetdoc.check.rules.class_order import _longest_increasing
from conftest import SAMPLE, SEED, check_doc, needs_samples, needs_seeds, variant


def _cls003(report) -> list:
    return [f for f in report.findings if f.rule == "CLS003"]


def test_longest_increasing_drops_the_odd_one() -> None:
    codes = ["201", "202", "205", "204", "206", "208"]
    assert sorted(_longest_increasing(codes)) in ([0, 1, 2, 4, 5], [0, 1, 3, 4, 5])
    assert _longest_increasing([]) == set()


@needs_seeds
@pytest.mark.parametrize("seed", sorted(SEED))
def test_seeds_are_quiet(seed: str) -> None:
    assert _cls003(check_doc(SEED[seed])) == []


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE))
def test_samples_are_quiet(name: str) -> None:
    assert _cls003(check_doc(SAMPLE[name])) == []


@needs_seeds
@pytest.mark.parametrize(
    "seed,old,new,table",
    [
        ("000", "一 、一般公共预算财政拨款收入 1 1466.86 一、一般公共服务支出 32",
         "一 、一般公共预算财政拨款收入 1 1466.86 一、教育支出 32", "T1"),
        ("002", "（十）农林水支出", "（十）预备费", "B4"),
        ("003", "六、经营收入 6 六、科学技术支出 37", "六、经营收入 6 六、外交支出 37", "T1"),
    ],
)
def test_a_changed_class_name_is_found_where_it_is(tmp_path: Path, seed: str, old: str, new: str, table: str) -> None:
    found = _cls003(check_doc(variant(tmp_path, seed, old, new)))
    assert len(found) == 1
    assert found[0].location.table == table and found[0].severity == "error"
    assert new.split("、")[-1].split(" ")[0] in found[0].message
