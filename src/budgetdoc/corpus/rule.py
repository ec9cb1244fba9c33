"""The pair-rule base class and registry (the sqlfluff shape: one rule id, one module, a docstring that
names the regulation with a bad and a good example).

A pair rule reads a :class:`~budgetdoc.corpus.group.Corpus` — documents grouped by publisher, scope, kind
and year — and yields findings located in one document with ``related`` places in the other. Its ids
start with ``XDC`` (跨文件, cross-document); its category is ``cross-document``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING, ClassVar

from ..check.findings import Finding, Severity, fmt
from ..model import Location

if TYPE_CHECKING:
    from .group import Corpus

CATEGORY = "cross-document"
_REGISTRY: dict[str, type[PairRule]] = {}


class PairRule:
    id: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str] = CATEGORY
    severity: ClassVar[Severity] = "error"

    def __init_subclass__(cls, **kw: object) -> None:
        super().__init_subclass__(**kw)
        if getattr(cls, "id", None):
            if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
                raise ValueError(f"duplicate pair rule id {cls.id}")
            _REGISTRY[cls.id] = cls

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        message: str,
        location: Location,
        *,
        related: list[Location],
        severity: Severity | None = None,
        expected: Decimal | str | None = None,
        actual: Decimal | str | None = None,
    ) -> Finding:
        return Finding(
            rule=self.id,
            name=self.name,
            category=self.category,
            severity=severity or self.severity,
            message=message,
            location=location,
            expected=fmt(expected) if isinstance(expected, Decimal) else expected,
            actual=fmt(actual) if isinstance(actual, Decimal) else actual,
            related=related,
        )


def registry() -> dict[str, type[PairRule]]:
    """Every pair rule by id (importing the package registers them)."""
    import_module(__package__ + ".pair_rules")  # registers every rule

    return dict(sorted(_REGISTRY.items()))


def pair_rules_json() -> list[dict[str, str]]:
    return [
        {"id": rid, "name": cls.name, "category": cls.category, "severity": cls.severity,
         "doc": inspect.cleandoc(cls.__doc__ or "")}
        for rid, cls in registry().items()
    ]


def pair_rules_markdown() -> str:
    """The README's table of the cross-document rules (``scripts/update_readme.py`` writes it)."""
    out = ["| id | name | default severity | what it enforces |", "|---|---|---|---|"]
    for r in pair_rules_json():
        first = r["doc"].split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
        out.append(f"| {r['id']} | {r['name']} | {r['severity']} | {first} |")
    return "\n".join(out) + "\n"


__all__ = ["CATEGORY", "PairRule", "registry", "pair_rules_json", "pair_rules_markdown"]
