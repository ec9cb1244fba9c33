"""Narrative statements: the facts the 情况说明 states, as data."""

from __future__ import annotations

from ..model import Disclosure, Statement
from ..read import Source


def find_statements(source: Source, doc: Disclosure) -> list[Statement]:
    return []
