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
"""

from __future__ import annotations

from .core import Outcome, Store, ruleset_version
from .db import resolve_url
from .fingerprint import fingerprints, identity_key

__all__ = ["Outcome", "Store", "fingerprints", "identity_key", "resolve_url", "ruleset_version"]
