"""Findings and the report that collects them (modelled on frictionless: stats, tasks, located errors)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from ..model import DocumentPart, Identity, Location

Severity = Literal["info", "warning", "error"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
SEVERITY_ZH = {"info": "提示", "warning": "警告", "error": "错误"}


class Finding(BaseModel):
    rule: str
    name: str = ""
    category: str = ""
    severity: Severity
    message: str
    location: Location = Field(default_factory=Location)
    expected: str | None = None
    actual: str | None = None
    related: list[Location] = Field(default_factory=list)  # the other cells/places that disagree


class Report(BaseModel):
    source: str
    document: Identity
    parts: list[DocumentPart] = Field(default_factory=list)  # the files of a document of several files
    findings: list[Finding] = Field(default_factory=list)
    rules_run: int = 0
    tables: int = 0
    statements: int = 0
    forms: int = 0

    def summary(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def fmt(v: Decimal | None) -> str | None:
    """A money amount as the document would print it (two decimals), or None."""
    if v is None:
        return None
    return f"{v:,.2f}"
