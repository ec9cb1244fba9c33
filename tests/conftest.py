"""Shared fixtures: where the real documents are (``../shared`` beside the repository, or
``$BUDGETDOC_SHARED``), and helpers to build variants of them in a temporary directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BUDGETDOC_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
SAMPLES = SHARED / "samples"

SEED = {
    "000": SEEDS / "000_2c66e0ecf27fbfcb.txt",
    "001": SEEDS / "001_fc6be2b843b45ac4.txt",
    "002": SEEDS / "002_a1c489479f055e8b.txt",
    "003": SEEDS / "003_6ab85edfcea3f354.txt",
    "004": SEEDS / "004_74e23b9d16a4c68a.txt",
}
SAMPLE = {
    "planning": SAMPLES / "shanghai-putuo-planning-2024-final.pdf",
    "social": SAMPLES / "shanghai-putuo-social-work-2024-final.pdf",
    "template": SAMPLES / "shanghai-2024-final-template.pdf",
}

# the content rules of the bureau's inspectors (issue 15): their findings on the shared documents are pinned
# in test_content_rules.py, so the tests that pin the other rules' findings leave them out
CONTENT_RULES = ("CNT", "PRS")


def pinned_elsewhere(f) -> bool:
    return f.rule.startswith(CONTENT_RULES)


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not present")
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples not present")

_CACHE: dict[str, object] = {}


def load_doc(path: Path | str):
    """The recognised Disclosure of a file (cached per path for the session)."""
    from budgetdoc.pipeline import load

    st = os.stat(path)
    key = f"{path}|{st.st_mtime_ns}|{st.st_size}"  # a variant rewritten at the same path is a new document
    if key not in _CACHE:
        _CACHE[key] = load(path)
    return _CACHE[key]


def load_doc_or_bare(path: Path | str):
    """The recognised document; while recognise() refuses it (work in progress elsewhere), a bare one
    with the identity and the lines, which is all the rules that read lines need."""
    from budgetdoc.errors import InputError

    try:
        return load_doc(path)
    except InputError:
        from budgetdoc.model import Disclosure
        from budgetdoc.read import read
        from budgetdoc.recognise.identity import recognise_identity

        src = read(str(path))
        doc = Disclosure(source=str(path), identity=recognise_identity(src))
        doc._lines = src.lines()
        return doc


def load_doc_or_skip(path: Path):
    """The recognised document; the test is skipped when the file is not there or not read yet."""
    from budgetdoc.errors import InputError

    if not path.exists():
        pytest.skip(f"{path} not present")
    try:
        return load_doc(path)
    except InputError as e:
        pytest.skip(f"the recogniser does not read {path.name} yet: {e}")


def table_cells(doc) -> dict[str, set]:
    """Table key → (part, code or key, column, value) of every cell with a value."""
    return {
        t.key: {(r.part, r.code or r.key, c.column, c.value) for r in t.rows for c in r.cells if c.value is not None}
        for t in doc.tables
    }


def check_doc(path: Path | str):
    from budgetdoc.check import check

    return check(load_doc(path))


def variant(tmp_path: Path, seed: str, old: str, new: str, count: int = 1, nth: int = 1) -> Path:
    """A copy of a seed in ``tmp_path`` with the ``nth`` occurrence of ``old`` replaced by ``new``
    (``count`` occurrences from there). Fails if ``old`` is not there, so a test cannot silently
    check an untouched copy."""
    text = SEED[seed].read_text("utf-8")
    start = -1
    for _ in range(nth):
        start = text.find(old, start + 1)
        assert start >= 0, f"{old!r} not found {nth} times in seed {seed}"
    head, tail = text[:start], text[start:]
    out = tmp_path / f"{seed}-variant.txt"
    out.write_text(head + tail.replace(old, new, count), "utf-8")
    return out


def without(tmp_path: Path, seed: str, start: str, end: str, name: str) -> Path:
    """A copy of a seed in ``tmp_path`` (file ``name``) without its text from ``start`` up to ``end``
    (both must be there)."""
    text = SEED[seed].read_text("utf-8")
    out = tmp_path / name
    out.write_text(text[: text.index(start)] + text[text.index(end) :], "utf-8")
    return out
