"""The store: documents by content hash, their bytes and models, organisations, check runs, findings,
review decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("parent_code", sa.String(64), nullable=True),
        sa.Column("aliases", sa.Text(), nullable=False),
    )
    op.create_index("ix_organisation_parent_code", "organisation", ["parent_code"])
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("suffix", sa.String(16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("publisher", sa.String(300), nullable=True),
        sa.Column("scope", sa.String(8), nullable=True),
        sa.Column("kind", sa.String(8), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(100), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("identity_key", sa.String(400), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=True),
        sa.Column("read_version", sa.String(32), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True),
        sa.Column("match_kind", sa.String(16), nullable=True),
        sa.Column("match_note", sa.Text(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_document_year", "document", ["year"])
    op.create_index("ix_document_identity_key", "document", ["identity_key"])
    op.create_index("ix_document_org_id", "document", ["org_id"])
    op.create_table(
        "document_path",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.UniqueConstraint("document_id", "path", name="uq_document_path"),
    )
    op.create_index("ix_document_path_document_id", "document_path", ["document_id"])
    op.create_table(
        "check_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False),
        sa.Column("budgetdoc_version", sa.String(32), nullable=False),
        sa.Column("ruleset", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("infos", sa.Integer(), nullable=False),
        sa.Column("n_new", sa.Integer(), nullable=False),
        sa.Column("n_open", sa.Integer(), nullable=False),
        sa.Column("n_fixed", sa.Integer(), nullable=False),
        sa.Column("n_dismissed", sa.Integer(), nullable=False),
        sa.UniqueConstraint("document_id", "budgetdoc_version", "ruleset", name="uq_check_run"),
    )
    op.create_index("ix_check_run_document_id", "check_run", ["document_id"])
    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("check_run.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("table_key", sa.String(32), nullable=True),
        sa.Column("row_key", sa.String(300), nullable=True),
        sa.Column("part", sa.String(32), nullable=True),
        sa.Column("column_id", sa.String(64), nullable=True),
        sa.Column("column_label", sa.String(300), nullable=True),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("location_json", sa.Text(), nullable=False),
        sa.Column("related_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("run_id", "fingerprint", name="uq_finding_run_fingerprint"),
    )
    op.create_index("ix_finding_run_id", "finding", ["run_id"])
    op.create_index("ix_finding_fingerprint", "finding", ["fingerprint"])
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_fingerprint", "review", ["fingerprint"])


def downgrade() -> None:
    for table in ("review", "finding", "check_run", "document_path", "document", "organisation", "blob"):
        op.drop_table(table)
