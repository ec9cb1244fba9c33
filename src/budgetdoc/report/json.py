"""The JSON contract (documented in the README). Decimal amounts are strings, never floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..check import Finding, Report
from ..model import Disclosure, DocumentPart, Identity, Location, Table

_LOC_KEYS = tuple(Location.model_fields)


def _loc(loc: Location) -> dict[str, Any]:
    return loc.model_dump(mode="json", include=set(_LOC_KEYS))


def _identity(doc_identity: Any) -> dict[str, Any]:
    d = doc_identity.model_dump(mode="json")
    d.pop("location", None)
    return d


# ------------------------------------------------------------------ the check JSON, as a model
# ``check --format json`` prints ``CheckOutput(...).model_dump(mode="json")`` and ``budgetdoc schema
# report`` prints ``CheckOutput.model_json_schema()``: what is printed is what the schema says.

_STRICT = ConfigDict(extra="forbid")

DocumentInfo = create_model(  # the Identity as printed: every field but its location
    "DocumentInfo",
    __config__=_STRICT,
    **{k: (f.annotation, f) for k, f in Identity.model_fields.items() if k != "location"},  # type: ignore[call-overload]
)


class Summary(BaseModel):
    """Findings per severity."""

    model_config = _STRICT

    error: int = 0
    warning: int = 0
    info: int = 0


class Stats(BaseModel):
    """What was checked: rules run, tables, narrative statements, performance forms."""

    model_config = _STRICT

    rules: int = 0
    tables: int = 0
    statements: int = 0
    performance_forms: int = 0


class CheckOutput(BaseModel):
    """One document's check, as ``check --format json`` prints it (the README's JSON contract)."""

    model_config = _STRICT

    source: str
    # a document published as several files: each file, what it holds, its pages (findings name their file)
    parts: list[DocumentPart] = Field(default_factory=list)
    document: DocumentInfo  # type: ignore[valid-type]
    summary: Summary
    stats: Stats
    findings: list[Finding] = Field(default_factory=list)


def check_output(report: Report, min_severity: str | None = "info") -> CheckOutput:
    """``min_severity`` None: every finding (as "info"). Findings are listed errors first, then warnings,
    then notes (by category, page and line inside a severity), one object per finding."""
    from ..check.findings import SEVERITY_ORDER
    from .groups import ordered

    floor = SEVERITY_ORDER[min_severity or "info"]
    return CheckOutput(
        source=report.source,
        parts=report.parts,
        document=DocumentInfo(**_identity(report.document)),
        summary=Summary(**report.summary()),
        stats=Stats(rules=report.rules_run, tables=report.tables, statements=report.statements,
                    performance_forms=report.forms),
        findings=[f for f in ordered(report.findings) if SEVERITY_ORDER[f.severity] >= floor],
    )


def check_json(report: Report, min_severity: str | None = "info") -> dict[str, Any]:
    """The JSON object of one document's check (:class:`CheckOutput` dumped)."""
    return check_output(report, min_severity).model_dump(mode="json")


def report_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`check_json`'s object (``budgetdoc schema report``)."""
    return CheckOutput.model_json_schema(mode="serialization")


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def table_json(t: Table) -> dict[str, Any]:
    labels = {c.id: c.label for c in t.columns}
    return {
        "key": t.key,
        "title": t.title,
        "number": t.number,
        "publisher": t.publisher,
        "year": t.year,
        "unit": t.unit,
        "empty": t.empty,
        "statement": t.statement,
        "location": _loc(t.location),
        "columns": [c.model_dump() for c in t.columns],
        "rows": [
            {
                "code": r.code,
                "name": r.name,
                "key": r.key,
                "part": r.part,
                "number": r.number,
                "values": {labels.get(c.column, c.column): _dec(c.value) for c in r.cells if c.value is not None},
                "location": _loc(r.location),
                "cells": [
                    {"column": labels.get(c.column, c.column), "id": c.column, "value": _dec(c.value),
                     "text": c.text, "location": _loc(c.location)}
                    for c in r.cells if c.value is not None
                ],
            }
            for r in t.rows
        ],
    }


def extract_json(doc: Disclosure) -> dict[str, Any]:
    return {
        "source": doc.source,
        "parts": [p.model_dump(mode="json") for p in doc.parts],
        "document": _identity(doc.identity),
        "sections": [s.model_dump(mode="json") for s in doc.sections],
        "toc": [e.model_dump(mode="json") for e in doc.toc],
        "tables": [table_json(t) for t in doc.tables],
        "narrative": [s.model_dump(mode="json") for s in doc.narrative],
        "performance": [p.model_dump(mode="json") for p in doc.performance],
        "diagnostics": [d.model_dump(mode="json") for d in doc.diagnostics],
    }
