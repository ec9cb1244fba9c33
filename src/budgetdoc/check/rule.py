"""The rule base class and registry.

A rule is a class with a stable ``id`` (e.g. ``ARITH001``), a ``name``, a ``category`` and a docstring
that names the identity or regulation it enforces with a bad and a good example. ``run`` yields findings
through ``self.finding(...)``. Rules register themselves by subclassing :class:`Rule`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar

from ..model import Disclosure, Location
from .findings import Finding, Severity, fmt

_REGISTRY: dict[str, type[Rule]] = {}


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]  # completeness / arithmetic / relation / classification / identity /
    # narrative / performance / recognition / content / presentation
    severity: ClassVar[Severity] = "error"
    # ids of broader rules whose finding of the same slip at the same place this rule's finding replaces
    # (one defect, one finding: check/overlap.py)
    covers: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kw: object) -> None:
        super().__init_subclass__(**kw)
        if getattr(cls, "id", None):
            if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
                raise ValueError(f"duplicate rule id {cls.id}")
            _REGISTRY[cls.id] = cls

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        message: str,
        location: Location,
        *,
        severity: Severity | None = None,
        expected: Decimal | str | None = None,
        actual: Decimal | str | None = None,
        related: list[Location] | None = None,
    ) -> Finding:
        return make_finding(self, message, location, severity, expected, actual, related)


def make_finding(
    rule: object,
    message: str,
    location: Location,
    severity: Severity | None,
    expected: Decimal | str | None,
    actual: Decimal | str | None,
    related: list[Location] | None,
) -> Finding:
    """A finding of ``rule`` (a document rule or a cross-document pair rule): its id, name, category and
    default severity, amounts as two-decimal strings."""
    return Finding(
        rule=rule.id,  # type: ignore[attr-defined]
        name=rule.name,  # type: ignore[attr-defined]
        category=rule.category,  # type: ignore[attr-defined]
        severity=severity or rule.severity,  # type: ignore[attr-defined]
        message=message,
        location=location,
        expected=fmt(expected) if isinstance(expected, Decimal) else expected,
        actual=fmt(actual) if isinstance(actual, Decimal) else actual,
        related=related or [],
    )


def registry() -> dict[str, type[Rule]]:
    from . import rules  # noqa: F401  (import registers every rule)

    return dict(sorted(_REGISTRY.items()))
