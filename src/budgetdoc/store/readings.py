"""Two readings of one document, and which document of an identity counts.

The same PDF written out by two extractors (or a PDF and its text) reads to the same identity and the same
tables: those are readings of one document, not versions of each other. A document's tables are kept as
digests (one hash per table read with certainty); two documents of one identity whose common tables all
agree (and cover at least half of the smaller one's) are readings of one document and share a reading
group (the id of the group's first document). The group's *best* reading counts, whatever the order they
were stored in: fewest tables left unread or uncertain and REC findings, then most cells read, then (a tie)
the smaller hash of the bytes.

Different tables under one identity are versions: the newest version (the group stored last) counts. A
document held for a reviewer (:mod:`budgetdoc.store.core`) never counts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .schema import Document

if TYPE_CHECKING:
    from ..check import Report
    from ..model import Disclosure


NARRATIVE = "narrative"


def table_digest(doc: Disclosure) -> dict[str, str]:
    """Table key (numbered again for a table printed twice) → a hash of its amounts, for the tables read
    with certainty; and ``narrative`` → a hash of the narrative's statements (their text without spaces):
    a corrected sentence is a new version, not another reading."""
    from .fingerprint import norm

    out: dict[str, str] = {}
    said = sorted({norm(st.text) for st in doc.narrative if st.text})
    if said:
        out[NARRATIVE] = hashlib.sha256("\n".join(said).encode()).hexdigest()[:16]
    for t in doc.tables:
        if t.uncertain:
            continue
        h = hashlib.sha256()
        h.update(b"empty" if t.empty else b"")
        for r in t.rows:
            for c in r.cells:
                if c.value is not None:
                    h.update(f"{r.part or ''}|{r.key}|{c.column}|{c.value.normalize():f}\n".encode())
        key = t.key
        n = 2
        while key in out:
            key, n = f"{t.key}#{n}", n + 1
        out[key] = h.hexdigest()[:16]
    return out


def reading_score(doc: Disclosure, report: Report) -> str:
    """How well the document was read, as a string that sorts best first: tables unread or uncertain plus
    REC findings, then cells read (more is better)."""
    unread = sum(1 for t in doc.tables if t.uncertain) + sum(1 for f in report.findings if f.rule.startswith("REC"))
    cells = sum(1 for t in doc.tables if not t.uncertain for r in t.rows for c in r.cells if c.value is not None)
    return f"{min(unread, 999_999):06d}.{max(0, 999_999_999 - cells):09d}"


def same_tables(a: dict[str, str], b: dict[str, str]) -> bool:
    """Readings of one document: the narrative says the same, the tables both read agree, and they are at
    least half of the smaller one's tables."""
    if a.get(NARRATIVE) != b.get(NARRATIVE):
        return False
    a, b = ({k: v for k, v in x.items() if k != NARRATIVE} for x in (a, b))
    common = set(a) & set(b)
    if not common or len(common) * 2 < min(len(a), len(b)):
        return False
    return all(a[k] == b[k] for k in common)


def group_for(s: Session, identity_key: str, digest: dict[str, str], exclude: int | None) -> int | None:
    """The reading group of the stored documents of this identity whose tables are these (None: a new
    document or a new version)."""
    rows = s.execute(select(Document.id, Document.reading_group, Document.table_digest).where(
        Document.identity_key == identity_key, Document.status == "ok", Document.held.is_(None))
        .order_by(Document.id)).all()
    for doc_id, group, raw in rows:
        if doc_id == exclude or not raw:
            continue
        if same_tables(digest, json.loads(raw)):
            return group or doc_id
    return None


def current_ids(s: Session, ids: Iterable[int] | None = None) -> list[int]:
    """The document that counts for each identity: the best reading of its newest version; held and
    unusable documents never count. ``ids``: only among these."""
    q = select(Document.id, Document.identity_key, Document.reading_group, Document.reading_score,
               Document.sha256).where(Document.status == "ok", Document.held.is_(None))
    best: dict[str, tuple[Any, ...]] = {}
    allowed = set(ids) if ids is not None else None
    for doc_id, key, group, score, sha in s.execute(q):
        if allowed is not None and doc_id not in allowed:
            continue
        rank = (-(group or doc_id), score or "", sha)  # the newest group, then its best reading
        if key not in best or rank < best[key][0]:
            best[key] = (rank, doc_id)
    return sorted(v[1] for v in best.values())
