"""The same document in another dress gives the same findings: blank lines dropped, page breaks added,
CRLF line ends, full-width digits, thousands separators removed, spaces doubled."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import SEED, check_doc, needs_seeds

TRANSFORMS = {
    "no-blank-lines": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "form-feeds": lambda t: "\n".join(ln + ("\f" if i % 80 == 79 else "") for i, ln in enumerate(t.split("\n"))),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "full-width-digits": lambda t: t.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "no-thousands-separators": lambda t: re.sub(r"(\d),(\d{3})", r"\1\2", t),
    "double-spaces": lambda t: t.replace(" ", "  "),
}
MARKDOWN_SAFE = ("form-feeds", "crlf", "full-width-digits", "no-thousands-separators")


def _summary(path: Path) -> Counter:
    return Counter((f.rule, f.severity) for f in check_doc(path).findings)


@needs_seeds
@pytest.mark.parametrize("seed", sorted(SEED))
@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
def test_same_findings_in_another_dress(tmp_path: Path, seed: str, transform: str) -> None:
    if seed in ("002", "004") and transform not in MARKDOWN_SAFE:
        pytest.skip("blank lines and spaces carry structure in converter markdown")
    text = SEED[seed].read_text("utf-8")
    changed = TRANSFORMS[transform](text)
    if changed == text:
        pytest.skip(f"seed {seed} has nothing for {transform} to change")
    out = tmp_path / f"{seed}-{transform}.txt"
    out.write_text(changed, "utf-8")
    assert _summary(out) == _summary(SEED[seed])
