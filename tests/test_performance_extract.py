"""Performance forms read from the seeds: how many, what kind, and exact values with their lines."""

from __future__ import annotations

import time
from decimal import Decimal as D

import pytest

from budgetdoc.read import read, read_text
from budgetdoc.recognise.performance import find_forms, find_regions
from conftest import SEED, load_doc, needs_seeds

pytestmark = needs_seeds


def forms(seed: str):
    return load_doc(SEED[seed]).performance


# seed → [(kind, stage, number of indicators)]
SHAPES = {
    "000": [("整体", "自评", 6), ("项目", "自评", 4), ("项目", "自评", 8)],
    "001": [("整体", "自评", 9), ("项目", "自评", 9)],
    "002": [("整体", "目标", 8), ("项目", "目标", 5), ("项目", "目标", 6)],
    "003": [("整体", "自评", 14), ("项目", "自评", 14)],
    "004": [("整体", "自评", 15), ("项目", "自评", 7)],
}


@pytest.mark.parametrize("seed", sorted(SHAPES))
def test_forms_per_seed(seed):
    assert [(f.kind, f.stage, len(f.indicators)) for f in forms(seed)] == SHAPES[seed]


# seed → per form (A, B, rate, execution weight, execution score, total, line of the execution row)
HEADS = {
    "000": [
        (D("2305.94"), D("1466.86"), D("63.6"), D(20), D("12.72"), D("92.72"), 1532),
        (D("1069.20"), D("444.42"), D("41.6"), D(20), D("8.31"), D("88.31"), 1699),
        (D("398.36"), D("191.76"), D("48.1"), D(20), D("9.63"), D("89.63"), 1856),
    ],
    "001": [
        (D("1587.74"), D("1587.74"), D(100), D(20), D(20), D("92.27"), 1484),
        (D("326.65"), D("326.65"), D(100), D(20), D("20.00"), D("92.27"), 1668),
    ],
    "002": [
        (D("1347.75"), None, None, None, None, None, 346),
        (D("129.27"), None, None, None, None, None, 410),
        (D("163.42"), None, None, None, None, None, 465),
    ],
    "003": [
        (D("2132.07"), D("2132.07"), D(100), D(20), D(20), D(98), 1513),
        (D("192.62"), D("192.62"), D(100), D(20), D(20), D(98), 1716),
    ],
    "004": [
        (D("201.43"), D("193.13"), D("95.88"), None, None, None, 453),
        (D(65), D(65), D(100), None, None, None, 482),
    ],
}


@pytest.mark.parametrize("seed", sorted(HEADS))
def test_execution_block(seed):
    got = [
        (f.budget, f.actual, f.rate, f.execution_weight, f.execution_score, f.total_score, f.location.line)
        for f in forms(seed)
    ]
    assert got == HEADS[seed]
    assert all(f.location.file == str(SEED[seed]) for f in forms(seed))


def test_names_and_publishers():
    f0 = forms("000")
    assert f0[0].name == "武汉市人力资源和社会保障信息中心部门整体绩效自评表"
    assert [f.name for f in f0[1:]] == ["2023年度人社信息系统化建设项目", "2023年度日常系统运行经费项目"]
    assert {f.publisher for f in f0} == {"武汉市人力资源和社会保障信息中心"}
    # a 单位名称 wrapped onto the next line is joined
    unit = "武汉市人力资源和社会保障局武汉经济技术开发区（汉南区）社会保险管理处"
    assert [f.publisher for f in forms("001")] == [unit, unit]
    assert forms("003")[1].name == "2022年度社会保险业务工作经费项目"
    assert [f.name for f in forms("002")[1:]] == ["人社信息系统运维项目", "日常系统运行经费"]
    assert forms("004")[1].name == "金保工程网络运行维护及社会保障卡日常工作经费"
    assert forms("004")[1].publisher == "武汉市黄陂区人力资源和社会保障信息中心"


def test_amounts():
    assert forms("000")[0].amounts == {"基本支出总额": D("838.38"), "项目支出总额": D("398.36")}
    assert forms("001")[0].amounts == {"基本支出总额": D("1261.09"), "项目支出总额": D("326.65")}
    assert forms("003")[0].amounts == {"基本支出总额": D("1939.45"), "项目支出总额": D("192.62")}
    whole = forms("002")[0].amounts
    assert whole["支出构成/人员类项目支出"] == D("988.85")
    assert whole["支出构成/运转类项目支出"] == D("66.21")
    assert whole["支出构成/特定目标类项目支出"] == D("292.69")
    assert whole["支出构成/合计"] == whole["收入构成/合计"] == D("1347.75")
    assert whole["项目/日常系统运行经费"] == D("292.69")
    p1, p2 = forms("002")[1].amounts, forms("002")[2].amounts
    assert p1["资金来源/合计"] == p1["支出明细测算合计"] == p1["项目总预算"] == D("129.27")
    assert p2["支出明细测算合计"] == D("163.42")
    assert forms("004")[0].amounts == {"一般公共预算财政拨款": D("201.43"), "一般公共预算执行数": D("193.13")}


def ind(seed, form, i):
    x = forms(seed)[form].indicators[i]
    return (
        x.location.line,
        x.level1,
        x.level1_weight,
        x.level2,
        x.level2_weight,
        x.name,
        x.weight,
        x.target,
        x.actual,
        x.score,
    )


def test_indicators_000_whole():
    assert ind("000", 0, 0) == (
        1581,
        "产出指标",
        D(40),
        "质量指标",
        D(20),
        "全年正常运行时间占比",
        D(20),
        "99%",
        "99%",
        D(20),
    )
    # a name wrapped over two lines, no weight of its own, three indicators under 数量指标（20分）
    assert ind("000", 0, 1) == (
        1590,
        "产出指标",
        D(40),
        "数量指标",
        D(20),
        "社保自助查询打印等业务年处理量",
        None,
        "30万笔",
        "30万笔",
        D(10),
    )
    assert ind("000", 0, 5) == (
        1612,
        "效益指标",
        D(40),
        "社会效益指标",
        D(30),
        "社会效益是否明显（是、否）",
        D(30),
        "是",
        "是",
        D(30),
    )
    assert [x.score for x in forms("000")[0].indicators] == [D(20), D(10), D(5), D(5), D(10), D(30)]


def test_indicators_000_projects():
    # “提供社保自助查询打印（5分\n）”: the weight wrapped
    assert ind("000", 2, 2) == (
        1901,
        "产出指标",
        D(40),
        "数量指标",
        D(20),
        "提供社保自助查询打印",
        D(5),
        "30万笔",
        "30万笔",
        D(5),
    )
    assert ind("000", 2, 7) == (
        1948,
        "效益指标",
        D(40),
        "服务对象满意度指标",
        D(10),
        "做好服务工作，让服务对象满意",
        D(10),
        "90%",
        "90%",
        D(10),
    )
    assert [x.weight for x in forms("000")[1].indicators] == [D(20)] * 4


def test_indicators_001():
    assert ind("001", 0, 2) == (
        1530,
        "产出指标",
        D(40),
        "数量指标",
        D(30),
        "社会保险政策宣传资料发放量",
        D(10),
        "55,000份",
        "12,500份",
        D("2.27"),
    )
    # 满意度指标（10分） after 效益's 8 + 15 + 7: a level 2 that fills 效益指标（40分）
    assert ind("001", 0, 8) == (
        1579,
        "效益指标",
        D(40),
        "满意度指标",
        D(10),
        "参保对象服务满意率",
        D(10),
        "95%",
        "95%",
        D(10),
    )
    assert sum(x.weight for x in forms("001")[1].indicators) == 80


def test_indicators_003_wrapped_values():
    # “扩面人次（10 分） 30 万人次 / 50.32 万人 / 次 / 10”
    assert ind("003", 0, 0) == (
        1550,
        "产出指标",
        D(40),
        "数量指标",
        D(20),
        "扩面人次",
        D(10),
        "30万人次",
        "50.32万人次",
        D(10),
    )
    assert ind("003", 0, 10) == (
        1599,
        "产出指标",
        D(40),
        "成本指标",
        D(5),
        "社保业务工作所需经费",
        D("2.5"),
        "≤114.35万元",
        "107.93万元",
        D("2.5"),
    )
    assert ind("003", 0, 11)[5:] == ("提升社保经办服务能力和服务水平", D(15), "有效提升", "提升", D(13))
    assert ind("003", 1, 13)[3:5] == ("服务对象满意度指标", D(10))
    assert sum(x.score for x in forms("003")[0].indicators) == 78


def test_indicators_markdown():
    # 004 整体: levels 投入/过程/产出/效果 and no weights or scores
    assert ind("004", 0, 0) == (
        458,
        "投入",
        None,
        "预算执行",
        None,
        "预算完成率",
        None,
        "预算完成率>95%",
        "95.88%",
        None,
    )
    assert ind("004", 1, 6) == (
        490,
        "效益指标",
        None,
        "服务对象满意度指标",
        None,
        "做好社保卡日常工作,让服务对象满意",
        None,
        "90%",
        "服务对象较为满意",
        None,
    )
    # 002 target forms keep the annual indicators; the target is the 预期当年实现值 column
    assert ind("002", 0, 5) == (
        390,
        "效益指标",
        None,
        "服务对象满意度指标",
        None,
        "做好服务工作,让服务对象满意",
        None,
        "99%",
        None,
        None,
    )
    assert ind("002", 0, 6)[5:8] == ("有效持卡人数", None, "1160万以上")
    # a converter shifted the cells: 质量指标 sits in the 三级指标 column
    assert ind("002", 2, 1)[3:8] == ("质量指标", None, "全年正常运行时间占比", None, "99%")


def test_rules_text():
    f = forms("000")[0]
    assert f.rules_text.startswith("备注:")
    assert "100-80(含80%)" in f.rules_text and f.rules_text.rstrip().endswith(
        "满意度指标暂可不作为必评指标。"
    )
    assert forms("003")[1].rules_text.startswith("注:")
    assert forms("002")[0].rules_text is None


def test_toc_and_narrative_headings_are_not_forms():
    # seed 002's 目录 names 表11/表12; the narrative of 000 has “(二)单位整体支出自评结果”
    src = read(str(SEED["002"]))
    titles = [r.lines[0].number for r in find_regions(src.lines(), budget=True)]
    assert titles == [346, 397, 452]
    src = read(str(SEED["000"]))
    assert [r.lines[0].number for r in find_regions(src.lines())] == [1500, 1664, 1821]


@pytest.mark.parametrize("seed", sorted(SEED))
def test_extraction_is_fast(seed):
    src = read(str(SEED[seed]))
    doc = load_doc(SEED[seed])
    t = time.perf_counter()
    for _ in range(5):
        find_forms(src, doc)
    assert (time.perf_counter() - t) / 5 < 0.05


def test_no_forms_in_plain_prose():
    src = read_text("第三部分 情况说明\n我单位组织对1个单位开展整体支出绩效自评，资金100.00万元。\n", "x.txt")
    assert find_regions(src.lines()) == []
