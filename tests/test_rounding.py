"""The rounding envelope (check/tolerance.py): one place, in the table's unit.

A 万元 table rounds every amount to 0.01 万元, a 元 table to whole yuan, so the envelope of a sum of n printed
amounts is about n × 0.005 万元 there and n × 0.5 元 here: a 1-yuan difference in a 元 document is rounding
residue (info), not an error.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.check import check
from budgetdoc.check.tolerance import classify, convert, envelope, envelope_of, step
from budgetdoc.model import Cell, Column, Disclosure, Identity, Row, Table
from conftest import SHARED, load_doc_or_skip


def test_step_by_unit() -> None:
    assert step("万元") == D("0.01")
    assert step("元") == D("1")
    assert step(None) == D("0.01")  # the default unit of a disclosure is 万元


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (1, "万元", D("0.01")),
        (3, "万元", D("0.020")),
        (9, "万元", D("0.050")),
        (1, "元", D("1")),
        (3, "元", D("2.0")),
        (9, "元", D("5.0")),
    ],
)
def test_envelope_is_n_plus_one_half_steps(n: int, unit: str, expected: D) -> None:
    assert envelope(n, unit) == expected


def test_classify_in_yuan_and_wan() -> None:
    assert classify(D(0), 3, "元") is None
    assert classify(D(1), 3, "元") == "residue"
    assert classify(D(-2), 3, "元") == "residue"
    assert classify(D(5), 3, "元") == "real"
    # the same 1.00 in a 万元 table is ten thousand yuan: a real difference
    assert classify(D(1), 3, "万元") == "real"
    assert classify(D("0.02"), 3, "万元") == "residue"
    assert classify(D("0.03"), 3, "万元") == "real"


def test_convert_and_mixed_envelope() -> None:
    assert convert(D("12345"), "元", "万元") == D("1.2345")
    assert convert(D("1.23"), "万元", "元") == D("12300")
    assert convert(D("7"), "万元", "万元") == D("7")
    # a 万元 amount (rounded to 0.01 万元 = 100 元) against a 元 amount (rounded to 1 元), compared in 元:
    # half of 100 plus half of 1
    assert envelope_of(["万元", "元"], "元") == D("50.5")
    assert envelope_of(["万元", "元"], "万元") == D("0.01")  # never less than one step of the unit compared in


def _t5(unit: str, parent: D, children: list[D]) -> Disclosure:
    """A 一般公共预算财政拨款支出决算表 (T5, with the code hierarchy identity) of one 类 and its 款."""
    cols = [Column(id="total", label="小计"), Column(id="basic", label="基本支出"), Column(id="project", label="项目支出")]

    def row(code: str, v: D) -> Row:
        return Row(code=code, key=code, name=f"科目{code}", cells=[Cell(column="total", value=v),
                                                                   Cell(column="basic", value=v)])

    rows = [row("201", parent)] + [row(f"2010{i + 1}", v) for i, v in enumerate(children)]
    table = Table(key="T5", title="一般公共预算财政拨款支出决算表", unit=unit, columns=cols, rows=rows)
    return Disclosure(source="hand-built.txt", identity=Identity(kind="决算", year=2023, unit=unit), tables=[table])


@pytest.mark.parametrize(("unit", "diff", "severity"), [("元", D(1), "info"), ("元", D(5), "error"),
                                                        ("万元", D("0.01"), "info"), ("万元", D(1), "error")])
def test_parent_against_three_children(unit: str, diff: D, severity: str) -> None:
    children = [D("1000"), D("2000"), D("3000")]
    doc = _t5(unit, sum(children) + diff, children)
    found = [f for f in check(doc, select=["ARI003"]).findings if f.location.row == "201"]
    assert found and {f.severity for f in found} == {severity}, [f.message for f in found]


def test_relation_between_tables_in_different_units() -> None:
    """T4 (元) against T5 (万元): the amounts are converted before they are compared."""
    t4_cols = [Column(id="amount", label="合计"), Column(id="general", label="一般公共预算财政拨款")]
    t4 = Table(key="T4", title="财政拨款收入支出决算总表", unit="元", columns=t4_cols, rows=[
        Row(code="201", key="201", name="一般公共服务支出", part="支出",
            cells=[Cell(column="amount", value=D("1234567")), Cell(column="general", value=D("1234567"))]),
    ])
    t5 = _t5("万元", D("123.46"), [D("123.46")])
    doc = Disclosure(source="hand-built.txt", identity=Identity(kind="决算", year=2023, unit="元"),
                     tables=[t4, t5.tables[0]])
    rel = [f for f in check(doc, select=["REL001"]).findings if f.location.row == "201"]
    assert [f.severity for f in rel] == ["info"], [f.message for f in rel]
    assert "折算" in rel[0].message
    t5.tables[0].rows[0].cells[0].value = D("124.46")  # 10,000 元 apart: a real difference
    rel = [f for f in check(doc, select=["REL001"]).findings if f.location.row == "201"]
    assert [f.severity for f in rel] == ["error"], [f.message for f in rel]


CITYMGMT = SHARED / "real" / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
PARENT = "208 05 行政事业单位养老支出 6,103,096 6,103,096"


@pytest.mark.parametrize(("printed", "severity"), [("6,103,097", "info"), ("6,103,101", "error")])
def test_yuan_document_variant(tmp_path: Path, printed: str, severity: str) -> None:
    """A real 元 document: the 款 20805 printed 1 元 (rounding residue) or 5 元 (an error) above the sum of
    its four 项."""
    if not CITYMGMT.exists():
        pytest.skip(f"{CITYMGMT} not present")
    text = CITYMGMT.read_text("utf-8")
    assert PARENT in text
    out = tmp_path / "citymgmt-variant.txt"
    out.write_text(text.replace(PARENT, f"208 05 行政事业单位养老支出 {printed} {printed}", 1), "utf-8")
    doc = load_doc_or_skip(out)
    found = [f for f in check(doc, select=["ARI003"]).findings if f.location.row == "20805"]
    if not found and doc.table("B3") is None:
        pytest.skip("the 支出总表 of this document is not recognised yet")
    assert found and {f.severity for f in found} == {severity}, [f.message for f in found]


# ------------------------------------------------------------------ percentages


def _round(x: D, places: int, how: str = "ROUND_HALF_UP") -> D:
    return x.quantize(D(1).scaleb(-places), rounding=how)


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 10**9), st.integers(1, 10**9), st.integers(0, 2))
def test_a_percentage_rounded_from_the_true_amounts_is_never_called_wrong(a: int, b: int, places: int) -> None:
    """The writer divides the true amounts (in yuan) and rounds the percentage; the document prints both
    amounts rounded to 0.01 万元. Whatever they are, that percentage agrees with the printed amounts; cut
    instead of rounded it is at most a warning; one unit above its rounding (where the amounts cannot
    explain it) is an error."""
    from budgetdoc.check.rules.narrative_analysis import rate_verdict

    num, den = D(min(a, b)), D(max(a, b))  # yuan; a share or a rate of at most 100 %
    printed_num, printed_den = _round(num / 10000, 2), _round(den / 10000, 2)
    if printed_den == 0:
        return
    true = num / den * 100
    half = D("0.005")
    stated = _round(true, places)
    assert rate_verdict(stated, printed_num, printed_den, places, half, half) is None
    cut = _round(true, places, "ROUND_DOWN")
    assert rate_verdict(cut, printed_num, printed_den, places, half, half) in (None, "warning")
    computed = printed_num / printed_den * 100
    lo = (printed_num - half) / (printed_den - half) * 100 if printed_den > half else None
    high = (printed_num + half) / (printed_den - half) * 100 if printed_den > half else None
    above = stated + D(1).scaleb(-places)
    if lo is not None and lo > 0 and above - D(1).scaleb(-places) / 2 > high:
        assert rate_verdict(above, printed_num, printed_den, places, half, half) == "error", (computed, above)
