"""Audit log and grants

Revision ID: 6f1c2d9a0b01
Revises:
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "6f1c2d9a0b01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "zaozhuang_audit_log",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.UnicodeText, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("user_name", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("grant_id", sa.UnicodeText),
        sa.Column("path", sa.UnicodeText),
        sa.Column("client_address", sa.UnicodeText),
        sa.Column("detail", JSONB, nullable=False),
    )
    op.create_index("ix_zaozhuang_audit_log_created", "zaozhuang_audit_log", ["created"])
    op.create_index("ix_zaozhuang_audit_log_dataset_id", "zaozhuang_audit_log", ["dataset_id"])
    op.create_index("ix_zaozhuang_audit_log_organization_id", "zaozhuang_audit_log",
                    ["organization_id"])

    op.create_table(
        "zaozhuang_grant",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_ids", JSONB),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("application_id", sa.UnicodeText),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_by", sa.UnicodeText),
        sa.Column("revoke_reason", sa.UnicodeText),
        sa.CheckConstraint("kind IN ('open', 'share')", name="zaozhuang_grant_kind"),
        sa.CheckConstraint("user_id IS NOT NULL OR organization_id IS NOT NULL",
                           name="zaozhuang_grant_grantee"),
        sa.CheckConstraint("valid_from < valid_until", name="zaozhuang_grant_period"),
    )
    for column in ("dataset_id", "user_id", "organization_id", "application_id"):
        op.create_index(f"ix_zaozhuang_grant_{column}", "zaozhuang_grant", [column])


def downgrade():
    op.drop_table("zaozhuang_grant")
    op.drop_table("zaozhuang_audit_log")
