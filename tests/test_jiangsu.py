"""Jiangsu provincial 部门预算 (``../shared/real/jiangsu``): a third region's layout as catalog data
(``data/regions/jiangsu.toml``), and documents published as two files.

Six files, four documents: 江苏省人大常委会办公厅 2017 and 2018 (one PDF each), 2019 (narrative + tables),
中共江苏省委办公厅 2019 (narrative + tables). Every one of the twelve tables with its rows, its amounts in
their columns (count and sum per column, each placed by the header above it), the identity, the two-file
documents read as one, every warning and error annotated as a real defect; the same documents with the
Jiangsu layout hidden from the catalog (the region-neutral reading); then one defect injected at a time
(a table amount, a narrative amount, a year, a unit name, a table removed) is found in every document, and
the untouched document says nothing of it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import CONTENT_RULES, SHARED, pinned_elsewhere

JS = SHARED / "real" / "jiangsu"
needs_js = pytest.mark.skipif(not JS.is_dir(), reason="shared/real/jiangsu not present")

NPC17 = JS / "jiangsu-province-2017-dept-budget-npcoffice.pdf"
NPC18 = JS / "jiangsu-province-2018-dept-budget-npcoffice.pdf"
NPC19 = (JS / "jiangsu-province-2019-dept-budget-npcoffice.narrative.pdf",
         JS / "jiangsu-province-2019-dept-budget-npcoffice.tables.pdf")
PARTY19 = (JS / "jiangsu-province-2019-dept-budget-partyoffice.narrative.pdf",
           JS / "jiangsu-province-2019-dept-budget-partyoffice.tables.pdf")
DOCS = {"npc2017": (NPC17,), "npc2018": (NPC18,), "npc2019": NPC19, "party2019": PARTY19}
LAYOUT = "jiangsu-province-budget"

_RUNS: dict = {}


def _run(name: str, hidden: bool = False):
    """(model, report) of a document, its files read as one (cached for the session)."""
    from budgetdoc import data, pipeline

    key = (name, hidden)
    if key not in _RUNS:
        paths = [str(p) for p in DOCS[name]]
        with data.hidden(LAYOUT) if hidden else _nothing():
            _RUNS[key] = pipeline.run(paths if len(paths) > 1 else paths[0])
    return _RUNS[key]


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


IDENTITY = {  # publisher, scope, kind, year, unit, region, layout
    "npc2017": ("江苏省人大常委会办公厅", "部门", "预算", 2017, "万元", "江苏省", LAYOUT),
    "npc2018": ("江苏省人大常委会办公厅", "部门", "预算", 2018, "万元", "江苏省", LAYOUT),
    "npc2019": ("江苏省人大常委会办公厅", "部门", "预算", 2019, "万元", "江苏省", LAYOUT),
    "party2019": ("中共江苏省委办公厅", "部门", "预算", 2019, "万元", "江苏省", LAYOUT),
}

# the printed order (2017 prints 财政拨款支出 before 财政拨款收支, 政府性基金 seventh, 三公 eleventh)
ORDER_2017 = ["B1", "B2", "B3", "B13", "B4", "B14", "B8", "B5_1", "B6", "B15", "B7", "B16"]
ORDER = ["B1", "B2", "B3", "B4", "B13", "B14", "B5_1", "B6", "B7", "B8", "B15", "B16"]
SANGONG = ["grand", "total", "abroad", "car", "car_buy", "car_run", "reception", "meeting", "training"]
SINGLE = ["total", "basic", "project", "reserve", "carry"]

# table → (rows, columns); the amounts: (part|)column → (count, sum)
TABLES = {
    "npc2017": {
        "B1": (34, ["amount"], {"收入|amount": (4, "54596.28"), "支出|amount": (5, "40947.21"),
                                "支出用途|amount": (3, "13649.07")}),
        "B2": (15, ["amount"], {"amount": (3, "40947.21")}),
        "B3": (1, SINGLE, {"total": (1, "13649.07"), "basic": (1, "7666.68"), "project": (1, "5853.96"),
                           "reserve": (1, "128.43")}),
        "B13": (19, ["total"], {"total": (19, "54596.28")}),
        "B4": (7, ["amount"], {"收入|amount": (2, "27298.14"), "支出|amount": (4, "27298.14")}),
        "B14": (24, ["total"], {"total": (24, "23000.04")}),
        "B8": (1, ["total"], {}),
        "B5_1": (19, ["total"], {"total": (19, "54596.28")}),
        "B6": (24, ["total"], {"total": (24, "23000.04")}),
        "B15": (16, ["total"], {"total": (16, "16857.93")}),
        "B7": (1, SANGONG, {"grand": (1, "2542.60"), "total": (1, "833.60"), "abroad": (1, "222.50"),
                            "car": (1, "183.60"), "car_buy": (1, "0"), "car_run": (1, "183.60"),
                            "reception": (1, "427.50"), "meeting": (1, "1305.25"), "training": (1, "403.75")}),
        "B16": (26, ["total"], {"total": (26, "8991.40")}),
    },
    "npc2018": {
        "B1": (34, ["amount"], {"收入|amount": (4, "63589.76"), "支出|amount": (5, "47692.32"),
                                "支出用途|amount": (3, "15897.44")}),
        "B2": (15, ["amount"], {"amount": (3, "47692.32")}),
        "B3": (1, SINGLE, {"total": (1, "15897.44"), "basic": (1, "7877.76"), "project": (1, "6333.96"),
                           "reserve": (1, "1685.72")}),
        "B4": (7, ["amount"], {"收入|amount": (2, "31794.88"), "支出|amount": (4, "31794.88")}),
        "B13": (21, ["total"], {"total": (21, "63589.76")}),
        "B14": (24, ["total"], {"total": (24, "23633.28")}),
        "B5_1": (21, ["total"], {"total": (21, "63589.76")}),
        "B6": (24, ["total"], {"total": (24, "23633.28")}),
        "B7": (1, SANGONG, {"grand": (1, "2542.60"), "total": (1, "833.60"), "abroad": (1, "222.50"),
                            "car": (1, "183.60"), "car_run": (1, "183.60"), "reception": (1, "427.50"),
                            "meeting": (1, "1305.25"), "training": (1, "403.75")}),
        "B8": (1, ["total"], {}),
        "B15": (11, ["total"], {"total": (11, "4738.14")}),
        "B16": (24, ["total"], {"total": (24, "8257.00")}),
    },
    "npc2019": {
        "B1": (35, ["amount"], {"收入|amount": (4, "73321.48"), "支出|amount": (5, "54991.11"),
                                "支出用途|amount": (3, "18330.37")}),
        "B2": (14, ["amount"], {"amount": (3, "54991.11")}),
        "B3": (1, SINGLE, {"total": (1, "18330.37"), "basic": (1, "9312.90"), "project": (1, "6459.58"),
                           "reserve": (1, "2557.89")}),
        "B4": (7, ["amount"], {"收入|amount": (2, "36660.74"), "支出|amount": (4, "36660.74")}),
        "B13": (21, ["total"], {"total": (21, "73321.48")}),
        "B14": (25, ["total"], {"total": (25, "27938.70")}),
        "B5_1": (21, ["total"], {"total": (21, "73321.48")}),
        "B6": (25, ["total"], {"total": (25, "27938.70")}),
        "B7": (1, SANGONG, {"grand": (1, "2600.71"), "total": (1, "767.60"), "abroad": (1, "199.25"),
                            "car": (1, "183.60"), "car_run": (1, "183.60"), "reception": (1, "384.75"),
                            "meeting": (1, "1469.73"), "training": (1, "363.38")}),
        "B8": (1, ["total"], {}),
        "B15": (12, ["total"], {"total": (12, "4926.24")}),
        "B16": (26, ["total"], {"total": (26, "9665.72")}),
    },
    "party2019": {
        "B1": (35, ["amount"], {"收入|amount": (4, "110656.88"), "支出|amount": (5, "82992.66"),
                                "支出用途|amount": (3, "27664.22")}),
        "B2": (14, ["amount"], {"amount": (3, "82992.66")}),
        "B3": (1, SINGLE, {"total": (1, "27664.22"), "basic": (1, "11700.63"), "project": (1, "13025.38"),
                           "reserve": (1, "2938.21")}),
        "B4": (7, ["amount"], {"收入|amount": (2, "55328.44"), "支出|amount": (4, "55328.44")}),
        "B13": (14, ["total"], {"total": (14, "110656.88")}),
        "B14": (32, ["total"], {"total": (32, "35101.89")}),
        "B5_1": (14, ["total"], {"total": (14, "110656.88")}),
        "B6": (32, ["total"], {"total": (32, "35101.89")}),
        "B7": (1, SANGONG, {"grand": (1, "1471.70"), "total": (1, "508.20"), "abroad": (1, "70.00"),
                            "car": (1, "411.20"), "car_run": (1, "411.20"), "reception": (1, "27.00"),
                            "meeting": (1, "933.50"), "training": (1, "30.00")}),
        "B8": (1, ["total"], {}),
        "B15": (17, ["total"], {"total": (17, "6698.73")}),
        "B16": (39, ["total"], {"total": (39, "5690.00")}),
    },
}

NUMBERS = {  # the 公开表 labels as printed (2017 and the 省委办公厅 print none)
    "npc2017": [None] * 12,
    "npc2018": [f"公开{n:02d}表" for n in range(1, 13)],
    "npc2019": [f"公开表{n}" for n in "一 二 三 四 五 六 七 八 九 十 十一 十二".split()],
    "party2019": [None] * 12,
}

# (table, part, row) → column → amount
CELLS = {
    ("B1", "收入", "收入合计"): {"amount": "13649.07|15897.44|18330.37|27664.22"},
    ("B1", "支出", "当年支出小计"): {"amount": "13649.07|15897.44|18330.37|27664.22"},
    ("B1", "支出用途", "单位预留机动经费"): {"amount": "128.43|1685.72|2557.89|2938.21"},
    ("B2", None, "公共财政拨款(补助)资金"): {"amount": "13649.07|15897.44|18330.37|27664.22"},
    ("B4", "支出", "基本支出"): {"amount": "7666.68|7877.76|9312.90|11700.63"},
    ("B15", None, "合计"): {"total": "5619.31|1579.38|1642.08|2232.91"},
    ("B16", None, "货物A"): {"total": "59.00|59.00|233.10|84.00"},
    ("B16", None, "服务C"): {"total": "2188.85|2005.25|2183.33|1338.50"},
}

# every warning and error, (rule, severity, file, page, table), each a real defect of the document
KNOWN = {
    "npc2017": [
        # real: “1. 人大事务行政运行（项）支出10528.33万元” restates 201 一般公共服务支出; 2010101 行政运行 is 4545.94
        ("NAR001", "error", NPC17.name, 26, None),
        # real: the 三公 shares (8.75%, 7.22%, 16.81%) are of 2542.60, which holds 会议费 and 培训费; of the
        # “三公”经费 833.60 they are 26.69%, 22.02%, 51.28% (as the 2018 document prints them)
        ("NAR002", "error", NPC17.name, 28, None),
        ("NAR002", "error", NPC17.name, 28, None),
        ("NAR002", "error", NPC17.name, 28, None),
        # legitimate, said as a warning: 2017's 机关运行经费 (5619.31) counts the running costs of projects
        # too (the narrative says so: “将专项中包含的运行经费统计在这张表中”), more than the 302 of 基本支出
        ("REL001", "warning", NPC17.name, 19, "B15"),
    ],
    "npc2018": [
        # real: template instructions left in: “（按“部门预算公开06表…”中实际发生经济分类支出事项填写）”, four times
        ("IDN003", "error", NPC18.name, 26, None),
        ("IDN003", "error", NPC18.name, 26, None),
        ("IDN003", "error", NPC18.name, 27, None),
        ("IDN003", "error", NPC18.name, 27, None),
        # real: 单位预留机动经费 1685.72, “增加1557.29万元，增长1312.56%”: 1557.29 ÷ 128.43 is 1212.56%
        ("NAR003", "error", NPC18.name, 21, None),
    ],
    "npc2019": [
        # real: the empty 政府性基金 table (公开表十) has no note under it (the narrative's section says
        # “本部门无此项支出”: a warning, the 2018 document and the 省委办公厅 print “注：本部门无相关收支项目”)
        ("CMP003", "warning", NPC19[1].name, 10, "B8"),
        # real: “纳入本部门2018年部门汇总预算编制范围” in the 2019 budget (copied from 2018)
        ("IDN005", "error", NPC19[0].name, 5, None),
    ],
    "party2019": [
        # real: “住房保障（类）支出3894.09万元…与上年相比增加878.93万元，增长30%”: 878.93 ÷ 3015.16 is 29.15%
        # (every other rate of the document is printed to two decimals and right)
        ("NAR003", "error", PARTY19[0].name, 8, None),
        # real, a warning: “行政运行（项）支出9370.12万元，与上年相比增加1297.83万元，增长16.07%”: 1297.83 ÷
        # 8072.29 is 16.0775%, cut at the last digit instead of rounded to 16.08%
        ("NAR003", "warning", PARTY19[0].name, 9, None),
    ],
}
# what the region-neutral reading still finds (they do not depend on the layout): the same real defects
KNOWN_HIDDEN = {
    "npc2017": [],
    "npc2018": [r for r in KNOWN["npc2018"]],
    "npc2019": [("IDN005", "error", NPC19[0].name, 5, None)],
    "party2019": [r for r in KNOWN["party2019"]],
}


def _pinned(report) -> list[tuple]:
    return sorted(((f.rule, f.severity, Path(f.location.file or report.source).name, f.location.page,
                    f.location.table) for f in report.findings
                   if f.severity in ("warning", "error") and not pinned_elsewhere(f)), key=str)  # test_content_rules


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_identity(name: str) -> None:
    i = _run(name)[0].identity
    assert (i.publisher, i.scope, i.kind, i.year, i.unit, i.region, i.layout) == IDENTITY[name]


@needs_js
@pytest.mark.parametrize("path", [NPC19[1], PARTY19[1]], ids=lambda p: p.stem)
def test_a_file_of_tables_only_says_whose_year_and_kind(path: Path) -> None:
    from budgetdoc.pipeline import load

    i = load(path).identity
    assert (i.scope, i.kind, i.year, i.region, i.layout) == ("部门", "预算", 2019, "江苏省", LAYOUT)
    assert i.publisher in ("江苏省人大常委会办公厅", "中共江苏省委办公厅")


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_twelve_tables_with_every_amount_in_its_column(name: str) -> None:
    doc = _run(name)[0]
    assert [t.key for t in doc.tables] == (ORDER_2017 if name == "npc2017" else ORDER)
    assert [t.number for t in doc.tables] == NUMBERS[name]
    got = {}
    for t in doc.tables:
        amounts: dict[str, tuple[int, Decimal]] = {}
        for r in t.rows:
            for c in r.cells:
                if c.value is not None:
                    k = f"{r.part}|{c.column}" if t.key in ("B1", "B4") else c.column
                    n, s = amounts.get(k, (0, Decimal(0)))
                    amounts[k] = (n + 1, s + c.value)
        got[t.key] = (len(t.rows), [c.id for c in t.columns], {k: (n, str(s)) for k, (n, s) in amounts.items()})
    assert got == TABLES[name]
    # every amount under the header that names its column; every table in 万元, of this publisher
    assert {c.read for t in doc.tables for r in t.rows for c in r.cells} == {"header"}
    assert {t.unit for t in doc.tables} == {"万元"}
    assert {t.publisher for t in doc.tables} <= {IDENTITY[name][0], "江苏省人大", None}
    assert doc.table("B8").empty and not doc.table("B8").uncertain
    assert not [t.key for t in doc.tables if t.uncertain]


@needs_js
@pytest.mark.parametrize("cell", list(CELLS), ids=lambda c: f"{c[0]}-{c[2]}")
def test_cells(cell: tuple) -> None:
    key, part, row = cell
    for k, name in enumerate(DOCS):
        r = _run(name)[0].table(key).find(row, part)
        assert r is not None, (name, cell)
        assert {c: r.value(c) for c in CELLS[cell]} == {c: Decimal(v.split("|")[k]) for c, v in CELLS[cell].items()}


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_findings_are_exactly_the_known_ones(name: str) -> None:
    assert _pinned(_run(name)[1]) == sorted(KNOWN[name], key=str)


@needs_js
def test_the_narrative_is_checked_against_the_tables() -> None:
    """Totals, changes with their rates, 机关运行经费, 三公 and 政府采购 (货物 + 工程 + 服务) restate table cells."""
    refs = {}
    for name in DOCS:
        for st in _run(name)[0].narrative:
            if st.refs:
                refs.setdefault(name, set()).add(next(iter(st.refs.values())).split(":")[0])
    for name in DOCS:
        assert {"B1", "B4", "B13", "B5_1", "B7", "B15", "B16"} <= refs[name], (name, refs[name])
    doc = _run("npc2018")[0]
    [p] = [s for s in doc.narrative if s.kind == "procurement"]
    assert (p.values["total"], p.values["goods"], p.values["services"]) == (
        Decimal("2064.25"), Decimal("59"), Decimal("2005.25"))
    goods = [s for s in doc.narrative if s.kind == "amount" and s.subject == "政府采购货物"]
    assert goods and goods[0].refs["amount"].startswith("B16:货物A:total")
    people = [s for s in doc.narrative if s.kind == "amount" and s.subject == "人员经费"]
    assert people and all(s.refs["amount"].startswith("B14:301:total+B14:303:total") for s in people)


# ------------------------------------------------------------------ two files, one document


@needs_js
def test_the_two_files_of_a_document_are_planned_as_one() -> None:
    from budgetdoc import pipeline

    files = sorted(str(p) for p in JS.glob("*.pdf"))
    parts = [pipeline.identify(f) for f in files]
    roles = {Path(p.path).name: p.role for p in parts}
    assert roles == {NPC17.name: "whole", NPC18.name: "whole", NPC19[0].name: "narrative",
                     NPC19[1].name: "tables", PARTY19[0].name: "narrative", PARTY19[1].name: "tables"}
    planned = [tuple(Path(p).name for p in g) for g in pipeline.plan(parts)]
    assert planned == [(NPC17.name,), (NPC18.name,), (NPC19[0].name, NPC19[1].name),
                       (PARTY19[0].name, PARTY19[1].name)]
    # the tables first: still the narrative first; --as-one: every file one document
    shuffled = [parts[3], parts[2]]
    assert [tuple(Path(p).name for p in g) for g in pipeline.plan(shuffled)] == [(NPC19[0].name, NPC19[1].name)]
    assert len(pipeline.plan(parts, as_one=True)) == 1
    # a narrative alone, or two narratives for one table file: nothing is grouped
    assert pipeline.plan([parts[2]]) == [(parts[2].path,)]
    twin = pipeline.Part("/x/other.narrative.pdf", "narrative", *(parts[2].publisher, "部门", "预算", 2019))
    assert [len(g) for g in pipeline.plan([parts[2], parts[3], twin])] == [1, 1, 1]


@needs_js
@pytest.mark.parametrize("name", ["npc2019", "party2019"])
def test_each_place_keeps_its_file_and_page(name: str) -> None:
    doc, report = _run(name)
    narrative, tables = (str(p) for p in DOCS[name])
    assert [(p.file, p.role) for p in doc.parts] == [(narrative, "narrative"), (tables, "tables")]
    assert report.parts == doc.parts and report.source == f"{narrative} + {tables}"
    pages = {p.file: p.pages for p in doc.parts}
    places = [t.location for t in doc.tables] + [c.location for t in doc.tables for r in t.rows for c in r.cells]
    assert {loc.file for loc in places} == {tables}
    assert all(1 <= loc.page <= pages[tables] for loc in places)
    assert {s.location.file for s in doc.narrative} == {narrative}
    assert doc.table("B1").location.page == 1 and doc.table("B16").location.page == 12
    for f in report.findings:
        assert f.location.file in pages and 1 <= (f.location.page or 1) <= pages[f.location.file]


@needs_js
def test_check_a_folder_names_the_files_of_each_document(capsys) -> None:
    from budgetdoc.cli_report import check_many

    with pytest.raises(SystemExit) as e:
        check_many.main([str(JS), "--format", "json", "--jobs", "1"], standalone_mode=False)
    assert e.value.code == 1  # real defects are errors
    out = json.loads(capsys.readouterr().out)
    assert [len(o["parts"]) for o in out] == [0, 0, 2, 2]
    assert [o["summary"]["error"] for o in out] == [4, 5, 1, 1]
    assert [p["role"] for p in out[2]["parts"]] == ["narrative", "tables"]
    [cmp] = [f for f in out[2]["findings"] if f["rule"] == "CMP003"]
    assert cmp["location"]["file"] == str(NPC19[1]) and cmp["location"]["page"] == 10
    with pytest.raises(SystemExit):
        check_many.main([str(NPC19[1]), str(NPC19[0]), "--jobs", "1"], standalone_mode=False)
    text = capsys.readouterr().out
    assert "由 2 个文件合为一份文档" in text and f"{NPC19[1].name}，第10页" in text


@needs_js
def test_as_one_makes_one_document_of_the_files_given(capsys) -> None:
    from budgetdoc.cli_report import check_many

    # a file of narrative and one of tables of different publishers are no document, unless forced: each is
    # checked with its own other part, found in the folder (--alone: each by itself)
    with pytest.raises(SystemExit):
        check_many.main([str(NPC19[0]), str(PARTY19[1]), "--format", "json", "--jobs", "1"], standalone_mode=False)
    out = json.loads(capsys.readouterr().out)
    assert [[(Path(p["file"]).name, p["found"]) for p in o["parts"]] for o in out] == [
        [(NPC19[0].name, False), (NPC19[1].name, True)], [(PARTY19[0].name, True), (PARTY19[1].name, False)]]
    with pytest.raises(SystemExit):
        check_many.main([str(NPC19[0]), str(PARTY19[1]), "--format", "json", "--jobs", "1", "--alone"],
                        standalone_mode=False)
    assert [len(o["parts"]) for o in json.loads(capsys.readouterr().out)] == [0, 0]
    with pytest.raises(SystemExit):
        check_many.main([str(NPC19[0]), str(NPC19[1]), "--as-one", "--format", "json", "--jobs", "1"],
                        standalone_mode=False)
    [one] = json.loads(capsys.readouterr().out)
    assert [p["file"] for p in one["parts"]] == [str(NPC19[0]), str(NPC19[1])]


@needs_js
def test_report_and_store_take_the_document_of_two_files(tmp_path: Path) -> None:
    from budgetdoc.cli_report import report
    from budgetdoc.store import Store

    out = tmp_path / "npc2019.html"
    with pytest.raises(SystemExit) as e:
        report.main([str(NPC19[0]), str(NPC19[1]), "-o", str(out)], standalone_mode=False)
    assert e.value.code == 0
    html = out.read_text("utf-8")
    assert "由 2 个文件合为一份文档" in html and f"{NPC19[1].name}，第10页" in html and "data:image/png" in html
    pdf = tmp_path / "npc2019.pdf"
    with pytest.raises(SystemExit):
        report.main([str(NPC19[0]), str(NPC19[1]), "-o", str(pdf)], standalone_mode=False)
    import pymupdf

    with pymupdf.open(str(pdf)) as annotated:
        marked = [p.number for p in annotated if list(p.annots())]
        # the pages of the two findings (IDN005, CMP003) and those of the content rules' (test_content_rules)
        assert annotated.page_count >= 19 + 13 and len(marked) == 2 + 5
    with Store(str(tmp_path / "t.db")) as store:
        outcomes = store.ingest([str(JS)])
        assert [o.state for o in outcomes] == ["stored"] * 4
        assert outcomes[2].path == f"{NPC19[0]} + {NPC19[1]}" and outcomes[2].errors == 1
        assert [o.state for o in store.ingest([str(JS)])] == ["unchanged"] * 4
        again = store.read_again(outcomes[2].sha256)
        assert [p.file for p in again.parts] == [str(NPC19[0]), str(NPC19[1])] and len(again.tables) == 12


# ------------------------------------------------------------------ one file given: its other part found beside it


def _check(args: list[str], capsys) -> tuple[int, object]:
    from budgetdoc.cli_report import check_many

    with pytest.raises(SystemExit) as e:
        check_many.main([*args, "--jobs", "1"], standalone_mode=False)
    out = capsys.readouterr().out
    return e.value.code, (json.loads(out) if "--format" in args else out)


@needs_js
@pytest.mark.parametrize("name", ["npc2019", "party2019"])
@pytest.mark.parametrize("given", [0, 1], ids=["narrative", "tables"])
def test_one_file_given_is_checked_with_its_other_part_found_in_its_folder(name: str, given: int, capsys) -> None:
    """What the before-stop hook runs (``check --format json FILE``, one file at a time): each file of a
    two-file document is checked with the other, found in its folder, and the findings are the document's
    real defects only — no table of the 目录 “missing”, no empty table blamed on a narrative not given."""
    code, out = _check([str(DOCS[name][given]), "--format", "json"], capsys)
    assert [(Path(p["file"]).name, p["role"], p["found"]) for p in out["parts"]] == [
        (DOCS[name][0].name, "narrative", given == 1), (DOCS[name][1].name, "tables", given == 0)]
    assert _pinned_json(out) == sorted(KNOWN[name], key=str)
    assert code == 1  # each has a real error
    code, text = _check([str(DOCS[name][given])], capsys)
    other = DOCS[name][1 - given].name
    assert f"{DOCS[name][given].name} 与同一文件夹中的 {other} 合为一份文档检查" in text


def _pinned_json(out: dict) -> list[tuple]:
    return sorted(((f["rule"], f["severity"], Path(f["location"]["file"] or out["source"]).name,
                    f["location"]["page"], f["location"]["table"]) for f in out["findings"]
                   if f["severity"] in ("warning", "error") and not f["rule"].startswith(CONTENT_RULES)), key=str)


@needs_js
def test_alone_a_narrative_is_told_once_that_its_tables_are_not_in_it(capsys, tmp_path: Path) -> None:
    """``--alone`` (or no other part in the folder): the narrative's 目录 lists twelve tables it does not
    hold — one warning naming them, not twelve errors; a file of tables is not blamed for the narrative it
    does not hold (npc 2019's empty 政府性基金 table: its narrative says “本部门无此项支出”)."""
    code, out = _check([str(PARTY19[0]), "--format", "json", "--alone"], capsys)
    assert out["parts"] == []
    [cmp] = [f for f in out["findings"] if f["rule"].startswith("CMP")]
    assert (cmp["rule"], cmp["severity"]) == ("CMP001", "warning")
    assert "目录列出的 12 张公开表不在本文件中" in cmp["message"] and "《政府采购支出预算表》" in cmp["message"]
    assert cmp["location"]["page"] == 2
    # the narrative's own real defects are still said
    assert [f["rule"] for f in out["findings"] if f["severity"] == "error"] == ["NAR003"]
    code, out = _check([str(NPC19[1]), "--format", "json", "--alone"], capsys)
    assert code == 0 and [(f["rule"], f["severity"]) for f in out["findings"]
                          if f["severity"] != "info" and not f["rule"].startswith(CONTENT_RULES)] == [
        ("CMP003", "warning")]
    assert "本文件只有公开表" in out["findings"][0]["message"]
    # a folder with the narrative only: the same, found nothing
    alone = tmp_path / "only"
    alone.mkdir()
    (alone / NPC19[0].name).write_bytes(NPC19[0].read_bytes())
    code, out = _check([str(alone / NPC19[0].name), "--format", "json"], capsys)
    assert code == 0 and out["parts"] == []
    assert [(f["rule"], f["severity"]) for f in out["findings"]
            if f["severity"] != "info" and not f["rule"].startswith(CONTENT_RULES)] == [("CMP001", "warning")]
    # the blank amount the narrative prints (“政府性基金支出预算支出 万元。”) is no number and no finding
    doc = _run("npc2019")[0]
    page16 = [s for s in doc.narrative if s.location.page == 16 and "政府性基金" in s.text]
    assert not any(s.values for s in page16 if "支出预算支出" in s.text)
    assert not [f for f in _run("npc2019")[1].findings
                if f.location.page == 16 and f.severity != "info" and not pinned_elsewhere(f)]


def _folder(tmp_path: Path, *files: Path, names: dict | None = None) -> Path:
    d = tmp_path / "folder"
    d.mkdir(exist_ok=True)
    for f in files:
        (d / (names or {}).get(f, f.name)).write_bytes(f.read_bytes())
    return d


@needs_js
def test_what_is_looked_at_beside_a_file_is_bounded(tmp_path: Path, monkeypatch) -> None:
    """Only files of the kinds read, never below the folder, never a huge one; of those only the files
    naming the publisher are read, at most ``BESIDE_READ``; another publisher's files, or two narratives
    that could both claim the tables, give nothing."""
    from budgetdoc import pipeline

    d = _folder(tmp_path, PARTY19[0], NPC19[0], NPC19[1], NPC17)
    sub = d / "below"
    sub.mkdir()
    (sub / PARTY19[1].name).write_bytes(PARTY19[1].read_bytes())  # the tables, one folder down: not looked at
    (d / "notes.docx").write_bytes(b"PK\x03\x04")
    big = d / "huge.pdf"
    with open(big, "wb") as fh:
        fh.truncate(pipeline.BESIDE_BYTES + 1)
    for i in range(6):  # texts naming the publisher: read, but at most BESIDE_READ of them
        (d / f"note{i}.txt").write_text("中共江苏省委办公厅\n会议纪要\n", "utf-8")
    peeked: list[str] = []
    read: list[str] = []
    real_peek, real_identify = pipeline._peek, pipeline.identify
    monkeypatch.setattr(pipeline, "_peek", lambda p: peeked.append(Path(p).name) or real_peek(p))
    monkeypatch.setattr(pipeline, "identify", lambda p: read.append(Path(p).name) or real_identify(p))
    part = real_identify(str(d / PARTY19[0].name))
    assert pipeline.companions(part) == ()
    assert "huge.pdf" not in peeked and "notes.docx" not in peeked and PARTY19[1].name not in peeked
    assert set(peeked) == {NPC19[0].name, NPC19[1].name, NPC17.name} | {f"note{i}.txt" for i in range(6)}
    assert len(read) == pipeline.BESIDE_READ and all(n.startswith("note") for n in read)
    # the tables beside it: found; the npc files never read (they name another publisher)
    (d / PARTY19[1].name).write_bytes(PARTY19[1].read_bytes())
    for i in range(6):
        (d / f"note{i}.txt").unlink()
    read.clear()
    assert pipeline.companions(part) == (str(d / PARTY19[0].name), str(d / PARTY19[1].name))
    assert read == [PARTY19[1].name]
    # a second copy of the narrative: two narratives could claim the tables, nothing is guessed
    (d / "copy.pdf").write_bytes(PARTY19[0].read_bytes())
    assert pipeline.companions(part) == ()


@needs_js
def test_report_and_ingest_of_one_file_take_its_other_part(tmp_path: Path) -> None:
    from budgetdoc.cli_report import report
    from budgetdoc.store import Store

    out = tmp_path / "party.html"
    with pytest.raises(SystemExit) as e:
        report.main([str(PARTY19[1]), "-o", str(out)], standalone_mode=False)
    assert e.value.code == 0
    html = out.read_text("utf-8")
    assert "由 2 个文件合为一份文档" in html and f"与同一文件夹中的 {PARTY19[0].name} 合为一份文档检查" in html
    assert "CMP001" not in html
    with Store(str(tmp_path / "t.db")) as store:
        [o] = store.ingest([str(PARTY19[0])])
        assert o.state == "stored" and o.path == f"{PARTY19[0]} + {PARTY19[1]}" and o.found == [str(PARTY19[1])]
        assert (o.errors, o.warnings) == (1, 2)  # NAR003 (30% for 29.15%), NAR003 (16.07%), CNT002 (一般公共服务)
        [again] = store.ingest([str(PARTY19[1])])  # the other file given: the same document
        assert again.state == "unchanged" and again.sha256 == o.sha256
        [solo] = store.ingest([str(NPC19[0])], alone=True)
        assert solo.path == str(NPC19[0]) and solo.found == []


# ------------------------------------------------------------------ the layout hidden


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_with_the_layout_hidden_only_what_is_certain_is_said(name: str) -> None:
    doc, report = _run(name, hidden=True)
    assert doc.identity.layout == "unknown"
    [said] = [f for f in report.findings if f.rule == "REC003"]
    assert said.severity == "warning" and "江苏省" in said.message and "不在表目录中" in said.message
    # no error from a guessed column, a statutory set or a relation: the errors are the real defects
    # that do not depend on the layout
    assert [f for f in _pinned(report) if f[0] != "REC003"] == sorted(KNOWN_HIDDEN[name], key=str)
    # the tables are still read: coded tables by their structure, their sums checked
    structural = [t for t in doc.tables if t.key.startswith("S")]
    assert structural and all(t.rows and not t.uncertain for t in structural)
    assert {c.read for t in doc.tables for r in t.rows for c in r.cells} <= {"header", "guess"}


@needs_js
def test_with_the_layout_hidden_a_wrong_sum_inside_a_table_is_still_an_error(tmp_path: Path) -> None:
    from budgetdoc import data, pipeline

    edit = _edit_table_amount(tmp_path, "npc2018")
    with data.hidden(LAYOUT):
        _, report = pipeline.run(str(edit))
    found = [f for f in report.findings if f.rule == "ARI003" and f.severity == "error"]
    assert found and all(f.location.table.startswith("S") for f in found)


# ------------------------------------------------------------------ injected defects

pymupdf = pytest.importorskip("pymupdf")
from pdf_edit import drop_pages, replace_text, unrotated  # noqa: E402


def _variant(name: str, original: Path, edited: Path) -> list[str]:
    return [str(edited if p == original else p) for p in DOCS[name]]


def _errors(paths: list[str]):
    from budgetdoc.pipeline import run

    return [f for f in run(paths if len(paths) > 1 else paths[0])[1].findings if f.severity == "error"]


def _new(name: str, paths: list[str]) -> list:
    before = {(f.rule, f.message) for f in _run(name)[1].findings if f.severity == "error"}
    return [f for f in _errors(paths) if (f.rule, f.message) not in before]


def _edit_table_amount(tmp_path: Path, name: str) -> Path:
    """The first 项 amount of 财政拨款支出预算表 + 100."""
    doc = _run(name)[0]
    row = next(r for r in doc.table("B13").rows if r.code and len(r.code) == 7)
    cell = row.cells[0]
    new = f"{cell.value + 100:,.2f}" if "," in cell.text else f"{cell.value + 100:.2f}"
    src = Path(cell.location.file)
    out = tmp_path / f"{name}-amount.pdf"
    replace_text(src, out, cell.location.page, cell.text, new, clip=unrotated(src, cell.location.page,
                                                                               cell.location.bbox))
    return out


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_table_amount(tmp_path: Path, name: str) -> None:
    doc = _run(name)[0]
    src = Path(doc.table("B13").location.file)
    new = _new(name, _variant(name, src, _edit_table_amount(tmp_path, name)))
    sums = [f for f in new if f.rule == "ARI003" and f.location.table == "B13"]
    assert len(sums) == 1 and sums[0].location.file.endswith("-amount.pdf"), new


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_narrative_amount(tmp_path: Path, name: str) -> None:
    doc = _run(name)[0]
    st = next(s for s in doc.narrative if s.kind == "amount" and s.subject == "基本支出")
    src, out = Path(st.location.file), tmp_path / f"{name}-narrative.pdf"
    amount = st.values["amount"]
    replace_text(src, out, st.location.page, f"{amount}", f"{amount + 1}", clip=pymupdf.Rect(st.location.bbox))
    new = _new(name, _variant(name, src, out))
    found = [f for f in new if f.rule == "NAR001" and f.location.page == st.location.page]
    assert len(found) == 1 and f"{amount + 1:,}" in found[0].message, new


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_year(tmp_path: Path, name: str) -> None:
    doc = _run(name)[0]
    year = str(doc.identity.year)
    st = next(s for s in doc.narrative if s.kind == "amount" and s.subject in ("支出合计", "收支总计")
              and year in s.text)
    src, out = Path(st.location.file), tmp_path / f"{name}-year.pdf"
    with pymupdf.open(str(src)) as pdf:
        hits = pdf[st.location.page - 1].search_for(year)
    clip = next(h for h in hits if abs(h.y0 - st.location.bbox[1]) < 40)
    replace_text(src, out, st.location.page, year, str(int(year) - 1), clip=clip)
    new = _new(name, _variant(name, src, out))
    assert [(f.rule, f.location.page, f.actual) for f in new] == [("IDN005", st.location.page, str(int(year) - 1))]


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_unit_name(tmp_path: Path, name: str) -> None:
    doc = _run(name)[0]
    t = doc.table("B2")
    src, out = Path(t.location.file), tmp_path / f"{name}-name.pdf"
    wrong = t.publisher[:-1] + "室"
    replace_text(src, out, t.location.page, t.publisher, wrong)
    new = _new(name, _variant(name, src, out))
    assert [(f.rule, f.location.table, f.actual) for f in new] == [("IDN001", "B2", wrong)]


@needs_js
@pytest.mark.parametrize("name", list(DOCS))
def test_table_removed(tmp_path: Path, name: str) -> None:
    doc = _run(name)[0]
    key = "B13" if name == "npc2017" else "B15"  # a table alone on its page(s)
    t = doc.table(key)
    src = Path(t.location.file)
    pages = sorted({t.location.page} | {r.location.page for r in t.rows})
    out = drop_pages(src, tmp_path / f"{name}-drop.pdf", pages)
    new = _new(name, _variant(name, src, out))
    assert [(f.rule, f.location.table) for f in new] == [("CMP001", key)]
