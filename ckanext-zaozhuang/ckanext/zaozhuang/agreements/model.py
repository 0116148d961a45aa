"""Grants: time-limited access to a conditionally open or conditionally shared dataset; the
usage agreements (数据利用协议) whose signature creates them, their templates, and the holders'
usage reports (利用情况反馈)."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
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


class AgreementTemplate(tk.BaseModel):
    """One version of an agreement text with `${placeholder}`s. Versions are only added:
    an update writes the next version, so a rendered agreement always names the text it came
    from. organization_id None: the portal-wide template; else a department's own."""
    __tablename__ = "zaozhuang_agreement_template"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    body: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    created_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)


class Agreement(tk.BaseModel):
    """The agreement of an approved application: its text is rendered once, on approval,
    and never changes; the signature records who signed which exact text, when and from
    where."""
    __tablename__ = "zaozhuang_agreement"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    application_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, unique=True)
    template_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    template_version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    text: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    text_sha256: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    signed_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    signed_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    client_address: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    grant_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)


class UsageReport(tk.BaseModel):
    """A grant holder's report on how the data was used and what came of it; security risks
    and quality problems found may be reported with it."""
    __tablename__ = "zaozhuang_usage_report"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    grant_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    application_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    usage: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    results: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    benefits: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    problems: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
