"""Background catalog imports

Revision ID: 4d2b8e61f0a7
Revises: c31f0e7a9d12
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "4d2b8e61f0a7"
down_revision = "c31f0e7a9d12"
branch_labels = None
depends_on = None

STATES = ("queued", "checking", "writing", "done", "failed")


def upgrade():
    op.create_table(
        "zaozhuang_catalog_import",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("filename", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("errors", JSONB),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ({})".format(", ".join(f"'{s}'" for s in STATES)),
                           name="zaozhuang_catalog_import_state"),
        sa.CheckConstraint("0 <= done AND done <= total",
                           name="zaozhuang_catalog_import_progress"),
    )


def downgrade():
    op.drop_table("zaozhuang_catalog_import")
