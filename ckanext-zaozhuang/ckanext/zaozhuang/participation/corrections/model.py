"""Error reports (纠错) on datasets and their resources, and the provider's answers."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar

# Stable codes; the labels are in `kind_label`.
KINDS = ("wrong_value", "outdated", "broken_link", "mismatch", "personal_data")
# A report of exposed personal information is urgent: the authority is mailed at once.
URGENT_KIND = "personal_data"
ANSWERS = ("fixed", "will_fix", "not_error")


class ErrorReport(tk.BaseModel):
    __tablename__ = "zaozhuang_error_report"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    # open: awaits the provider's answer; answered.
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="open")
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    resource_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    # The providing department when the report was filed: it answers.
    organization_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    urgent: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    due: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    answer: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    answer_text: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    fix_date: Mapped[Optional[datetime.date]] = mapped_column(sa.Date)
    answered_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    answered_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    hidden: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    hidden_reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)


def is_urgent(report: Any) -> bool:
    """Reports of exposed personal information: security incidents may be opened on them."""
    return report.kind == URGENT_KIND


def kind_label(kind: str) -> str:
    return {"wrong_value": tk._("wrong value"), "outdated": tk._("outdated"),
            "broken_link": tk._("broken link"),
            "mismatch": tk._("does not match its description"),
            "personal_data": tk._("personal information exposed")}.get(kind, kind)


def answer_label(answer: str) -> str:
    return {"fixed": tk._("fixed"), "will_fix": tk._("will be fixed"),
            "not_error": tk._("not an error")}.get(answer, answer)


def overdue(row: Any, today: Optional[datetime.date] = None) -> bool:
    if row.state != "open":
        return False
    return (today or calendar.local_date(now())) > row.due


def answered_in_time(row: Any) -> bool:
    return row.answered_at is not None and calendar.local_date(row.answered_at) <= row.due


def figures(org_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """Per department: reports on its datasets (received), answered by their due date, and
    overdue now; for the authority's supervision figures."""
    org_ids = list(org_ids)
    result = {org_id: {"received": 0, "answered_in_time": 0, "overdue": 0} for org_id in org_ids}
    today = calendar.local_date(now())
    for row in model.Session.query(ErrorReport).filter(
            ErrorReport.organization_id.in_(org_ids), ErrorReport.hidden.is_(False)):
        counts = result[row.organization_id]
        counts["received"] += 1
        counts["answered_in_time"] += answered_in_time(row)
        counts["overdue"] += overdue(row, today)
    return result
