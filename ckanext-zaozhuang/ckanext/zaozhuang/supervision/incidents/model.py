"""The register of data-security incidents (安全事件) and their follow-up notes."""
from __future__ import annotations

import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now

# open: registered, data still served; frozen: its data access suspended; lifted and
# revoked: closed, by restoring access or by ending the grants concerned for good.
STATES = ("open", "frozen", "lifted", "revoked")
UNCLOSED = ("open", "frozen")
SUBJECTS = ("dataset", "user")


class Incident(tk.BaseModel):
    """An incident on one dataset or one applicant (a user). At most one unclosed incident
    per subject (unique indexes in the migration)."""
    __tablename__ = "zaozhuang_incident"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    subject: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    dataset_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    user_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    severity: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="open")
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    created_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    frozen_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    closed_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    closing_reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)


class IncidentNote(tk.BaseModel):
    """A follow-up note: what was found, done or decided, by whom and when."""
    __tablename__ = "zaozhuang_incident_note"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    incident_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    author_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    body: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
