"""When a disclosure is due (package data ``data/disclosure_due.toml``): by region and kind, a number of
days after the day the region's documents are approved; and which scope each level of the register
publishes. ``status`` says 未到期 for what is not due yet, 未公开 only for what is overdue."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Rule:
    approved: tuple[int, int]  # month, day
    year_offset: int
    days: int

    def due(self, year: int) -> date:
        month, day = self.approved
        return date(year + self.year_offset, month, day) + timedelta(days=self.days)


@cache
def table() -> dict[str, Any]:
    return tomllib.loads((resources.files("budgetdoc.data") / "disclosure_due.toml").read_text("utf-8"))


def _rule(raw: dict[str, Any]) -> Rule:
    month, day = (int(x) for x in str(raw["approved"]).split("-"))
    return Rule((month, day), int(raw.get("year_offset", 0)), int(raw["days"]))


def rule(kind: str, region: str | None = None) -> Rule:
    """The due rule of a kind (预算/决算) in a region (the default when no region's name starts it)."""
    data = table()
    best = None
    for name, kinds in data.get("regions", {}).items():
        if region and region.startswith(name) and kind in kinds and (best is None or len(name) > len(best[0])):
            best = (name, kinds[kind])
    return _rule(best[1] if best else data["default"][kind])


def due(kind: str, year: int, region: str | None = None) -> date:
    return rule(kind, region).due(year)


def scope_of(level: str) -> str:
    """The scope a level of the register publishes (部门 → 部门, 单位 → 单位)."""
    return table().get("scopes", {}).get(level, level)
