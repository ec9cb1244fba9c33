"""The content rules of the bureau's inspectors (CNT…, PRS…; issue 15) on the real documents of
``../shared`` and on variants of them with one defect injected.

Every finding of these rules on an untouched shared document is annotated below as a real defect of the
document, read by hand; none of them is an error (they are warnings and notes: names, years, wording,
missing details, presentation). A variant with one defect gets exactly the finding of its rule, and the
untouched document none at that place.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetdoc.check import check, registry
from budgetdoc.pipeline import run
from conftest import SAMPLE, SEED, SHARED

REAL = SHARED / "real"
JIANGSU = REAL / "jiangsu"
needs_shared = pytest.mark.skipif(not (SHARED / "seeds").is_dir() or not REAL.is_dir(),
                                  reason="../shared (seeds, samples, real) not present")

NEW = ("CNT", "PRS")


def _all_docs() -> list[Path]:
    out = [*SEED.values(), *SAMPLE.values()]
    if REAL.is_dir():
        out += sorted(p for p in REAL.iterdir() if p.suffix in (".pdf", ".txt"))
    if JIANGSU.is_dir():
        out += sorted(p for p in JIANGSU.iterdir() if p.suffix == ".pdf")
    return out


# The real defects the content rules find in the shared documents, read by hand: (rule, words of the
# message). Each entry is a defect of the document as published.
REAL_DEFECTS: dict[str, list[tuple[str, str]]] = {
    # 单位决算 2023: the glossary names the 类 without its 支出 (the narrative says 社会保障和就业支出(类));
    # “我单位在2023年度部门决算中” in a 单位决算; “本单位当年无国有资本经营预算财政拨款支出” without its 。
    "000_2c66e0ecf27fbfcb.txt": [
        ("CNT002", "社会保障和就业(类)人力资源和社会保障管理事务(款)信息化建设(项)"),
        ("CNT002", "社会保障和就业(类)行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）"),
        ("CNT002", "其他人力资源和社会保障管理事务支出(项)"),
        ("CNT002", "事业运行（项）"),
        ("CNT002", "事业单位离退休（项）"),
        ("CNT006", "部门决算中"),
        ("PRS002", "本单位当年无国有资本经营预算财政拨款支出"),
    ],
    "001_fc6be2b843b45ac4.txt": [],
    # 单位预算 2026: the closing note “本报告中金额转化为万元时，四舍五入可能存在尾差” has no 。
    "002_a1c489479f055e8b.txt": [
        ("PRS002", "職業年金支出（含職業年金补记支出）"),
        ("PRS002", "四舍五入可能存在尾差"),
    ],
    "003_6ab85edfcea3f354.txt": [],
    # 部门决算 2021: “单位主要职能如下” and a glossary whose levels are shifted (“行政事业单位养老支出(类)
    # 机关事业单位养老支出(款)”) in a 部门决算 (“单位机构设置、编制…情况” is a row of the 整体支出自评 form, the
    # form's own wording, not prose)
    "004_74e23b9d16a4c68a.txt": [
        ("CNT006", "单位主要职能"),
        ("CNT002", "行政事业单位养老支出(类)机关事业单位养老支出(款)"),
    ],
    # the official template: its instructions and XX are all still there (IDN003 says the XX)
    "shanghai-2024-final-template.pdf": [
        ("CNT005", "仅有一个单位的部门"), ("CNT005", "按上述格式依次说明"), ("CNT005", "减少（增加）"),
        ("CNT005", "作下述说明"), ("CNT005", "按上述格式依次说明"), ("CNT005", "作下述说明"),
        ("CNT005", "按上述格式依次说明"), ("CNT005", "作下述说明"), ("CNT005", "作下述说明"),
        *[("CNT007", "主要原因")] * 13,
        ("CNT013", "政府采购"), ("CNT014", "机构设置"),
        *[("PRS001", "。。。")] * 5,
        ("PRS002", "仅有一个单位的部门"), ("PRS002", "不涉及的不列"),
    ],
    # 部门决算 2024: “其他国土资源事务支出（项）” (renamed in 2019); “住房保障支出（类）住房保障支出（款）” (the 款
    # is 住房改革支出); “下降（增长）27.78%” left from the template; item 7 of 主要职能 without its 。; the
    # bracket “（其中，绩效评级为…” never closed
    "shanghai-putuo-planning-2024-final.pdf": [
        ("CNT001", "其他国土资源事务支出"),
        ("CNT002", "住房保障支出（类）住房保障支出（款）住房公积金（项）"),
        ("CNT002", "住房保障支出（类）住房保障支出（款）购房补贴（项）"),
        ("CNT005", "下降（增长）"),
        ("PRS002", "实行跟踪监督"),
        ("PRS003", "（其中，绩效评级为"),
    ],
    # 部门决算 2024 of a department founded in 2024: “增加307.82万元，增长100.00%” from nothing, four times
    "shanghai-putuo-social-work-2024-final.pdf": [
        ("CNT011", "增长100.00%"), ("CNT011", "增长100.00%"), ("CNT011", "增长100.00%"), ("CNT011", "增长100.00%"),
    ],
    # 部门预算 2024: “增加100.00%” over 0.00; the 三公 table prints 47.91 above “本表为空表”; its title lacks
    # 2024年; 建筑面积 8013 + 5356 ≠ 13459 and 计容 7998 + 不计容 105 ≠ 8013
    "shanghai-putuo-2024-dept-budget-wanli.pdf": [
        ("CNT011", "其他教育支出"),
        ("CNT010", "本表为空表"),
        ("CNT004", "未写年度"),
        ("CNT012", "13459"),
        ("CNT012", "7998 + 105"),
    ],
    # 单位预算 2024: “医疗卫生与计划生育支出（类）” in 2024; “主要原因是。”; “（增加内容）” left in; the
    # 三公 table's title lacks 2024年
    "shanghai-putuo-2024-unit-budget-welfarehome.pdf": [
        ("CNT001", "医疗卫生与计划生育支出"),
        ("CNT007", "主要原因是"),
        ("CNT005", "增加内容"),
        ("CNT004", "未写年度"),
    ],
    # 部门预算 2025: six “（款)” of two widths; the project's 实施方案 ends without 。
    "shanghai-putuo-2025-dept-budget-commerce.pdf": [
        *[("CNT003", "全角、半角不一致")] * 6,
        ("PRS002", "按程序落实专项资金拨付"),
    ],
    "shanghai-putuo-2025-unit-budget-commerce.pdf": [*[("CNT003", "全角、半角不一致")] * 6],
    # 部门决算 2025: old names (文化体育与传媒支出, 行政事业单位离退休 ×5, 归口管理的行政单位离退休), 一般公共服务(类)
    # without 支出 ×7 (the others print 支出), “统计信息事务（项）”, 其他公共安全支出 under 司法, 其他社区城乡管理事务支出
    # (its characters transposed), “大小于”, “减增加”
    "shanghai-putuo-2025-dept-final-shiquan.txt": [
        ("CNT001", "文化体育与传媒支出"),
        *[("CNT001", "行政事业单位离退休（款）")] * 5,
        ("CNT001", "归口管理的行政单位离退休"),
        ("CNT002", "统计信息事务（款）统计信息事务（项）"),
        *[("CNT002", "一般公共服务（类）")] * 6,
        ("CNT002", "“一般公共服务”"),
        ("CNT002", "司法（款）其他公共安全支出（项）"),
        ("CNT002", "其他社区城乡管理事务支出"),
        ("CNT009", "大小于"),
        ("CNT009", "减增加"),
    ],
    # 部门预算 2026 (both extractions): the template's “（包括总目标、年度目标、分解目标等，具体见表格）” under
    # 七、绩效目标
    "shanghai-putuo-2026-dept-budget-citymgmt.txt": [("CNT005", "包括总目标")],
    "shanghai-putuo-2026-dept-budget-citymgmt.cellperline.txt": [("CNT005", "包括总目标")],
    "jiangsu-province-2017-dept-budget-npcoffice.pdf": [],
    # 2018 and 2019: the template's “增加（减少）0万元，增长（减少）0%” kept; “减少了该项支出。。”; the 类 named
    # without its 支出 (“一般公共服务（类）”, “社会保障和就业（类）”) and 款 called 类 (“行政事业单位离退休（类）”,
    # “住房改革支出（类）”) in the list of items (the 2018/2019 codes: 201 一般公共服务支出, 20805, 22102)
    "jiangsu-province-2018-dept-budget-npcoffice.pdf": [
        *[("CNT005", "增加（减少）")] * 7, ("PRS001", "。。"),
        ("CNT002", "“一般公共服务”应为“一般公共服务支出”"), ("CNT002", "“社会保障和就业”应为“社会保障和就业支出”"),
        *[("CNT002", "“行政事业单位离退休”是款级科目名称")] * 3, *[("CNT002", "“住房改革支出”是款级科目名称")] * 2,
    ],
    "jiangsu-province-2019-dept-budget-npcoffice.narrative.pdf": [
        *[("CNT005", "增加（减少）")] * 7,
        ("CNT002", "“一般公共服务”应为“一般公共服务支出”"), ("CNT002", "“社会保障和就业”应为“社会保障和就业支出”"),
        *[("CNT002", "“行政事业单位离退休”是款级科目名称")] * 3, *[("CNT002", "“住房改革支出”是款级科目名称")] * 2,
    ],
    "jiangsu-province-2019-dept-budget-npcoffice.tables.pdf": [],
    # “一般公共服务（类）” without its 支出
    "jiangsu-province-2019-dept-budget-partyoffice.narrative.pdf": [("CNT002", "“一般公共服务”应为“一般公共服务支出”")],
    "jiangsu-province-2019-dept-budget-partyoffice.tables.pdf": [],
}


@needs_shared
@pytest.mark.parametrize("path", _all_docs(), ids=lambda p: p.name)
def test_real_documents_content_defects(path: Path) -> None:
    """The content rules find the annotated real defects of each shared document, and nothing else."""
    if not path.exists():
        pytest.skip(f"{path} not present")
    _, rep = run(path)
    got = sorted((f.rule, f.message) for f in rep.findings if f.rule.startswith(NEW))
    want = REAL_DEFECTS[path.name]
    assert len(got) == len(want), "\n".join(f"{r} {m}" for r, m in got)
    left = list(got)
    for rule, words in want:
        hit = next((g for g in left if g[0] == rule and words in g[1]), None)
        assert hit is not None, f"{rule} “{words}” not found in:\n" + "\n".join(f"{r} {m}" for r, m in left)
        left.remove(hit)
    assert not [f for f in rep.findings if f.rule.startswith(NEW) and f.severity == "error"]


# ------------------------------------------------------------------ variants of the text documents

CITYMGMT = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
SHIQUAN = REAL / "shanghai-putuo-2025-dept-final-shiquan.txt"


def _variant(tmp_path: Path, src: Path, edit) -> Path:
    lines = src.read_text("utf-8").split("\n")
    edit(lines)
    out = tmp_path / src.name
    out.write_text("\n".join(lines), "utf-8")
    return out


def _after(words: str, new: str):
    """Insert a line ``new`` after the first line holding ``words``."""
    def edit(lines: list[str]) -> None:
        i = next(i for i, ln in enumerate(lines) if words in ln)
        lines.insert(i + 1, new)
    return edit


def _sub(words: str, old: str, new: str):
    """Replace ``old`` by ``new`` on every line holding ``words`` (a page the extractor printed twice gets
    the defect in both copies, as the PDF would)."""
    def edit(lines: list[str]) -> None:
        hits = [i for i, ln in enumerate(lines) if words in ln]
        assert hits and all(old in lines[i] for i in hits)
        for i in hits:
            lines[i] = lines[i].replace(old, new, 1)
    return edit


def _sub1(words: str, old: str, new: str):
    """Replace ``old`` by ``new`` on the first line holding ``words`` only."""
    def edit(lines: list[str]) -> None:
        i = next(i for i, ln in enumerate(lines) if words in ln)
        lines[i] = lines[i].replace(old, new, 1)
    return edit


def _new(base: Path, variant: Path, rule: str) -> list:
    before = {(f.rule, re.sub(r"第\d+[页行]", "", f.message)) for f in run(base)[1].findings}
    return [f for f in run(variant)[1].findings
            if f.rule.startswith(NEW) and (f.rule, re.sub(r"第\d+[页行]", "", f.message)) not in before]


VARIANTS = [
    # (rule, source, edit, words of the finding)
    ("CNT001", CITYMGMT, _sub("6. “卫生健康支出（类）", "卫生健康支出（类）", "医疗卫生与计划生育支出（类）"), "已于2019年更名为“卫生健康支出”"),
    ("CNT002", CITYMGMT, _sub("城管执法（项）”3377.56", "城乡社区管理事务（款）", "城乡社区环境卫生（款）"), "不在“城乡社区环境卫生”之下"),
    ("CNT003", CITYMGMT, _sub("城管执法（项）”3377.56", "城乡社区支出（类）", "城乡社区支出（212类）"), "括号内不应写科目编码"),
    ("CNT004", CITYMGMT, _sub("2026年1月1日-2026年12月31日", "2026年1月1日-2026年12月31日",
                             "2025年1月1日-2025年12月31日"), "实施周期"),
    ("CNT004", CITYMGMT, _after("（三）公务接待费0.46万元", "2025年预算安排的公务接待均按规定执行。"), "2025年预算安排"),
    ("CNT005", CITYMGMT, _sub("财政拨款收入支出减少的主要原因", "减少的主要原因", "增加（减少）的主要原因"), "增加（减少）"),
    ("CNT006", CITYMGMT, _sub("2026年部门预算安排购置车辆5辆", "2026年部门预算安排", "2026年单位预算安排"), "单位预算安排"),
    ("CNT007", CITYMGMT, _sub("主要原因是严控公车运维科目开支", "主要原因是严控公车运维科目开支", "主要原因是"), "之后没有写明原因"),
    ("CNT008", CITYMGMT, _sub1("编制部门：普陀区城市管理行政执法局 单位：元", "普陀区城市管理行政执法局 ", ""), "未填写"),
    ("CNT009", CITYMGMT, _sub("政府性基金拨款支出预算0万元，与2025年预算持平", "与2025年预算持平", "与2025年预算增加持平"),
     "增加持平"),
    ("CNT012", CITYMGMT, _sub("执法执勤用车63辆", "执法执勤用车63辆", "执法执勤用车60辆"), "与总数 63辆 不符"),
    ("CNT013", SHIQUAN, _sub("公务用车保有量为 8 辆", "保有量为 8 辆", "在用数为 8 辆"), "保有量"),
    ("PRS001", CITYMGMT, _sub("7.承办区政府交办的其他事项。", "其他事项。", "其他事项。。"), "重复"),
    ("PRS002", CITYMGMT, _sub("7.承办区政府交办的其他事项。", "其他事项。", "其他事项"), "缺少句号"),
    ("PRS003", CITYMGMT, _sub("7.承办区政府交办的其他事项。", "其他事项。", "“其他事项。"), "缺少与之配对"),
    ("PRS004", CITYMGMT, _sub("7.承办区政府交办的其他事项。", "其他事项。", "其他\ue5e5事项。"), "无法显示"),
    ("PRS005", CITYMGMT, _sub("七、项目经费情况说明 ……", "\f", "\f\f"), "空白页（位于目录之后）"),
]


@needs_shared
@pytest.mark.parametrize("rule,src,edit,words", VARIANTS, ids=[f"{v[0]}-{i}" for i, v in enumerate(VARIANTS)])
def test_one_defect_one_finding(tmp_path: Path, rule: str, src: Path, edit, words: str) -> None:
    """A real document with one defect injected gets exactly that defect's finding from the content rules."""
    variant = _variant(tmp_path, src, edit)
    new = _new(src, variant, rule)
    assert [f.rule for f in new] == [rule], [f"{f.rule} {f.message}" for f in new]
    assert words in new[0].message, new[0].message


@needs_shared
def test_zero_base_and_empty_note_on_text(tmp_path: Path) -> None:
    variant = _variant(tmp_path, CITYMGMT, _after("（三）公务接待费0.46万元",
                                                  "调研经费上年为0万元，比上年增加5.00万元，增长100%。"))
    assert [f.rule for f in _new(CITYMGMT, variant, "CNT011")] == ["CNT011"]


@needs_shared
def test_pdf_variant_blank_page_after_toc(tmp_path: Path) -> None:
    """A PDF with a blank page inserted after its 目录: one note, on that page."""
    import pymupdf

    src = REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf"
    out = tmp_path / src.name
    with pymupdf.open(src) as pdf:
        rect = pdf[1].rect
        pdf.new_page(pno=2, width=rect.width, height=rect.height)
        pdf.save(out)
    blank = [f for f in run(out)[1].findings if f.rule == "PRS005"]
    assert len(blank) == 1 and blank[0].location.page == 3 and "目录之后" in blank[0].message


@needs_shared
def test_pdf_variant_old_name_in_place(tmp_path: Path) -> None:
    """A PDF whose narrative names 卫生健康支出 by its pre-2019 name (edited in place on the page)."""
    import pdf_edit

    src = REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf"
    out = tmp_path / src.name
    pdf_edit.replace_text(src, out, 8, "卫生健康支出（类）行政事业单位医疗（款)行政", "医疗卫生与计划生育支出（类）行政")
    new = _new(src, out, "CNT001")
    assert [f.rule for f in new] == ["CNT001"] and new[0].location.page == 8


# ------------------------------------------------------------------ properties

@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("（）()“”。，；：类款项支出卫生健康一二三0123456789其中辆个平方米增加减少持平为元万%")),
               max_size=80))
def test_content_rules_never_fail_on_any_sentence(text: str) -> None:
    """Whatever sentence a narrative holds, the content rules read it without an error of their own and
    without an error-level finding."""
    from budgetdoc.read import read_text
    from budgetdoc.recognise import recognise

    base = ("上海市普陀区2026年区级部门预算\n预算主管部门：上海市普陀区示例局\n2026年部门预算编制说明\n"
            "2026年，上海市普陀区示例局收入预算100.00万元，其中：财政拨款收入100.00万元，比2025年预算增加10.00万元。\n")
    doc = recognise(read_text(base + text.replace("\f", "") + "\n其他相关情况说明\n机关运行经费预算为1.00万元。\n",
                              "fixture.txt"))
    rules = [rid for rid in registry() if rid.startswith(NEW)]
    rep = check(doc, rules)
    assert not [f for f in rep.findings if f.severity == "error"], [f.message for f in rep.findings]
    assert not [f for f in rep.findings if "出错" in f.message]


def test_every_content_rule_has_a_variant_or_fixture() -> None:
    tested = {v[0] for v in VARIANTS} | {"CNT010", "CNT011", "CNT014"}
    fixtures = {p.stem for p in (Path(__file__).parent / "fixtures" / "rules").glob("*.toml")}
    missing = [rid for rid in registry() if rid.startswith(NEW) and rid not in tested | fixtures]
    assert not missing


def test_no_new_rule_is_an_error_by_default() -> None:
    """Names, years, wording and missing details are warnings, punctuation and presentation notes."""
    for rid, cls in registry().items():
        if rid.startswith("PRS"):
            assert cls.severity == "info" and cls.category == "presentation", rid
        elif rid.startswith("CNT"):
            assert cls.severity in ("warning", "info") and cls.category == "content", rid
