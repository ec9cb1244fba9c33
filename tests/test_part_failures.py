"""A bug in the reader of one part (目录 and headings, narrative, performance forms) costs that part only:
it is said once (REC001), no rule concludes from its absence, and the tables are still read and checked."""

from __future__ import annotations

import pytest

import budgetdoc.recognise as recognise_module
from budgetdoc.check import check
from budgetdoc.pipeline import load
from conftest import SEED, needs_seeds


def _boom(*_args, **_kwargs):
    raise RuntimeError("a reader bug")


def _tables_findings(report) -> list[tuple]:
    return sorted((f.rule, f.location.table, f.location.row, f.location.column, f.message)
                  for f in report.findings if f.category in ("arithmetic", "relation", "classification"))


@needs_seeds
@pytest.mark.parametrize(("reader", "part", "absence"), [
    ("find_statements", "情况说明", ("narrative",)),
    ("find_forms", "绩效表", ("performance",)),
    ("find_sections", "目录和标题", ("CMP004", "CMP005")),
])
def test_one_part_failing_is_said_once_and_the_tables_are_still_checked(monkeypatch, reader, part, absence):
    path = SEED["000"]
    clean = check(load(path))
    monkeypatch.setattr(recognise_module, reader, _boom)
    doc = load(path)  # no exception
    report = check(doc)
    said = [f for f in report.findings if f.rule == "REC001" and f"{part}读取出错" in f.message]
    assert len(said) == 1 and "RuntimeError" in said[0].message and said[0].severity == "warning"
    assert _tables_findings(report) == _tables_findings(clean) != []  # the tables' real findings kept
    assert not [f for f in report.findings if f.severity != "info" and (f.category in absence or f.rule in absence)]


@needs_seeds
def test_missing_performance_forms_are_not_concluded_from_a_failed_reader(monkeypatch):
    """Seed 002's 目录 lists its two 绩效目标表 (表11, 表12) and prints them: read, they are present; when
    their reader fails, no “listed but missing” finding may say otherwise (its real 表2 finding stays)."""
    monkeypatch.setattr(recognise_module, "find_forms", _boom)
    report = check(load(SEED["002"]))
    missing = {f.location.table for f in report.findings if f.rule in ("CMP001", "CMP002")}
    assert missing == {"B2"}
    assert any(f.rule == "REC001" and "绩效表读取出错" in f.message for f in report.findings)
