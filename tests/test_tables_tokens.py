"""The table-line tokenizer: amounts, codes, glued cells, spaces inside numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetdoc.recognise.tables.tokens import (
    DASH,
    ID,
    INT,
    NUM,
    WORD,
    amount,
    cell_tokens,
    split_glued,
    tokenize,
)

amounts = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False)
economic_codes = st.sampled_from(
    ["30101", "30201", "30217", "30231", "31002", "31003", "31013", "30399", "302", "310"]
)
functional_codes = st.sampled_from(["208", "20801", "2080108", "2101199", "221", "2210203"])
names = st.sampled_from(["专用设备购置", "一、一般公共服务支出", "总计", "信息化建设", "福利费"])


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(text)]


@given(amounts)
def test_thousands_separators_round_trip(value):
    text = f"{value:,.2f}"
    toks = tokenize(text)
    assert [t.kind for t in toks] == [NUM]
    assert toks[0].value == value


@given(amounts, st.sampled_from(["{}, {}", "{} ,{}"]))
def test_space_after_thousands_comma_is_inside_the_number(value, layout):
    text = f"{value:,.2f}"
    if "," not in text:
        return
    head, _, tail = text.partition(",")
    spaced = layout.format(head, tail).replace(" ,", ",") if layout == "{} ,{}" else layout.format(head, tail)
    toks = tokenize(spaced)
    assert [t.kind for t in toks] == [NUM]
    assert toks[0].value == value


@given(amounts, st.sampled_from([1, 2]), economic_codes | functional_codes, names)
def test_amount_glued_to_code_splits(value, decimals, code, name):
    printed = f"{value:,.{decimals}f}"
    toks = tokenize(f"{printed}{code} {name}")
    assert [t.kind for t in toks] == [NUM, INT, WORD]
    assert toks[0].text == printed
    assert toks[0].value == Decimal(printed.replace(",", ""))
    assert toks[1].text == code
    assert toks[2].text == name.replace(" ", "")


@given(amounts, names)
def test_amount_glued_to_text_splits(value, name):
    printed = f"{value:,.2f}"
    toks = tokenize(f"{printed}{name}")
    assert [(t.kind, t.text) for t in toks] == [(NUM, printed), (WORD, name)]


@given(st.lists(amounts, min_size=1, max_size=12))
def test_a_row_of_amounts_keeps_every_amount_in_order(values):
    text = " ".join(f"{v:,.2f}" for v in values)
    assert [t.value for t in tokenize(text)] == values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "一、一般公共预算财政拨款收入 1 2,132.07一、一般公共服务支出 32",
            [
                (WORD, "一、一般公共预算财政拨款收入"),
                (INT, "1"),
                (NUM, "2,132.07"),
                (WORD, "一、一般公共服务支出"),
                (INT, "32"),
            ],
        ),
        (
            "30102 津贴补贴 286.49 30202 印刷费 0.0331003 专用设备购置 0.94",
            [
                (INT, "30102"),
                (WORD, "津贴补贴"),
                (NUM, "286.49"),
                (INT, "30202"),
                (WORD, "印刷费"),
                (NUM, "0.03"),
                (INT, "31003"),
                (WORD, "专用设备购置"),
                (NUM, "0.94"),
            ],
        ),
        (
            "30307 医疗费补助 17.230227 委托业务费",
            [(INT, "30307"), (WORD, "医疗费补助"), (NUM, "17.2"), (INT, "30227"), (WORD, "委托业务费")],
        ),
        ("一 、一般公共预算财政拨款收入 1", [(WORD, "一、一般公共预算财政拨款收入"), (INT, "1")]),
        ("30111 公务员医疗补助缴 费 30209", [(INT, "30111"), (WORD, "公务员医疗补助缴费"), (INT, "30209")]),
        ("2023年度收入决算表", [(WORD, "2023年度收入决算表")]),
        (
            "42010026503Y000000101 人社信息系统运维项目",
            [(ID, "42010026503Y000000101"), (WORD, "人社信息系统运维项目")],
        ),
        ("- 12.5 —", [(DASH, "-"), (NUM, "12.5"), (DASH, "—")]),
        ("-12.5", [(NUM, "-12.5")]),
        ("1, 466.86 466 .86", [(NUM, "1,466.86"), (NUM, "466.86")]),
    ],
)
def test_examples(text, expected):
    assert kinds(text) == expected


def test_split_glued_uses_code_lengths():
    assert split_glued("0.0331003") == ("0.03", "31003")
    assert split_glued("17.230227") == ("17.2", "30227")
    assert split_glued("191.762080199") == ("191.76", "2080199")
    assert split_glued("55.83310") == ("55.83", "310")
    assert split_glued("12.34") is None
    assert split_glued("1.2345") is None  # 4 digits after the point: no code fits


def test_amount_parses_printed_forms():
    assert amount("1,466.86") == Decimal("1466.86")
    assert amount(" 0.00 ") == Decimal("0.00")
    assert amount("-3.5") == Decimal("-3.5")
    assert amount("") is None
    assert amount("合计") is None


def test_cell_tokens_keep_a_cell_whole():
    assert [(t.kind, t.text) for t in cell_tokens("社会保障和 就业支出")] == [(WORD, "社会保障和就业支出")]
    assert [(t.kind, t.text) for t in cell_tokens("1,055.06")] == [(NUM, "1,055.06")]
    assert [(t.kind, t.text) for t in cell_tokens("30101")] == [(INT, "30101")]
    assert cell_tokens("  ") == []
