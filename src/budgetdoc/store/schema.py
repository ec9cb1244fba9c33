"""The store's tables (SQLAlchemy 2 typed ORM). The Alembic migrations in ``migrations/`` create
exactly these; a test compares the two.

Amounts are kept as the strings the findings print (``expected``/``actual``), never as floats.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Blob(Base):
    """A document's bytes (zlib-compressed), by content hash: the store can read it again after the
    file has moved (``check --db`` after an upgrade)."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Organisation(Base):
    """A department (no parent) or a unit of the bureau's register."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_code: Mapped[str | None] = mapped_column(String(64), index=True)
    aliases: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of names


class Document(Base):
    """One document by content: the same bytes are one row whatever their paths."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    suffix: Mapped[str] = mapped_column(String(16))  # how to read the bytes again (.txt .pdf …)
    size: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))  # ok | unusable
    error: Mapped[str | None] = mapped_column(Text)  # the one sentence of an unusable file
    publisher: Mapped[str | None] = mapped_column(String(300))
    scope: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str | None] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    region: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(Text)
    identity_key: Mapped[str] = mapped_column(String(400), index=True)  # publisher|scope|kind|year
    model_json: Mapped[str | None] = mapped_column(Text)  # the Disclosure as JSON
    read_version: Mapped[str] = mapped_column(String(32))  # the budgetdoc that read it
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    match_kind: Mapped[str | None] = mapped_column(String(16))  # exact alias close none ambiguous
    match_note: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the unit whose upload first stored these bytes (None: the command line, a reviewer or an admin)
    uploader: Mapped[str | None] = mapped_column(String(64))
    # why the document waits for a reviewer (a unit uploaded a document another unit published): a held
    # document is filed under no unit and is nobody's current version
    held: Mapped[str | None] = mapped_column(Text)
    # readings of one document (two extractions of one PDF: same identity, same tables): the id of the
    # group's first document; its reading's quality (lower is better) and its tables' digests (JSON)
    reading_group: Mapped[int | None] = mapped_column(Integer)
    reading_score: Mapped[str | None] = mapped_column(String(64))
    table_digest: Mapped[str | None] = mapped_column(Text)

    paths: Mapped[list[DocumentPath]] = relationship(back_populates="document", order_by="DocumentPath.id")
    organisation: Mapped[Organisation | None] = relationship()


class DocumentPath(Base):
    """Where a document was found (each path once)."""

    __tablename__ = "document_path"
    __table_args__ = (UniqueConstraint("document_id", "path", name="uq_document_path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="paths")


class CheckRun(Base):
    """One check of one document by one budgetdoc and rule set, with what changed since the identity's
    previous run (new / still open / fixed / dismissed)."""

    __tablename__ = "check_run"
    __table_args__ = (UniqueConstraint("document_id", "budgetdoc_version", "ruleset", name="uq_check_run"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    budgetdoc_version: Mapped[str] = mapped_column(String(32))
    ruleset: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_open: Mapped[int] = mapped_column(Integer, default=0)
    n_fixed: Mapped[int] = mapped_column(Integer, default=0)
    n_dismissed: Mapped[int] = mapped_column(Integer, default=0)


class FindingRow(Base):
    """A finding of a check run, with its stable fingerprint."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("run_id", "fingerprint", name="uq_finding_run_fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(32), default="")
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    line: Mapped[int | None] = mapped_column(Integer)
    table_key: Mapped[str | None] = mapped_column(String(32))
    row_key: Mapped[str | None] = mapped_column(String(300))
    part: Mapped[str | None] = mapped_column(String(32))
    column_id: Mapped[str | None] = mapped_column(String(64))
    column_label: Mapped[str | None] = mapped_column(String(300))
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    location_json: Mapped[str] = mapped_column(Text)
    related_json: Mapped[str] = mapped_column(Text, default="[]")


class Review(Base):
    """A reviewer's decision on a fingerprint (history: the latest decision holds)."""

    __tablename__ = "review"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | dismissed
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CrossFinding(Base):
    """A cross-document finding (``check --db``: a unit's 决算 against its 预算, a department against its
    units …) of the latest cross check, by fingerprint (reviewed like any finding); located in one
    document, filed under its unit and department."""

    __tablename__ = "cross_finding"
    __table_args__ = (UniqueConstraint("fingerprint", name="uq_cross_finding_fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    ruleset: Mapped[str] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    org_code: Mapped[str | None] = mapped_column(String(64))
    department_code: Mapped[str | None] = mapped_column(String(64), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(8))
    rule: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100), default="")
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    location_json: Mapped[str] = mapped_column(Text)
    related_json: Mapped[str] = mapped_column(Text, default="[]")


# ---------------------------------------------------------------- the web app (budgetdoc serve)


class WebUser(Base):
    """An account of the web app: ``admin``, ``reviewer`` (all units) or ``unit`` (its own unit only,
    ``org_code``). Only an argon2 hash of the password is kept."""

    __tablename__ = "web_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    org_code: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[int] = mapped_column(Integer, default=1)
    password_history: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")  # earlier hashes
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser: the cookie carries the signed token, the store only its SHA-256 (``token``):
    reading the store does not give a session; ``csrf`` is the form token."""

    __tablename__ = "web_session"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSetting(Base):
    """Settings of the web app kept in the database (the session signing secret)."""

    __tablename__ = "web_setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class WebJob(Base):
    """One uploaded file (or a rerun) waiting for, being, or done being read and checked. ``name`` is
    the name the user gave, shown only, never used as a path; the bytes are stored by ``sha256``."""

    __tablename__ = "web_job"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("web_user.id", ondelete="SET NULL"))
    org_code: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # upload | rerun
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    suffix: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), index=True)  # queued | running | done | failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    result_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebAudit(Base):
    """The audit log: logins (and failed ones, which the login throttle counts), uploads, downloads, review
    actions, accounts, register imports."""

    __tablename__ = "web_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str | None] = mapped_column(String(100), index=True)
    ip: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
