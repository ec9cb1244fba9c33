"""Stable fingerprints of findings, so a rerun — after a fix of the document or an upgrade of
budgetdoc — recognises a finding it has seen before.

A fingerprint hashes: the rule; the document's identity (publisher, scope, kind, year — not its bytes
or path); the location key (table/row/part/column for a table cell, else the normalised text of the
narrative statement or line the finding is on — not the page or line number, which move when text is
added above); and the two values that disagree. The message's wording is not part of it: an upgrade may
rephrase a message without making it a new finding. Two findings of one run with the same key are told
apart by their order (``#2`` …).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter

from ..check import Finding
from ..model import Disclosure, Identity

_SPACE = re.compile(r"\s+")


def norm(text: str | None) -> str:
    """Full-width to half-width, no whitespace: how a name or a sentence is compared."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def identity_key(identity: Identity, sha256: str | None = None) -> str:
    """``publisher|scope|kind|year`` — the document whatever its version; a document whose publisher
    was not recognised is only itself (its hash): two such documents of one year are not versions of
    each other."""
    parts = [norm(identity.publisher), identity.scope or "", identity.kind or "",
             str(identity.year) if identity.year else ""]
    if not parts[0] and sha256:
        return "sha256:" + sha256
    return "|".join(parts)


def location_key(f: Finding, doc: Disclosure | None = None) -> str:
    loc = f.location
    if loc.table:
        return "|".join(["cell", loc.table, loc.row or "", loc.part or "", loc.column or ""])
    text = _text_at(doc, loc.page, loc.line) if doc is not None and loc.line else None
    if text:
        return "text|" + norm(text)
    return "document"


def _text_at(doc: Disclosure, page: int | None, line: int | None) -> str | None:
    for s in doc.narrative:
        if s.location.line == line and (page is None or s.location.page in (None, page)) and s.text:
            return s.text
    for ln in doc.lines():
        if ln.number == line and (page is None or ln.page == page):
            return ln.text
    return None


def fingerprints(findings: list[Finding], doc: Disclosure | None, identity: str) -> list[str]:
    """One fingerprint per finding (16 hex digits), in order, unique within the list."""
    out: list[str] = []
    seen: Counter[str] = Counter()
    for f in findings:
        base = json.dumps([f.rule, identity, location_key(f, doc), f.expected, f.actual], ensure_ascii=False)
        seen[base] += 1
        if seen[base] > 1:
            base += f"#{seen[base]}"
        out.append(hashlib.sha256(base.encode("utf-8")).hexdigest()[:16])
    return out
