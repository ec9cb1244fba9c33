"""Completeness and recognition rules on real seeds and their variants."""

from __future__ import annotations

from pathlib import Path

from budgetdoc.check import check
from budgetdoc.model import Diagnostic, Disclosure, Location
from conftest import SEED, check_doc, needs_seeds, without


def _rule(report, rid: str) -> list:
    return [f for f in report.findings if f.rule == rid]


@needs_seeds
def test_seed_002_promises_table_2_but_does_not_print_it() -> None:
    found = _rule(check_doc(SEED["002"]), "CMP001")
    assert len(found) == 1
    assert "单位收入总表" in found[0].message and found[0].location.table == "B2"
    assert found[0].location.line == 17
    assert not _rule(check_doc(SEED["002"]), "CMP002"), "a promised table is reported once, by CMP001"


@needs_seeds
def test_seeds_have_all_statutory_tables_and_empty_statements() -> None:
    for seed in ("000", "001", "003", "004"):
        report = check_doc(SEED[seed])
        assert not _rule(report, "CMP002"), seed
        assert not _rule(report, "CMP003"), seed
        assert not _rule(report, "CMP004"), seed


@needs_seeds
def test_empty_table_without_statement_is_reported(tmp_path: Path) -> None:
    text = SEED["000"].read_text("utf-8")
    out = tmp_path / "000-no-statement.txt"
    out.write_text(text.replace("备注：武汉市人力资源和社会保障信息中心当年无国有资本经营预算财政拨款支出", ""), "utf-8")
    found = _rule(check_doc(out), "CMP003")
    assert len(found) == 1 and found[0].location.table == "T8"
    # the narrative still says so ("本单位当年无国有资本经营预算财政拨款支出"): a warning, not an error
    assert found[0].severity == "warning"


@needs_seeds
def test_missing_narrative_section_is_a_warning(tmp_path: Path) -> None:
    out = without(tmp_path, "000", "十一、政府采购支出说明", "十二、国有资产占用情况说明", "000-no-procurement.txt")
    found = _rule(check_doc(out), "CMP004")
    assert [f.severity for f in found] == ["warning"]
    assert "政府采购" in found[0].message


def test_recognition_diagnostics_become_warnings() -> None:
    doc = Disclosure(source="x.txt", diagnostics=[
        Diagnostic(code="unparsed-line", message="表T3第12行无法识别：“2080199 其他 1.0 x”",
                   location=Location(line=12, table="T3")),
    ])
    found = _rule(check(doc, select=["REC001"]), "REC001")
    assert len(found) == 1 and found[0].severity == "warning" and found[0].location.line == 12


@needs_seeds
def test_narrative_without_tables_is_said_once(tmp_path: Path) -> None:
    text = SEED["000"].read_text("utf-8")
    out = tmp_path / "000-narrative-only.txt"
    out.write_text(text[text.index("第三部分"):], "utf-8")
    report = check_doc(out)
    missing = _rule(report, "CMP002")
    assert len(missing) == 1 and "没有任何公开表" in missing[0].message
    assert report.document.publisher == "武汉市人力资源和社会保障信息中心"
    assert _rule(report, "NAR010"), "the narrative is still checked"
