"""The pair-rule base class and registry (the sqlfluff shape: one rule id, one module, a docstring that
names the regulation with a bad and a good example).

A pair rule reads a :class:`~budgetdoc.corpus.group.Corpus` — documents grouped by publisher, scope, kind
and year — and yields findings located in one document with ``related`` places in the other. Its ids
start with ``XDC`` (跨文件, cross-document); its category is ``cross-document``.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING, ClassVar

from ..check.catalog import rules_json, rules_markdown
from ..check.findings import Finding, Severity
from ..check.rule import make_finding
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
        return make_finding(self, message, location, severity, expected, actual, related)


def registry() -> dict[str, type[PairRule]]:
    """Every pair rule by id (importing the package registers them)."""
    import_module(__package__ + ".pair_rules")  # registers every rule

    return dict(sorted(_REGISTRY.items()))


def pair_rules_json() -> list[dict[str, str]]:
    return rules_json(registry())


def pair_rules_markdown() -> str:
    """The README's table of the cross-document rules (``scripts/update_readme.py`` writes it)."""
    return rules_markdown(registry(), category=False)


__all__ = ["CATEGORY", "PairRule", "registry", "pair_rules_json", "pair_rules_markdown"]
