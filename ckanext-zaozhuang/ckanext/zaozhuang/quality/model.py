"""Quality reports, one per resource and version of its file."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now

STATUSES = ("passed", "failed", "unreadable")


class QualityReport(tk.BaseModel):
    """The check of one version of a resource's file (its SHA-256) against the data
    dictionary its dataset had when it was checked. Checking the same file again replaces
    its report; a new file gets a report of its own."""
    __tablename__ = "zaozhuang_quality_report"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    # None when the file could not be read at all.
    sha256: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    score: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    rows: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    error_rows: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    checked: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, onupdate=now)


def latest(resource_ids: list[str]) -> dict[str, QualityReport]:
    """The newest report of each resource given."""
    if not resource_ids:
        return {}
    reports = (model.Session.query(QualityReport)
               .filter(QualityReport.resource_id.in_(resource_ids))
               .order_by(QualityReport.resource_id, QualityReport.checked.desc())
               .distinct(QualityReport.resource_id))
    return {report.resource_id: report for report in reports}
