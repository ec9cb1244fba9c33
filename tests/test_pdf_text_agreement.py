"""The same document read as PDF and as the text a user's converter gives (PyMuPDF
``get_text("text", sort=True)`` per page, pages joined by form feeds) yields the same tables: the same
table keys, the same rows, and the same (row, column, amount) cells.

Agreement on the three samples (cells with an amount, PDF = text): planning 308/308, social-work
205/205, template 0/0 (its tables are empty); row keys 219/219, 201/201 and 161/161. Row names of
wrapped rows may still differ in the text (a name wrapped around its code is split between the rows
above and below): they are not compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetdoc.pipeline import load
from conftest import SAMPLE, load_doc, needs_samples, table_cells

pymupdf = pytest.importorskip("pymupdf")

pytestmark = needs_samples


def _text_version(pdf_path: Path, tmp_path: Path) -> Path:
    with pymupdf.open(str(pdf_path)) as pdf:
        text = "\f".join(page.get_text("text", sort=True) for page in pdf)
    out = tmp_path / (pdf_path.stem + ".txt")
    out.write_text(text, "utf-8")
    return out


def _rows(doc) -> dict[str, list]:
    return {t.key: sorted((r.part or "", r.code or r.key) for r in t.rows) for t in doc.tables}


@pytest.fixture(scope="module")
def pairs(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("text-versions")
    out = {}
    for name, path in SAMPLE.items():
        out[name] = (load_doc(path), load(_text_version(path, tmp)))
    return out


@pytest.mark.parametrize("sample,expected", [("planning", 308), ("social", 205), ("template", 0)])
def test_pdf_and_text_give_the_same_cells(pairs, sample: str, expected: int) -> None:
    from_pdf, from_text = pairs[sample]
    a, b = table_cells(from_pdf), table_cells(from_text)
    assert sorted(a) == sorted(b) == ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"]
    for key in a:
        assert a[key] == b[key], (key, sorted(a[key] - b[key], key=str)[:5], sorted(b[key] - a[key], key=str)[:5])
    assert sum(len(v) for v in a.values()) == expected


@pytest.mark.parametrize("sample", sorted(SAMPLE))
def test_pdf_and_text_give_the_same_rows(pairs, sample: str) -> None:
    from_pdf, from_text = pairs[sample]
    assert _rows(from_pdf) == _rows(from_text)


@pytest.mark.parametrize("sample", sorted(SAMPLE))
def test_text_version_reads_without_table_diagnostics(pairs, sample: str) -> None:
    _, from_text = pairs[sample]
    assert [d.message for d in from_text.diagnostics] == []
