"""Identity of 市级/区级/县级 and 本级 documents, and the publisher as the cover names it (issue 14, item 4).

Variants of the real citymgmt 部门预算 (text) are built in a temporary directory: the same document as a
市级 one, as its 本级 office's, with its cover naming it in full and its table headings in the short form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SHARED, check_doc, load_doc, pinned_elsewhere

REAL = SHARED / "real"
CITYMGMT = REAL / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
needs_real = pytest.mark.skipif(not CITYMGMT.is_file(), reason="shared/real not present")
LONG, SHORT = "上海市普陀区城市管理行政执法局", "普陀区城市管理行政执法局"


def _loud(path: Path) -> list[tuple[str, str]]:
    return sorted((f.rule, f.severity) for f in check_doc(path).findings
                  if f.severity != "info" and not pinned_elsewhere(f))  # content rules: test_content_rules.py


def _variant(tmp_path: Path, name: str, *pairs: tuple[str, str], unit: str | None = None) -> Path:
    text = CITYMGMT.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    if unit is not None:  # the unit's name, full or short, everywhere
        text = re.sub(f"(?:上海市)?{SHORT}", unit, text)
    out = tmp_path / name
    out.write_text(text, "utf-8")
    return out


@needs_real
def test_publisher_is_the_covers_full_name_and_headers_may_shorten_it() -> None:
    """Cover: “预算主管部门：上海市普陀区城市管理行政执法局”; every table heading: “编制部门：普陀区城市管理行政执法局”."""
    doc = load_doc(CITYMGMT)
    assert CITYMGMT.read_text("utf-8").count(f"编制部门：{SHORT}") >= 7
    assert (doc.identity.publisher, doc.identity.region) == (LONG, "上海市")
    assert _loud(CITYMGMT) == []  # IDN001 / IDN006 accept the short form in the headings and the text
    # a register holding the unit's full name matches the document exactly
    from budgetdoc.store.orgs import Matcher, OrgEntry

    register = Matcher([OrgEntry("001", LONG, None, ()), OrgEntry("002", "上海市普陀区民政局", None, ())])
    assert (register.match(doc.identity.publisher).kind, register.match(doc.identity.publisher).code) == ("exact", "001")


@needs_real
@pytest.mark.parametrize("level, region, province", [("市级", "上海市", "上海市"), ("区级", "普陀区", None),
                                                     ("县级", "崇明县", None)])
def test_a_whole_levels_title_gives_scope_kind_and_narrative(tmp_path: Path, level: str, region: str,
                                                              province: str | None) -> None:
    """“上海市2026年市级部门预算 / 预算主管部门：上海市城市管理行政执法局”: the region alone before the year."""
    unit = f"{region}城市管理行政执法局"
    path = _variant(tmp_path, f"{level}.txt",
                    ("上海市普陀区2026年区级部门预算", f"{region}2026年{level}部门预算"), ("区级", level), unit=unit)
    doc, original = load_doc(path), load_doc(CITYMGMT)
    i = doc.identity
    assert (i.publisher, i.scope, i.kind, i.year, i.region) == (unit, "部门", "预算", 2026, province)
    assert len(doc.narrative) == len(original.narrative) > 40
    assert _loud(path) == []


@needs_real
def test_unit_budget_of_a_city_with_the_finance_bureau_as_compiler(tmp_path: Path) -> None:
    """“上海市2026年市级单位预算 / 编制单位：上海市财政局”."""
    path = _variant(tmp_path, "city-unit.txt",
                    ("上海市普陀区2026年区级部门预算\n预算主管部门：", "上海市2026年市级单位预算\n编制单位："),
                    unit="上海市财政局")
    i = load_doc(path).identity
    assert (i.publisher, i.scope, i.kind, i.year) == ("上海市财政局", "单位", "预算", 2026)


@needs_real
@pytest.mark.parametrize("title", [f"{LONG}本级2026年预算", f"{LONG}（本级）2026年单位预算", f"{LONG}2026年本级预算"])
def test_own_office_title_is_a_unit_document_of_the_department(tmp_path: Path, title: str) -> None:
    path = _variant(tmp_path, "own.txt", ("上海市普陀区2026年区级部门预算", title))
    i = load_doc(path).identity
    assert (i.publisher, i.scope, i.kind, i.year) == (LONG, "单位", "预算", 2026)
