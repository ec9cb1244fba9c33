"""Small text helpers shared by the recognisers."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
ORDINAL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十廿]+[)）]\s*[、.．]?|[一二三四五六七八九十廿]+\s*[、.．])\s*")


def compact(text: str) -> str:
    """Text without any whitespace (PDF extractors put spaces inside words and numbers)."""
    return _SPACE.sub("", text)


def strip_ordinal(name: str) -> str:
    """``二十一 、国有资本经营预算支出`` → ``国有资本经营预算支出``; also ``（一）``."""
    return ORDINAL.sub("", name).strip()


def name_key(name: str) -> str:
    """The stable key of a named row: no ordinal, no spaces, no brackets' content like （含专用结余）."""
    key = compact(strip_ordinal(name))
    key = re.sub(r"[（(][^）)]*[）)]$", "", key)
    return key
