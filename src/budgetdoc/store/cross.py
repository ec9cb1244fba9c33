"""Cross-document findings in the store (``check --db``): a unit's 决算 against its 预算, this year against
last year, a department against its units (budgetdoc.corpus). Each is kept with a stable fingerprint — its
rule, the identities of the documents it is about, its cell and the two values — so a reviewer's decision
holds across reruns, as for any finding; each is filed under the unit and department of the document it is
located in. A check replaces the cross findings of the documents it checked.

A department whose amounts disagree with the sum of its units nearly everywhere is not misprinted
everywhere: the register most likely lists only some of its units. Such a flood (more than
:data:`FLOOD` XDC004 findings on one department document) is said once, as a warning that names the count
and the first few cells, not as hundreds of errors and warnings.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .readings import current_ids
from .schema import CrossFinding, Document, Organisation

if TYPE_CHECKING:
    from ..check import Finding
    from .core import Store

FLOOD = 30


def _loc_key(loc: Any) -> str:
    if loc.table:
        return "|".join(["cell", loc.table, loc.row or "", loc.part or "", loc.column or ""])
    return "document"


def collapse(findings: list[Finding]) -> list[Finding]:
    """XDC004 floods (see the module's text) as one warning per department document."""
    from ..check.findings import Finding

    by_doc = Counter(f.location.file for f in findings if f.rule == "XDC004")
    flooded = {k for k, n in by_doc.items() if n > FLOOD}
    out: list[Finding] = []
    seen: set[str | None] = set()
    for f in findings:
        if f.rule != "XDC004" or f.location.file not in flooded:
            out.append(f)
            continue
        if f.location.file in seen:
            continue
        seen.add(f.location.file)
        same = [g for g in findings if g.rule == "XDC004" and g.location.file == f.location.file]
        same.sort(key=lambda g: g.severity != "error")
        first = "；".join(g.message for g in same[:3])
        out.append(Finding(
            rule="XDC004", name=f.name, category=f.category, severity="warning",
            message=(f"部门文件有 {len(same)} 处金额不等于所列单位之和，几乎处处不符：多半是单位名录只列了部门的一部分单位"
                     f"（或部分单位的文件未入库），请补全名录和文件后再检查。前 3 处：{first}"),
            location=f.location.at(table=None, row=None, part=None, column=None, column_label=None),
            related=f.related[:5]))
    return out


def check_across(store: Store, year: int | None = None, department: str | None = None) -> list[dict[str, Any]]:
    """Run the cross-document rules over the current documents (of a year / department), keep their
    findings (replacing those these documents had) and return them as rows (with fingerprints)."""
    from ..corpus import check_together
    from ..model import Disclosure

    members = store.members() or None
    with Session(store.engine) as s, s.begin():
        docs = store._latest_documents(s, year, None, department)
        pairs: list[tuple[Document, Disclosure]] = []
        names: Counter[str] = Counter()
        for d in docs:
            m = Disclosure.model_validate_json(d.model_json or "{}")
            names[m.source] += 1
            pairs.append((d, m))
        for d, m in pairs:  # each document by a name of its own (two stored from one path: by id too)
            if names[m.source] > 1:
                m.source = f"{m.source}#{d.id}"
        by_source = {m.source: d for d, m in pairs}
        found = check_together([m for _, m in pairs], members=members) if len(pairs) > 1 else []
        found = collapse(found)
        by_id, by_code = store._orgs(s)
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        seen: Counter[str] = Counter()
        # one transaction: the old findings of these documents go as the new ones come
        ids = [d.id for d, _ in pairs]
        if ids:  # what these documents had, and what documents that no longer count had
            s.execute(delete(CrossFinding).where(CrossFinding.document_id.in_(ids)))
        s.execute(delete(CrossFinding).where(CrossFinding.document_id.is_(None)
                                             | CrossFinding.document_id.not_in(current_ids(s))))
        for f in found:
            d = by_source.get(f.location.file or "")
            related = sorted({by_source[r.file].identity_key for r in f.related
                              if r.file in by_source})
            base = json.dumps([f.rule, d.identity_key if d else f.location.file, _loc_key(f.location),
                               f.expected, f.actual, related], ensure_ascii=False)
            seen[base] += 1
            if seen[base] > 1:
                base += f"#{seen[base]}"
            fp = hashlib.sha256(base.encode()).hexdigest()[:16]
            org = by_id.get(d.org_id) if d is not None and d.org_id is not None else None
            dept = store._department_of(org, by_code) if org is not None else None
            s.execute(delete(CrossFinding).where(CrossFinding.fingerprint == fp))
            row = CrossFinding(
                fingerprint=fp, ruleset=store.ruleset, checked_at=now, document_id=d.id if d else None,
                org_code=org.code if org else None, department_code=dept.code if dept else None,
                year=d.year if d else None, kind=d.kind if d else None, rule=f.rule, name=f.name,
                severity=f.severity, message=f.message, expected=f.expected, actual=f.actual,
                location_json=f.location.model_dump_json(),
                related_json=json.dumps([r.model_dump(mode="json") for r in f.related], ensure_ascii=False))
            s.add(row)
            rows.append({"fingerprint": fp, "finding": f, "document_id": row.document_id,
                         "org_code": row.org_code, "department_code": row.department_code})
        return rows


def cross_rows(s: Session, codes: set[str] | None = None) -> list[CrossFinding]:
    """The kept cross findings (of documents filed under these units or departments), errors first."""
    q = select(CrossFinding)
    if codes is not None:
        if not codes:
            return []
        q = q.where(CrossFinding.org_code.in_(codes) | CrossFinding.department_code.in_(codes))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(s.scalars(q), key=lambda c: (order.get(c.severity, 9), c.id))


def unit_names(s: Session) -> dict[str, str]:
    return {o.code: o.name for o in s.scalars(select(Organisation))}
