"""The JSON contract (documented in the README). Decimal amounts are strings, never floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..check import Report
from ..model import Disclosure, Location, Table

_LOC_KEYS = ("file", "page", "line", "bbox", "table", "row", "column")


def _loc(loc: Location) -> dict[str, Any]:
    return {k: getattr(loc, k) for k in _LOC_KEYS}


def _identity(doc_identity: Any) -> dict[str, Any]:
    d = doc_identity.model_dump(mode="json")
    d.pop("location", None)
    return d


def check_json(report: Report, min_severity: str = "info") -> dict[str, Any]:
    from ..check.findings import SEVERITY_ORDER

    floor = SEVERITY_ORDER[min_severity]
    findings = [f for f in report.findings if SEVERITY_ORDER[f.severity] >= floor]
    return {
        "source": report.source,
        "document": _identity(report.document),
        "summary": report.summary(),
        "stats": {
            "rules": report.rules_run,
            "tables": report.tables,
            "statements": report.statements,
            "performance_forms": report.forms,
        },
        "findings": [
            {
                "rule": f.rule,
                "name": f.name,
                "category": f.category,
                "severity": f.severity,
                "message": f.message,
                "location": _loc(f.location),
                "expected": f.expected,
                "actual": f.actual,
                "related": [_loc(r) for r in f.related],
            }
            for f in findings
        ],
    }


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
        "document": _identity(doc.identity),
        "sections": [s.model_dump(mode="json") for s in doc.sections],
        "toc": [e.model_dump(mode="json") for e in doc.toc],
        "tables": [table_json(t) for t in doc.tables],
        "narrative": [s.model_dump(mode="json") for s in doc.narrative],
        "performance": [p.model_dump(mode="json") for p in doc.performance],
        "diagnostics": [d.model_dump(mode="json") for d in doc.diagnostics],
    }
