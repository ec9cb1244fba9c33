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

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not present")
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared/samples not present")

_CACHE: dict[str, object] = {}


def load_doc(path: Path | str):
    """The recognised Disclosure of a file (cached per path for the session)."""
    from budgetdoc.read import read
    from budgetdoc.recognise import recognise

    st = os.stat(path)
    key = f"{path}|{st.st_mtime_ns}|{st.st_size}"  # a variant rewritten at the same path is a new document
    if key not in _CACHE:
        _CACHE[key] = recognise(read(str(path)))
    return _CACHE[key]


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
