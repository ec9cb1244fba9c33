"""Cross-document rules (budgetdoc.corpus): disagreements injected into real pairs are found, located in one
document with the other named in ``related``; the untouched pairs stay quiet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from budgetdoc.corpus import (
    check_together,
    detach,
    listed_units,
    members_of,
    pair_rule_registry,
    pair_rules_markdown,
)
from conftest import REPO, SEED, SHARED, load_doc, needs_seeds

REAL = SHARED / "real"
DEPT = REAL / "shanghai-putuo-2025-dept-budget-commerce.pdf"
UNIT = REAL / "shanghai-putuo-2025-unit-budget-commerce.pdf"
needs_real = pytest.mark.skipif(not DEPT.is_file() or not UNIT.is_file(), reason="shared/real not present")

NAME = "武汉市人力资源和社会保障信息中心"
# the 2023 一般公共预算支出表 the 2023 决算 of seed 000 quotes (its 年初预算 by 项, their sums): code, name,
# 合计, 基本支出 (= 人员经费), 项目支出
ROWS = [
    ("", "合计", "2,305.94", "838.38", "1,467.56"),
    ("208", "社会保障和就业支出", "2,123.97", "656.41", "1,467.56"),
    ("20801", "人力资源和社会保障管理事务", "2,045.38", "577.82", "1,467.56"),
    ("2080108", "信息化建设", "1,069.20", "", "1,069.20"),
    ("2080150", "事业运行", "577.82", "577.82", ""),
    ("2080199", "其他人力资源和社会保障管理事务支出", "398.36", "", "398.36"),
    ("20805", "行政事业单位养老支出", "78.59", "78.59", ""),
    ("2080502", "事业单位离退休", "8.90", "8.90", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "69.69", "69.69", ""),
    ("210", "卫生健康支出", "86.34", "86.34", ""),
    ("21011", "行政事业单位医疗", "86.34", "86.34", ""),
    ("2101102", "事业单位医疗", "43.39", "43.39", ""),
    ("2101199", "其他行政事业单位医疗支出", "42.95", "42.95", ""),
    ("221", "住房保障支出", "95.63", "95.63", ""),
    ("22102", "住房改革支出", "95.63", "95.63", ""),
    ("2210201", "住房公积金", "60.55", "60.55", ""),
    ("2210202", "提租补贴", "11.77", "11.77", ""),
    ("2210203", "购房补贴", "23.31", "23.31", ""),
]


def budget_text(year: int = 2023, rows: list[tuple[str, ...]] = ROWS, sangong: str = "1.29",
                narrative: list[str] = ()) -> str:
    """A minimal 单位预算 of seed 000's unit in seed 002's form (markdown headings, tab-separated cells): its
    一般公共预算支出表 and 三公 table carry the 年初预算 amounts seed 000's 2023 决算 quotes."""
    out = [f"# {NAME} {year} 年单位预算", "", f"## 第二部分 {NAME} {year} 年单位预算表", "", "表 5-1", "",
           "## 一般公共预算支出表(分功能科目)", "", f"单位：{NAME}", "", "单位：万元", "",
           "科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出", "\t\t\t小计\t人员经费\t公用经费\t"]
    out += ["\t".join([code, name, total, basic, basic, "", project]) for code, name, total, basic, project in rows]
    out += ["", "表 7", "", "## 一般公共预算“三公”经费支出表", "", f"单位：{NAME}", "", "单位：万元", "",
            "“三公”经费合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费",
            "\t\t小计\t公务用车购置费\t公务用车运行维护费\t", f"{sangong}\t\t{sangong}\t\t{sangong}\t", ""]
    if narrative:
        out += [f"## 第三部分 {NAME} {year} 年单位预算情况说明", "", "## 五、一般公共预算支出安排情况", "",
                "### (三) 一般公共预算拨款具体使用情况。", "", *(x for n in narrative for x in (n, ""))]
    return "\n".join(out) + "\n"


def with_row(code: str, amount: str) -> list[tuple[str, ...]]:
    """ROWS with one 项's 合计 and 基本支出 changed (its parents left as they are)."""
    return [(c, n, amount, amount, p) if c == code else (c, n, t, b, p) for c, n, t, b, p in ROWS]


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def next_year(text: str) -> str:
    """Seed 000 edited into its unit's 2024 决算: every year +1, and each comparison with last year states
    no change, so last year's amounts are seed 000's current ones."""
    text = re.sub(r"(?<![\d,.])2023(?!\d)", "2024", text)
    text = re.sub(r"(?<![\d,.])2022(?!\d)", "2023", text)
    text, n = re.subn(r"减少\s*310\.64\s*万元，下降\s*17\.5\s*%", "增加0.00万元，增长0.0%", text)
    assert n == 5
    return text


def run(*paths: Path, **kw) -> list:
    return check_together([load_doc(p) for p in paths], **kw)


def names(findings: list) -> list[tuple[str, str | None, str | None]]:
    return [(f.rule, f.location.file, f.related[0].file if f.related else None) for f in findings]


# ---------------------------------------------------------------------------------------------------------
# 决算 N against 预算 N


@needs_seeds
def test_final_against_its_budget_is_quiet_when_they_agree(tmp_path: Path) -> None:
    budget = write(tmp_path / "budget-2023.txt", budget_text())
    doc = load_doc(budget)
    assert (doc.identity.kind, doc.identity.year, doc.identity.publisher) == ("预算", 2023, NAME)
    assert doc.table("B5_1").value("2080150", "total") is not None and doc.table("B7") is not None
    assert run(SEED["000"], budget) == []


@needs_seeds
def test_final_quotes_a_budget_amount_the_budget_never_had(tmp_path: Path) -> None:
    budget = write(tmp_path / "budget-2023.txt", budget_text(rows=with_row("2080150", "587.82")))
    found = run(SEED["000"], budget)
    assert [f.rule for f in found] == ["XDC001"], found
    f = found[0]
    assert f.severity == "error" and f.location.file == str(SEED["000"]) and f.location.line
    assert "577.82" in f.message and "587.82" in f.message and "2080150" in f.message
    rel = f.related[0]
    assert (rel.file, rel.table, rel.row, rel.column) == (str(budget), "B5_1", "2080150", "total")


@needs_seeds
def test_sangong_budget_column_against_the_budget_sangong_table(tmp_path: Path) -> None:
    budget = write(tmp_path / "budget-2023.txt", budget_text(sangong="1.50"))
    found = run(SEED["000"], budget)
    assert found and {f.rule for f in found} == {"XDC001"}
    # (seed 000 prints 1.29 for its 预算 公务用车 without saying 购置 or 运行: that cell is a guess, not compared)
    assert {f.location.column for f in found} == {"budget_total", "budget_car"}
    assert all(f.location.table == "T9" and f.related[0].table == "B7" and "1.50" in f.message for f in found)


# ---------------------------------------------------------------------------------------------------------
# 决算 N's 上年 figures against 决算 N-1; 预算 N's 上年预算 / 预算执行数 against 预算 N-1 / 决算 N-1


@needs_seeds
def test_next_years_final_quotes_last_years_amounts(tmp_path: Path) -> None:
    text = next_year(SEED["000"].read_text("utf-8"))
    same = write(tmp_path / "final-2024.txt", text)
    assert load_doc(same).identity.year == 2024
    assert run(SEED["000"], same) == []
    assert text.count("支出增加0.00万元，增长0.0%") == 1
    changed = write(tmp_path / "final-2024-changed.txt",
                    text.replace("支出增加0.00万元，增长0.0%", "支出增加10.00万元，增长0.7%"))
    found = run(SEED["000"], changed)
    assert names(found) == [("XDC002", str(changed), str(SEED["000"]))], found
    assert "1,456.86" in found[0].message and "1,466.86" in found[0].message
    assert (found[0].related[0].table, found[0].related[0].row) == ("T5", "合计")


@needs_seeds
def test_budget_compares_with_last_years_budget_and_execution(tmp_path: Path) -> None:
    b2023 = write(tmp_path / "budget-2023.txt", budget_text())

    def b2024(change: str, rate: str, exec_change: str, exec_rate: str) -> str:
        lead = "1.社会保障和就业支出(类)人力资源和社会保障管理事务(款)事业运行(项)2024年预算数600.00万元，"
        return budget_text(2024, rows=with_row("2080150", "600.00"), narrative=[
            f"{lead}比2023年预算增加{change}万元，增长{rate}%。",
            f"2{lead[1:]}比2023年预算执行数增加{exec_change}万元，增长{exec_rate}%。"])

    # last year's budget 577.82 (the 2023 预算), last year's execution 571.02 (seed 000's T5)
    same = write(tmp_path / "budget-2024.txt", b2024("22.18", "3.84", "28.98", "5.08"))
    assert run(SEED["000"], b2023, same) == []
    changed = write(tmp_path / "budget-2024-changed.txt", b2024("12.18", "2.07", "38.98", "6.95"))
    found = run(SEED["000"], b2023, changed)
    assert [(f.rule, f.severity) for f in found] == [("XDC003", "error"), ("XDC003", "warning")], found
    assert found[0].related[0].file == str(b2023) and "587.82" in found[0].message
    assert found[1].related[0].file == str(SEED["000"]) and found[1].related[0].table == "T5"
    assert all(f.location.file == str(changed) for f in found)


# ---------------------------------------------------------------------------------------------------------
# a department against its units


@needs_real
def test_department_lists_its_one_unit() -> None:
    assert listed_units(load_doc(DEPT)) == ["上海市普陀区商务委员会"]  # 中小企业服务中心 不单列预算


@needs_real
def test_department_equals_its_only_unit_until_one_amount_is_changed(tmp_path: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    from pdf_edit import replace_text

    assert run(DEPT, UNIT) == []
    # 机关运行经费 is in no identity of its table: the unit's table stays consistent with itself
    cell = load_doc(UNIT).table("B7").find("合计").cell("running")
    assert cell.text == "171.01"
    edit = replace_text(UNIT, tmp_path / "unit.pdf", cell.location.page, cell.text, "181.01",
                        clip=pymupdf.Rect(cell.location.bbox))
    found = run(DEPT, edit.path)
    assert [(f.rule, f.severity) for f in found] == [("XDC004", "error")], found
    f = found[0]
    assert (f.location.file, f.location.table, f.location.row, f.location.column) == (
        str(DEPT), "B7", "合计", "running")
    assert (f.related[0].file, f.related[0].row) == (str(edit.path), "合计")
    assert "171.01" in f.message and "181.01" in f.message
    # as the CLI's workers send them back: without their lines, the department's units kept aside
    pairs = [detach(load_doc(p).model_copy()) for p in (DEPT, edit.path)]
    assert pairs[0][0].lines() == [] and load_doc(DEPT).lines()
    assert members_of(pairs) == {"上海市普陀区商务委员会": ["上海市普陀区商务委员会"]}
    again = check_together([d for d, _ in pairs], members=members_of(pairs))
    assert [(g.rule, g.message) for g in again] == [(f.rule, f.message)]


@needs_real
def test_department_with_units_not_all_given_only_says_what_is_certain(tmp_path: Path) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    from pdf_edit import replace_text

    members = {"上海市普陀区商务委员会": ["上海市普陀区商务委员会", "上海市普陀区某某服务中心"]}
    assert run(DEPT, UNIT, members=members) == []
    cell = load_doc(UNIT).table("B7").find("合计").cell("running")
    edit = replace_text(UNIT, tmp_path / "unit.pdf", cell.location.page, cell.text, "181.01",
                        clip=pymupdf.Rect(cell.location.bbox))
    found = run(DEPT, edit.path, members=members)
    assert [(f.rule, f.severity, f.location.column) for f in found] == [("XDC004", "warning", "running")], found
    edit = replace_text(UNIT, tmp_path / "unit2.pdf", cell.location.page, cell.text, "161.01",
                        clip=pymupdf.Rect(cell.location.bbox))
    assert run(DEPT, edit.path, members=members) == []  # a unit's amount below the department's: no finding


@needs_real
@pytest.mark.parametrize("members", [None, {"上海市普陀区商务委员会": ["上海市普陀区商务委员会", "上海市普陀区某某服务中心"]}])
def test_unit_cell_failing_its_own_identities_is_not_compared(tmp_path: Path, members) -> None:
    """The unit prints 64,840,547.00 as 项目支出 of 2011302 (its 合计 says 4,545,000.00): its own ARI001 and
    ARI003 say so; the department, which prints 4,545,000.00, is not blamed (nor told it is below it)."""
    pymupdf = pytest.importorskip("pymupdf")
    from budgetdoc.check import check
    from pdf_edit import replace_text

    cell = load_doc(UNIT).table("B5_1").find("2011302").cell("project")
    assert cell.text == "4,545,000.00"
    edit = replace_text(UNIT, tmp_path / "unit.pdf", cell.location.page, cell.text, "64,840,547.00",
                        clip=pymupdf.Rect(cell.location.bbox))
    own = {(f.rule, f.location.row) for f in check(load_doc(edit.path)).findings if f.severity == "error"}
    assert own == {("ARI001", "2011302"), ("ARI003", "20113")}
    assert run(DEPT, edit.path, members=members) == []
    # the same misprint in the department: its own ARI001 says it, no XDC004 against the unit either
    dept_cell = load_doc(DEPT).table("B5_1").find("2011302").cell("project")
    dept = replace_text(DEPT, tmp_path / "dept.pdf", dept_cell.location.page, dept_cell.text, "64,840,547.00",
                        clip=pymupdf.Rect(dept_cell.location.bbox))
    assert run(dept.path, UNIT, members=members) == []


# ---------------------------------------------------------------------------------------------------------
# a unit's name across years, and the rules' documentation


@needs_seeds
def test_unit_named_another_way_next_year(tmp_path: Path) -> None:
    text = next_year(SEED["000"].read_text("utf-8")).replace(NAME, NAME.replace("和社会", "与社会"))
    renamed = write(tmp_path / "final-2024-renamed.txt", text)
    found = run(SEED["000"], renamed)
    assert [(f.rule, f.severity, f.location.file, f.related[0].file) for f in found] == [
        ("XDC005", "warning", str(renamed), str(SEED["000"]))], found


@needs_seeds
def test_a_neighbouring_unit_one_character_apart_is_not_a_misspelling(tmp_path: Path) -> None:
    """Next year's 决算 of a unit whose name is one character from seed 000's (黄浦/黄陂, 石泉路/甘泉路,
    财政局/民政局 …) and whose “与2023年度相比” figures are not seed 000's amounts: another unit, no finding;
    nor when the register lists both names, even with figures that continue seed 000's."""
    text = re.sub(r"(?<![\d,.])2023(?!\d)", "2024", SEED["000"].read_text("utf-8"))
    text = re.sub(r"(?<![\d,.])2022(?!\d)", "2023", text)
    other = write(tmp_path / "final-2024-other.txt", text.replace(NAME, NAME.replace("和社会", "与社会")))
    assert run(SEED["000"], other) == []
    renamed = write(tmp_path / "final-2024-renamed.txt",
                    next_year(SEED["000"].read_text("utf-8")).replace(NAME, NAME.replace("和社会", "与社会")))
    register = {"武汉市人力资源和社会保障局": [NAME, NAME.replace("和社会", "与社会")]}
    assert run(SEED["000"], renamed, members=register) == []
    assert [f.rule for f in run(SEED["000"], renamed, members={"武汉市人力资源和社会保障局": [NAME]})] == ["XDC005"]


@needs_seeds
def test_all_documents_together_are_quiet() -> None:
    paths = sorted(SEED.values()) + sorted((SHARED / "samples").glob("*.pdf")) + sorted(REAL.glob("*.pdf")) \
        + sorted(REAL.glob("*.txt"))
    docs = [load_doc(p) for p in paths if p.is_file()]
    assert check_together(docs) == []


def test_every_pair_rule_is_documented_and_in_the_readme() -> None:
    for rid, cls in pair_rule_registry().items():
        assert rid.startswith("XDC") and cls.category == "cross-document"
        doc = cls.__doc__ or ""
        assert "Bad:" in doc and "Good:" in doc, rid
    text = (REPO / "README.md").read_text("utf-8")
    block = re.search(r"<!-- pair-rules:start -->\n(.*?)<!-- pair-rules:end -->", text, re.S)
    assert block and block.group(1) == pair_rules_markdown(), "run: python scripts/update_readme.py"


@needs_seeds
def test_stored_documents_without_their_lines_are_checked_the_same(tmp_path: Path) -> None:
    """The store keeps the model as JSON (no source lines): the pair rules read the same findings."""
    from budgetdoc.model import Disclosure

    budget = write(tmp_path / "budget-2023.txt", budget_text(rows=with_row("2080150", "587.82")))
    docs = [load_doc(SEED["000"]), load_doc(budget)]
    stored = [Disclosure.model_validate_json(d.model_dump_json()) for d in docs]
    assert stored[0].lines() == []
    assert [(f.rule, f.message, f.related) for f in check_together(stored)] == [
        (f.rule, f.message, f.related) for f in check_together(docs)]


@needs_seeds
def test_check_lists_cross_document_findings_with_the_document_they_are_in(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from budgetdoc.cli import cli

    budget = write(tmp_path / "budget-2023.txt", budget_text(rows=with_row("2080150", "587.82")))
    args = ["check", "--jobs", "1", str(SEED["000"]), str(budget)]
    res = CliRunner().invoke(cli, [*args, "--format", "json"])
    out = json.loads(res.output)
    assert [o["source"] for o in out] == [str(SEED["000"]), str(budget)]
    cross = [f for f in out[0]["findings"] if f["rule"].startswith("XDC")]
    assert [(f["rule"], f["category"], f["related"][0]["file"]) for f in cross] == [
        ("XDC001", "cross-document", str(budget))]
    assert not any(f["rule"].startswith("XDC") for f in out[1]["findings"])
    text = CliRunner().invoke(cli, args).output
    line = next(x for x in text.splitlines() if "XDC001" in x)
    assert "跨文件" in line and "587.82" in text
    alone = CliRunner().invoke(cli, ["check", "--format", "json", str(SEED["000"])]).output
    assert "XDC" not in alone


def _doc(source: str, publisher: str, scope: str, unit: str, amount: str, kind: str = "预算", year: int = 2025):
    """A hand-built document: one 一般公共预算支出表 with a 合计 and one 项 row in ``unit``."""
    from decimal import Decimal

    from budgetdoc.model import Cell, Column, Disclosure, Identity, Row, Table

    rows = [Row(code=code, name=name, key=code or name, cells=[Cell(column="total", value=Decimal(amount),
                                                                     text=amount, read="header")])
            for code, name in (("", "合计"), ("2010301", "行政运行"))]
    table = Table(key="B5_1", title="一般公共预算支出表", unit=unit, columns=[Column(id="total", label="合计")],
                  rows=rows)
    return Disclosure(source=source, identity=Identity(publisher=publisher, scope=scope, kind=kind, year=year,
                                                       unit=unit), tables=[table])


def test_department_is_the_sum_of_all_its_units_in_any_unit_of_amount() -> None:
    members = {"上海市某某局": ["上海市某某局", "普陀区某某中心"]}  # the register's second name lacks its region
    office = _doc("office.txt", "上海市某某局", "单位", "元", "10000.00")  # 1.00 万元
    centre = _doc("centre.txt", "上海市普陀区某某中心", "单位", "万元", "2.00")
    assert check_together([_doc("dept.txt", "上海市某某局", "部门", "万元", "3.00"), office, centre],
                          members=members) == []
    found = check_together([_doc("dept.txt", "上海市某某局", "部门", "万元", "3.50"), office, centre],
                           members=members)
    assert [(f.rule, f.severity, f.location.file, f.location.row) for f in found] == [
        ("XDC004", "error", "dept.txt", "合计"), ("XDC004", "error", "dept.txt", "2010301")]
    assert [r.file for r in found[0].related] == ["office.txt", "centre.txt"]
    assert "3.00" in found[0].message and "3.50" in found[0].message
    # one unit not given: only "the department is not less than each unit"
    assert check_together([_doc("dept.txt", "上海市某某局", "部门", "万元", "3.50"), office], members=members) == []
    found = check_together([_doc("dept.txt", "上海市某某局", "部门", "万元", "0.50"), office], members=members)
    assert {(f.rule, f.severity, f.related[0].file) for f in found} == {("XDC004", "warning", "office.txt")}
    # another year's or kind's documents are not its units
    other = _doc("centre-2024.txt", "上海市普陀区某某中心", "单位", "万元", "2.00", year=2024)
    assert check_together([_doc("dept.txt", "上海市某某局", "部门", "万元", "1.00"), office, other],
                          members=members) == []  # were 2024's centre a unit: 1.00 ≠ 1.00 + 2.00


@needs_seeds
def test_check_db_runs_the_cross_document_rules_over_the_store(tmp_path: Path) -> None:
    """``check --db`` checks the stored documents together: the 决算 that quotes a 年初预算 its stored 预算
    never had is an XDC001 error in the output (JSON ``cross``), and the exit code says so."""
    pytest.importorskip("sqlalchemy", reason="the corpus extra (SQLAlchemy) is not installed")
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    db = f"sqlite:///{tmp_path / 'c.db'}"
    good = write(tmp_path / "budget-2023.txt", budget_text())
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(SEED["000"]), str(good), "--db", db]).exit_code in (0, 1)
    quiet = runner.invoke(cli, ["check", "--db", db, "--format", "json"])
    assert json.loads(quiet.output)["cross"] == []
    bad = tmp_path / "other" / "budget-2023.txt"
    bad.parent.mkdir()
    write(bad, budget_text(rows=with_row("2080150", "587.82")))
    runner.invoke(cli, ["ingest", str(bad), "--db", db])
    out = runner.invoke(cli, ["check", "--db", db, "--format", "json"])
    cross = json.loads(out.output)["cross"]
    assert [f["rule"] for f in cross] == ["XDC001"] and "587.82" in cross[0]["message"], cross
    assert out.exit_code == 1
