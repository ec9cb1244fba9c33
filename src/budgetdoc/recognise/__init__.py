"""Recognise stage: from pages of positioned lines to the typed :class:`~budgetdoc.model.Disclosure`.

identity → sections and 目录 → tables (by the catalog) → narrative statements → performance forms.
"""

from __future__ import annotations

from ..errors import InputError
from ..model import Disclosure
from ..read import Source
from .identity import recognise_identity
from .narrative import find_statements
from .performance import find_forms
from .sections import find_sections
from .tables import find_tables


def recognise(source: Source) -> Disclosure:
    """The whole document model. Raises :class:`InputError` when the text is not a disclosure."""
    identity = recognise_identity(source)
    sections, toc = find_sections(source)
    tables, diagnostics = find_tables(source, identity)
    doc = Disclosure(
        source=source.path,
        identity=identity,
        sections=sections,
        toc=toc,
        tables=tables,
        diagnostics=diagnostics,
        text_lines=sum(len(p.lines) for p in source.pages),
    )
    doc._lines = source.lines()
    doc.narrative = find_statements(source, doc)
    doc.performance = find_forms(source, doc)
    if not tables and not doc.performance and (identity.kind is None or not doc.narrative):
        raise InputError(f"这不是一份预算或决算公开文件（没有找到预决算表格、标题或情况说明）：{source.path}")
    return doc


__all__ = ["recognise"]
