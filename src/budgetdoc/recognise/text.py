"""Small text helpers shared by the recognisers."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """Text without any whitespace (PDF extractors put spaces inside words and numbers)."""
    return _SPACE.sub("", text)

