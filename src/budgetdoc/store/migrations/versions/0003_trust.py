"""Trust and readings: who uploaded a document and whether it is held for a reviewer; two readings of
one document (its reading group, its quality, the digest of its tables); cross-document findings;
session tokens kept as hashes only (every session ends); password history; the audit log indexed by
action, name and address (login throttling reads it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as b:
        b.add_column(sa.Column("uploader", sa.String(64), nullable=True))
        b.add_column(sa.Column("held", sa.Text(), nullable=True))
        b.add_column(sa.Column("reading_group", sa.Integer(), nullable=True))
        b.add_column(sa.Column("reading_score", sa.String(64), nullable=True))
        b.add_column(sa.Column("table_digest", sa.Text(), nullable=True))
    op.create_table(
        "cross_finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("ruleset", sa.String(64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=True),
        sa.Column("org_code", sa.String(64), nullable=True),
        sa.Column("department_code", sa.String(64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(8), nullable=True),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("expected", sa.Text(), nullable=True),
        sa.Column("actual", sa.Text(), nullable=True),
        sa.Column("location_json", sa.Text(), nullable=False),
        sa.Column("related_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("fingerprint", name="uq_cross_finding_fingerprint"),
    )
    op.create_index("ix_cross_finding_document_id", "cross_finding", ["document_id"])
    op.create_index("ix_cross_finding_department_code", "cross_finding", ["department_code"])
    op.execute("DELETE FROM web_session")  # tokens were kept as they are: every browser signs in again
    with op.batch_alter_table("web_user") as b:
        b.add_column(sa.Column("password_history", sa.Text(), nullable=False, server_default="[]"))
    op.create_index("ix_web_audit_action", "web_audit", ["action"])
    op.create_index("ix_web_audit_username", "web_audit", ["username"])
    op.create_index("ix_web_audit_ip", "web_audit", ["ip"])


def downgrade() -> None:
    for ix in ("ix_web_audit_ip", "ix_web_audit_username", "ix_web_audit_action"):
        op.drop_index(ix, "web_audit")
    with op.batch_alter_table("web_user") as b:
        b.drop_column("password_history")
    op.drop_table("cross_finding")
    with op.batch_alter_table("document") as b:
        for c in ("table_digest", "reading_score", "reading_group", "held", "uploader"):
            b.drop_column(c)
