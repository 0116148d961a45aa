"""The access and decision log (安全审计). Entries are only ever added: the portal has no
action that edits or deletes them."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model import Session
from ckan.model.types import make_uuid


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class AuditEntry(tk.BaseModel):
    __tablename__ = "zaozhuang_audit_log"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=_now, index=True)
    # What happened: download, datastore, preview, api, opening_change ...
    event: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    # allowed, refused or recorded (a decision that was taken).
    outcome: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    user_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    user_name: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    dataset_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    resource_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    grant_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    path: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    client_address: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)

    def as_dict(self) -> dict[str, Any]:
        return {c.name: getattr(self, c.name) if c.name != "created"
                else self.created.isoformat() for c in self.__table__.columns}


def add(**fields: Any) -> AuditEntry:
    """Record an entry in the current transaction; the caller's commit keeps it."""
    entry = AuditEntry(**fields)
    Session.add(entry)
    return entry
