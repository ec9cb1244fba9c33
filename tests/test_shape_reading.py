"""What other tools' extractions of the shared documents show, read as the original is (issue 14, items 1-2):
each case the shape harness met, pinned on the shared document it was met in (tests/shapes.py writes the
shape), with what the original reading gives — the same findings, or a table said uncertain, never a
misreading reported as the document's defect."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED, check_doc, load_doc

REAL = SHARED / "real"
JIANGSU = REAL / "jiangsu"
WELFARE = REAL / "shanghai-putuo-2024-unit-budget-welfarehome.pdf"
WANLI = REAL / "shanghai-putuo-2024-dept-budget-wanli.pdf"
CITYMGMT = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
NPC2017 = JIANGSU / "jiangsu-province-2017-dept-budget-npcoffice.pdf"
NPC2018 = JIANGSU / "jiangsu-province-2018-dept-budget-npcoffice.pdf"
SEED002 = SHARED / "seeds" / "002_a1c489479f055e8b.txt"
SEED003 = SHARED / "seeds" / "003_6ab85edfcea3f354.txt"
SEED004 = SHARED / "seeds" / "004_74e23b9d16a4c68a.txt"


def _need(*paths: Path) -> None:
    for p in paths:
        if not p.is_file():
            pytest.skip(f"{p.name} not present in ../shared")


def _shape(path: Path, shape: str, tmp: Path) -> Path:
    from shapes import write

    return write(path, shape, tmp)


def _rules(path: Path, *rules: str, severity: str | None = None) -> list[str]:
    return sorted(f"{f.rule} {f.message}" for f in check_doc(path).findings
                  if f.rule in rules and (severity is None or f.severity == severity))


# ---------------------------------------------------------------- content and presentation rules


def test_a_title_written_after_its_rows_leaves_them_in_the_table(tmp_path) -> None:
    """pdf.js writes the 收支总表's title after its rows: the row “三、医疗卫生与计划生育支出” stays the table's
    (CLS001 says it), not prose — CNT001 says the narrative's old name once, as in the PDF."""
    _need(WELFARE)
    out = _shape(WELFARE, "pdfjs", tmp_path)
    assert len(_rules(out, "CNT001")) == len(_rules(WELFARE, "CNT001")) == 1


def test_a_pdfs_text_keeps_its_paragraphs(tmp_path) -> None:
    """The 万里 budget as pdf.js writes it: lines cut by the page's width are no paragraphs of their own (no
    “句末缺少句号” on each of them); a paragraph ends where the PDF's does."""
    _need(WANLI)
    out = _shape(WANLI, "pdfjs", tmp_path)
    assert _rules(out, "PRS002", "PRS003") == _rules(WANLI, "PRS002", "PRS003")


def test_a_single_page_marker_is_no_prose(tmp_path) -> None:
    """A text of one page that pdf-parse ends with “-- 1 of 1 --”: the marker does not extend the last
    paragraph (its missing 。 is still said, once)."""
    _need(SEED002)
    out = _shape(SEED002, "pdfjs", tmp_path)
    assert "-- 1 of 1 --" in out.read_text("utf-8")
    assert _rules(out, "PRS002") == _rules(SEED002, "PRS002")


def test_an_empty_tables_note_against_amounts_placed_by_identities(tmp_path) -> None:
    """万里's 三公 table prints 47.91 … above “故本表为空表”: as text its amounts are placed by the table's
    identities — read with certainty, so CNT010 still says the contradiction."""
    _need(WANLI)
    out = _shape(WANLI, "pdfjs", tmp_path)
    assert {c.read for r in load_doc(out).table("B7").rows for c in r.cells} == {"identity"}
    assert len(_rules(out, "CNT010")) == len(_rules(WANLI, "CNT010")) == 1


def test_a_form_row_label_is_no_prose(tmp_path) -> None:
    """Seed 004's 整体支出自评 form prints “单位机构设置、编制…情况” as a row label above its 预算数: the form's
    own wording, not the narrative's (no CNT006), in the original and as text."""
    _need(SEED004)
    assert not [m for m in _rules(SEED004, "CNT006") if "单位机构设置" in m]
    out = _shape(SEED004, "cells", tmp_path)
    assert not [m for m in _rules(out, "CNT006") if "单位机构设置" in m]


# ---------------------------------------------------------------- text reading


def test_page_numbers_printed_alone_are_no_amounts(tmp_path) -> None:
    """The citymgmt text with each page's number printed on its last line (a PDF footer): the same tables
    and findings."""
    _need(CITYMGMT)
    pages = CITYMGMT.read_text("utf-8").split("\f")
    out = tmp_path / "numbered.txt"
    out.write_text("\f".join(f"{p.rstrip()}\n{n}\n" for n, p in enumerate(pages, 1)), "utf-8")
    key = lambda f: (f.rule, f.severity, f.location.table, f.location.row, f.location.column)  # noqa: E731
    assert sorted(map(key, check_doc(out).findings)) == sorted(map(key, check_doc(CITYMGMT).findings))


def test_a_project_code_is_no_amount(tmp_path) -> None:
    """Seed 002's 项目支出表 one cell per line: the 21-digit project code 420100265030030000100 is no amount
    (no ARI001 adding it to 129.27)."""
    _need(SEED002)
    out = _shape(SEED002, "cells", tmp_path)
    assert all(c.value is None or c.value < 10 ** 9 for r in load_doc(out).table("B10").rows for c in r.cells)
    assert not _rules(out, "ARI001", severity="error")


def test_a_forms_values_keep_their_measure_words(tmp_path) -> None:
    """Seed 003's forms one cell per line (“30” / “万人次” / “50.32” / “万人” / “次” / “10”): the values are
    values, the score is 10 — the indicators the original reads, no PRF005/PRF008."""
    _need(SEED003)
    out = _shape(SEED003, "cells", tmp_path)

    def inds(path):
        return [(i.name, i.weight, i.score) for f in load_doc(path).performance for i in f.indicators]

    assert inds(out) == inds(SEED003)
    assert not _rules(out, "PRF005", "PRF008")


def test_a_form_misread_is_said_unread() -> None:
    """Indicators whose names are measure words or pieces of a wrapped cell are no form's: said unread."""
    from budgetdoc.model import Indicator
    from budgetdoc.recognise.performance_text import misread

    assert misread([Indicator(name="扩面人次"), Indicator(name="万人次")])
    assert misread([Indicator(name="社会效益是"), Indicator(name="、否）是是")])
    assert misread([Indicator(name="扩面人次"), Indicator(name="退休证印刷")]) is None


def test_a_form_heading_written_as_text_opens_its_form(tmp_path) -> None:
    """Seed 004's forms under “(二) 部门（单位）整体支出自评结果” without their markdown marks: found, and
    said unread (PRF014) where their cells are gone — never silently missing."""
    _need(SEED004)
    out = _shape(SEED004, "pdfjs", tmp_path)
    assert [f.kind for f in load_doc(out).performance] == [f.kind for f in load_doc(SEED004).performance]


def test_the_jiangsu_summary_as_text(tmp_path) -> None:
    """Jiangsu 2018's 收支预算总表 (收入 | 支出 by 功能分类 | 支出 by 用途) as pdf.js writes it: 基本支出,
    项目支出 and 单位预留机动经费 are rows of 支出 by 用途 (no CLS003), 当年收入小计 and 上年结转资金 rows of
    their own; the 目录's “第一部分 部门概况” printed again on the next page opens its part (no CNT014)."""
    _need(NPC2018)
    out = _shape(NPC2018, "pdfjs", tmp_path)
    t = load_doc(out).table("B1")
    uses = {r.key: r.value("amount") for r in t.rows if r.part == "支出用途"}
    assert uses == {"基本支出": Decimal("7877.76"), "项目支出": Decimal("6333.96"), "单位预留机动经费": Decimal("1685.72")}
    assert {"当年收入小计", "上年结转资金", "结转下年资金"} <= {r.key for r in t.rows}
    assert not _rules(out, "CLS003", "CNT014", "ARI002")


def test_three_groups_read_from_text_are_checked_only_when_their_sums_confirm_them(tmp_path) -> None:
    """Jiangsu 2018's 收支预算总表 one printed line per line: 1,685.72 (单位预留机动经费) prints beside 三、国防支出
    — the sums do not confirm the rows, so the table is said uncertain, no ARI002."""
    _need(NPC2018)
    out = _shape(NPC2018, "panels", tmp_path)
    assert "表内等式确认" in (load_doc(out).table("B1").uncertain or "")
    assert not _rules(out, "ARI002")


def test_sangong_amounts_from_two_lines_that_fit_no_placement(tmp_path) -> None:
    """Jiangsu 2017's 三公 table one printed line per line: its 0 (公务用车购置费) prints a line lower than
    the other amounts; no placement of the amounts in their order fits the identities — said uncertain, no
    ARI001 blaming the document."""
    _need(NPC2017)
    out = _shape(NPC2017, "panels", tmp_path)
    assert load_doc(out).table("B7").uncertain
    assert not _rules(out, "ARI001")


def test_a_narrative_finding_names_the_cell_it_compares_with() -> None:
    """NAR002 (Jiangsu 2017: 因公出国 222.5 of 三公 833.60 stated as 8.75%) names the 三公 table's cell."""
    _need(NPC2017)
    found = [f for f in check_doc(NPC2017).findings if f.rule == "NAR002"]
    assert found and all(any(loc.table == "B7" for loc in f.related) for f in found)


def test_an_uncertain_table_is_said_once(tmp_path) -> None:
    """Jiangsu 2017's 收支预算总表 one printed line per line cannot be read with certainty for several reasons
    (sums not confirmed, a row with two amounts, a name glued to a label): one REC001 says it, first why."""
    _need(NPC2017)
    out = _shape(NPC2017, "panels", tmp_path)
    said = [f for f in check_doc(out).findings if f.rule == "REC001" and f.location.table == "B1"]
    assert len(said) == 1 and said[0].severity == "warning"
    assert said[0].message.startswith(load_doc(out).table("B1").uncertain)
