"""Applications, applicant profiles, agreement templates, agreements and usage reports

Revision ID: 8a4e7c21d302
Revises: 6f1c2d9a0b01
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "8a4e7c21d302"
down_revision = "6f1c2d9a0b01"
branch_labels = None
depends_on = None

STATES = ("draft", "submitted", "returned", "withdrawn", "approved", "rejected", "active",
          "revoked")
APPLICANT_TYPES = ("individual", "enterprise", "organization", "department")


def _in(column, values):
    return "{} IN ({})".format(column, ", ".join(f"'{v}'" for v in values))


def upgrade():
    op.create_table(
        "zaozhuang_applicant_profile",
        sa.Column("user_id", sa.UnicodeText, primary_key=True),
        sa.Column("applicant_type", sa.UnicodeText, nullable=False),
        sa.Column("real_name", sa.UnicodeText),
        sa.Column("phone", sa.UnicodeText),
        sa.Column("entity_name", sa.UnicodeText),
        sa.Column("credit_code", sa.UnicodeText),
        sa.Column("contact_name", sa.UnicodeText),
        sa.Column("contact_phone", sa.UnicodeText),
        sa.Column("contact_email", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_in("applicant_type", APPLICANT_TYPES),
                           name="zaozhuang_applicant_profile_type"),
    )

    op.create_table(
        "zaozhuang_application",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("applicant_type", sa.UnicodeText, nullable=False),
        sa.Column("applicant", JSONB, nullable=False),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("provider_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_ids", JSONB),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("scenario", sa.UnicodeText, nullable=False),
        sa.Column("security_measures", sa.UnicodeText, nullable=False),
        sa.Column("expected_results", sa.UnicodeText, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("pledge_accepted", sa.Boolean, nullable=False),
        sa.Column("pledge_text", sa.UnicodeText),
        sa.Column("renewal_of", sa.UnicodeText),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("form_check_due", sa.Date),
        sa.Column("decision_due", sa.Date),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("decision_reason", sa.UnicodeText),
        sa.Column("reminders_sent", JSONB, nullable=False),
        sa.CheckConstraint(_in("state", STATES), name="zaozhuang_application_state"),
        sa.CheckConstraint("kind IN ('open', 'share')", name="zaozhuang_application_kind"),
        sa.CheckConstraint("period_start <= period_end", name="zaozhuang_application_period"),
        sa.CheckConstraint("kind = 'open' OR organization_id IS NOT NULL",
                           name="zaozhuang_application_share_department"),
    )
    for column in ("state", "user_id", "organization_id", "dataset_id", "provider_id"):
        op.create_index(f"ix_zaozhuang_application_{column}", "zaozhuang_application", [column])

    op.create_table(
        "zaozhuang_application_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("application_id", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("actor_name", sa.UnicodeText),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText),
    )
    op.create_index("ix_zaozhuang_application_event_application_id",
                    "zaozhuang_application_event", ["application_id"])

    op.create_table(
        "zaozhuang_agreement_template",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.UnicodeText),
    )
    op.create_index("ix_zaozhuang_agreement_template_organization_id",
                    "zaozhuang_agreement_template", ["organization_id"])
    # One version number per scope (a department, or the portal when organization_id is null).
    op.execute("CREATE UNIQUE INDEX ux_zaozhuang_agreement_template_version "
               "ON zaozhuang_agreement_template (coalesce(organization_id, ''), version)")

    op.create_table(
        "zaozhuang_agreement",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("application_id", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("template_id", sa.UnicodeText, nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("text_sha256", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.UnicodeText),
        sa.Column("signed_at", sa.DateTime(timezone=True)),
        sa.Column("client_address", sa.UnicodeText),
        sa.Column("grant_id", sa.UnicodeText),
    )

    op.create_table(
        "zaozhuang_usage_report",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("grant_id", sa.UnicodeText, nullable=False),
        sa.Column("application_id", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usage", sa.UnicodeText, nullable=False),
        sa.Column("results", sa.UnicodeText, nullable=False),
        sa.Column("benefits", sa.UnicodeText),
        sa.Column("problems", sa.UnicodeText),
    )
    for column in ("grant_id", "application_id", "dataset_id"):
        op.create_index(f"ix_zaozhuang_usage_report_{column}", "zaozhuang_usage_report",
                        [column])


def downgrade():
    for table in ("usage_report", "agreement", "agreement_template", "application_event",
                  "application", "applicant_profile"):
        op.drop_table(f"zaozhuang_{table}")
