"""Check stage: run the rule catalog over a :class:`~budgetdoc.model.Disclosure`."""

from __future__ import annotations

from ..model import Disclosure
from .findings import SEVERITY_ORDER, Finding, Report
from .rule import Rule, registry


def check(doc: Disclosure, select: list[str] | None = None) -> Report:
    """All findings of all rules (or of the ``select``ed rule ids), in document order."""
    rules = [cls() for rid, cls in registry().items() if not select or rid in select]
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for rule in rules:
        for f in rule.run(doc):
            key = (f.rule, f.location.page, f.location.line, f.location.table, f.location.row,
                   f.location.column, f.message)
            if key not in seen:
                seen.add(key)
                findings.append(f)
    findings.sort(key=lambda f: (f.location.page or 0, f.location.line or 0, -SEVERITY_ORDER[f.severity]))
    return Report(
        source=doc.source,
        document=doc.identity,
        findings=findings,
        rules_run=len(rules),
        tables=len(doc.tables),
        statements=len(doc.narrative),
        forms=len(doc.performance),
    )


__all__ = ["Finding", "Report", "Rule", "check", "registry"]
