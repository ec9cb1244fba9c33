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


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "pdf"])
def test_reports_are_readable_like_the_index(tmp_path: Path, fmt: str) -> None:
    """A report is written to a private temporary file (mkstemp: 0600) and moved into place: it must end
    up with the mode any new file gets (0666 minus the umask), so a colleague on a shared drive can open
    it, like the batch's index.html."""
    import os
    import stat

    from test_report_model import example_pdf

    old = os.umask(0o022)
    try:
        src = example_pdf(tmp_path) if fmt == "pdf" else EXAMPLE
        doc = load_doc(src)
        out = tmp_path / f"r.{fmt}"
        batch.write_report(doc, check(doc), str(out), fmt)
        assert stat.S_IMODE(out.stat().st_mode) == 0o644, oct(out.stat().st_mode)
        os.umask(0o027)
        out2 = tmp_path / f"r2.{fmt}"
        batch.write_report(doc, check(doc), str(out2), fmt)
        assert stat.S_IMODE(out2.stat().st_mode) == 0o640, oct(out2.stat().st_mode)
        index = tmp_path / "index-like.html"
        index.write_text("x", "utf-8")
        assert stat.S_IMODE(out2.stat().st_mode) == stat.S_IMODE(index.stat().st_mode)
    finally:
        os.umask(old)
