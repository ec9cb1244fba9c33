"""budgetdoc write: performance forms (绩效表 / 绩效指标 / 绩效金额 sheets) scored by their rules, refused with
a finding naming the cell when the data breaks them, read back with the same scores; and the Wuhan 预算
template (seed 002: extract → xlsx → write → check clean, the same cells read back)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SEED, load_doc, pinned_elsewhere, table_cells

pytest.importorskip("openpyxl")
needs_seeds = pytest.mark.skipif(not SEED["000"].exists(), reason="shared/seeds not present")


def _extract(seed: str, out: Path) -> Path:
    from budgetdoc.write.workbook import save, to_workbook

    save(to_workbook(load_doc(SEED[seed])), str(out))
    return out


def _edited(tmp_path: Path, seed: str, edit) -> Path:
    import openpyxl

    src = _extract(seed, tmp_path / "good.xlsx")
    wb = openpyxl.load_workbook(src)
    edit(wb)
    out = tmp_path / "bad.xlsx"
    wb.save(out)
    return out


def _row(ws, **match: str) -> int:
    """The sheet row whose header-named cells hold these values (header in row 2)."""
    head = {c.value: c.column for c in ws[2]}
    for r in ws.iter_rows(min_row=3):
        if all(r[head[k] - 1].value == v for k, v in match.items()):
            return r[0].row
    raise AssertionError(f"no row {match} in {ws.title}")


def _col(ws, label: str) -> str:
    return next(c.column_letter for c in ws[2] if c.value == label)


def _errors(w, rule: str | None = None) -> list[str]:
    return [f.message for f in w.findings if f.severity == "error" and (rule is None or f.rule == rule)]


def _form_sig(f) -> tuple:
    return (f.kind, f.stage, f.name, f.budget, f.actual, f.rate, f.execution_weight, f.execution_score, f.total_score,
            [(i.level1, i.level1_weight, i.level2, i.level2_weight, i.name, i.weight, i.target, i.actual, i.score)
             for i in f.indicators])


# ------------------------------------------------------------------ scores and weights refused at the cell
@needs_seeds
def test_score_over_weight_is_refused_naming_the_cell(tmp_path):
    from budgetdoc.write import write

    def edit(wb):
        ws = wb["绩效指标"]
        n = _row(ws, 三级指标="服务市民数")  # 权重 20, a qualitative indicator (“>1000万人” both)
        ws[f"{_col(ws, '得分')}{n}"] = 22
        edit.ref = f"绩效指标!{_col(ws, '得分')}{n}"

    out = tmp_path / "o.md"
    w = write(str(_edited(tmp_path, "000", edit)), str(out))
    msgs = _errors(w, "WRT006")
    assert w.refused and not out.exists()
    assert any(m.startswith(edit.ref) and "22" in m and "20" in m for m in msgs), msgs
    # said once: the checker's PRF005 on the written form is not repeated
    assert not [f for f in w.findings if f.rule == "PRF005"]


@needs_seeds
def test_score_over_weight_cli_exit_1(tmp_path):
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    def edit(wb):
        ws = wb["绩效表"]
        n = _row(ws, 名称="2023年度日常系统运行经费项目")
        ws[f"{_col(ws, '预算执行得分')}{n}"] = 25  # the execution weight is 20
        edit.ref = f"绩效表!{_col(ws, '预算执行得分')}{n}"

    book = _edited(tmp_path, "000", edit)
    r = CliRunner().invoke(cli, ["write", str(book), "-o", str(tmp_path / "o.docx")])
    assert r.exit_code == 1, r.output
    assert "WRT006" in r.output and edit.ref in r.output and not (tmp_path / "o.docx").exists()


@needs_seeds
def test_weights_not_adding_up_are_refused(tmp_path):
    from budgetdoc.write import write

    def edit(wb):
        ws = wb["绩效指标"]
        n = _row(ws, 三级指标="系统数据完整可靠程度")  # 产出指标 of the first project form: 20 + 20 = 40
        ws[f"{_col(ws, '一级权重')}{_row(ws, 三级指标='服务市民数')}"] = 40
        ws[f"{_col(ws, '权重')}{n}"] = 30  # now 20 + 30 = 50 under 产出指标（40分）
        edit.ref = f"绩效指标!{_col(ws, '一级权重')}{_row(ws, 三级指标='服务市民数')}"

    w = write(str(_edited(tmp_path, "000", edit)), str(tmp_path / "o.md"))
    msgs = _errors(w, "WRT007")
    assert any(m.startswith(edit.ref) and "40" in m and "50" in m for m in msgs), msgs


@needs_seeds
def test_a_typed_score_that_breaks_the_rule_is_refused(tmp_path):
    """预算执行得分 = 20 × 执行数 ÷ 预算数; a typed 9.31 where the rule gives 8.31 is refused at its cell."""
    from budgetdoc.write import write

    def edit(wb):
        ws = wb["绩效表"]
        n = _row(ws, 名称="2023年度人社信息系统化建设项目")
        ws[f"{_col(ws, '预算执行得分')}{n}"] = 9.31
        edit.ref = f"绩效表!{_col(ws, '预算执行得分')}{n}"

    w = write(str(_edited(tmp_path, "000", edit)), str(tmp_path / "o.md"))
    msgs = _errors(w, "WRT008")
    assert any(m.startswith(edit.ref) and "9.31" in m and "8.31" in m for m in msgs), msgs


@needs_seeds
def test_scores_computed_from_the_rules(tmp_path):
    """A quantitative indicator left blank is scored 权重 × B ÷ A (positive) or 权重 × A ÷ B (negative), never
    above its weight; the total is the execution score plus the indicator scores."""
    from budgetdoc.write import write

    def edit(wb):
        ws = wb["绩效指标"]
        for name, target, actual in (("月均发送短信量", "11万条", "8.8万条"), ("机房故障处理时效", "≤4小时", "5小时")):
            n = next(r for r in range(3, ws.max_row + 1) if ws[f"F{r}"].value == name and ws[f"A{r}"].value == 3)
            ws[f"{_col(ws, '目标值')}{n}"], ws[f"{_col(ws, '实际完成值')}{n}"] = target, actual
            ws[f"{_col(ws, '得分')}{n}"] = None

    w = write(str(_edited(tmp_path, "000", edit)), str(tmp_path / "o.md"))
    assert not w.refused, _errors(w)
    form = next(f for f in w.doc.performance if f.name == "2023年度日常系统运行经费项目")
    scores = {i.name: i.score for i in form.indicators}
    assert scores["月均发送短信量"] == Decimal("8.00")  # 10 × 8.8 ÷ 11
    assert scores["机房故障处理时效"] == Decimal("8.00")  # 10 × 4 ÷ 5
    assert form.execution_score == Decimal("9.63")  # 20 × 191.76 ÷ 398.36
    assert form.total_score == form.execution_score + sum(i.score for i in form.indicators)


# ------------------------------------------------------------------ untouched data: clean, read back the same
@needs_seeds
@pytest.mark.parametrize("ext", ["md", "docx"])
def test_forms_written_clean_and_read_back_with_the_same_scores(ext, tmp_path):
    pytest.importorskip("docx")
    from budgetdoc.check import check
    from budgetdoc.pipeline import load
    from budgetdoc.write import write

    out = tmp_path / f"o.{ext}"
    w = write(str(_extract("000", tmp_path / "d.xlsx")), str(out))
    assert not w.refused and not [f for f in w.findings if f.severity != "info" and not pinned_elsewhere(f)], [f.message for f in w.findings]
    back = load(out)
    assert [f for f in check(back).findings if f.severity != "info" and not pinned_elsewhere(f)] == []
    assert len(back.performance) == 3
    assert [_form_sig(f) for f in back.performance] == [_form_sig(f) for f in w.doc.performance]
    whole = back.performance[0]
    # the seed prints 产出指标（40分） over 20 + 20 + 10 and 838.38 + 398.36 ≠ its 1,466.86: computed, they agree
    assert whole.indicators[0].level1_weight == Decimal(50)
    assert whole.amounts["基本支出总额"] + whole.amounts["项目支出总额"] == whole.actual
    assert whole.total_score == Decimal("92.72")


def test_empty_workbook_has_form_sheets_with_instructions(tmp_path):
    import openpyxl

    from budgetdoc.write.template import template
    from budgetdoc.write.workbook import init_workbook, read_workbook, save

    out = tmp_path / "empty.xlsx"
    save(init_workbook(template("wuhan-budget", None, None, None), 2026), str(out))
    wb = openpyxl.load_workbook(out)
    for name in ("绩效表", "绩效指标", "绩效金额"):
        assert "说明" in str(wb[name]["A1"].value)
    assert any(n.startswith("B10 ") for n in wb.sheetnames) and any(n.startswith("B5_2 ") for n in wb.sheetnames)
    assert read_workbook(str(out)).doc.performance == []


# ------------------------------------------------------------------ seed 002: the Wuhan 预算 template
@pytest.mark.skipif(not SEED["002"].exists(), reason="shared/seeds not present")
@pytest.mark.parametrize("ext", ["md", "docx"])
def test_seed_002_round_trip(ext, tmp_path):
    pytest.importorskip("docx")
    from budgetdoc.check import check
    from budgetdoc.pipeline import load
    from budgetdoc.write import write

    book = _extract("002", tmp_path / "d.xlsx")
    before = book.read_bytes()
    out = tmp_path / f"o.{ext}"
    w = write(str(book), str(out))
    assert w.template["name"] == "wuhan-budget"
    assert not w.refused and not [f for f in w.findings if f.severity != "info" and not pinned_elsewhere(f)], [f.message for f in w.findings]
    back = load(out)
    problems = [f"{f.rule} {f.message}" for f in check(back).findings if f.severity != "info" and not pinned_elsewhere(f)]
    assert problems == []
    assert table_cells(back) == table_cells(w.doc)
    assert {t.key for t in back.tables} >= {"B1", "B2", "B3", "B4", "B5_1", "B5_2", "B6", "B7", "B8", "B9", "B10"}
    assert [_form_sig(f) for f in back.performance] == [_form_sig(f) for f in w.doc.performance]
    assert book.read_bytes() == before


@pytest.mark.skipif(not SEED["002"].exists(), reason="shared/seeds not present")
def test_seed_002_mistakes_are_gone(tmp_path):
    """Seed 002 promises 表2 单位收入总表 and does not print it (CMP001), and its 整体支出绩效目标表 lists one project
    at 292.69 where the project forms are two (PRF011); rewritten, both are right."""
    from budgetdoc.pipeline import load
    from budgetdoc.write import write

    out = tmp_path / "o.md"
    write(str(_extract("002", tmp_path / "d.xlsx")), str(out))
    back = load(out)
    b2 = back.table("B2")
    assert b2 is not None and b2.value("合计", "general") == back.table("B3").value("合计", "total")
    whole = next(f for f in back.performance if f.kind == "整体")
    listed = {k.split("/", 1)[1]: v for k, v in whole.amounts.items() if k.startswith("项目/")}
    assert listed == {f.name: f.budget for f in back.performance if f.kind == "项目"}
    assert sum(listed.values()) == back.table("B3").value("合计", "project")


@needs_seeds
def test_narrative_restates_the_forms(tmp_path):
    """Seed 000 says its whole-unit evaluation covers 资金636.18万元 (the projects' money); rewritten, the
    sentence is computed from the 整体 form (执行数 1,466.86) and each project's 预算数/执行数/完成率 from its form."""
    from budgetdoc.write import write

    out = tmp_path / "o.md"
    write(str(_extract("000", tmp_path / "d.xlsx")), str(out))
    text = out.read_text("utf-8")
    assert "开展整体支出绩效自评，资金1,466.86万元" in text
    assert "共涉及项目2个，资金636.18万元，占一般公共预算项目支出总额的100%" in text
    assert "项目全年预算数为1,069.20万元，执行数为444.42万元，完成预算的41.6%" in text


@needs_seeds
def test_model_json_forms_are_checked_as_printed(tmp_path):
    """The model's JSON holds the forms as printed: seed 000's 产出指标（40分） over 20 + 20 + 10 is refused,
    named by its place in the JSON."""
    from click.testing import CliRunner

    from budgetdoc.cli import cli
    from budgetdoc.write import write

    r = CliRunner().invoke(cli, ["extract", str(SEED["000"]), "--format", "json"])
    assert r.exit_code == 0, r.output
    path = tmp_path / "d.json"
    path.write_text(r.stdout, "utf-8")
    w = write(str(path), str(tmp_path / "o.md"))
    msgs = _errors(w, "WRT007")
    assert any(m.startswith("performance[0].indicators[0]") and "40" in m and "50" in m for m in msgs), msgs
