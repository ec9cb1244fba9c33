"""The table catalog is typed data, validated once: its identities name declared columns, its patterns
compile, its relations name declared tables and columns; and titles are matched tolerantly across the
layouts the catalog knows (Wuhan, Shanghai 决算/预算, the national 财政部 templates)."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources

import pytest

from budgetdoc.data import catalog
from budgetdoc.data.layouts import CatalogError, validate
from budgetdoc.recognise.sections import table_key


def _raw() -> dict:
    return tomllib.loads((resources.files("budgetdoc.data") / "catalog.toml").read_text("utf-8"))


def test_shipped_catalog_validates_and_parses_each_identity_once() -> None:
    cat = catalog()
    assert {t["key"] for t in cat["tables"]} >= {f"T{i}" for i in range(1, 10)} | {"B1", "B2", "B3", "B4", "B6"}
    columns = [i for t in cat["tables"] for i in t["identities"] if i["kind"] == "columns"]
    assert columns and all(i["parsed"][0] and i["parsed"][1] for i in columns)


def _broken(mutate) -> dict:
    data = copy.deepcopy(_raw())
    mutate(data)
    return data


def _table(data: dict, key: str) -> dict:
    return next(t for t in data["tables"] if t["key"] == key)


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda d: _table(d, "T3")["identities"].append({"kind": "columns", "expr": "total = basic + nonsense"}),
         "nonsense"),
        (lambda d: _table(d, "T3")["identities"].append({"kind": "columns", "expr": "total basic"}), "a = b"),
        (lambda d: _table(d, "T5")["patterns"].append("一般公共预算(财政拨款"), "compile"),
        (lambda d: d["relations"].append({"id": "x", "left": "T1:合计:amount", "right": "T99:合计:total"}), "T99"),
        (lambda d: d["relations"].append({"id": "y", "left": "T1:合计:amount", "right": "T3:合计:nope"}), "nope"),
        (lambda d: _table(d, "B7")["orders"].append(["total", "ghost"]), "ghost"),
        (lambda d: _table(d, "T2")["columns"].append({"id": "total", "label": "again"}), "twice"),
        (lambda d: _table(d, "T2").update(layout="spiral"), "spiral"),
        (lambda d: _table(d, "T8")["variants"].append({"title": "收入", "columns": ["total", "phantom"]}), "phantom"),
        (lambda d: _table(d, "T8")["variants"].append({"title": "收入(", "columns": ["total"]}), "compile"),
    ],
)
def test_an_inconsistent_catalog_is_refused_with_a_reason(mutate, words: str) -> None:
    with pytest.raises(CatalogError, match=words):
        validate(_broken(mutate))


TITLES = {
    # Shanghai district 预算 (部门 / 单位, with the year), Shanghai 决算
    "2025年部门财务收支预算总表": "B1", "2025年预算单位收入预算总表": "B2", "2025年预算单位支出预算总表": "B3",
    "2025年预算单位财政拨款收支预算总表": "B4", "2025年部门一般公共预算支出功能分类预算表": "B5_1",
    "2025年预算单位政府性基金预算支出功能分类预算表": "B8", "2025年部门国有资本经营预算支出功能分类预算表": "B9",
    "2025年预算单位一般公共预算基本支出部门预算经济分类预算表": "B6", "2025年单位“三公”经费和机关运行经费预算表": "B7",
    "国有资本经营预算财政拨款收入支出决算表": "T8",
    # Wuhan (公开NN表 / 表N numbering, （分功能科目）)
    "单位收支总表": "B1", "一般公共预算支出表（分功能科目）": "B5_1", "一般公共预算“三公”经费支出表": "B7",
    "2023年度单位收入支出决算总表": "T1", "一般公共预算财政拨款基本支出决算明细表": "T6",
    # the national 财政部 templates
    "部门收支总体情况表": "B1", "部门收入总体情况表": "B2", "部门支出总体情况表": "B3", "财政拨款收支总体情况表": "B4",
    "一般公共预算支出情况表": "B5_1", "一般公共预算基本支出情况表": "B6", "一般公共预算“三公”经费支出情况表": "B7",
    "政府性基金预算支出情况表": "B8", "部门收入支出决算总表": "T1", "部门收入决算表": "T2", "部门支出决算表": "T3",
    "财政拨款收入支出决算总表": "T4", "一般公共预算财政拨款支出决算表": "T5",
    "政府性基金预算财政拨款收入支出决算表": "T7", "财政拨款“三公”经费、会议费、培训费支出决算表": "T9",
}


@pytest.mark.parametrize("title", list(TITLES))
def test_titles_of_every_known_layout(title: str) -> None:
    kind = "决算" if "决算" in title else "预算"
    assert table_key(title, kind) == TITLES[title]


def test_a_title_of_no_table_is_none() -> None:
    assert table_key("2025年部门人员编制情况表", "预算") is None
    assert table_key("收入支出决算总表", "预算") is None  # a 决算 table in a 预算 is not one


def test_a_table_outside_the_catalog_is_said_once_as_info(tmp_path) -> None:
    from conftest import SEED, check_doc

    if not SEED["000"].is_file():
        pytest.skip("shared/seeds not present")
    text = SEED["000"].read_text("utf-8")
    extra = "\n2023年度单位人员编制情况表\n\n单位：人\n\n项目 编制数 实有人数\n\n合计 25 23\n\n"
    at = text.index("第三部分")
    out = tmp_path / "000-extra-table.txt"
    out.write_text(text[:at] + extra + text[at:], "utf-8")
    found = [f for f in check_doc(out).findings if "不在表目录中" in f.message]
    assert len(found) == 1 and found[0].severity == "info" and "人员编制情况表" in found[0].message
    assert not [f for f in check_doc(SEED["000"]).findings if "不在表目录中" in f.message]


def test_a_table_with_an_unusual_title_is_recognised_by_its_header(tmp_path) -> None:
    from conftest import SEED, check_doc, load_doc, table_cells, variant

    if not SEED["000"].is_file():
        pytest.skip("shared/seeds not present")
    out = variant(tmp_path, "000", "2023年度一般公共预算财政拨款支出决算表", "2023年度本级财力安排支出明细表")
    doc, seed = load_doc(out), load_doc(SEED["000"])
    assert [t.key for t in doc.tables] == [t.key for t in seed.tables]
    assert table_cells(doc)["T5"] == table_cells(seed)["T5"]
    said = [f for f in check_doc(out).findings if "按表头识别" in f.message]
    assert len(said) == 1 and said[0].severity == "info" and said[0].location.table == "T5"


# ------------------------------------------------------------------ a region's layout file


def _region() -> dict:
    return tomllib.loads((resources.files("budgetdoc.data") / "regions" / "jiangsu.toml").read_text("utf-8"))


def test_a_regions_layout_is_laid_over_the_catalog_for_its_documents_only() -> None:
    from budgetdoc.data import layout_for, region_layouts, using_layout

    [js] = region_layouts()
    assert layout_for("江苏省", "预算") == js["id"] == layout_for("江苏省", None)
    assert layout_for("江苏省", "决算") is None and layout_for("上海市", "预算") is None
    assert "B13" not in catalog()["by_key"] and catalog()["statutory"]["预算"][-1] == "B9"
    with using_layout(js["id"]):
        cat = catalog()
        assert cat["statutory"]["预算"] == js["statutory"] and len(js["statutory"]) == 12
        assert cat["by_key"]["B1"]["groups"][2]["part"] == "支出用途"
        assert cat["by_key"]["B16"]["layout"] == "tree" and cat["by_key"]["B3"]["layout"] == "single"
        # the base relations of the tables the layout replaces are not its relations
        assert not any(r["id"].startswith("B") for r in cat["relations"])
        assert any(r["id"] == "T1-T2-income" for r in cat["relations"])  # the 决算 tables' stay
    assert "B13" not in catalog()["by_key"]


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda d: d["layout"]["statutory"].append("B99"), "not declared"),
        (lambda d: d["relations"][0].update(right="B2:收入总计:nope"), "declares no column nope"),
        (lambda d: d["subject"][0].update(ref="B77:合计:total"), "names no declared table"),
        (lambda d: d["tables"][0]["identities"].append({"kind": "columns", "expr": "amount = nope"}),
         "undeclared columns"),
        (lambda d: d["tables"][0].update(layout="nowhere"), "unknown layout"),
    ],
)
def test_an_inconsistent_region_layout_is_refused_with_a_reason(mutate, words: str) -> None:
    from budgetdoc.data import _base
    from budgetdoc.data.layouts import validate_layout

    data = copy.deepcopy(_region())
    validate_layout(copy.deepcopy(data), _base(), "jiangsu.toml")  # as shipped: valid
    mutate(data)
    with pytest.raises(CatalogError, match=words):
        validate_layout(data, _base(), "jiangsu.toml")
