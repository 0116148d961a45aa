"""Daily usage figures

Revision ID: 8a41c7d09e35
Revises: 8e5c2a417b39
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "8a41c7d09e35"
down_revision = "8e5c2a417b39"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "zaozhuang_usage_daily",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.CheckConstraint("kind IN ('view', 'download', 'api')",
                           name="zaozhuang_usage_daily_kind"),
        sa.CheckConstraint("count >= 0", name="zaozhuang_usage_daily_count"),
    )
    op.create_index("ix_zaozhuang_usage_daily_dataset_id", "zaozhuang_usage_daily",
                    ["dataset_id"])


def downgrade():
    op.drop_table("zaozhuang_usage_daily")
