"""The store: documents by content hash, their models, check runs and findings, organisations and
review decisions, in SQLite or PostgreSQL through one code path.

Each document is written in one transaction: a run that is interrupted keeps every document it had
finished, and a rerun does only what is missing (the same bytes already checked by this budgetdoc and
rule set change nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import __version__
from ..errors import InputError, internal
from .db import must_exist, open_engine, resolve_url, shown
from .fingerprint import fingerprints, identity_key, norm
from .orgs import FILED, Match, Matcher, OrgEntry, read_register
from .readings import current_ids, group_for, reading_score, table_digest
from .schema import (
    Base,
    Blob,
    CheckRun,
    CrossFinding,
    Document,
    DocumentPath,
    FindingRow,
    Organisation,
    Review,
)

if TYPE_CHECKING:
    from ..check import Report
    from ..model import Disclosure

DECISIONS = {"confirmed": "已确认", "dismissed": "已排除"}
PENDING = "待审核"
MATCH_ZH = {"exact": "名称一致", "alias": "别名", "region": "名称一致（地区前缀不同）", "close": "相近名称，待核实",
            "none": "未匹配", "ambiguous": "匹配到多个单位"}


@cache
def ruleset_version() -> str:
    """A hash of the rules and the reference data they read (budgetdoc/check/** and budgetdoc/data/**):
    it changes when a rule, the catalog or a code list changes."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for sub in ("check", "data"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file() and p.suffix in (".py", ".toml", ".tsv", ".json"):
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Outcome:
    """What ingesting or re-checking one file did.

    ``state``: ``stored`` (a document new to the store, or another reading of one it had), ``new-version``
    (other tables under the identity of a document the store had), ``rechecked`` (checked again: other
    budgetdoc or rule set), ``unchanged`` (nothing to do), ``unusable`` (the file cannot be used:
    ``message`` says why). ``held``: why the upload waits for a reviewer (a unit uploaded a document it did
    not publish); ``duplicate``: the bytes were in the store already; ``reading_of``: the id of the
    document this one is another reading of; ``found``: the files of a document of several files that were
    not given but found beside the one given (its other part)."""

    path: str
    state: str
    sha256: str | None = None
    message: str | None = None
    identity: str | None = None
    match: str | None = None
    match_note: str | None = None
    errors: int = 0
    warnings: int = 0
    open_errors: int = 0  # errors not dismissed
    new: int = 0
    open: int = 0
    fixed: int = 0
    dismissed: int = 0
    held: str | None = None
    duplicate: bool = False
    reading_of: int | None = None
    found: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.state != "unusable"


@dataclass
class Analysis:
    doc: Disclosure | None = None
    report: Report | None = None
    error: str | None = None


@dataclass
class ImportResult:
    organisations: int
    documents: dict[str, int] = field(default_factory=dict)  # match kind → documents


def analyse(path: str | tuple[str, ...]) -> Analysis:
    """Read, recognise and check one file (or the files of one document) through the pipeline; a file
    that cannot be used (or a bug met on it) is its one sentence."""
    from .. import pipeline

    try:
        doc, report = pipeline.run(path)
    except InputError as e:
        return Analysis(error=str(e))
    except Exception as e:  # noqa: BLE001 - a bug on one file must not stop the others
        return Analysis(error=f"{pipeline.label(path)}：{internal(e)}")
    return Analysis(doc, report)


PARTS = ".parts"  # the suffix of a document of several files: its files' bytes in one zip, in order


def container(paths: tuple[str, ...]) -> bytes:
    """The bytes of a document of several files as the store keeps them: a zip (stored, not compressed:
    the blob is compressed) of the files, numbered in the document's order."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i, path in enumerate(paths, start=1):
            with open(path, "rb") as fh:
                info = zipfile.ZipInfo(f"{i:02d}-{os.path.basename(path)}", date_time=(1980, 1, 1, 0, 0, 0))
                z.writestr(info, fh.read())
    return buf.getvalue()


class Store:
    """A corpus store. ``url``: a database URL or an SQLite file path (default ``$BUDGETDOC_DB``, else
    ``./budgetdoc.db``); ``ruleset``/``version`` name the rule set and budgetdoc of new check runs."""

    def __init__(self, url: str | None = None, *, ruleset: str | None = None, version: str | None = None,
                 create: bool = True):
        self.url = resolve_url(url)
        if not create:
            must_exist(self.url)
        self.engine = open_engine(self.url)
        self.ruleset = ruleset or ruleset_version()
        self.version = version or __version__

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def shown_url(self) -> str:
        return shown(self.url)

    # ---------------------------------------------------------------- ingest

    def ingest(self, paths: Iterable[str], step: Callable[[Outcome], None] | None = None,
               as_one: bool = False, alone: bool = False) -> list[Outcome]:
        """Store every document of ``paths`` (folders walked for .txt .md .pdf .xlsx), each in its own
        transaction as soon as it is checked (an interrupted run keeps what it finished); the outcomes in
        input order. Files that are the narrative and the tables of one document (:func:`budgetdoc.pipeline.plan`;
        all of them with ``as_one``) are stored as one document (its files kept together, :func:`container`),
        and so is a file of one part with the other parts found in its folder (:func:`budgetdoc.pipeline.with_found`;
        not ``alone``); the bytes of a file already checked by this budgetdoc and rule set are not read again."""
        from .. import pipeline
        from ..report.batch import collect

        files = collect(paths)
        order = {p: i for i, p in enumerate(files)}
        out: list[tuple[int, Outcome]] = []

        def emit(first: str, o: Outcome) -> None:
            out.append((order[first], o))
            if step:
                step(o)

        parts_read: dict[str, Analysis] = {}  # parts of a document (a narrative, tables): stored once grouped
        for path in files:
            o = self._known(path)
            if o is not None:
                emit(path, o)
                continue
            a = analyse(path)
            part = pipeline.part_of(path, a.doc) if a.doc is not None else None
            if part is not None and ((as_one and len(files) > 1) or part.role in ("narrative", "tables")):
                parts_read[path] = a
                continue
            emit(path, self.ingest_file(path, analysis=a))
        parts = [pipeline.part_of(p, a.doc) for p, a in parts_read.items() if a.doc is not None]
        groups = pipeline.plan(parts, as_one)
        if not (alone or as_one):
            groups = pipeline.with_found(groups, parts, files)
        for group in groups:
            if len(group) == 1:
                emit(group[0], self.ingest_file(group[0], analysis=parts_read[group[0]]))
            else:
                emit(min((p for p in group if p in order), key=order.__getitem__),
                     self.ingest_parts(group, given=files))
        return [o for _, o in sorted(out, key=lambda x: x[0])]

    def _known(self, path: str) -> Outcome | None:
        """The outcome of a file that needs no check: its bytes already checked by this budgetdoc and rule
        set (unchanged), or a file that cannot be read; None otherwise."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except IsADirectoryError:
            return Outcome(path, "unusable", message=f"这是一个文件夹，不是文件：{path}")
        except OSError:
            return Outcome(path, "unusable", message=f"文件不存在或无法读取：{path}")
        sha = hashlib.sha256(data).hexdigest()
        with Session(self.engine) as s:
            with s.begin():
                known = s.scalar(select(Document).where(Document.sha256 == sha))
                done = known is not None and self._done(s, known)
                if known is not None and done:
                    self._add_path(s, known, path)
            if known is not None and done:
                return self._outcome(s, known, path, "unchanged")
        return None

    def ingest_parts(self, paths: tuple[str, ...], analysis: Analysis | None = None, owner: str | None = None,
                     given: Iterable[str] | None = None) -> Outcome:
        """Store the files of one document (the narrative and the tables) as one document: their bytes in
        one container, the document named by its files joined by `` + ``. ``owner`` as for
        :meth:`ingest_file` (the whole document is the upload's); ``given``: the files given, the others
        having been found beside them (said in the document's parts and the outcome's ``found``)."""
        from ..pipeline import label, mark_found

        name = label(paths)
        try:
            data = container(paths)
        except OSError:
            return Outcome(name, "unusable", message=f"文件不存在或无法读取：{name}")
        shown = set(given) if given is not None else set(paths)
        found = [p for p in paths if p not in shown]

        def reading() -> Analysis:
            a = analysis or analyse(paths)
            if a.doc is not None:
                mark_found(a.doc, shown, a.report)
            return a

        out = self._ingest(name, data, PARTS, reading, owner)
        out.found = found
        return out

    def ingest_file(self, path: str, retry: bool = True, owner: str | None = None,
                    analysis: Analysis | None = None) -> Outcome:
        """Store one file (``analysis``: its reading, when done already). ``owner``: the code of the unit
        uploading it (the web app's unit users): a document whose publisher is not that unit or one of its
        units is held for a reviewer, and bytes the store had already give that unit nothing of another
        unit's."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except IsADirectoryError:
            return Outcome(path, "unusable", message=f"这是一个文件夹，不是文件：{path}")
        except OSError:
            return Outcome(path, "unusable", message=f"文件不存在或无法读取：{path}")
        return self._ingest(path, data, os.path.splitext(path)[1].lower(), lambda: analysis or analyse(path),
                            owner, retry)

    def _ingest(self, path: str, data: bytes, suffix: str, reading: Callable[[], Analysis], owner: str | None,
                retry: bool = True) -> Outcome:
        """Store a document's bytes (one file's, or a container of a document's files) under ``path``, read
        by ``reading`` unless this budgetdoc and rule set checked these bytes already; ``owner`` as for
        :meth:`ingest_file`."""
        sha = hashlib.sha256(data).hexdigest()
        with Session(self.engine) as s:
            with s.begin():
                known = s.scalar(select(Document).where(Document.sha256 == sha))
                done = known is not None and self._done(s, known)
                if known is not None and done:
                    self._add_path(s, known, path)
            if known is not None and done:
                out = self._outcome(s, known, path, "unchanged")
                out.duplicate = True
                if owner is not None:
                    out.held = self._not_owned(s, known, owner)
                return out
            state = "rechecked" if known is not None else "stored"
        analysis = reading()
        try:
            out = self._write(path, data, sha, suffix, analysis, state, owner=owner if known is None else None)
        except IntegrityError:
            if retry:  # another run stored the same bytes meanwhile: what it stored is this document
                return self._ingest(path, data, suffix, lambda: analysis, owner, retry=False)
            raise
        if known is not None:
            out.duplicate = True
            if owner is not None:
                with Session(self.engine) as s:
                    d = s.scalar(select(Document).where(Document.sha256 == sha))
                    out.held = self._not_owned(s, d, owner) if d is not None else None
        return out

    # ---------------------------------------------------------------- ownership

    @staticmethod
    def _subtree(s: Session, code: str) -> set[int]:
        """The ids of the organisation ``code`` and every unit under it."""
        orgs = s.execute(select(Organisation.id, Organisation.code, Organisation.parent_code)).all()
        children: dict[str, list[tuple[int, str]]] = {}
        for i, c, parent in orgs:
            children.setdefault(parent or "", []).append((i, c))
        ids = {i for i, c, _ in orgs if c == code}
        todo, seen = [code], {code}
        while todo:
            for i, c in children.get(todo.pop(), []):
                if c not in seen:
                    seen.add(c)
                    ids.add(i)
                    todo.append(c)
        return ids

    def _not_owned(self, s: Session, d: Document, owner: str) -> str | None:
        """None when the unit ``owner`` may have this document (it is filed under that unit or one of its
        units, or that unit's upload stored it); else the one sentence of a held upload."""
        if d.uploader == owner:
            return d.held
        if d.held is None and d.org_id is not None and d.org_id in self._subtree(s, owner):
            return None
        return self._held_sentence(s, d, owner)

    @staticmethod
    def _held_sentence(s: Session, d: Document, owner: str) -> str:
        who = d.publisher or "（未识别）"
        mine = s.scalar(select(Organisation.name).where(Organisation.code == owner)) or owner
        return (f"文件的发布单位是“{who}”，不是本单位（{mine}）或其所属单位，已转审核人核实；"
                "核实前不计入任何单位的公开情况")

    def _done(self, s: Session, d: Document) -> bool:
        if d.status != "ok":
            return d.read_version == self.version
        return s.scalar(select(CheckRun.id).where(
            CheckRun.document_id == d.id, CheckRun.budgetdoc_version == self.version,
            CheckRun.ruleset == self.ruleset)) is not None

    @staticmethod
    def _add_path(s: Session, d: Document, path: str) -> None:
        if s.scalar(select(DocumentPath.id).where(DocumentPath.document_id == d.id,
                                                  DocumentPath.path == path)) is None:
            s.add(DocumentPath(document_id=d.id, path=path))

    def _write(self, path: str, data: bytes, sha: str, suffix: str, a: Analysis, state: str,
               owner: str | None = None) -> Outcome:
        """One document, one transaction: bytes, model, path, match, check run, findings. ``owner``: the
        unit whose upload stores these bytes first (see :meth:`ingest_file`)."""
        now = datetime.now(UTC)
        with Session(self.engine) as s, s.begin():
            d = s.scalar(select(Document).where(Document.sha256 == sha))
            if a.doc is not None and s.get(Blob, sha) is None:
                s.add(Blob(sha256=sha, size=len(data), data=zlib.compress(data, 6)))
            ident = a.doc.identity if a.doc is not None else None
            key = identity_key(ident, sha) if ident is not None else "sha256:" + sha
            digest = table_digest(a.doc) if a.doc is not None else {}
            group = group_for(s, key, digest, d.id if d is not None else None) if ident is not None else None
            if d is None:
                if group is None and ident is not None and s.scalar(select(Document.id).where(
                        Document.identity_key == key, Document.status == "ok",
                        Document.held.is_(None)).limit(1)) is not None:
                    state = "new-version"
                d = Document(sha256=sha, suffix=suffix[:16], size=len(data), ingested_at=now, uploader=owner)
                s.add(d)
            d.status = "ok" if a.doc is not None else "unusable"
            d.error = a.error
            d.identity_key = key
            d.read_version = self.version
            if ident is not None and a.doc is not None:
                d.publisher, d.scope, d.kind, d.year = ident.publisher, ident.scope, ident.kind, ident.year
                d.region, d.title = ident.region, ident.title
                d.model_json = a.doc.model_dump_json()
            if a.report is not None:
                d.table_digest = json.dumps(digest, sort_keys=True)
                d.reading_score = reading_score(a.doc, a.report) if a.doc is not None else None
            s.flush()
            d.reading_group = group if group is not None and group != d.id else None
            self._add_path(s, d, path)
            if a.doc is None:
                return Outcome(path, "unusable", sha, a.error, key)
            self._match(s, d, self._matcher(s))
            if d.held is None and owner is not None and d.uploader == owner and (
                    d.org_id is None or d.org_id not in self._subtree(s, owner)):
                d.held = self._held_sentence(s, d, owner)
            if d.held is not None:
                d.org_id, d.reading_group = None, None
            assert a.report is not None
            prev = self._previous_run(s, d)
            before = self._fingerprints(s, prev) if prev is not None else set()
            same = s.scalar(select(CheckRun).where(  # a forced rerun replaces this budgetdoc's run
                CheckRun.document_id == d.id, CheckRun.budgetdoc_version == self.version,
                CheckRun.ruleset == self.ruleset))
            if same is not None:
                s.delete(same)
                s.flush()
            counts = a.report.summary()
            run = CheckRun(document_id=d.id, budgetdoc_version=self.version, ruleset=self.ruleset,
                           started_at=now, errors=counts["error"], warnings=counts["warning"],
                           infos=counts["info"], n_new=0, n_open=0, n_fixed=0, n_dismissed=0)
            s.add(run)
            s.flush()
            fps = fingerprints(a.report.findings, a.doc, key)
            for fp, f in zip(fps, a.report.findings, strict=True):
                loc = f.location
                s.add(FindingRow(
                    run_id=run.id, fingerprint=fp, rule=f.rule, name=f.name, category=f.category,
                    severity=f.severity, message=f.message, page=loc.page, line=loc.line, table_key=loc.table,
                    row_key=loc.row, part=loc.part, column_id=loc.column, column_label=loc.column_label,
                    expected=f.expected, actual=f.actual, location_json=loc.model_dump_json(),
                    related_json=json.dumps([r.model_dump(mode="json") for r in f.related], ensure_ascii=False)))
            cur = set(fps)
            dismissed = {fp for fp, (dec, *_) in self._decisions(s, cur).items() if dec == "dismissed"}
            run.n_new = len(cur - before - dismissed)
            run.n_open = len((cur & before) - dismissed)
            # another reading of the same document fixes nothing: the document is the same, only read otherwise
            joins = prev is not None and d.reading_group is not None and s.scalar(
                select(CheckRun.document_id).where(CheckRun.id == prev)) != d.id
            run.n_fixed = 0 if joins else len(before - cur)
            run.n_dismissed = len(cur & dismissed)
            out = Outcome(path, state, sha, None, key, d.match_kind, d.match_note, counts["error"], counts["warning"],
                          sum(1 for fp, f in zip(fps, a.report.findings, strict=True)
                              if f.severity == "error" and fp not in dismissed),
                          run.n_new, run.n_open, run.n_fixed, run.n_dismissed, held=d.held,
                          reading_of=d.reading_group)
            return out

    def _outcome(self, s: Session, d: Document, path: str, state: str) -> Outcome:
        if d.status != "ok":
            return Outcome(path, "unusable", d.sha256, d.error, d.identity_key)
        out = Outcome(path, state, d.sha256, None, d.identity_key, d.match_kind, d.match_note, held=d.held,
                      reading_of=d.reading_group)
        run = self._latest_run(s, d.id)
        if run is not None:
            fs = s.execute(select(FindingRow.fingerprint, FindingRow.severity)
                           .where(FindingRow.run_id == run.id)).all()
            fps = {fp for fp, _ in fs}
            dismissed = {fp for fp, (dec, *_) in self._decisions(s, fps).items() if dec == "dismissed"}
            out.errors, out.warnings = run.errors, run.warnings
            out.open_errors = sum(1 for fp, sev in fs if sev == "error" and fp not in dismissed)
            out.open, out.dismissed = len(fps - dismissed), len(fps & dismissed)
        return out

    @staticmethod
    def _latest_run(s: Session, document_id: int) -> CheckRun | None:
        return s.scalar(select(CheckRun).where(CheckRun.document_id == document_id)
                        .order_by(CheckRun.id.desc()).limit(1))

    @staticmethod
    def _previous_run(s: Session, d: Document) -> int | None:
        """What a new check run of ``d`` is compared with: its own newest run, else the newest run of
        another reading of it, else of the identity's other versions. A held document is compared with
        its own runs only (what another unit's documents hold is none of its uploader's business), and
        no held document is ever the baseline of another."""
        own = s.scalar(select(func.max(CheckRun.id)).where(CheckRun.document_id == d.id))
        if own is not None or d.held is not None:
            return own
        base = (select(func.max(CheckRun.id)).join(Document, Document.id == CheckRun.document_id)
                .where(Document.identity_key == d.identity_key, Document.held.is_(None), Document.id != d.id))
        group = d.reading_group or d.id
        same = s.scalar(base.where(func.coalesce(Document.reading_group, Document.id) == group))
        return same if same is not None else s.scalar(base)

    @staticmethod
    def _fingerprints(s: Session, run_id: int) -> set[str]:
        return set(s.scalars(select(FindingRow.fingerprint).where(FindingRow.run_id == run_id)))

    @staticmethod
    def _decisions(s: Session, fps: Iterable[str]) -> dict[str, tuple[str, str, str, datetime]]:
        """The latest decision on each fingerprint: (decision, reason, reviewer, time)."""
        fps = list(fps)
        out: dict[str, tuple[str, str, str, datetime]] = {}
        for i in range(0, len(fps), 500):
            rows = s.execute(select(Review).where(Review.fingerprint.in_(fps[i:i + 500]))
                             .order_by(Review.decided_at, Review.id)).scalars()
            for r in rows:
                out[r.fingerprint] = (r.decision, r.reason, r.reviewer, r.decided_at)
        return out

    # ---------------------------------------------------------------- organisations

    def _matcher(self, s: Session) -> Matcher:
        orgs = s.scalars(select(Organisation).order_by(Organisation.code)).all()
        return Matcher([OrgEntry(o.code, o.name, o.parent_code, tuple(json.loads(o.aliases))) for o in orgs])

    @staticmethod
    def _match(s: Session, d: Document, matcher: Matcher) -> Match:
        m = matcher.match(d.publisher, d.scope)
        d.match_kind, d.match_note = m.kind, m.note
        filed = m.code if m.kind in FILED else None  # a close spelling is suggested, never filed
        d.org_id = s.scalar(select(Organisation.id).where(Organisation.code == filed)) if filed else None
        return m

    def audit(self, action: str, detail: str) -> None:
        """An entry of the audit log (the web app's) for a change made from the command line."""
        import getpass

        from .schema import WebAudit

        try:
            who = f"命令行:{getpass.getuser()}"
        except Exception:  # noqa: BLE001 - no user name: still audited
            who = "命令行"
        with Session(self.engine) as s, s.begin():
            s.add(WebAudit(at=datetime.now(UTC), username=who[:100], ip="命令行", action=action, detail=detail[:2000]))

    def release(self, sha256: str, reason: str, reviewer: str) -> Document:
        """A reviewer's word on a held upload: it is the publisher's document after all (another unit
        sent it on the publisher's behalf); it is filed under the publisher's unit and may count."""
        with Session(self.engine) as s, s.begin():
            d = s.scalar(select(Document).where(Document.sha256 == sha256))
            if d is None or d.held is None:
                raise InputError(f"文件库中没有待核实的这份文件：{sha256}")
            d.held = None
            self._match(s, d, self._matcher(s))
            d.reading_group = group_for(s, d.identity_key, json.loads(d.table_digest or "{}"), d.id)
            d.match_note = "；".join(x for x in (d.match_note, f"审核人 {reviewer} 核实：{reason}") if x)
            s.flush()
            s.expunge(d)
            return d

    def reject(self, sha256: str, reason: str, reviewer: str) -> None:
        """A reviewer's word on a held upload: it stays out (filed under no unit, counting nowhere)."""
        with Session(self.engine) as s, s.begin():
            d = s.scalar(select(Document).where(Document.sha256 == sha256))
            if d is None or d.held is None:
                raise InputError(f"文件库中没有待核实的这份文件：{sha256}")
            d.held = f"已退回（审核人 {reviewer}：{reason}）"[:2000]

    def held(self) -> list[dict[str, Any]]:
        """The uploads held for a reviewer, newest first."""
        with Session(self.engine) as s:
            return [{"id": d.id, "sha256": d.sha256, "publisher": d.publisher, "year": d.year, "kind": d.kind,
                     "scope": d.scope, "uploader": d.uploader, "held": d.held, "match": d.match_kind,
                     "note": d.match_note, "ingested_at": d.ingested_at}
                    for d in s.scalars(select(Document).where(Document.held.is_not(None)).order_by(Document.id.desc()))]

    def import_orgs(self, path: str) -> ImportResult:
        """Replace-or-add the register's entries (by code) and match every stored document again."""
        entries = read_register(path)
        with Session(self.engine) as s, s.begin():
            by_code = {o.code: o for o in s.scalars(select(Organisation))}
            for e in entries:
                o = by_code.get(e.code) or Organisation(code=e.code)
                o.name, o.parent_code = e.name, e.parent
                o.aliases = json.dumps(list(e.aliases), ensure_ascii=False)
                s.add(o)
            s.flush()
            matcher = self._matcher(s)
            result = ImportResult(len(entries))
            for d in s.scalars(select(Document).where(Document.status == "ok", Document.held.is_(None))):
                m = self._match(s, d, matcher)
                result.documents[m.kind] = result.documents.get(m.kind, 0) + 1
            return result

    def _department_scope(self, s: Session, department: str) -> set[int]:
        orgs = s.scalars(select(Organisation)).all()
        want = norm(department)
        depts = [o for o in orgs if o.parent_code is None and (o.code == department or norm(o.name) == want)]
        if not depts:
            raise InputError(f"单位名录中没有这个部门：{department}")
        codes = {depts[0].code}
        grew = True
        while grew:  # units under units
            more = {o.code for o in orgs if o.parent_code in codes} - codes
            grew = bool(more)
            codes |= more
        return {o.id for o in orgs if o.code in codes}

    # ---------------------------------------------------------------- stored documents

    def _latest_documents(self, s: Session, year: int | None = None, kind: str | None = None,
                          department: str | None = None) -> list[Document]:
        """The newest usable version of each document identity, in ingest order."""
        q = select(Document).where(Document.id.in_(current_ids(s)))
        if year is not None:
            q = q.where(Document.year == year)
        if kind is not None:
            q = q.where(Document.kind == kind)
        if department is not None:
            q = q.where(Document.org_id.in_(self._department_scope(s, department)))
        return list(s.scalars(q.order_by(Document.id)))

    def disclosures(self, year: int | None = None, department: str | None = None,
                    kind: str | None = None) -> list[Disclosure]:
        """The stored models (newest version of each document) of a year / department (code or name,
        its units included) / kind: the input of cross-document rules. Their ``source`` is the first
        path the document was ingested from; the source lines are not stored (re-read the bytes with
        :meth:`read_again` when a rule needs them)."""
        from ..model import Disclosure

        with Session(self.engine) as s:
            return [Disclosure.model_validate_json(d.model_json or "{}")
                    for d in self._latest_documents(s, year, kind, department)]

    def members(self) -> dict[str, list[str]]:
        """The register as cross-document rules take it (``budgetdoc.corpus.check_together(docs,
        members=…)``): each department's name → the names of all its units (its own office included)."""
        with Session(self.engine) as s:
            _, by_code = self._orgs(s)
            out: dict[str, list[str]] = {}
            for o in by_code.values():
                dept = self._department_of(o, by_code)
                if o is not dept:
                    out.setdefault(dept.name, []).append(o.name)
            return out

    def read_again(self, sha256: str) -> Disclosure:
        """The document with these bytes, read and recognised again from the stored bytes."""
        from .. import pipeline

        with Session(self.engine) as s:
            d = s.scalar(select(Document).where(Document.sha256 == sha256))
            if d is None or s.get(Blob, sha256) is None:
                raise InputError(f"文件库中没有这份文件：{sha256}")
            mat = self._materialised(s, d)
        with mat as (tmp, stored):
            a = Analysis(pipeline.load(tmp))
            _relocate(a, tmp, stored)
        assert a.doc is not None
        return a.doc

    def _materialised(self, s: Session, d: Document) -> _Materialised:
        blob = s.get(Blob, d.sha256)
        assert blob is not None
        stored = d.paths[0].path if d.paths else f"{d.sha256[:12]}{d.suffix}"
        name = "document" + PARTS if d.suffix == PARTS else os.path.basename(stored) or "document" + d.suffix
        return _Materialised(zlib.decompress(blob.data), name, stored)

    def recheck(self, year: int | None = None, department: str | None = None,
                step: Callable[[Outcome], None] | None = None) -> list[Outcome]:
        """Check the stored documents again (the newest version of each, of a year / department) with this
        budgetdoc and rule set, from their stored bytes; documents already checked so are unchanged."""
        with Session(self.engine) as s:
            todo = [(d.id, d.sha256) for d in self._latest_documents(s, year, None, department)]
        out: list[Outcome] = []
        for doc_id, sha in todo:
            mat: _Materialised | None = None
            with Session(self.engine) as s:
                d = s.get(Document, doc_id)
                assert d is not None
                suffix = d.suffix
                if self._done(s, d):
                    o = self._outcome(s, d, d.paths[0].path if d.paths else sha, "unchanged")
                else:
                    mat = self._materialised(s, d)
            if mat is not None:  # read outside any transaction: the database is not held meanwhile
                with mat as (tmp, stored):
                    a = analyse(tmp)
                    _relocate(a, tmp, stored)
                o = self._write(stored, mat.data, sha, suffix, a, "rechecked")
            out.append(o)
            if step:
                step(o)
        return out

    def recheck_one(self, sha256: str, force: bool = False) -> Outcome:
        """Check one stored document (by its bytes' hash) again from its stored bytes; ``force``: even when
        this budgetdoc and rule set have checked it (the run is replaced; review decisions are kept, being
        by fingerprint). Used by the web app's 重新检查."""
        with Session(self.engine) as s:
            d = s.scalar(select(Document).where(Document.sha256 == sha256))
            if d is None or s.get(Blob, sha256) is None:
                raise InputError(f"文件库中没有这份文件：{sha256}")
            if not force and self._done(s, d):
                return self._outcome(s, d, d.paths[0].path if d.paths else sha256, "unchanged")
            mat, suffix = self._materialised(s, d), d.suffix
        with mat as (tmp, stored):
            a = analyse(tmp)
            _relocate(a, tmp, stored)
        return self._write(stored, mat.data, sha256, suffix, a, "rechecked")

    # ---------------------------------------------------------------- review

    def review(self, fingerprints_: Iterable[str], decision: str, reason: str, reviewer: str) -> list[str]:
        """Record a decision (``confirmed`` / ``dismissed``) on findings by fingerprint (or a unique prefix
        of at least 6 digits); all or none. The full fingerprints decided."""
        if decision not in DECISIONS:
            raise InputError(f"审核结论只能是 confirmed 或 dismissed：{decision}")
        if not reason.strip():
            raise InputError("请用 --reason 写明审核理由")
        if not reviewer.strip():
            raise InputError("请用 --reviewer 写明审核人")
        now = datetime.now(UTC)
        done: list[str] = []
        with Session(self.engine) as s, s.begin():
            for given in fingerprints_:
                fp = given.strip().lower()
                if len(fp) < 6 or any(c not in "0123456789abcdef" for c in fp):
                    raise InputError(f"问题指纹应为至少 6 位十六进制数字：{given}")
                hits = list(s.scalars(select(FindingRow.fingerprint).where(FindingRow.fingerprint.like(fp + "%"))
                                      .distinct().limit(2)))
                hits += [h for h in s.scalars(select(CrossFinding.fingerprint).where(
                    CrossFinding.fingerprint.like(fp + "%")).limit(2)) if h not in hits]
                if not hits:
                    raise InputError(f"文件库中没有这个问题指纹：{given}")
                if len(hits) > 1:
                    raise InputError(f"问题指纹 {given} 不唯一，请多写几位")
                s.add(Review(fingerprint=hits[0], decision=decision, reason=reason.strip(),
                             reviewer=reviewer.strip(), decided_at=now))
                done.append(hits[0])
        return done

    # ---------------------------------------------------------------- views

    def _orgs(self, s: Session) -> tuple[dict[int, Organisation], dict[str, Organisation]]:
        orgs = list(s.scalars(select(Organisation).order_by(Organisation.code)))
        return {o.id: o for o in orgs}, {o.code: o for o in orgs}

    @staticmethod
    def _department_of(o: Organisation, by_code: dict[str, Organisation]) -> Organisation:
        seen = {o.code}
        while o.parent_code and o.parent_code in by_code and o.parent_code not in seen:
            o = by_code[o.parent_code]
            seen.add(o.code)
        return o

    def findings(self) -> list[dict[str, Any]]:
        """Every finding of the corpus once: the latest check run of the newest version of each document,
        with its department, unit and review state."""
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        with Session(self.engine) as s:
            by_id, by_code = self._orgs(s)
            for d in self._latest_documents(s):
                run = self._latest_run(s, d.id)
                if run is None:
                    continue
                fs = list(s.scalars(select(FindingRow).where(FindingRow.run_id == run.id).order_by(FindingRow.id)))
                decisions = self._decisions(s, [f.fingerprint for f in fs])
                org = by_id.get(d.org_id) if d.org_id is not None else None
                dept = self._department_of(org, by_code) if org is not None else None
                path = d.paths[0].path if d.paths else ""
                for f in fs:
                    if f.fingerprint in seen:
                        continue
                    seen.add(f.fingerprint)
                    dec = decisions.get(f.fingerprint)
                    rows.append({
                        "fingerprint": f.fingerprint, "department": dept.name if dept else None,
                        "unit": org.name if org else None, "unit_code": org.code if org else None,
                        "publisher": d.publisher, "year": d.year, "kind": d.kind, "scope": d.scope,
                        "rule": f.rule, "rule_name": f.name, "severity": f.severity, "message": f.message,
                        "location": _where(f), "expected": f.expected, "actual": f.actual,
                        "review": DECISIONS[dec[0]] if dec else PENDING,
                        "reason": dec[1] if dec else None, "reviewer": dec[2] if dec else None,
                        "reviewed_at": dec[3].isoformat(timespec="seconds") if dec else None,
                        "file": path,
                    })
            rows += [r for r in self._cross_rows(s, by_code) if r["fingerprint"] not in seen]
        return rows

    def open_fingerprints(self, fps: Iterable[str]) -> set[str]:
        """Those of ``fps`` not dismissed."""
        fps = list(fps)
        with Session(self.engine) as s:
            gone = {fp for fp, (dec, *_) in self._decisions(s, fps).items() if dec == "dismissed"}
        return set(fps) - gone

    def _cross_rows(self, s: Session, by_code: dict[str, Organisation]) -> list[dict[str, Any]]:
        """The kept cross-document findings as register rows."""
        from .cross import cross_rows

        rows = []
        fs = cross_rows(s)
        decisions = self._decisions(s, [f.fingerprint for f in fs])
        docs = {d.id: d for d in s.scalars(select(Document).where(
            Document.id.in_({f.document_id for f in fs if f.document_id})))} if fs else {}
        for f in fs:
            org, dept = by_code.get(f.org_code or ""), by_code.get(f.department_code or "")
            d = docs.get(f.document_id or 0)
            dec = decisions.get(f.fingerprint)
            loc = json.loads(f.location_json or "{}")
            rows.append({
                "fingerprint": f.fingerprint, "department": dept.name if dept else None,
                "unit": org.name if org else None, "unit_code": f.org_code, "publisher": d.publisher if d else None,
                "year": f.year, "kind": f.kind, "scope": d.scope if d else None, "rule": f.rule,
                "rule_name": f.name, "severity": f.severity, "message": f.message,
                "location": "跨文件" + (f" 表{loc['table']}" if loc.get("table") else ""),
                "expected": f.expected, "actual": f.actual,
                "review": DECISIONS[dec[0]] if dec else PENDING, "reason": dec[1] if dec else None,
                "reviewer": dec[2] if dec else None,
                "reviewed_at": dec[3].isoformat(timespec="seconds") if dec else None,
                "file": d.paths[0].path if d is not None and d.paths else "",
            })
        return rows

    def status(self, year: int | None = None, kind: str | None = None, on: date | None = None) -> dict[str, Any]:
        """Per department and unit of the register: who has published which kind and year (a department
        its 部门 document, a unit its 单位 document), who has not — 未公开 once it is due (``on``, default
        today; :mod:`.due`), 未到期 before — and the open (not dismissed) errors and warnings; the
        documents matched to no unit or to two; the uploads held for a reviewer; the files that could not
        be used."""
        from .due import due, scope_of

        today = on or date.today()
        with Session(self.engine) as s:
            by_id, by_code = self._orgs(s)
            docs = self._latest_documents(s, year, kind)
            counts: dict[int, tuple[int, int, int]] = {}
            for d in docs:
                run = self._latest_run(s, d.id)
                if run is None:
                    continue
                fs = s.execute(select(FindingRow.fingerprint, FindingRow.severity)
                               .where(FindingRow.run_id == run.id)).all()
                dismissed = {fp for fp, (dec, *_) in self._decisions(s, [f for f, _ in fs]).items()
                             if dec == "dismissed"}
                counts[d.id] = (sum(1 for fp, sev in fs if sev == "error" and fp not in dismissed),
                                sum(1 for fp, sev in fs if sev == "warning" and fp not in dismissed),
                                len(dismissed))
            years = [year] if year is not None else sorted({d.year for d in docs if d.year is not None})
            kinds = [kind] if kind is not None else ["预算", "决算"]
            rows: list[dict[str, Any]] = []
            depts = [o for o in by_code.values() if self._department_of(o, by_code) is o]
            regions = [d.region for d in docs if d.region]
            region = max(set(regions), key=regions.count) if regions else None  # the register's region
            for dept in depts:
                members = [dept] + [o for o in by_code.values()
                                    if o is not dept and self._department_of(o, by_code) is dept]
                for o in members:
                    level = "部门" if o is dept else "单位"
                    scope = scope_of(level)
                    for y in years:
                        for k in kinds:
                            mine = [d for d in docs if d.org_id == o.id and d.year == y and d.kind == k
                                    and d.scope in (scope, None)]
                            c = [counts.get(d.id, (0, 0, 0)) for d in mine]
                            when = due(k, y, region)
                            state = "已公开" if mine else ("未公开" if today > when else "未到期")
                            rows.append({
                                "department": dept.name, "department_code": dept.code, "unit": o.name,
                                "code": o.code, "level": level, "scope": scope, "year": y, "kind": k,
                                "published": bool(mine), "documents": len(mine), "due": when.isoformat(),
                                "state": state, "errors": sum(x[0] for x in c), "warnings": sum(x[1] for x in c),
                                "dismissed": sum(x[2] for x in c),
                            })
            unmatched = [{"file": d.paths[0].path if d.paths else "", "publisher": d.publisher, "scope": d.scope,
                          "kind": d.kind, "year": d.year, "match": d.match_kind or "none",
                          "reason": MATCH_ZH.get(d.match_kind or "none", ""), "note": d.match_note}
                         for d in docs if d.org_id is None]
            matched = [{"file": d.paths[0].path if d.paths else "", "publisher": d.publisher,
                        "code": by_id[d.org_id].code, "match": d.match_kind, "note": d.match_note}
                       for d in docs if d.org_id is not None and d.org_id in by_id]
            unusable = [{"file": d.paths[0].path if d.paths else "", "error": d.error}
                        for d in s.scalars(select(Document).where(Document.status != "ok").order_by(Document.id))]
            held = [{"file": d.paths[0].path if d.paths else "", "publisher": d.publisher, "year": d.year,
                     "kind": d.kind, "uploader": d.uploader, "held": d.held}
                    for d in s.scalars(select(Document).where(Document.held.is_not(None)).order_by(Document.id))]
        return {"organisations": len(by_code), "years": years, "kinds": kinds, "rows": rows, "on": today.isoformat(),
                "matched": matched, "unmatched": unmatched, "held": held, "unusable": unusable}

    def counts(self) -> dict[str, int]:
        """Rows per table (what a test compares between two runs or two databases)."""
        with Session(self.engine) as s:
            return {t.name: s.scalar(select(func.count()).select_from(t)) or 0
                    for t in Base.metadata.sorted_tables}


def _where(f: FindingRow) -> str:
    parts = []
    if f.page:
        parts.append(f"第{f.page}页")
    if f.line:
        parts.append(f"第{f.line}行")
    if f.table_key:
        parts.append(f"表{f.table_key}")
    if f.part:
        parts.append(f.part)
    if f.row_key:
        parts.append(f"行 {f.row_key}")
    if f.column_label or f.column_id:
        parts.append(f"栏 {f.column_label or f.column_id}")
    return " ".join(parts)


def _relocate(a: Analysis, tmp: str | tuple[str, ...], stored: str) -> None:
    """A document read from its stored bytes (a temporary copy) names the path it was stored from (each
    file of a document of several files its own path)."""
    from ..pipeline import JOIN, label, rename_files

    tmps = [tmp] if isinstance(tmp, str) else list(tmp)
    originals = stored.split(JOIN) if len(tmps) > 1 else [stored]
    if len(originals) != len(tmps):
        originals = [stored] * len(tmps)
    names = dict(zip(tmps, originals, strict=True))
    names[label(tmp)] = stored
    if a.doc is not None:
        a.doc.source = stored
        if len(tmps) > 1:
            rename_files(a.doc, names)
    if a.error:
        for t, o in names.items():
            a.error = a.error.replace(t, o)
    if a.report is not None:
        a.report.source = stored
        for p in a.report.parts:
            p.file = names.get(p.file, p.file)

        def fix(loc: Any) -> Any:
            return loc.at(file=names[loc.file]) if loc.file in names else loc

        a.report.findings = [f.model_copy(update={"location": fix(f.location),
                                                  "related": [fix(r) for r in f.related]})
                             for f in a.report.findings]


class _Materialised:
    """A stored document's bytes as a file in a private temporary folder, under its own name (readers
    dispatch on the suffix); removed on exit."""

    def __init__(self, data: bytes, name: str, stored: str) -> None:
        self.data, self.name, self.stored = data, name, stored
        self.dir: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> tuple[Any, str]:
        self.dir = tempfile.TemporaryDirectory(prefix="budgetdoc-")
        if self.name.endswith(PARTS):  # a document of several files: each file, in order
            import io
            import zipfile

            paths = []
            with zipfile.ZipFile(io.BytesIO(self.data)) as z:
                for member in sorted(z.namelist()):
                    path = os.path.join(self.dir.name, os.path.basename(member)[3:] or member)
                    with open(path, "wb") as fh:
                        fh.write(z.read(member))
                    paths.append(path)
            return tuple(paths), self.stored
        path = os.path.join(self.dir.name, self.name)
        with open(path, "wb") as fh:
            fh.write(self.data)
        return path, self.stored

    def __exit__(self, *exc: object) -> None:
        if self.dir is not None:
            self.dir.cleanup()
