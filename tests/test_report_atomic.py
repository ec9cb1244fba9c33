"""Writing a report never leaves a half-written file, never replaces a good one with a broken one, and
never writes over the input."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetdoc.check import check
from budgetdoc.errors import InputError
from budgetdoc.report import batch
from conftest import REPO, load_doc

EXAMPLE = REPO / "examples" / "demo-2023-final.txt"


def test_failure_midway_leaves_the_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = load_doc(EXAMPLE)
    report = check(doc)
    out = tmp_path / "r.json"
    batch.write_report(doc, report, str(out), "json")
    good = out.read_bytes()

    def broken(doc, report, path, fmt):
        Path(path).write_text("{ half", "utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(batch, "_write", broken)
    with pytest.raises(RuntimeError):
        batch.write_report(doc, report, str(out), "json")
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_report_over_the_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_bytes(EXAMPLE.read_bytes())
    doc = load_doc(src)
    with pytest.raises(InputError):
        batch.write_report(doc, check(doc), str(src), "json")
    assert src.read_bytes() == EXAMPLE.read_bytes()
