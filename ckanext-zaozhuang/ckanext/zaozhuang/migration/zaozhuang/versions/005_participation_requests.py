"""Data requests and error reports

Revision ID: 7b3c5e9a1d24
Revises: 4d2b8e61f0a7
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "7b3c5e9a1d24"
down_revision = "4d2b8e61f0a7"
branch_labels = None
depends_on = None

REQUEST_STATES = ("submitted", "routed", "answered")
REQUEST_ANSWERS = ("will_publish", "cannot", "exists")
REPORT_KINDS = ("wrong_value", "outdated", "broken_link", "mismatch", "personal_data")
REPORT_ANSWERS = ("fixed", "will_fix", "not_error")


def _one_of(column, values, name):
    return sa.CheckConstraint("{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values)),
                              name=name)


def upgrade():
    op.create_table(
        "zaozhuang_data_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("contact_phone", sa.UnicodeText),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("title_key", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("proposed_organization_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("formats", JSONB, nullable=False),
        sa.Column("update_frequency", sa.UnicodeText),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("routed_at", sa.DateTime(timezone=True)),
        sa.Column("routed_by", sa.UnicodeText),
        sa.Column("due", sa.Date),
        sa.Column("answer", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("legal_basis", sa.UnicodeText),
        sa.Column("planned_date", sa.Date),
        sa.Column("dataset_id", sa.UnicodeText),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("answered_by", sa.UnicodeText),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hidden_reason", sa.UnicodeText),
        _one_of("state", REQUEST_STATES, "zaozhuang_data_request_state"),
        _one_of("answer", REQUEST_ANSWERS, "zaozhuang_data_request_answer"),
    )
    # One open request per folded title: two people filing the same at the same moment get
    # one request, the other is pointed to it.
    op.create_index("zaozhuang_data_request_open_title", "zaozhuang_data_request",
                    ["title_key"], unique=True,
                    postgresql_where=sa.text("state IN ('submitted', 'routed') AND NOT hidden"))
    op.create_table(
        "zaozhuang_data_request_support",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("request_id", "user_id", name="zaozhuang_data_request_support_once"),
    )
    op.create_table(
        "zaozhuang_error_report",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("answer", sa.UnicodeText),
        sa.Column("answer_text", sa.UnicodeText),
        sa.Column("fix_date", sa.Date),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("answered_by", sa.UnicodeText),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("hidden_reason", sa.UnicodeText),
        _one_of("state", ("open", "answered"), "zaozhuang_error_report_state"),
        _one_of("kind", REPORT_KINDS, "zaozhuang_error_report_kind"),
        _one_of("answer", REPORT_ANSWERS, "zaozhuang_error_report_answer"),
    )


def downgrade():
    op.drop_table("zaozhuang_error_report")
    op.drop_table("zaozhuang_data_request_support")
    op.drop_index("zaozhuang_data_request_open_title", table_name="zaozhuang_data_request")
    op.drop_table("zaozhuang_data_request")
