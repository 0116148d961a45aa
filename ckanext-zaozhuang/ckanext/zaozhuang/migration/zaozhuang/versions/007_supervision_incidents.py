"""Supervision: security incidents and the access freezes they order

Revision ID: 9c4e7a21b5d3
Revises: 4d2b8e61f0a7
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "9c4e7a21b5d3"
down_revision = "4d2b8e61f0a7"
branch_labels = None
depends_on = None

INCIDENT_STATES = ("open", "frozen", "lifted", "revoked")
SEVERITIES = ("general", "serious", "major", "critical")


def _in(column, values):
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))


def upgrade():
    op.create_table(
        "zaozhuang_access_freeze",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, index=True),
        sa.Column("user_id", sa.UnicodeText, index=True),
        sa.Column("reference", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True)),
        sa.Column("lifted_by", sa.UnicodeText),
        sa.CheckConstraint("(dataset_id IS NULL) <> (user_id IS NULL)",
                           name="zaozhuang_access_freeze_one_subject"),
    )
    # One freeze in force per dataset and per user.
    op.create_index("zaozhuang_access_freeze_dataset", "zaozhuang_access_freeze",
                    ["dataset_id"], unique=True,
                    postgresql_where=sa.text("lifted_at IS NULL AND dataset_id IS NOT NULL"))
    op.create_index("zaozhuang_access_freeze_user", "zaozhuang_access_freeze",
                    ["user_id"], unique=True,
                    postgresql_where=sa.text("lifted_at IS NULL AND user_id IS NOT NULL"))

    op.create_table(
        "zaozhuang_incident",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("dataset_id", sa.UnicodeText, index=True),
        sa.Column("user_id", sa.UnicodeText, index=True),
        sa.Column("severity", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.UnicodeText),
        sa.Column("closing_reason", sa.UnicodeText),
        sa.CheckConstraint(_in("state", INCIDENT_STATES), name="zaozhuang_incident_state"),
        sa.CheckConstraint(_in("severity", SEVERITIES), name="zaozhuang_incident_severity"),
        sa.CheckConstraint(
            "(subject = 'dataset' AND dataset_id IS NOT NULL AND user_id IS NULL) OR "
            "(subject = 'user' AND user_id IS NOT NULL AND dataset_id IS NULL)",
            name="zaozhuang_incident_subject"),
    )
    # One unclosed incident per dataset and per applicant: a double submission fails here.
    op.create_index("zaozhuang_incident_open_dataset", "zaozhuang_incident", ["dataset_id"],
                    unique=True, postgresql_where=sa.text(
                        "state IN ('open', 'frozen') AND dataset_id IS NOT NULL"))
    op.create_index("zaozhuang_incident_open_user", "zaozhuang_incident", ["user_id"],
                    unique=True, postgresql_where=sa.text(
                        "state IN ('open', 'frozen') AND user_id IS NOT NULL"))
    op.create_table(
        "zaozhuang_incident_note",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("incident_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("author_id", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("zaozhuang_incident_note")
    op.drop_table("zaozhuang_incident")
    op.drop_table("zaozhuang_access_freeze")
