"""The usage agreements (数据利用协议) whose signature creates them, their templates, and the holders'
usage reports (利用情况反馈)."""
from __future__ import annotations

import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now


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
    # The reporter's own showcase (应用成果) of what was built, if any.
    showcase_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
