"""The PDF path on the Wuhan layout: seeds 004 (2021 部门决算) and 002 (2026 单位预算), whose cells are known
(markdown with tab-separated cells), rendered as ruled PDFs (:mod:`render_pdf`) read the same as the
markdown: the same tables, rows, names and (row, column, amount) cells, the same identity, and the same
warning/error findings (their locations aside).

The renders have what the real Wuhan PDFs have: summary tables in two halves with 行次 columns, the
基本支出 table in three column groups, 三公 with 12 columns under merged headers, tables continuing over
pages without a repeated header, names wrapped inside their cells, long titles wrapped over two lines
(where the converter's markdown shows the original broke them), landscape pages for wide tables. Three
layouts: A4 at 10.5 pt; B5 at 9 pt (the tables break at other rows); narrow name columns (most names
wrapped). A variant of 004 has ``公开NN表`` labels on their own line and 类/款/项 code columns in 表3/表5.

Agreement (cells with an amount, PDF = markdown, every layout): 004 136 (T1 8, T2 30, T3 33, T4 13,
T5 33, T6 13, T7 0, T8 0, T9 6), 002 197 (B1 8, B3 43, B4 8, B5_1 68, B5_2 5, B6 53, B7 4, B8 0, B9 0,
B10 8).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from budgetdoc.read import read
from budgetdoc.recognise.text import compact
from conftest import SEED, check_doc, load_doc, needs_seeds, table_cells

pytest.importorskip("pymupdf")
from render_pdf import Style, render  # noqa: E402

pytestmark = needs_seeds

STYLES = {
    "a4": Style(),
    "b5-9pt": Style(page=(516.0, 729.0), size=9.0),
    "narrow-names": Style(max_text=60.0),
}
CELLS = {
    "004": {"T1": 8, "T2": 30, "T3": 33, "T4": 13, "T5": 33, "T6": 13, "T7": 0, "T8": 0, "T9": 6},
    "002": {"B1": 8, "B3": 43, "B4": 8, "B5_1": 68, "B5_2": 5, "B6": 53, "B7": 4, "B8": 0, "B9": 0, "B10": 8},
}
CASES = [(seed, style) for seed in CELLS for style in STYLES]


def _variant_004(tmp: Path) -> Path:
    """Seed 004 with ``公开0N表`` on its own line under each table title (instead of ``（表 N）``) and the
    functional code of 表3 and 表5 in three columns 类/款/项 (``208 | 01 | 08``)."""
    out, split = [], False
    for line in SEED["004"].read_text("utf-8").split("\n"):
        if line.startswith("## "):
            split = bool(re.search(r"（表\s*[35]）", line))
        if split and "\t" in line:
            c = line.split("\t")
            if re.fullmatch(r"\d{3}(?:\d{2}){0,2}", c[0]):
                c = [c[0][:3], c[0][3:5], c[0][5:7], *c[1:]]
            else:
                c = ["类", "款", "项", *c[1:]] if c[0] == "功能分类科目编码" else [c[0], "", "", *c[1:]]
            line = "\t".join(c)
        out.append(line)
    text = re.sub(r"^(## .*?)\s*（表\s*(\d)）\s*$", r"\1\n\n公开0\2表", "\n".join(out), flags=re.M)
    path = tmp / "004-variant.txt"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(markdown path, PDF path) of a case, rendered once per module."""
    tmp = tmp_path_factory.mktemp("wuhan-pdf")
    made: dict[tuple[str, str], tuple[Path, Path]] = {}

    def get(seed: str, style: str) -> tuple[Path, Path]:
        if (seed, style) not in made:
            md = _variant_004(tmp) if seed == "004-variant" else SEED[seed]
            made[(seed, style)] = (md, render(md, tmp / f"{seed}-{style}.pdf", STYLES[style]))
        return made[(seed, style)]

    return get


def _rows(doc) -> dict[str, list]:
    return {t.key: [(r.part, r.code or r.key, compact(r.name or "")) for r in t.rows] for t in doc.tables}


def _findings(path: Path) -> Counter:
    """(rule, severity, message) of the warnings and errors; a place named in a message is dropped."""
    return Counter(
        (f.rule, f.severity, re.sub(r"第\s*\d+\s*[页行]", "", f.message))
        for f in check_doc(path).findings
        if f.severity in ("warning", "error")
    )


@pytest.mark.parametrize("seed,style", CASES)
def test_pdf_and_markdown_give_the_same_cells_and_rows(pair, seed: str, style: str) -> None:
    md, pdf = pair(seed, style)
    a, b = table_cells(load_doc(pdf)), table_cells(load_doc(md))
    assert sorted(a) == sorted(b) == sorted(CELLS[seed])
    for key in a:
        assert a[key] == b[key], (key, sorted(a[key] - b[key], key=str)[:5], sorted(b[key] - a[key], key=str)[:5])
    assert {k: len(v) for k, v in a.items()} == CELLS[seed]
    assert _rows(load_doc(pdf)) == _rows(load_doc(md))


@pytest.mark.parametrize("seed,style", CASES)
def test_pdf_and_markdown_give_the_same_identity(pair, seed: str, style: str) -> None:
    md, pdf = pair(seed, style)
    a, b = load_doc(pdf).identity, load_doc(md).identity
    assert (a.publisher, a.kind, a.year, a.scope) == (b.publisher, b.kind, b.year, b.scope)
    assert a.publisher and a.kind and a.year and a.scope


@pytest.mark.parametrize("seed,style", CASES)
def test_pdf_and_markdown_give_the_same_findings(pair, seed: str, style: str) -> None:
    md, pdf = pair(seed, style)
    assert _findings(pdf) == _findings(md)
    assert [d.message for d in load_doc(pdf).diagnostics] == [d.message for d in load_doc(md).diagnostics]


def _first_page_rows(doc, key: str) -> int:
    """Rows of table ``key`` printed on the page of its first row (a table broken over pages)."""
    rows = next(t for t in doc.tables if t.key == key).rows
    return sum(1 for r in rows if r.location.page == rows[0].location.page)


def test_layouts_break_tables_at_other_rows(pair) -> None:
    a4, b5 = load_doc(pair("004", "a4")[1]), load_doc(pair("004", "b5-9pt")[1])
    rows = len(next(t for t in a4.tables if t.key == "T2").rows)
    assert 0 < _first_page_rows(b5, "T2") < _first_page_rows(a4, "T2") < rows  # 收入决算表 on two pages
    b6 = load_doc(pair("002", "b5-9pt")[1])
    assert _first_page_rows(b6, "B6") < len(next(t for t in b6.tables if t.key == "B6").rows)


def test_names_wrapped_inside_their_cells(pair) -> None:
    style = STYLES["narrow-names"]
    doc = load_doc(pair("002", "narrow-names")[1])
    row = next(r for t in doc.tables if t.key == "B5_1" for r in t.rows if r.code == "2080505")
    assert row.name == "机关事业单位基本养老保险缴费支出"
    x0, y0, x1, y1 = row.location.bbox
    assert y1 - y0 > 2 * 1.25 * style.size  # three lines in its cell


def test_open_table_labels_and_split_code_columns(pair) -> None:
    md, pdf = pair("004-variant", "a4")
    assert ["208", "01", "08", "信息化建设"] in [ln.cells[:4] for ln in read(str(pdf)).lines() if ln.cells]
    a, b = load_doc(pdf), load_doc(md)
    assert [t.number for t in a.tables] == [t.number for t in b.tables] == [f"公开0{n}表" for n in range(1, 10)]
    assert table_cells(a) == table_cells(b)
    assert {k: len(v) for k, v in table_cells(a).items()} == CELLS["004"]
    assert _rows(a) == _rows(b)
    assert _findings(pdf) == _findings(md)
