"""Applications for conditional data, their timeline, and the applicants' kept profiles."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def as_dict(row: tk.BaseModel) -> dict[str, Any]:
    return {c.name: _plain(getattr(row, c.name)) for c in row.__table__.columns}


class ApplicantProfile(tk.BaseModel):
    """Who a user last applied as; it fills the next application form.

    applicant_type: individual (real name, phone), enterprise or organization (name,
    统一社会信用代码, contact), department (a department the user is a member of)."""
    __tablename__ = "zaozhuang_applicant_profile"

    user_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    applicant_type: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    real_name: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    phone: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    entity_name: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    credit_code: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    contact_name: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    contact_phone: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    contact_email: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, onupdate=now)


class Application(tk.BaseModel):
    """One request for a conditional dataset (or some of its resources) for a period.

    `kind` is `open` (有条件开放, for the applicant) or `share` (有条件共享, for the applicant's
    department). The applicant's identity is copied from the profile when the application is
    written, so later profile changes leave it as submitted."""
    __tablename__ = "zaozhuang_application"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="draft", index=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    applicant_type: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    # The profile fields as they were when the application was last written.
    applicant: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # The applicant department of a `share` application.
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    # The providing department when the application was created: its reviewers decide.
    provider_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    # None: every resource of the dataset.
    resource_ids: Mapped[Optional[list[str]]] = mapped_column(JSONB)
    purpose: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    scenario: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    security_measures: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    expected_results: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    period_start: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    period_end: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    pledge_accepted: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # The pledge text the applicant accepted (the configured text may change later).
    pledge_text: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    renewal_of: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, onupdate=now)
    submitted_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    # Local dates, counted in working days from the last (re)submission.
    form_check_due: Mapped[Optional[datetime.date]] = mapped_column(sa.Date)
    decision_due: Mapped[Optional[datetime.date]] = mapped_column(sa.Date)
    decided_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    decided_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    decision_reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    # Reminders already sent ("form_check_due:2026-12-04", "expiry:<grant id>"), so a daily
    # cron sends each one once.
    reminders_sent: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)


class ApplicationEvent(tk.BaseModel):
    """One step of an application's timeline: who did what, when, and why."""
    __tablename__ = "zaozhuang_application_event"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    application_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    action: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    actor_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    actor_name: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    from_state: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    to_state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
