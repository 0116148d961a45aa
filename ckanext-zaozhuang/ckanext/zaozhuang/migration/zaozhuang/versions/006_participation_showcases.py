"""Showcases (应用成果) and ratings with comments on datasets

Revision ID: 8e5c2a417b39
Revises: 7b3c5e9a1d24
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "8e5c2a417b39"
down_revision = "7b3c5e9a1d24"
branch_labels = None
depends_on = None

SHOWCASE_STATES = ("pending", "published", "rejected", "hidden")
SHOWCASE_KINDS = ("app", "report", "study", "visualisation")
COMMENT_STATES = ("none", "pending", "approved", "hidden")


def _one_of(column, values):
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))


def upgrade():
    op.create_table(
        "zaozhuang_rating",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("stars", sa.Integer, nullable=False),
        sa.Column("comment", sa.UnicodeText),
        sa.Column("comment_state", sa.UnicodeText, nullable=False),
        sa.Column("commented_at", sa.DateTime(timezone=True)),
        sa.Column("moderated_by", sa.UnicodeText),
        sa.Column("moderated_at", sa.DateTime(timezone=True)),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="zaozhuang_rating_stars"),
        sa.CheckConstraint(_one_of("comment_state", COMMENT_STATES),
                           name="zaozhuang_rating_comment_state"),
        # One rating per user per dataset: rating again updates it.
        sa.UniqueConstraint("dataset_id", "user_id", name="zaozhuang_rating_one_per_user"),
    )
    op.create_table(
        "zaozhuang_showcase",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("state", sa.UnicodeText, nullable=False, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("link", sa.UnicodeText, nullable=False),
        sa.Column("image", sa.UnicodeText),
        sa.Column("review_reason", sa.UnicodeText),
        sa.Column("reviewed_by", sa.UnicodeText),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("state", SHOWCASE_STATES), name="zaozhuang_showcase_state"),
        sa.CheckConstraint(_one_of("kind", SHOWCASE_KINDS), name="zaozhuang_showcase_kind"),
    )
    # A double submission makes one showcase; after a rejection the same link may come again.
    op.create_index("zaozhuang_showcase_one_per_link", "zaozhuang_showcase",
                    ["user_id", "link"], unique=True,
                    postgresql_where=sa.text("state IN ('pending', 'published')"))
    op.create_table(
        "zaozhuang_showcase_dataset",
        sa.Column("showcase_id", sa.UnicodeText,
                  sa.ForeignKey("zaozhuang_showcase.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, primary_key=True, index=True),
    )
    # A usage report (利用情况反馈) may point to the showcase of what was built.
    op.add_column("zaozhuang_usage_report", sa.Column("showcase_id", sa.UnicodeText))


def downgrade():
    op.drop_column("zaozhuang_usage_report", "showcase_id")
    op.drop_table("zaozhuang_showcase_dataset")
    op.drop_table("zaozhuang_showcase")
    op.drop_table("zaozhuang_rating")
