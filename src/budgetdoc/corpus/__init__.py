"""Checks across documents: a unit's 决算 against its 预算 of the same year, this year's documents against
last year's, a department against its units, a unit's name across years.

:func:`check_together` groups the documents given (by publisher, scope, kind and year) and runs every
pair rule (``budgetdoc.corpus.pair_rules``, ids ``XDC…``); each finding is located in one document, its
``related`` places in the other(s). The CLI calls it when several files are checked together; the corpus
store calls it over stored documents (documents without their source lines — a store's — are checked
too; a department's member list then comes from ``members``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..check.findings import Finding
from ..model import Disclosure
from .group import Corpus, listed_units, unit_key
from .rule import CATEGORY, PairRule, pair_rules_json, pair_rules_markdown
from .rule import registry as pair_rule_registry

NAME_RULES = {"XDC005"}  # the pair rules that compare names, not table quantities


def check_together(docs: list[Disclosure], select: Iterable[str] | None = None,
                   members: dict[str, list[str]] | None = None) -> list[Finding]:
    """Every cross-document finding among ``docs`` (all pair rules, or the ``select``ed ids). ``members``
    maps a department's name to all its units' names (a register); without it a department's own 构成 /
    机构设置 section says. Findings come in a stable order: by the position of the document they are
    located in, then by rule id."""
    corpus = Corpus(docs, members)
    # a document of a layout the catalog does not know has no table quantities to compare (its name does)
    known = Corpus([d for d in docs if d.identity.layout != "unknown"], members)
    wanted = set(select) if select is not None else None
    out: list[Finding] = []
    for rid, cls in pair_rule_registry().items():
        if wanted is not None and rid not in wanted:
            continue
        out.extend(cls().run(corpus if rid in NAME_RULES else known))
    order = {d.source: k for k, d in enumerate(corpus.docs)}
    out.sort(key=lambda f: (order.get(f.location.file or "", len(order)), f.rule, f.location.page or 0,
                            f.location.line or 0))
    return out


def detach(doc: Disclosure) -> tuple[Disclosure, list[str] | None]:
    """The document without its source lines (less than half the memory and the pickle: what a worker
    sends back, what a store keeps), and what the pair rules read from those lines: a department's
    listed units (None for a unit, or when the department lists none). Give the units back to
    :func:`check_together` as ``members`` (see :func:`members_of`)."""
    listed = listed_units(doc) if doc.identity.scope == "部门" else None
    doc._lines = []
    return doc, listed


def members_of(pairs: list[tuple[Disclosure, list[str] | None]]) -> dict[str, list[str]]:
    """``members`` for :func:`check_together` from :func:`detach`'s pairs: department → its listed units."""
    out: dict[str, list[str]] = {}
    for doc, listed in pairs:
        key = unit_key(doc)
        if key and listed and key not in out:
            out[key] = listed
    return out


def by_source(findings: list[Finding]) -> dict[str, list[Finding]]:
    """The findings by the file they are located in (``location.file``)."""
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.location.file or "", []).append(f)
    return out


__all__ = ["CATEGORY", "Corpus", "PairRule", "by_source", "check_together", "detach", "listed_units", "members_of",
           "pair_rule_registry", "pair_rules_json", "pair_rules_markdown", "unit_key"]
