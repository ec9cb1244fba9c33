"""What the pages show, read from the store's tables: which documents a user may see, a document's
latest check run and its findings with their review state, the findings search, the organisation tree,
one unit across years."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from ..check.findings import SEVERITY_ZH
from ..store.readings import current_ids
from ..store.schema import CheckRun, Document, FindingRow, Organisation, Review, WebJob, WebUser


def local(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time (UTC; SQLite gives it back without its zone) in the server's local time."""
    if dt is None:
        return ""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone().strftime(fmt)


DECISION_ZH = {"confirmed": "已确认", "dismissed": "已排除", None: "待审核"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def can_see_all(user: WebUser) -> bool:
    return user.role in ("admin", "reviewer")


def subtree_ids(s: Session, org_code: str) -> set[int]:
    """The organisation ``org_code`` and every unit under it (ids)."""
    from ..store.core import Store

    return Store._subtree(s, org_code)


def _unit_doc_ids(s: Session, org_code: str | None) -> set[int]:
    """The documents of a unit: filed under it or one of its units (not held), and those its own uploads
    stored (held ones included: the unit sees what it sent). Bytes another unit's document holds give
    nothing: uploading them files nothing under the uploader."""
    if not org_code:
        return set()
    orgs = subtree_ids(s, org_code)
    filed = set(s.scalars(select(Document.id).where(Document.org_id.in_(orgs), Document.held.is_(None)))) \
        if orgs else set()
    mine = set(s.scalars(select(Document.id).where(Document.uploader == org_code, Document.held.is_not(None))))
    return filed | mine


def visible(s: Session, user: WebUser, document_id: int) -> Document | None:
    """The document when ``user`` may see it, else None (the same answer as for a missing one)."""
    d = s.get(Document, document_id)
    if d is None:
        return None
    if can_see_all(user) or document_id in _unit_doc_ids(s, user.org_code):
        return d
    return None


def latest_doc_ids(s: Session) -> list[int]:
    """The document that counts for each identity (its newest version's best reading; never a held one)."""
    return current_ids(s)


def latest_run(s: Session, document_id: int) -> CheckRun | None:
    return s.scalar(select(CheckRun).where(CheckRun.document_id == document_id).order_by(CheckRun.id.desc()).limit(1))


def decisions(s: Session, fps: list[str]) -> dict[str, Review]:
    out: dict[str, Review] = {}
    for i in range(0, len(fps), 500):
        for r in s.scalars(select(Review).where(Review.fingerprint.in_(fps[i:i + 500]))
                           .order_by(Review.decided_at, Review.id)):
            out[r.fingerprint] = r
    return out


def history(s: Session, fp: str) -> list[Review]:
    return list(s.scalars(select(Review).where(Review.fingerprint == fp).order_by(Review.decided_at, Review.id)))


@dataclass
class FindingItem:
    id: int
    fingerprint: str
    rule: str
    name: str
    severity: str
    message: str
    where: str
    expected: str | None
    actual: str | None
    page: int | None
    bbox: list[float] | None
    decision: str | None
    reason: str | None
    reviewer: str | None
    decided_at: str | None
    document_id: int = 0
    unit: str | None = None
    publisher: str | None = None
    year: int | None = None
    kind: str | None = None
    history: list[dict[str, str]] = field(default_factory=list)

    @property
    def severity_zh(self) -> str:
        return SEVERITY_ZH.get(self.severity, self.severity)

    @property
    def decision_zh(self) -> str:
        return DECISION_ZH.get(self.decision, "待审核")


def _where(f: FindingRow) -> str:
    from ..model import Location
    from ..report.text import where

    try:
        return where(Location.model_validate_json(f.location_json))
    except Exception:  # noqa: BLE001 - an older location shape: the plain fields
        return f"第{f.page}页" if f.page else ""


def _item(f: FindingRow, dec: Review | None, d: Document | None = None, unit: str | None = None) -> FindingItem:
    loc = json.loads(f.location_json or "{}")
    return FindingItem(
        f.id, f.fingerprint, f.rule, f.name, f.severity, f.message, _where(f), f.expected, f.actual,
        loc.get("page"), loc.get("bbox"), dec.decision if dec else None, dec.reason if dec else None,
        dec.reviewer if dec else None, local(dec.decided_at) if dec else None,
        d.id if d else 0, unit, d.publisher if d else None, d.year if d else None, d.kind if d else None)


def document_findings(s: Session, run: CheckRun, decided: bool = True) -> list[FindingItem]:
    """The run's findings, errors first; with their review decisions and history unless ``decided`` is
    False (a held document seen by its uploader: its fingerprints may be another unit's)."""
    fs = list(s.scalars(select(FindingRow).where(FindingRow.run_id == run.id).order_by(FindingRow.id)))
    decs = decisions(s, [f.fingerprint for f in fs]) if decided else {}
    items = [_item(f, decs.get(f.fingerprint)) for f in fs]
    for it in items:
        if it.decision:
            it.history = [{"decision": DECISION_ZH.get(r.decision, r.decision), "reason": r.reason,
                           "reviewer": r.reviewer, "at": local(r.decided_at)}
                          for r in history(s, it.fingerprint)]
    items.sort(key=lambda i: (SEVERITY_RANK.get(i.severity, 9), i.id))
    return items


def document_view(s: Session, d: Document, user: WebUser) -> dict[str, Any]:
    """What the document page shows ``user`` (who may see ``d``): the names it was uploaded under (a unit
    sees its own uploads' names only), the unit it is filed under, its latest run with the counts that
    are still open, its findings (review decisions only for those who see the unit's documents) and the
    runs of its versions."""
    run = latest_run(s, d.id)
    by_id, by_code = org_maps(s)
    org = by_id.get(d.org_id) if d.org_id is not None else None
    q = select(WebJob.name, WebJob.sha256, WebJob.suffix).where(WebJob.document_id == d.id, WebJob.kind == "upload"
                                                                ).order_by(WebJob.id)
    if not can_see_all(user):
        q = q.where(WebJob.org_code == user.org_code)
    uploads = s.execute(q).all()
    decided = can_see_all(user) or d.held is None
    findings = document_findings(s, run, decided) if run else []
    open_ = [f for f in findings if f.decision != "dismissed"]
    return {"id": d.id, "sha256": d.sha256, "suffix": d.suffix, "publisher": d.publisher, "year": d.year,
            "kind": d.kind, "scope": d.scope, "title": d.title, "status": d.status, "error": d.error,
            "unit": org.name if org else None, "unit_code": org.code if org else None,
            "level": level_of(org, by_code), "match_note": d.match_note, "held": d.held,
            "uploader": d.uploader, "uploader_name": by_code[d.uploader].name if d.uploader in by_code else None,
            "names": list(dict.fromkeys(name for name, _, _ in uploads)),
            # each stored file → the name it was uploaded under (a document of several files: each of its files)
            "files": {f"{sha}{suffix}": name for name, sha, suffix in reversed(uploads) if sha}, "run": run,
            "runs": runs_of(s, d), "findings": findings, "current": d.id in set(current_ids(s)),
            "open": {sev: sum(1 for f in open_ if f.severity == sev) for sev in ("error", "warning", "info")},
            "dismissed": len(findings) - len(open_)}


def level_of(org: Organisation | None, by_code: dict[str, Organisation]) -> str | None:
    """部门 (a department: no parent in the register) or 单位."""
    if org is None:
        return None
    return "单位" if org.parent_code and org.parent_code in by_code else "部门"


def upload_names(s: Session) -> dict[str, str]:
    """The stored file name (``<sha256><suffix>``) of each uploaded file → the name its first upload linked
    to the document gave it (a unit's upload of bytes it may not see is linked to nothing)."""
    rows = s.execute(select(WebJob.sha256, WebJob.suffix, WebJob.name).where(
        WebJob.kind == "upload", WebJob.document_id.is_not(None)).order_by(WebJob.id.desc()))
    return {f"{sha}{suffix}": name for sha, suffix, name in rows}


def open_counts(s: Session, run: CheckRun | None) -> tuple[int, int]:
    """Errors and warnings of a run that are not dismissed: what every page counts (the overview too)."""
    if run is None:
        return 0, 0
    fs = s.execute(select(FindingRow.fingerprint, FindingRow.severity).where(FindingRow.run_id == run.id)).all()
    gone = {fp for fp, r in decisions(s, [fp for fp, _ in fs]).items() if r.decision == "dismissed"}
    return (sum(1 for fp, sev in fs if sev == "error" and fp not in gone),
            sum(1 for fp, sev in fs if sev == "warning" and fp not in gone))


def runs_of(s: Session, d: Document) -> list[CheckRun]:
    """The check runs of every version of this document's identity, newest first (not those of held
    documents); a held document's own runs only."""
    if d.held is not None:
        return list(s.scalars(select(CheckRun).where(CheckRun.document_id == d.id).order_by(CheckRun.id.desc())))
    return list(s.scalars(select(CheckRun).join(Document, Document.id == CheckRun.document_id)
                          .where(Document.identity_key == d.identity_key, Document.held.is_(None))
                          .order_by(CheckRun.id.desc())))


def org_maps(s: Session) -> tuple[dict[int, Organisation], dict[str, Organisation]]:
    orgs = list(s.scalars(select(Organisation).order_by(Organisation.code)))
    return {o.id: o for o in orgs}, {o.code: o for o in orgs}


def search_findings(engine: Engine, user: WebUser, rule: str = "", severity: str = "", text: str = "",
                    unit: str = "", review: str = "", limit: int = 1000) -> tuple[list[FindingItem], int]:
    """Findings of the latest run of the newest version of every document the user may see, filtered;
    (the first ``limit``, how many matched)."""
    with Session(engine) as s:
        by_id, _ = org_maps(s)
        ids = latest_doc_ids(s)
        if not can_see_all(user):
            mine = _unit_doc_ids(s, user.org_code)
            ids = [i for i in ids if i in mine]
        docs = {d.id: d for d in s.scalars(select(Document).where(Document.id.in_(ids)))} if ids else {}
        runs = {}
        for i in ids:
            r = latest_run(s, i)
            if r is not None:
                runs[r.id] = i
        if not runs:
            return [], 0
        q = select(FindingRow).where(FindingRow.run_id.in_(list(runs)))
        if rule.strip():
            q = q.where(or_(FindingRow.rule.ilike(f"%{rule.strip()}%"), FindingRow.name.ilike(f"%{rule.strip()}%")))
        if severity in SEVERITY_ZH:
            q = q.where(FindingRow.severity == severity)
        if text.strip():
            q = q.where(FindingRow.message.contains(text.strip()))
        rows = list(s.scalars(q.order_by(FindingRow.id)))
        decs = decisions(s, [f.fingerprint for f in rows])
        out = []
        want_unit = unit.strip()
        for f in rows:
            d = docs[runs[f.run_id]]
            org = by_id.get(d.org_id) if d.org_id is not None else None
            uname = org.name if org else None
            if want_unit and not any(want_unit in (x or "") for x in (uname, org.code if org else None, d.publisher)):
                continue
            dec = decs.get(f.fingerprint)
            if review and (dec.decision if dec else "pending") != review:
                continue
            out.append(_item(f, dec, d, uname))
        out.sort(key=lambda i: (SEVERITY_RANK.get(i.severity, 9), i.document_id, i.id))
        return out[:limit], len(out)


def reviewed_counts(engine: Engine) -> dict[tuple[str, int | None, str | None], int]:
    """Reviewed findings (confirmed or dismissed) per (unit code, year, kind) of the latest runs."""
    out: dict[tuple[str, int | None, str | None], int] = {}
    with Session(engine) as s:
        by_id, _ = org_maps(s)
        for i in latest_doc_ids(s):
            d = s.get(Document, i)
            if d is None or d.org_id not in by_id:
                continue
            r = latest_run(s, i)
            if r is None:
                continue
            fps = list(s.scalars(select(FindingRow.fingerprint).where(FindingRow.run_id == r.id)))
            n = len(decisions(s, fps))
            key = (by_id[d.org_id].code, d.year, d.kind)
            out[key] = out.get(key, 0) + n
    return out


def unit_documents(engine: Engine, code: str) -> list[dict[str, Any]]:
    """Every stored version of the unit's documents, by year (newest first) then kind, each with its
    latest run's counts."""
    with Session(engine) as s:
        ids = _unit_doc_ids(s, code)
        docs = list(s.scalars(select(Document).where(Document.id.in_(ids)))) if ids else []
        latest = set(latest_doc_ids(s))
        out = []
        for d in docs:
            r = latest_run(s, d.id)
            errors, warnings = open_counts(s, r)
            out.append({"id": d.id, "year": d.year, "kind": d.kind, "scope": d.scope, "publisher": d.publisher,
                        "title": d.title, "status": d.status, "error": d.error, "current": d.id in latest,
                        "held": d.held, "errors": errors, "warnings": warnings,
                        "infos": r.infos if r else 0, "ingested": local(d.ingested_at),
                        "n_new": r.n_new if r else 0, "n_open": r.n_open if r else 0,
                        "n_fixed": r.n_fixed if r else 0, "n_dismissed": r.n_dismissed if r else 0})
        out.sort(key=lambda x: (-(x["year"] or 0), x["kind"] or "", -x["id"]))
        return out


def user_documents(engine: Engine, user: WebUser) -> list[dict[str, Any]]:
    """The documents the user may see (newest first), each with its latest counts."""
    with Session(engine) as s:
        by_id, by_code = org_maps(s)
        current = set(current_ids(s))
        q = select(Document).order_by(Document.id.desc())
        if not can_see_all(user):
            ids = _unit_doc_ids(s, user.org_code)
            if not ids:
                return []
            q = q.where(Document.id.in_(ids))
        out = []
        for d in s.scalars(q.limit(2000)):
            r = latest_run(s, d.id)
            errors, warnings = open_counts(s, r)
            org = by_id.get(d.org_id) if d.org_id is not None else None
            out.append({"id": d.id, "publisher": d.publisher, "year": d.year, "kind": d.kind, "scope": d.scope,
                        "status": d.status, "error": d.error, "unit": org.name if org else None,
                        "unit_code": org.code if org else None, "level": level_of(org, by_code),
                        "held": d.held, "current": d.id in current, "errors": errors, "warnings": warnings,
                        "ingested": local(d.ingested_at)})
        return out


def jobs_of(engine: Engine, user: WebUser, batch: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    with Session(engine) as s:
        q = select(WebJob).order_by(WebJob.id.desc())
        if batch is not None:
            q = q.where(WebJob.batch == batch)
        if not can_see_all(user):
            q = q.where(WebJob.org_code == user.org_code)
        jobs = list(s.scalars(q.limit(limit)))
        queued = list(s.scalars(select(WebJob.id).where(WebJob.state == "queued").order_by(WebJob.id)))
        out = []
        for j in jobs:
            res = json.loads(j.result_json) if j.result_json else {}
            out.append({"id": j.id, "batch": j.batch, "kind": j.kind, "name": j.name, "state": j.state,
                        "state_zh": {"queued": "排队中", "running": "检查中", "done": "已完成",
                                     "failed": "未能处理"}.get(j.state, j.state),
                        "progress": j.progress, "message": j.message, "document_id": j.document_id,
                        "position": queued.index(j.id) + 1 if j.id in queued else None,
                        "result": res, "created": local(j.created_at, "%Y-%m-%d %H:%M:%S")})
        return out


def cross_of(engine: Engine, code: str) -> list[FindingItem]:
    """The cross-document findings kept for a unit (located in its documents) or a department (its units'
    agreement: those of every document under it), with their review decisions."""
    from ..store.cross import cross_rows
    from ..store.schema import CrossFinding

    with Session(engine) as s:
        rows: list[CrossFinding] = cross_rows(s, {code})
        decs = decisions(s, [c.fingerprint for c in rows])
        names = {o.code: o.name for o in s.scalars(select(Organisation))}
        out = []
        for c in rows:
            dec = decs.get(c.fingerprint)
            loc = json.loads(c.location_json or "{}")
            out.append(FindingItem(
                c.id, c.fingerprint, c.rule, c.name, c.severity, c.message,
                f"表{loc['table']}" if loc.get("table") else "全文", c.expected, c.actual, None, None,
                dec.decision if dec else None, dec.reason if dec else None, dec.reviewer if dec else None,
                local(dec.decided_at) if dec else None, c.document_id or 0, names.get(c.org_code or ""),
                None, c.year, c.kind))
        return out
