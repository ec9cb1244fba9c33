"""The narrative of the Shanghai 预算 (预算编制说明, 其他相关情况说明, 项目经费情况说明; primer §3.1, §6 end).

What is read from the four real PDFs and the citymgmt text (statements per document), every error-level
narrative finding on them (each decided by hand and annotated), and defects injected into copies in
``tmp_path`` — an amount, a rate, a direction word, a year changed in one place — that are found and
named while the untouched document says nothing about them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from budgetdoc.check import check, registry
from budgetdoc.model import Disclosure
from budgetdoc.recognise.narrative import blocks, budget_parts, statements_from_blocks
from budgetdoc.recognise.narrative_parse import Context
from budgetdoc.recognise.narrative_text import Block
from conftest import SHARED, load_doc

REAL = SHARED / "real"
DOCS = {
    "wanli": REAL / "shanghai-putuo-2024-dept-budget-wanli.pdf",
    "welfarehome": REAL / "shanghai-putuo-2024-unit-budget-welfarehome.pdf",
    "commerce-dept": REAL / "shanghai-putuo-2025-dept-budget-commerce.pdf",
    "commerce-unit": REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf",
    "citymgmt": REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt",
}
NAR = [rid for rid in registry() if rid.startswith("NAR")]
D = Decimal


def _doc(name: str) -> Disclosure:
    path = DOCS[name]
    if not path.exists():
        pytest.skip(f"{path} not present")
    if path.suffix == ".pdf":
        pytest.importorskip("pymupdf")
    return load_doc(path)


def _errors(doc: Disclosure) -> list:
    return [f for f in check(doc, select=NAR).findings if f.severity == "error"]


def _needs_table(doc: Disclosure, key: str | None) -> None:
    """Skip (saying so) while the table a comparison needs is not read from this document."""
    table = doc.table(key) if key else None
    if key and (table is None or not table.rows):
        pytest.skip(f"table {key} of {Path(doc.source).name} not read yet")


def _new_errors(original: Disclosure, variant: Disclosure) -> list:
    """The variant's error-level narrative findings that the untouched document does not have (by rule
    and place): the injected defect must be one of them and the original quiet about it."""
    before = {(f.rule, f.location.page, f.location.line) for f in _errors(original)}
    return [f for f in _errors(variant) if (f.rule, f.location.page, f.location.line) not in before]


# ---------------------------------------------------------------- what is read

# statements read per document, by kind (budget_yoy: a comparison with last year's budget or execution)
READ = {
    # 33 items, each “2023年当年预算执行数为A万元，2024年预算安排B万元，比2023年预算执行数增加/减少R%”
    # (or 持平), 5 totals (财政拨款收入 / 支出, 一般公共预算, 政府性基金, 国有资本经营), 6 三公
    "wanli": {"budget_yoy": 44, "procurement": 3},
    # 6 items with rates, 5 totals, 6 三公; procurement without SME amounts
    "welfarehome": {"budget_yoy": 17, "procurement": 1},
    # the items have no comparison; 5 totals and 6 三公; 4 project explanations with their parts
    "commerce-dept": {"budget_yoy": 11, "procurement": 1},
    "commerce-unit": {"budget_yoy": 11, "procurement": 1},
    "citymgmt": {"budget_yoy": 11, "procurement": 3},
}


@pytest.mark.parametrize("name", sorted(READ))
def test_statements_read_per_document(name: str) -> None:
    doc = _doc(name)
    kinds = Counter(st.kind for st in doc.narrative)
    for kind, n in READ[name].items():
        assert kinds[kind] == n, (kind, kinds)


def test_item_comparisons_read_with_all_numbers() -> None:
    doc = _doc("wanli")
    items = [st for st in doc.narrative if st.kind == "budget_yoy" and "previous" in st.values]
    assert len(items) == 33
    first = items[0]
    assert first.subject == "一般公共服务支出/统计信息事务/专项普查活动"
    assert first.values == {"previous": D("60.13"), "current": D("25.77"), "percent": D("57.14"), "item": D("25.77")}
    assert first.words["rate_direction"] == "减少" and first.words["base"] == "预算执行数"
    assert (first.words["previous_year"], first.words["current_year"], first.words["base_year"]) == (
        "2023", "2024", "2023")
    assert first.refs["current"] == "B5_1:2010507:total"
    level = [st for st in items if st.words.get("direction") == "持平"]
    assert len(level) == 5  # 科普活动, 群众体育, 其他城市生活救助, 计划生育服务, 其他城乡社区住宅支出


def test_totals_and_sangong_read() -> None:
    doc = _doc("citymgmt")
    amounts = {st.subject: st.values["amount"] for st in doc.narrative if st.kind == "amount"}
    assert amounts["收入合计"] == D("4748.35")
    assert amounts["财政拨款收入"] == D("4748.35")
    assert amounts["三公经费"] == D("114.22")
    assert amounts["公务用车购置费"] == D("75")
    assert amounts["机关运行经费"] == D("507.25")
    assert amounts["拆违经费"] == D("349.80")  # the 项目经费情况说明's annual budget, named by its project
    yoy = [st for st in doc.narrative if st.kind == "budget_yoy" and st.subject == "财政拨款收入"]
    assert yoy[0].values == {"current": D("4748.35"), "change": D("19.79")}
    assert yoy[0].words["direction"] == "减少" and yoy[0].words["base_year"] == "2025"
    procurement = next(st for st in doc.narrative if st.kind == "procurement" and st.words["check"] == "micro")
    assert procurement.values == {"total": D("595.28"), "sme": D("343.49"), "micro": D("178.85")}


def test_narrative_parts_found_where_headings_are_glued() -> None:
    path = DOCS["citymgmt"]
    if not path.exists():
        pytest.skip(f"{path} not present")
    from budgetdoc.read import read

    parts = budget_parts(read(str(path)))
    # “…培训费用。2026年部门预算编制说明”, “…507.25其他相关情况说明”, “…0套。项目经费情况说明”
    assert [h for h, _ in parts] == ["2026年部门预算编制说明", "其他相关情况说明", "项目经费情况说明"]
    # the 编制说明 ends where “…购房补贴。2026年部门财务收支预算总表” starts the tables
    assert parts[0][1][-1].text.endswith("购买住房的补贴。")


def test_project_explanation_parts_read() -> None:
    doc = _doc("commerce-dept")
    parts = [st for st in doc.narrative if st.kind == "parts" and st.subject == "生命健康专项（政策资金）"]
    assert parts[0].values == {"whole": D("1170.00"), "part1": D("870.00"), "part2": D("70.00"),
                               "part3": D("180.00"), "part4": D("50.00")}
    assert parts[1].values == {"whole": D("1170.00"), "part1": D("1170.00")}  # “合计1170.00万”


# ---------------------------------------------------------------- findings on the real documents

# every error-level narrative finding: (rule, page, line, numbers the message quotes, the table it needs) —
# each checked by hand
REAL_ERRORS = {
    # item 31 “住房公积金（项）”350.35万元 … 2024年预算安排352.67万元，比2023年预算执行数增加0.53%”: the
    # table (支出总表 and 一般公共预算支出功能分类预算表 2210201: 3,503,499 元 = 350.35 万元) and the rate
    # ((350.35 − 348.52) ÷ 348.52 = 0.53%) both say 350.35; 352.67 is a misstatement.
    "wanli": [("NAR013", 9, 19, ("350.35", "352.67", "3,503,499.00"), "B5_1")],
    # item 4 “社会福利事业单位（项）”738.66万元”: 一般公共预算支出功能分类预算表 2081005 is 6,964,796 元 =
    # 696.48 万元 (支出总表 958.48 with 事业收入); 738.66 is neither, and the items then add up to 991.59
    # against 财政拨款支出 950.12. A real misstatement.
    "welfarehome": [("NAR001", 6, 18, ("738.66", "696.48"), "B5_1")],
    # every item rate, change, 持平, total, procurement sum and project sum agrees (computed by hand)
    "commerce-dept": [],
    "commerce-unit": [],
    "citymgmt": [],
}


@pytest.mark.parametrize("name", sorted(REAL_ERRORS))
def test_real_documents_errors_are_the_real_misstatements(name: str) -> None:
    doc = _doc(name)
    for *_, key in REAL_ERRORS[name]:
        _needs_table(doc, key)
    got = [(f.rule, f.location.page, f.location.line, f.message) for f in _errors(doc)]
    assert len(got) == len(REAL_ERRORS[name]), got
    for (rule, page, line, msg), (want_rule, want_page, want_line, numbers, _) in zip(got, REAL_ERRORS[name],
                                                                                       strict=True):
        assert (rule, page, line) == (want_rule, want_page, want_line), msg
        for n in numbers:
            assert n in msg, msg


def test_wanli_item_reason_contradicting_its_rate_is_a_warning() -> None:
    """Item 4: 114.00 → 110.60, “减少2.98%。主要原因是：宣传事务一般行政管理事务经费增加。” — the reason says
    the money grew while the item says it fell: a real contradiction of free prose, so a warning."""
    doc = _doc("wanli")
    warnings = [f for f in check(doc, select=["NAR013"]).findings if f.severity == "warning"]
    assert [(f.location.page, f.location.line) for f in warnings] == [(6, 19)]
    assert "114.00" in warnings[0].message and "110.60" in warnings[0].message and "增加" in warnings[0].message


def test_every_wanli_rate_agrees_except_none() -> None:
    """The 33 item rates of wanli, recomputed here: |B − A| ÷ A at two decimals, the word matching the
    sign (item 9: A = 0, “增加100.00%” for a new item is a convention, not a computable rate)."""
    doc = _doc("wanli")
    for st in doc.narrative:
        v = st.values
        if st.kind != "budget_yoy" or "previous" not in v or "percent" not in v or v["previous"] == 0:
            continue
        current = v["item"]  # 352.67 of item 31 is the misstatement above; its rate agrees with the item
        rate = abs(current - v["previous"]) / v["previous"] * 100
        assert abs(rate - v["percent"]) < D("0.006"), st.text
        assert (current > v["previous"]) == (st.words["rate_direction"] == "增加"), st.text


# ---------------------------------------------------------------- injected defects: citymgmt text

CITY_ITEM = "城管执法（项）”3377.56万元，主要用于城市管理综合行政执法、加强城市市容"
# the comparison sentence of wanli's shape, added after the item (3,500.00 → 3,377.56: −122.44, −3.50%)
CITY_COMPARISON = "2025年当年预算执行数为3500.00万元，2026年预算安排3377.56万元，比2025年预算执行数减少3.50%。"


def _city_variant(tmp_path: Path, old: str, new: str, name: str = "variant.txt") -> Path:
    path = DOCS["citymgmt"]
    if not path.exists():
        pytest.skip(f"{path} not present")
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    out = tmp_path / name
    out.write_text(text.replace(old, new), "utf-8")
    return out


def _with_comparison(tmp_path: Path, comparison: str) -> Path:
    """citymgmt with a comparison sentence after its 城管执法 item (line 68 of the text)."""
    return _city_variant(tmp_path, "和环境卫生管理等方面的支出。", "和环境卫生管理等方面的支出。" + comparison,
                         "comparison.txt")


def test_added_comparison_sentence_is_read_and_quiet(tmp_path: Path) -> None:
    doc = load_doc(_with_comparison(tmp_path, CITY_COMPARISON))
    st = next(s for s in doc.narrative if s.kind == "budget_yoy" and "previous" in s.values)
    assert st.subject == "城乡社区支出/城乡社区管理事务/城管执法"
    assert st.values["previous"] == D("3500.00") and st.values["percent"] == D("3.50")
    assert not [f for f in _errors(doc) if f.rule == "NAR013"]


# id, old, new (in the comparison sentence above, or in the text), rule, what the message names
CITY_CASES = [
    ("rate", "减少3.50%", "减少4.50%", "NAR013", ("3.50%", "4.50%")),
    ("direction", "减少3.50%", "增加3.50%", "NAR013", ("增加", "3500.00", "3377.56")),
    ("restated", "2026年预算安排3377.56", "2026年预算安排3377.65", "NAR013", ("3,377.56", "3377.65")),
    ("year", "比2025年预算执行数", "比2024年预算执行数", "NAR013", ("2024", "2025")),
]


@pytest.mark.parametrize("case", CITY_CASES, ids=[c[0] for c in CITY_CASES])
def test_injected_comparison_defect_found(tmp_path: Path, case: tuple) -> None:
    _, old, new, rule, names = case
    if case[0] == "restated":
        _needs_table(_doc("citymgmt"), "B5_1")
    assert CITY_COMPARISON.count(old) == 1
    doc = load_doc(_with_comparison(tmp_path, CITY_COMPARISON.replace(old, new)))
    found = _new_errors(_doc("citymgmt"), doc)
    assert len(found) == 1 and found[0].rule == rule, [f.message for f in found]
    for n in names:
        assert n in found[0].message.replace(",", "") or n in found[0].message, found[0].message


# id, old, new (in the citymgmt text), rule prefix, number the finding names
TEXT_CASES = [
    # an item amount against 一般公共预算支出功能分类预算表 2120104 (33,775,592 元 = 3,377.56 万元)
    ("item-amount", "城管执法（项）”3377.56万元", "城管执法（项）”3377.65万元", "NAR001", "3,377.65"),
    # procurement: 77.10 + 0 + 581.18 ≠ 595.28
    ("procurement", "政府采购服务预算518.18", "政府采购服务预算581.18", "NAR008", "581.18"),
    # 预留给小型和微型企业 378.85 > 面向中小企业 343.49
    ("micro", "预算为178.85万", "预算为378.85万", "NAR008", "378.85"),
    # 公务用车购置及运行费 113.76 = 购置 75 + 运行 38.76: 38.67 breaks it
    ("sangong-part", "公务用车运行费38.76万", "公务用车运行费38.67万", "NAR", "38.67"),
    # the change of 公务用车 (+27) = 购置 (+27) + 运行 (持平): 购置 “减少27万元” breaks it
    ("sangong-direction", "公务用车购置费75万\n元，比2025年预算增加27万元", "公务用车购置费75万\n元，比2025年预算减少27万元",
     "NAR007", "-27"),
    # the reason of the totals names the other direction: “财政拨款收入支出增加的主要原因” after “减少19.79万元”
    ("reason", "财政拨款收入支出减少的主要原因", "财政拨款收入支出增加的主要原因", "NAR013", "增加"),
    # the totals compare with the year before the document's: 2026 → 2025
    ("year", "比2025年预算减少19.79万元；事业", "比2024年预算减少19.79万元；事业", "NAR013", "2024"),
]


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_injected_text_defect_found_and_original_quiet(tmp_path: Path, case: tuple) -> None:
    _, old, new, rule, number = case
    if rule == "NAR001":
        _needs_table(_doc("citymgmt"), "B5_1")
    variant = _city_variant(tmp_path, old, new)
    found = _new_errors(_doc("citymgmt"), load_doc(variant))
    assert len(found) == 1, [f.message for f in found]  # the defect, once
    assert found[0].rule.startswith(rule) and number in found[0].message, found[0].message


def test_glued_item_read() -> None:
    """“…基本医疗保险缴费。7. “城乡社区支出（类）…城管执法（项）”3377.56万元” — two items on one line."""
    doc = _doc("citymgmt")
    st = next(s for s in doc.narrative if s.kind == "amount" and s.subject.endswith("城管执法"))
    assert st.values["amount"] == D("3377.56") and st.location.line == 67


# ---------------------------------------------------------------- injected defects: PDFs

PDF_CASES = [
    # wanli item 1 “比2023年预算执行数减少57.14%” (34.36 ÷ 60.13 = 57.14%)
    ("wanli-rate", "wanli", 6, "57.14%", "47.14%", "NAR013", "47.14"),
    ("wanli-direction", "wanli", 6, "减少57.14%", "增加57.14%", "NAR013", "增加"),
    # commerce 生命健康专项: 870 + 70 + 180 + 50 = 1,170 → 190 makes 1,180
    ("commerce-project-part", "commerce-dept", 24, "180.00", "190.00", "NAR007", "190"),
    # commerce procurement 7.80 + 0 + 30.40 = 38.20 → 货物 8.70
    ("commerce-procurement", "commerce-dept", 22, "7.80", "8.70", "NAR008", "8.7"),
    # welfarehome item 2 (70.70 → 76.76: +8.57%) → 76.67 against the table 767,579 元
    ("welfare-item", "welfarehome", 6, "”76.76", "”76.67", "NAR001", "76.67"),  # needs B5_1
]


@pytest.mark.parametrize("case", PDF_CASES, ids=[c[0] for c in PDF_CASES])
def test_injected_pdf_defect_found_and_original_quiet(tmp_path: Path, case: tuple) -> None:
    pytest.importorskip("pymupdf")
    from pdf_edit import replace_text

    _, name, page, old, new, rule, number = case
    if rule == "NAR001":
        _needs_table(_doc(name), "B5_1")
    src = DOCS[name]
    if not src.exists():
        pytest.skip(f"{src} not present")
    edit = replace_text(src, tmp_path / f"{name}.pdf", page, old, new)
    found = _new_errors(_doc(name), load_doc(edit.path))
    assert len(found) == 1, [f.message for f in found]  # the defect, once
    f = found[0]
    assert f.rule == rule and f.location.page == page and number in f.message, f.message


# ---------------------------------------------------------------- blocks built by hand


def _statements(lines: list[str], year: int = 2024, part: str = "2024年部门预算编制说明") -> list:
    from budgetdoc.model import Identity
    from budgetdoc.read import Line

    doc = Disclosure(source="t.txt", identity=Identity(kind="预算", year=year, publisher="示例单位"))
    bs: list[Block] = blocks([Line(text=t, page=1, number=i + 1) for i, t in enumerate(lines)], part=part)
    return statements_from_blocks(bs, Context(doc=doc, file="t.txt", budget_doc=True))


def test_change_and_rate_with_stated_change() -> None:
    """“2025年当年预算执行数为A万元，2026年预算安排B万元，比上年增加C万元，增长R%” (primer §6 end)."""
    sts = _statements(["1.“住房保障支出（类）住房改革支出（款）住房公积金（项）”120.00万元，主要用于公积金。"
                       "2025年当年预算执行数为100.00万元，2026年预算安排120.00万元，比上年增加20.00万元，增长20.00%。"],
                      year=2026, part="2026年部门预算编制说明")
    st = next(s for s in sts if s.kind == "budget_yoy")
    assert st.values == {"previous": D("100.00"), "current": D("120.00"), "change": D("20.00"),
                         "percent": D("20.00"), "item": D("120.00")}
    assert st.words["base_year"] == "2025" and st.words["direction"] == "增加"


def test_level_with_amount_read() -> None:
    sts = _statements(["（一）因公出国（境）费0万元，与2023年预算持平。"], part="其他相关情况说明")
    st = next(s for s in sts if s.kind == "budget_yoy")
    assert st.words["direction"] == "持平" and st.values == {"current": D("0")}


def test_comparison_with_xiangbi_and_change() -> None:
    """“与2025年预算执行数相比，增加20.00万元，增长20.00%”: the change is read with its comparison."""
    sts = _statements(["1.“住房保障支出（类）住房改革支出（款）住房公积金（项）”120.00万元，主要用于公积金。"
                       "2025年当年预算执行数为100.00万元，2026年预算安排120.00万元，与2025年预算执行数相比，"
                       "增加20.00万元，增长20.00%。"], year=2026, part="2026年部门预算编制说明")
    st = next(s for s in sts if s.kind == "budget_yoy")
    assert st.values["change"] == D("20.00") and st.words["comparison"] == "与2025年预算执行数相比"
    assert not [s for s in sts if s.kind == "amount" and s.subject == "增加"]


def test_stated_change_disagreeing_with_amounts_is_found() -> None:
    from budgetdoc.model import Identity

    sts = _statements(["1.“住房保障支出（类）住房改革支出（款）住房公积金（项）”120.00万元，主要用于公积金。"
                       "2025年当年预算执行数为100.00万元，2026年预算安排120.00万元，比上年增加25.00万元，增长20.00%。"],
                      year=2026, part="2026年部门预算编制说明")
    doc = Disclosure(source="t.txt", identity=Identity(kind="预算", year=2026, publisher="示例单位"), narrative=sts)
    found = [f for f in check(doc, select=["NAR013"]).findings]
    assert len(found) == 1 and "25.00" in found[0].message and "20.00" in found[0].message, found
