"""The access gate's own tables: grants, the time-limited access that the policy consults,
and the access log (安全审计), to which entries are only ever added: the portal has no action
that edits or deletes them."""
from __future__ import annotations

import datetime
import hashlib
import json
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
    """One entry of the access log. Entries form a hash chain in `seq` order: each carries
    the hash of the one before and its own, over its content and that hash, so an entry
    altered or removed afterwards breaks the chain at that point (verify_chain)."""
    __tablename__ = "zaozhuang_audit_log"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    seq: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), nullable=False, unique=True)
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
    previous_hash: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    hash: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)

    def as_dict(self) -> dict[str, Any]:
        return {c.name: getattr(self, c.name) if c.name != "created"
                else self.created.isoformat() for c in self.__table__.columns}


# The chain's content: every column but the chain's own.
CHAINED = ("id", "created", "event", "outcome", "user_id", "user_name", "dataset_id",
           "organization_id", "resource_id", "grant_id", "path", "client_address", "detail")
GENESIS = "0" * 64
# Held until the writing transaction ends: entries are chained one writer at a time.
CHAIN_LOCK = 0x7a7a_0a0d17


def entry_hash(values: dict[str, Any], previous_hash: str) -> str:
    content = {name: values.get(name) for name in CHAINED}
    created = content["created"]
    if isinstance(created, datetime.datetime):
        content["created"] = created.astimezone(datetime.timezone.utc).isoformat()
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((previous_hash + text).encode("utf-8")).hexdigest()


def add(**fields: Any) -> AuditEntry:
    """Record an entry in the current transaction; the caller's commit keeps it. The lock
    keeps parallel writers from chaining two entries to the same predecessor."""
    Session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = Session.execute(sa.select(AuditEntry.hash).order_by(AuditEntry.seq.desc())
                           .limit(1)).scalar()
    fields.setdefault("id", make_uuid())
    fields.setdefault("created", now())
    fields.setdefault("detail", {})
    previous = last or GENESIS
    # The detail as PostgreSQL will give it back (JSONB), so that verifying agrees.
    fields["detail"] = json.loads(json.dumps(fields["detail"], default=str))
    entry = AuditEntry(previous_hash=previous, hash=entry_hash(fields, previous), **fields)
    Session.add(entry)
    Session.flush()
    return entry


def verify_chain() -> dict[str, Any]:
    """Check every entry in order: its link to the one before and its own hash. Returns
    ``{"valid", "checked", "first_broken": None or {"id", "seq", "problem"}}``."""
    previous, checked = GENESIS, 0
    rows = Session.execute(sa.select(*[getattr(AuditEntry, n) for n in CHAINED],
                                     AuditEntry.seq, AuditEntry.previous_hash,
                                     AuditEntry.hash).order_by(AuditEntry.seq)
                           .execution_options(yield_per=1000))
    for row in rows:
        values = row._asdict()
        problem = None
        if values["previous_hash"] != previous:
            problem = "link"
        elif entry_hash(values, previous) != values["hash"]:
            problem = "content"
        if problem:
            return {"valid": False, "checked": checked, "first_broken": {
                "id": values["id"], "seq": values["seq"], "problem": problem}}
        previous = values["hash"]
        checked += 1
    return {"valid": True, "checked": checked, "first_broken": None}
