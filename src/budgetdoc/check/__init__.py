"""Check stage: run the rule catalog over a :class:`~budgetdoc.model.Disclosure`."""

from __future__ import annotations

from ..data import using_layout
from ..errors import describe
from ..model import Disclosure, Location
from .certainty import settle
from .findings import SEVERITY_ORDER, Finding, Report
from .layout import LAYOUT_RULES, UNKNOWN
from .overlap import one_per_defect
from .rule import Rule, registry


def check(doc: Disclosure, select: list[str] | None = None) -> Report:
    """All findings of all rules (or of the ``select``ed rule ids), in document order; the rules see the
    catalog of the layout the document was read with (:func:`budgetdoc.data.using_layout`)."""
    with using_layout(doc.identity.layout):
        return _check(doc, select)


def _check(doc: Disclosure, select: list[str] | None) -> Report:
    rules = [cls() for rid, cls in registry().items() if not select or rid in select]
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for rule in rules:
        for f in _run(rule, doc):
            key = (f.rule, f.location.page, f.location.line, f.location.table, f.location.row,
                   f.location.column, f.message)
            if key not in seen:
                seen.add(key)
                findings.append(f)
    findings = settle(doc, one_per_defect(findings, rules))
    if doc.identity.layout == UNKNOWN:
        findings = [f for f in findings if f.rule not in LAYOUT_RULES]
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


def _run(rule: Rule, doc: Disclosure) -> list[Finding]:
    """The findings of one rule; a bug in it (an exception) is one warning of that rule, the findings it
    gave before are kept, and the other rules still run."""
    out: list[Finding] = []
    try:
        out.extend(rule.run(doc))
    except Exception as e:  # noqa: BLE001 - one rule's bug must not hide the other rules' findings
        out.append(rule.finding(
            f"规则 {rule.id} 在检查本文件时出错（{describe(e)}），此项检查未完成，请把这份文件报告给开发者",
            Location(file=doc.source),
            severity="warning",
        ))
    return out


__all__ = ["Finding", "Report", "Rule", "check", "registry"]
