"""One document, one set of findings, whatever tool extracted it (tests/shapes.py): every shared document
written in the shapes real extractors leave gives the findings of the original — the content and
presentation notes included — or says a table is uncertain (REC001; a performance form unread: PRF014)
and loses only that table's checks: never a new error or warning, never a finding lost outside what is
said uncertain. Every document × every shape (a document of two files written as two files, checked as
one); ``scripts/shape_harness.py`` prints the table.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from shapes import SHAPES, compare, documents

DOCS = documents()
needs_shared = pytest.mark.skipif(not DOCS, reason="shared documents (../shared) not present")


def _check(doc, shape: str, tmp) -> None:
    out = compare(doc, shape, tmp)
    assert out.kind in ("equal", "uncertain"), f"{doc.name} × {shape}: {out}\n" + "\n".join(
        map(str, out.added + out.lost))


@needs_shared
@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.paths[0].stem[:40])
def test_every_shape_of_every_shared_document(tmp_path, doc) -> None:
    for shape in SHAPES:
        _check(doc, shape, tmp_path)


@needs_shared
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(doc=st.sampled_from(DOCS), shape=st.sampled_from(SHAPES))
def test_a_shape_gives_no_new_error_or_warning(tmp_path_factory, doc, shape) -> None:
    _check(doc, shape, tmp_path_factory.mktemp("shape"))


@needs_shared
@pytest.mark.parametrize("shape", SHAPES)
def test_the_citymgmt_text_in_every_shape(tmp_path, shape: str) -> None:
    """The citymgmt 预算 (the text of the issue): its findings (none) in every shape."""
    path = SHARED / "real" / "shanghai-putuo-2026-dept-budget-citymgmt.txt"
    if not path.is_file():
        pytest.skip("shared/real not present")
    out = compare(path, shape, tmp_path)
    assert out.kind in ("equal", "uncertain"), str(out)
