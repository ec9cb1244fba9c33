"""IDN006: the unit's own name written the same way throughout the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetdoc.check.rules.unit_name_text import near_misses
from conftest import SEED, check_doc, needs_seeds, variant

NAME = "武汉市黄陂区人力资源和社会保障信息中心"


def _idn006(report) -> list:
    return [f for f in report.findings if f.rule == "IDN006"]


def test_near_misses() -> None:
    assert near_misses(f"{NAME}主要承担", NAME) == []
    assert near_misses("武汉市黄浦区人力资源和社会保障信息中心主要承担", NAME) == ["武汉市黄浦区人力资源和社会保障信息中心"]
    assert near_misses("黄浦区人力资源和社会保障信息中心为", NAME) == ["黄浦区人力资源和社会保障信息中心"]
    assert near_misses("黄陂区人力资源和社会保障信息中心为", NAME) == []  # the short form is the name
    assert near_misses("武汉市人力资源和社会保障局信息中心", NAME) == []  # another unit, not a slip
    assert near_misses("人力资源和社会保障数据中心", NAME) == []  # two characters: another unit


@given(st.text(alphabet="的和与了区市局中心", max_size=30), st.text(alphabet="的和与了区市局中心", max_size=30))
def test_the_exact_name_is_never_a_miss(before: str, after: str) -> None:
    assert near_misses(before + NAME + after, NAME) == []


@needs_seeds
@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_seeds_are_quiet(seed: str) -> None:
    assert _idn006(check_doc(SEED[seed])) == []


@needs_seeds
def test_seed_004_form_names_the_wrong_district() -> None:
    found = _idn006(check_doc(SEED["004"]))
    assert [(f.location.line, f.actual) for f in found] == [(451, "黄浦区人力资源和社会保障信息中心")]


@needs_seeds
def test_one_slip_in_the_narrative(tmp_path: Path) -> None:
    path = variant(tmp_path, "000", "武汉市人力资源和社会保障信息中心政府采购支出", "武汉市人力资源与社会保障信息中心政府采购支出")
    found = _idn006(check_doc(path))
    assert len(found) == 1 and found[0].actual == "武汉市人力资源与社会保障信息中心"


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@given(st.text(alphabet="和与区市局中心黄陂浦", max_size=8), st.text(alphabet="和与区市局中心黄陂浦", max_size=8))
def test_capped_edit_count_agrees_with_levenshtein(a: str, b: str) -> None:
    from budgetdoc.check.rules.unit_name_text import _edits

    assert _edits(a, b) == min(_levenshtein(a, b), 2)
