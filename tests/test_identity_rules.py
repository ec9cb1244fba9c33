"""Identity rules: IDN001 unit names, IDN002 heading years, IDN003 placeholders, IDN004 identity missing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.check import check
from budgetdoc.check.rules.identity import HeadingYear, IdentityMissing, Placeholder, UnitName, placeholders
from budgetdoc.errors import InputError
from budgetdoc.model import Disclosure, Identity, Location, Table
from budgetdoc.read import Line
from conftest import SAMPLE, SEED, load_doc_or_bare, needs_samples, needs_seeds, variant

RULES = ["IDN001", "IDN002", "IDN003", "IDN004"]
UNIT = "武汉市黄陂区人力资源和社会保障信息中心"


def make_doc(lines: list[str], *, publisher=UNIT, year=2021, scope="单位", tables=()):
    doc = Disclosure(source="x.txt", identity=Identity(publisher=publisher, year=year, scope=scope),
                     tables=list(tables))
    doc._lines = [Line(text=t, page=1, number=i + 1) for i, t in enumerate(lines)]
    return doc


def run(doc, rules=RULES):
    return check(doc, select=rules).findings


def _sample(name):
    """A sample PDF: through the PDF reader when there is one, else its text layer read as text."""
    from budgetdoc.read import read_text

    try:
        return load_doc_or_bare(SAMPLE[name])
    except (ImportError, InputError):
        pymupdf = pytest.importorskip("pymupdf")
        text = "".join(p.get_text() for p in pymupdf.open(SAMPLE[name]))
        src = read_text(text, str(SAMPLE[name]))
        from budgetdoc.recognise.identity import recognise_identity

        doc = Disclosure(source=str(SAMPLE[name]), identity=recognise_identity(src))
        doc._lines = src.lines()
        return doc


def test_rules_are_documented():
    for cls in (UnitName, HeadingYear, Placeholder, IdentityMissing):
        assert cls.category == "identity" and "Bad" in (cls.__doc__ or "") and "Good" in (cls.__doc__ or "")


# --- IDN003 placeholders ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "上海市XX 局2024 年度部门决算",
    "收入支出总计XXX 万元，增长XX%",
    "XXXX年度单位决算",
    "××局2023年度单位决算",
    "于2024年X月X日批复",
    "（单位名称）2023年度部门决算",
    "由主管部门根据三定方案等相关规定中有关主要职能填写。",
    "请根据实际情况说明原因",
    "主要原因：……（如持平作持平表述）",
    "其他对个人和家庭的补助（不涉及的不列）",
    "联系人：xx",
])
def test_placeholders_are_found(text):
    assert placeholders(text)


@pytest.mark.parametrize("text", [
    "30299 其他商品和服务支出 12.50",
    "2080199 其他人力资源和社会保障管理事务支出",
    "XXL 号服装采购",
    "使用 Excel 和 DOCX 文件",
    "Windows XP",
    "填报日期：2024年5月20日",
    "截至2024 年12 月31 日",
    "单位名称：武汉市社会保险中心",
    "数量 10×20 台",
    "按规定如实填写",
])
def test_real_text_is_not_a_placeholder(text):
    assert not placeholders(text)


def test_placeholder_reported_at_its_line():
    doc = make_doc(["武汉市黄陂区人力资源和社会保障信息中心2021年度部门决算", "收入总计XXX 万元。", "正文"])
    [f] = run(doc)
    assert (f.rule, f.severity, f.location.line) == ("IDN003", "error", 2) and "XXX" in f.message


@needs_samples
def test_the_shanghai_template_is_full_of_placeholders():
    doc = _sample("template")
    found = [f for f in run(doc) if f.rule == "IDN003"]
    assert len(found) >= 50
    texts = " ".join(f.message for f in found)
    assert "XX" in texts and "填写" in texts and "如持平作持平表述" in texts
    assert all(f.severity == "error" and f.location.line for f in found)


@needs_samples
@pytest.mark.parametrize("sample", ["planning", "social"])
def test_real_samples_have_no_placeholders(sample):
    assert [f for f in run(_sample(sample)) if f.rule == "IDN003"] == []


# --- IDN001 unit names ------------------------------------------------------------------------------------

def test_a_table_naming_another_unit_is_an_error_at_the_table():
    t = Table(key="T3", title="支出决算表", location=Location(file="x.txt", page=1, line=10))
    lines = ["2021年度收入决算表", "部门：" + UNIT] + ["x"] * 7 + ["2021 年度支出决算表（表 3）",
                                                         "部门：武汉市黄浦区人力资源和社会保障信息中心"]
    [f] = run(make_doc(lines, tables=[t]))
    assert (f.rule, f.severity, f.location.table, f.location.line) == ("IDN001", "error", "T3", 10)
    assert "黄浦区" in f.message and "黄陂区" in f.message
    assert f.related and f.related[0].line == 11


def test_a_table_publisher_is_checked_without_a_header_line():
    t = Table(key="T2", title="收入决算表", publisher="武汉市江岸区某中心", location=Location(line=5))
    [f] = run(make_doc(["标题"], tables=[t]))
    assert f.location.table == "T2" and "武汉市江岸区某中心" in f.message


@pytest.mark.parametrize("header", [
    "单位：武汉市黄陂区人力资源和社会保障信息中心 单位：万元",
    "部门： 武汉市黄陂区人力资源 和社会保障信息中心",
    "单位：万元",
    "单位：武汉市黄陂区人力资源和社会保障信息中心（本级）",
    "单位：武汉市黄陂区人力资源和社会保障信",  # a name cut at the line end
    "单位名称：武汉市人力资源和社会保障局 填报日期：2024年5月20日",  # performance forms: not a table header
])
def test_same_unit_is_fine(header):
    assert run(make_doc(["标题", header])) == []


def test_a_department_may_name_units_listed_in_its_structure():
    lines = ["二、部门决算单位构成", "纳入本部门决算编制范围的单位包括：武汉市黄陂区就业服务中心。",
             "第二部分 部门决算表", "2021年度收入决算表", "单位：武汉市黄陂区就业服务中心",
             "2021年度支出决算表", "单位：武汉市黄陂区社会保险中心"]
    found = run(make_doc(lines, scope="部门"))
    assert [f.actual for f in found] == ["武汉市黄陂区社会保险中心"]


def test_a_heading_naming_another_unit():
    lines = ["第二部分 上海市普陀区规划和自然资源局2024 年度部门决算", "上海市规划和自然资源局2024 年度部门决算表"]
    [f] = run(make_doc(lines, publisher="上海市普陀区规划和自然资源局", year=2024))
    assert f.rule == "IDN001" and f.location.line == 2 and "上海市规划和自然资源局" in f.message


def test_unit_from_the_headings_when_the_recognised_one_is_not_a_name():
    lines = ["第二部分 某某区某某局2024年度部门决算", "第三部分 某某区某某局2024年度部门决算",
             "单位：某某区另一局"]
    found = run(make_doc(lines, publisher="部门决算目录第一部分某某区某某局概况一、", year=2024))
    assert [f.actual for f in found] == ["某某区另一局"]


@needs_seeds
def test_seed_004_reports_the_huangpu_header_once():
    found = [f for f in run(load_doc_or_bare(SEED["004"])) if f.rule == "IDN001"]
    assert len(found) == 1
    f = found[0]
    assert "武汉市黄浦区人力资源和社会保障信息中心" in f.message and UNIT in f.message
    assert f.location.table or f.location.line == 151


@needs_seeds
def test_a_changed_unit_in_one_header_is_reported(tmp_path):
    path = variant(tmp_path, "000", "单位：武汉市人力资源和社会保障信息中心", "单位：武汉市人力资源和社会保障服务中心",
                   nth=3)
    found = [f for f in run(load_doc_or_bare(path)) if f.rule == "IDN001"]
    assert len(found) == 1 and "武汉市人力资源和社会保障服务中心" in found[0].message


@needs_samples
def test_planning_sample_heading_names_the_city_bureau():
    found = [f for f in run(_sample("planning")) if f.rule == "IDN001"]
    assert [f.actual for f in found] == ["上海市规划和自然资源局"]


# --- IDN002 heading years ---------------------------------------------------------------------------------

def test_a_table_with_another_year():
    t = Table(key="T3", title="支出决算表", year=2022, location=Location(line=3))
    found = run(make_doc(["2023年度收入决算表", "x", "2022年度支出决算表"], year=2023, tables=[t]))
    assert [(f.rule, f.location.table, f.actual) for f in found] == [("IDN002", "T3", "2022")]


@pytest.mark.parametrize("line,bad", [
    ("2022年度支出决算表", True),
    ("2022 年度支出决算表（表 3）", True),
    ("2022年度收入支出决算总表 公开01表", True),
    ("第二部分 武汉市社会保险中心2022年度单位决算表", True),
    ("2023年度支出决算表", False),
    ("与2022年度相比，支出决算表中……", False),  # narrative, not a heading
    ("2022年度决算数为10万元", False),
])
def test_heading_years(line, bad):
    found = run(make_doc(["武汉市社会保险中心2023年度单位决算", line], publisher="武汉市社会保险中心", year=2023))
    assert bool([f for f in found if f.rule == "IDN002"]) == bad


@needs_seeds
def test_a_changed_year_in_one_table_title_is_reported(tmp_path):
    path = variant(tmp_path, "000", "2023年度支出决算表", "2022年度支出决算表")
    found = [f for f in run(load_doc_or_bare(path)) if f.rule == "IDN002"]
    assert len(found) == 1 and found[0].actual == "2022" and found[0].expected == "2023"


# --- IDN004 identity missing ------------------------------------------------------------------------------

def test_missing_identity_is_a_warning():
    [f] = run(make_doc(["正文"], publisher=None, year=None))
    assert (f.rule, f.severity) == ("IDN004", "warning") and "年度" in f.message and "单位名称" in f.message


# --- untouched documents ----------------------------------------------------------------------------------

@needs_seeds
@pytest.mark.parametrize("seed,expected", [("000", []), ("001", []), ("002", []), ("003", []), ("004", ["IDN001"])])
def test_untouched_seeds_give_only_their_real_defects(seed, expected):
    found = run(load_doc_or_bare(SEED[seed]))
    assert [f.rule for f in found if f.severity in ("error", "warning")] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["X", "x", "×", "○", "□", "年", "月", "日", "（", "）", "(", "单位名称", "部门全称",
                                 "项目名称", "填写", "请", "根据", "如实", "如持平作持平表述", "不涉及的不列", "此处",
                                 "填", "列", "说明", "A", "1", " ", "预算"]), max_size=12).map("".join))
def test_the_quick_trigger_never_hides_a_placeholder(text):
    """A line is passed over unless it holds one of the trigger characters: every placeholder holds one."""
    from budgetdoc.check.rules.identity import _ANY_PLACEHOLDER, _TRIGGER

    if _ANY_PLACEHOLDER.search(text):
        assert _TRIGGER.search(text)
