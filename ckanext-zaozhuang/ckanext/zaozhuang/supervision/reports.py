"""Evaluation reports (考核评估): the supervision figures of every department and of the city,
taken at the end of each month, quarter and year, archived as they were then."""
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
from ckanext.zaozhuang.supervision import figures

PERIODS = ("month", "quarter", "year")


class EvaluationReport(tk.BaseModel):
    """One period's report: the figures of every department and the city-wide totals, as
    counted when it was generated. One report per period (unique in the database)."""
    __tablename__ = "zaozhuang_evaluation_report"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    period: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    period_start: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    period_end: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    generated: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month, quarter or year that contains `day`."""
    if kind == "month":
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
    elif kind == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        following = (start + datetime.timedelta(days=93)).replace(day=1)
    else:
        start = day.replace(month=1, day=1)
        following = start.replace(year=start.year + 1)
    return start, following - datetime.timedelta(days=1)


def ended_periods(today: datetime.date) -> list[tuple[str, datetime.date]]:
    """The last month, quarter and year that ended before today. Generating asks for all
    three every day, so a report missed while the scheduler was down is made late, once."""
    return [(kind, period_of(kind, period_of(kind, today)[0] - datetime.timedelta(days=1))[0])
            for kind in PERIODS]


def generate(kind: str, day: datetime.date) -> Optional[EvaluationReport]:
    """Archive the report of the period containing `day`; None if it exists already. The
    caller commits."""
    start, end = period_of(kind, day)
    if model.Session.query(EvaluationReport).filter_by(
            period=kind, period_start=start).first() is not None:
        return None
    rows = figures.departments()
    report = EvaluationReport(period=kind, period_start=start, period_end=end,
                              figures={"departments": rows, "city": figures.city(rows)})
    model.Session.add(report)
    model.Session.flush()
    return report


def as_dict(report: EvaluationReport, departments: Optional[list[str]] = None) -> dict[str, Any]:
    """The report; with `departments`, only their rows and no city-wide totals."""
    data = {"id": report.id, "period": report.period,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "generated": report.generated.isoformat(),
            "departments": report.figures["departments"], "city": report.figures["city"]}
    if departments is not None:
        data["departments"] = [r for r in data["departments"] if r["id"] in departments]
        data["city"] = None
    return data


def scheduled(flask_app: Any) -> str:
    """The scheduler's task: the reports of the periods that ended and have none yet, as the site
    user, in a request context so that mails have the portal's language and links."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    with flask_app.test_request_context():
        made = tk.get_action("zaozhuang_evaluation_report_generate")(
            {"user": site_user["name"]}, {})
    return "evaluation reports made: " + (", ".join(r["label"] for r in made) or "none")
