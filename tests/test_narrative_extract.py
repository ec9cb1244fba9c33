"""Narrative statements as data: joining wrapped lines, numbers across line breaks, subjects → table
quantities, and the statements pinned per seed (counts per kind, exact values and line numbers)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.model import Disclosure, Identity
from budgetdoc.read import read, read_text
from budgetdoc.recognise.narrative import blocks, narrative_lines, statements_from_blocks
from budgetdoc.recognise.narrative_parse import Context
from budgetdoc.recognise.narrative_subjects import chain, clean, quantity
from budgetdoc.recognise.narrative_text import join, numbers
from conftest import SEED, load_doc, needs_seeds

D = Decimal

# ---------------------------------------------------------------- joining and numbers


def test_number_split_over_lines_keeps_value_unit_and_line() -> None:
    b = join(["其中：基本支出830.68万", "元，占本年支出56.6%；项目支出1,466.", "86万元，占39.9", "%"], first_line=10)
    toks = numbers(b.text)
    assert [(t.value, t.unit) for t in toks] == [
        (D("830.68"), "万元"), (D("56.6"), "%"), (D("1466.86"), "万元"), (D("39.9"), "%")]
    assert [b.line_at(t.start) for t in toks] == [10, 11, 11, 12]


def test_spaces_inside_numbers_and_units_are_ignored() -> None:
    b = join(["收入合计 1,466.86 万元，下降 17.5 %"])
    assert [(t.value, t.unit) for t in numbers(b.text)] == [(D("1466.86"), "万元"), (D("17.5"), "%")]


def test_chinese_comma_is_not_a_thousands_separator() -> None:
    assert [t.value for t in numbers("增加3人，2026年预算1,347.75万元")] == [D(3), D(2026), D("1347.75")]


def test_non_money_units_are_not_amounts() -> None:
    toks = numbers("扩面新增50.32万人次，印刷退休证5.3万本，单价100万元(含)以上")
    assert [t.is_money for t in toks] == [False, False, True]


def _fmt(v: D, sep: bool) -> str:
    return f"{v:,.2f}" if sep else f"{v:.2f}"


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**9),
    pct=st.integers(min_value=0, max_value=1000),
    sep=st.booleans(),
    cuts=st.lists(st.integers(min_value=1, max_value=60), min_size=0, max_size=4),
    spaces=st.lists(st.sampled_from(["", " ", "  "]), min_size=5, max_size=5),
)
def test_numbers_survive_any_line_break_and_spacing(cents: int, pct: int, sep: bool, cuts: list[int],
                                                     spaces: list[str]) -> None:
    amount = D(cents) / 100
    percent = D(pct) / 10
    text = (f"基本支出{spaces[0]}{_fmt(amount, sep)}{spaces[1]}万{spaces[2]}元，占本年支出{spaces[3]}"
            f"{percent}{spaces[4]}%。")
    positions = sorted({c for c in cuts if c < len(text)})
    pieces = [text[i:j] for i, j in zip([0, *positions], [*positions, len(text)], strict=True)]
    b = join(pieces, first_line=1)
    toks = [t for t in numbers(b.text) if t.unit]
    assert [(t.value, t.unit) for t in toks] == [(amount, "万元"), (percent, "%")]
    # the line of a number is the line its first character is on
    first_digit = text.index(_fmt(amount, sep)[0], len("基本支出"))
    expected_line = 1 + sum(1 for p in positions if p <= first_digit)
    assert b.line_at(toks[0].start) == expected_line


# ---------------------------------------------------------------- subjects


@pytest.mark.parametrize("said, general, canon, ref", [
    ("2023年度收、支总计", False, "收支总计", "T1:总计@收入:amount"),
    ("财政拨款收、支总计", False, "财政拨款收支总计", "T4:总计@收入:amount"),
    ("其中：基本支出", False, "基本支出", "T3:合计:basic"),
    ("基本支出", True, "基本支出", "T5:合计:basic"),
    ("1.社会保障和就业支出(类)支出", True, "社会保障和就业支出", "T5:208:total"),
    ("2.卫生健康（类）支出", True, "卫生健康支出", "T5:210:total"),
    ("公务用车购置及运行费支出", False, "公务用车购置及运行维护费", "T9:合计:final_car"),
    ("(2)公务用车运行费", False, "公务用车运行维护费", "T9:合计:final_car_run"),
    ("人员经费", True, "人员经费", "T6:人员经费合计:amount"),
    ("机关运行经费支出", False, "机关运行经费", None),
])
def test_subjects_name_table_quantities(said: str, general: bool, canon: str, ref: str | None) -> None:
    name, got, _ = quantity(clean(said), budget_doc=False, general=general)
    assert (name, got) == (canon, ref)


def test_budget_subjects_use_budget_tables() -> None:
    assert quantity("支出预算", budget_doc=True, general=False)[1] == "B1:本年支出合计@支出:amount"
    assert quantity("人员经费", budget_doc=True, general=True)[1] == "B5_1:合计:personnel"
    assert quantity("公务接待费", budget_doc=True, general=True)[1] == "B7:合计:reception"


def test_chain_names_three_levels() -> None:
    assert chain("社会保障和就业支出(类)人力资源和社会保障管理事务(款)信息化建设(项)") == (
        "社会保障和就业支出", "人力资源和社会保障管理事务", "信息化建设")
    assert chain("住房保障（类）支出") == ("住房保障支出", None, None)


# ---------------------------------------------------------------- statements from hand-written text


def _statements(text: str, kind: str = "决算"):
    src = read_text(text, "mem.txt", markdown=False)
    doc = Disclosure(source="mem.txt", identity=Identity(kind=kind))  # type: ignore[arg-type]
    ctx = Context(doc=doc, file="mem.txt", budget_doc=kind == "预算")
    return statements_from_blocks(blocks(src.lines()), ctx)


def test_sentence_wrapped_mid_number_gives_one_share_with_its_line() -> None:
    sts = _statements("三、支出决算情况说明\n2023年度支出合计1,466.86万元。其中：基本支出830.68万\n"
                      "元，占本年支出56.6%；项目支出636.18万元，占本年支出43.4%。\n")
    shares = [s for s in sts if s.kind == "share"]
    assert [(s.subject, s.values["amount"], s.values["percent"], s.values["total"], s.location.line)
            for s in shares] == [("基本支出", D("830.68"), D("56.6"), D("1466.86"), 3),
                                 ("项目支出", D("636.18"), D("43.4"), D("1466.86"), 3)]
    basic = next(s for s in sts if s.kind == "amount" and s.subject == "基本支出")
    assert basic.location.line == 2 and basic.refs == {"amount": "T3:合计:basic"}


def test_execution_with_subject_in_the_previous_sentence() -> None:
    sts = _statements("五、一般公共预算财政拨款支出决算情况说明\n"
                      "1.社会保障和就业支出(类)人力资源和社会保障管理事务(\n"
                      "款)信息化建设(项)。年初预算为1,069.2万元，支出决算444.42\n"
                      "万元，完成年初预算的41.6%，支出决算数小于年初预算数。\n")
    (ex,) = [s for s in sts if s.kind == "execution"]
    assert ex.subject == "社会保障和就业支出/人力资源和社会保障管理事务/信息化建设"
    assert ex.values == {"budget": D("1069.2"), "actual": D("444.42"), "percent": D("41.6")}
    assert ex.words["comparison"] == "小于" and ex.location.line == 3


def test_yoy_takes_current_from_previous_sentence_and_rate_direction() -> None:
    sts = _statements("一、收入支出决算总体情况说明\n2023 年度收、支总计1,466.86万元。与 2022 年度相比，收\n"
                      "、 支总计各减少310.64万元，下降17.5%，主要原因是…。\n")
    (y,) = [s for s in sts if s.kind == "yoy"]
    assert y.subject == "收支总计"
    assert y.values == {"change": D("310.64"), "current": D("1466.86"), "percent": D("17.5")}
    assert (y.words["direction"], y.words["rate_direction"], y.location.line) == ("减少", "下降", 3)


def test_self_contradiction_is_a_statement() -> None:
    sts = _statements("四、财政拨款收入支出决算总体情况说明\n一般公共预算财政拨款收入\n1466.86万元，比 2022 年度决算数"
                      "增加减少310.64万元。\n")
    (c,) = [s for s in sts if s.kind == "contradiction"]
    assert c.words["words"] == "增加减少" and c.location.line == 3


def test_missing_wan_is_recorded_on_the_amount() -> None:
    sts = _statements("五、一般公共预算财政拨款支出决算情况说明\n2.卫生健康（类）支出149.91元，占9.4%。\n"
                      "政府采购工程支出0元。\n")
    units = [s for s in sts if s.words.get("unit_text")]
    assert [(s.kind, s.words["unit_text"]) for s in units] == [("amount", "149.91元")]


def test_parts_after_qizhong_in_another_sentence() -> None:
    sts = _statements("九、财政拨款“三公”经费支出决算情况说明\n（2）公务用车运行费支出0.56万元，完成全年预算的\n"
                      "100%。主要用于维修保养费用、保险费用，其\n中：维修费0.38万元；保险费0.18万元。\n")
    (p,) = [s for s in sts if s.kind == "parts"]
    assert p.values == {"whole": D("0.56"), "part1": D("0.38"), "part2": D("0.18")}
    assert p.location.line == 2


# ---------------------------------------------------------------- the seeds

COUNTS = {
    "000": {"amount": 29, "execution": 18, "share": 8, "parts": 8, "yoy": 6, "procurement": 3, "contradiction": 1},
    "001": {"amount": 25, "execution": 17, "share": 8, "parts": 7, "yoy": 6, "procurement": 3, "contradiction": 1},
    "002": {"amount": 47, "yoy": 14, "parts": 9, "share": 5, "procurement": 1},
    "003": {"amount": 25, "execution": 12, "share": 8, "parts": 6, "yoy": 5, "procurement": 3},
    "004": {"amount": 25, "share": 13, "execution": 10, "parts": 8, "yoy": 7},
}


@needs_seeds
@pytest.mark.parametrize("seed", sorted(COUNTS))
def test_statement_counts_per_kind(seed: str) -> None:
    assert dict(Counter(s.kind for s in load_doc(SEED[seed]).narrative)) == COUNTS[seed]


def _find(seed: str, kind: str, line: int, **values: str):
    doc = load_doc(SEED[seed])
    found = [s for s in doc.narrative if s.kind == kind and s.location.line == line
             and all(s.values.get(k) == D(v) for k, v in values.items())]
    assert len(found) == 1, [s for s in doc.narrative if s.location.line == line]
    return found[0]


@needs_seeds
def test_seed_000_samples() -> None:
    y = _find("000", "yoy", 652, change="310.64", percent="17.5", current="1466.86")
    assert y.subject == "收支总计" and y.words["direction"] == "减少"
    ex = _find("000", "execution", 776, budget="1069.2", actual="444.42", percent="41.6")
    assert ex.refs["actual"] == "T5:2080108:total" and ex.words["comparison"] == "小于"
    s = _find("000", "share", 686, amount="830.68", percent="56.6", total="1466.86")
    assert s.words["denominator"] == "本年支出"
    assert _find("000", "contradiction", 706).words["words"] == "增加减少"
    car = _find("000", "execution", 900, actual="1.29", percent="100", change="1.71")
    assert car.subject == "公务用车运行维护费" and car.refs["actual"] == "T9:合计:final_car_run"
    micro = _find("000", "procurement", 924, micro="185.31", sme="216.76", percent="39.9")
    assert micro.words["check"] == "micro"
    items = _find("000", "parts", 758, whole="2305.94")
    assert items.words["basis"] == "budget" and sum(1 for k in items.values if k.startswith("part")) == 10


@needs_seeds
def test_seed_001_samples() -> None:
    a = _find("001", "amount", 860, amount="149.91")
    assert a.words["unit_text"] == "149.91元" and a.refs["amount"] == "T5:210:total"
    p = _find("001", "parts", 1038, whole="0.56", part1="0.38", part2="0.18")
    assert p.words["complete"] == "no"
    ex = _find("001", "execution", 1058, actual="122.25", change="33.9", change_rate="21.7")
    assert ex.subject == "机关运行经费"
    assert _find("001", "yoy", 790, change="166.07").words["direction"] == "增加减少"


@needs_seeds
def test_seed_002_samples() -> None:
    y = _find("002", "yoy", 554, change="113.12", current="292.69", percent="62.99")
    assert y.words["base"] == "比2025年预算"
    p = _find("002", "parts", 590, whole="1.7", part1="0", part2="1.5", part3="0.2")
    assert p.subject == "三公经费"
    assert _find("002", "amount", 584, amount="16.8").refs["amount"] == "B6:303:total"
    assert not [s for s in load_doc(SEED["002"]).narrative if s.kind == "execution"]  # a budget


@needs_seeds
def test_seed_003_samples() -> None:
    ex = _find("003", "execution", 752, budget="1316.04", actual="1352.17", percent="102.7")
    assert ex.words["comparison"] == "大于"
    _find("003", "procurement", 898, micro="10.86", sme="11.43", percent="95")
    y = _find("003", "yoy", 880, change="21.05", current="207.69", percent="11.3")
    assert y.subject == "机关运行经费"


@needs_seeds
def test_seed_004_samples() -> None:
    a = _find("004", "amount", 390, amount="128.14")
    assert a.refs["amount"] == "T5:合计:basic"
    s = _find("004", "share", 376, amount="4.11", percent="2.12", total="193.13")
    assert s.words["denominator"] == ""
    yoys = [s for s in load_doc(SEED["004"]).narrative if s.kind == "yoy" and s.location.line == 420]
    assert [y.subject for y in yoys] == ["三公经费", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]
    assert [y.words["direction"] for y in yoys] == ["增加", "减少", "减少", "增加"]


@needs_seeds
@pytest.mark.parametrize("seed, first, last", [
    ("000", 646, 1040), ("001", 750, 1170), ("002", 516, 638), ("003", 642, 990), ("004", 333, 490)])
def test_narrative_part_bounds(seed: str, first: int, last: int) -> None:
    doc = load_doc(SEED[seed])
    lines = narrative_lines(read(str(SEED[seed])), doc)
    assert first <= lines[0].number <= first + 2 and last - 2 <= lines[-1].number <= last + 4
    assert all(first <= s.location.line <= last for s in doc.narrative)


@needs_seeds
def test_no_statement_from_performance_forms_inside_the_part() -> None:
    # seed 004 prints its self-evaluation forms (tab-separated cells) inside section 十三
    assert not [s for s in load_doc(SEED["004"]).narrative if 450 <= (s.location.line or 0) <= 492]
