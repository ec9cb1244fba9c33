"""Performance forms: 整体/项目 绩效自评表 and 绩效目标表."""

from __future__ import annotations

from ..model import Disclosure, PerformanceForm
from ..read import Source


def find_forms(source: Source, doc: Disclosure) -> list[PerformanceForm]:
    return []
