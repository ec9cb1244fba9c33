"""A bureau's corpus: every document (by content hash), its model, each check run and its findings,
the register of departments and units, and review decisions — in SQLite (default) or PostgreSQL.

Needs the ``corpus`` extra (SQLAlchemy, Alembic, psycopg). The public surface:

- :class:`Store` (``Store(url)``): ``ingest(paths)``, ``import_orgs(path)``, ``recheck(year, department)``,
  ``review(fingerprints, decision, reason, reviewer)``, ``status(year, kind)``, ``findings()`` (the
  register), ``counts()``; and for cross-document rules ``disclosures(year, department, kind)``: the
  stored models of the newest version of each document, and ``members()``: the register as
  ``budgetdoc.corpus.check_together(docs, members=…)`` takes it.
- :func:`resolve_url`: ``--db`` / ``$BUDGETDOC_DB`` / ``./budgetdoc.db``.
- :func:`ruleset_version`: the hash naming the rule set of a check run.
- :func:`fingerprints`: the stable fingerprints of a report's findings.

Its names are imported on first use (PEP 562), so ``budgetdoc.store.cli`` (the commands) costs nothing
until a command opens the store: SQLAlchemy alone takes longer to import than ``budgetdoc check`` of a text.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Outcome, Store, ruleset_version
    from .db import resolve_url
    from .fingerprint import fingerprints, identity_key

_WHERE = {"Outcome": ".core", "Store": ".core", "ruleset_version": ".core", "resolve_url": ".db",
          "fingerprints": ".fingerprint", "identity_key": ".fingerprint"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)

__all__ = ["Outcome", "Store", "fingerprints", "identity_key", "resolve_url", "ruleset_version"]
