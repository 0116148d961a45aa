"""Quality reports

Revision ID: 9c3e5f7a1b24
Revises: 8a41c7d09e35
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "9c3e5f7a1b24"
down_revision = "8a41c7d09e35"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "zaozhuang_quality_report",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("sha256", sa.UnicodeText),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("error_rows", sa.Integer, nullable=False),
        sa.Column("counts", JSONB, nullable=False),
        sa.Column("findings", JSONB, nullable=False),
        sa.Column("checked", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('passed', 'failed', 'unreadable')",
                           name="zaozhuang_quality_report_status"),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name="zaozhuang_quality_report_score"),
        sa.UniqueConstraint("resource_id", "sha256",
                            name="zaozhuang_quality_report_version"),
    )


def downgrade():
    op.drop_table("zaozhuang_quality_report")
