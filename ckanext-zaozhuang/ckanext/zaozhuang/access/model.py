"""The access gate's own tables: grants, the time-limited access that the policy consults,
and the access log (安全审计), to which entries are only ever added: the portal has no action
that edits or deletes them."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model import Session
from ckan.model.types import make_uuid


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


class Grant(tk.BaseModel):
    """Access to a dataset, or to some of its resources, for a period.

    `kind` is `open` (有条件开放, to a user) or `share` (有条件共享, to a user or a whole
    department). A grant is active inside [valid_from, valid_until) and until revoked;
    that is checked at the moment of access, so no job has to expire it.
    """
    __tablename__ = "zaozhuang_grant"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    # None: every resource of the dataset, including ones added later.
    resource_ids: Mapped[Optional[list[str]]] = mapped_column(JSONB)
    user_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    application_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    valid_from: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    valid_until: Mapped[datetime.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    revoked_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    revoked_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    revoke_reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)

    def is_active(self, at: Optional[datetime.datetime] = None) -> bool:
        at = at or now()
        return self.revoked_at is None and self.valid_from <= at < self.valid_until

    def covers(self, resource_id: Optional[str]) -> bool:
        return self.resource_ids is None or resource_id is None or resource_id in self.resource_ids

    def as_dict(self) -> dict[str, Any]:
        data = {c.name: getattr(self, c.name) for c in self.__table__.columns}
        for key, value in data.items():
            if isinstance(value, datetime.datetime):
                data[key] = value.isoformat()
        data["active"] = self.is_active()
        return data


class Freeze(tk.BaseModel):
    """A dataset or a user whose data access is suspended (a security incident, 安全事件):
    the policy refuses every data path of a frozen dataset, and every grant of a frozen user,
    until the freeze is lifted. `reference` names what ordered it (an incident's id)."""
    __tablename__ = "zaozhuang_access_freeze"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    dataset_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    user_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    reference: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    created_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    lifted_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    lifted_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)


def frozen() -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the frozen datasets and of the frozen users (a handful at most)."""
    rows = Session.execute(sa.select(Freeze.dataset_id, Freeze.user_id)
                           .where(Freeze.lifted_at.is_(None))).all()
    return (frozenset(r[0] for r in rows if r[0]), frozenset(r[1] for r in rows if r[1]))


class AuditEntry(tk.BaseModel):
    __tablename__ = "zaozhuang_audit_log"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, index=True)
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
