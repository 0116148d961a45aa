"""Data requests (需求征集): what citizens ask the departments to publish, and who supports it."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar

# submitted: awaits routing by the authority; routed: awaits the department's answer.
STATES = ("submitted", "routed", "answered")
OPEN_STATES = ("submitted", "routed")
ANSWERS = ("will_publish", "cannot", "exists")


class DataRequest(tk.BaseModel):
    """One request for data not in the catalog. The requester's contact details are kept
    here and shown only to the requester, the routed department and the authority."""
    __tablename__ = "zaozhuang_data_request"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="submitted")
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    contact_phone: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    # The title folded for duplicate detection; unique among open requests (migration 005).
    title_key: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    # The department the requester proposes, and the one the authority routed it to.
    proposed_organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText, index=True)
    formats: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    update_frequency: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    routed_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    routed_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    # A local date, counted in working days from the routing.
    due: Mapped[Optional[datetime.date]] = mapped_column(sa.Date)
    answer: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    answer_text: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    legal_basis: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    planned_date: Mapped[Optional[datetime.date]] = mapped_column(sa.Date)
    # The dataset that satisfies the request (exists, or published as planned).
    dataset_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    answered_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    answered_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    hidden: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    hidden_reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)


class DataRequestSupport(tk.BaseModel):
    """One user's support of a request; one per user (a unique index)."""
    __tablename__ = "zaozhuang_data_request_support"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    request_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)


def overdue(row: Any, today: Optional[datetime.date] = None) -> bool:
    """Unanswered after its due date (from the day after it)."""
    if row.state != "routed" or row.due is None:
        return False
    return (today or calendar.local_date(now())) > row.due


def answer_label(answer: str) -> str:
    return {"will_publish": tk._("will be published"), "cannot": tk._("cannot be provided"),
            "exists": tk._("already exists")}.get(answer, answer)


def answered_in_time(row: Any) -> bool:
    return (row.answered_at is not None and row.due is not None
            and calendar.local_date(row.answered_at) <= row.due)


def figures(org_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per department: requests routed to it (received), answered by their due date, and
    overdue now; for the authority's supervision figures."""
    org_ids = list(org_ids)
    result = {org_id: {"received": 0, "answered_in_time": 0, "overdue": 0} for org_id in org_ids}
    today = calendar.local_date(now())
    rows = (model.Session.query(DataRequest)
            .filter(DataRequest.organization_id.in_(org_ids), DataRequest.hidden.is_(False),
                    DataRequest.state != "submitted"))
    for row in rows:
        counts = result[row.organization_id]
        counts["received"] += 1
        counts["answered_in_time"] += answered_in_time(row)
        counts["overdue"] += overdue(row, today)
    return result
