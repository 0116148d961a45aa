"""The supervision figures of each department (and the city): the catalog, its opening,
its upkeep, the quality of its files, the applications a department decided, the grants it
gave, the use of its data and what the public asked of it and made with it.

Counted in the database, from what the actions wrote, as of the moment asked: the figures of
the supervised are not what the search index or any page shows them."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access.model import Grant, now
from ckanext.zaozhuang.agreements.model import UsageReport
from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.applications.model import Application
from ckanext.zaozhuang.catalog import freshness
from ckanext.zaozhuang.participation import figures as participation
from ckanext.zaozhuang.quality import model as quality
from ckanext.zaozhuang.usage.figures import FIGURES
from ckanext.zaozhuang.usage.model import UsageDaily

OPENINGS = ("unconditional", "conditional", "not_open")
# Sharing categories (共享属性) under keys of their own: their codes repeat the openings'.
SHARINGS = {"unconditional": "share_unconditional", "conditional": "share_conditional",
            "none": "share_none"}
PARTICIPATION = tuple(f"{kind}_{count}" for kind in ("requests", "corrections")
                      for count in ("received", "answered_in_time", "overdue")) + (
    "showcases", "rating_stars", "rating_count")
# Applications the department has decided, and how.
DECIDED = ("approved", "active", "revoked", "rejected")
COUNTS = ("datasets", "with_data", *OPENINGS, *SHARINGS.values(), "overdue", "overdue_days",
          "applications", "pending", "returned", "decided", "decided_on_time",
          "decision_working_days", "decisions_timed", "rejected", "grants_active",
          "grants_expired", "grants_revoked", "usage_reports_due", "usage_reports_received",
          "usage_reports", "views", "downloads", "api_calls",
          "tables_checked", "tables_passed", "quality_points", *PARTICIPATION)
# The rates a department is ranked by, each as good as it is high.
RANKED = ("with_data_rate", "open_rate", "share_rate", "on_time_rate", "decided_on_time_rate",
          "usage_report_rate")


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    """The rates the Measures ask about: data attached (挂接率), opened (开放率), updated on
    time, decided within the deadline."""
    row["with_data_rate"] = _rate(row["with_data"], row["datasets"])
    row["open_rate"] = _rate(row["unconditional"] + row["conditional"], row["datasets"])
    row["share_rate"] = _rate(row["share_unconditional"] + row["share_conditional"],
                              row["datasets"])
    row["on_time_rate"] = _rate(row["datasets"] - row["overdue"], row["datasets"])
    row["overdue_days_average"] = (round(row["overdue_days"] / row["overdue"], 1)
                                   if row["overdue"] else None)
    row["decided_on_time_rate"] = _rate(row["decided_on_time"], row["decided"])
    row["decision_working_days_average"] = (
        round(row["decision_working_days"] / row["decisions_timed"], 1)
        if row["decisions_timed"] else None)
    row["usage_report_rate"] = _rate(row["usage_reports_received"], row["usage_reports_due"])
    row["quality_score"] = (round(row["quality_points"] / row["tables_checked"])
                            if row["tables_checked"] else None)
    row["rating_average"] = (round(row["rating_stars"] / row["rating_count"], 2)
                             if row["rating_count"] else None)
    return row


def _datasets(org_ids: Iterable[str], rows: dict[str, dict[str, Any]],
              today: datetime.date) -> None:
    """Active catalog entries (drafts and deleted ones are no entries; private ones are)."""
    has_data = sa.exists().where(model.Resource.package_id == model.Package.id,
                                 model.Resource.state == "active")
    query = (model.Session.query(model.Package.owner_org, model.Package.extras,
                                 model.Package.metadata_created, has_data)
             .filter(model.Package.state == "active", model.Package.type == "dataset",
                     model.Package.owner_org.in_(list(org_ids))))
    for owner, extras, created, with_data in query:
        row = rows[owner]
        extras = extras or {}
        row["datasets"] += 1
        row["with_data"] += bool(with_data)
        if extras.get("open_category") in OPENINGS:
            row[extras["open_category"]] += 1
        if extras.get("share_category") in SHARINGS:
            row[SHARINGS[extras["share_category"]]] += 1
        dated = dict(extras, metadata_created=created.isoformat() if created else None)
        if freshness.is_overdue(dated, today):
            row["overdue"] += 1
            days = (today - freshness.due_date(dated)).days
            row["overdue_days"] += days
            row["overdue_days_max"] = max(row["overdue_days_max"], days)


def _applications(org_ids: Iterable[str], rows: dict[str, dict[str, Any]]) -> None:
    query = (model.Session.query(Application.provider_id, Application.state,
                                 Application.submitted_at, Application.decided_at,
                                 Application.decision_due, Application.decision_reason)
             .filter(Application.state != "draft", Application.state != "withdrawn",
                     Application.provider_id.in_(list(org_ids))))
    days = calendar.calendar()
    for provider, state, submitted_at, decided_at, due, reason in query:
        row = rows[provider]
        row["applications"] += 1
        row["pending"] += state == "submitted"
        row["returned"] += state == "returned"
        if state not in DECIDED:
            continue
        row["decided"] += 1
        row["decided_on_time"] += bool(decided_at and due
                                        and calendar.local_date(decided_at) <= due)
        if state == "rejected":
            row["rejected"] += 1
            # A rejection always has a reason (applications/lifecycle.py), in the reviewer's
            # words: the same words are counted together.
            reason = " ".join((reason or "").split())
            row["rejection_reasons"][reason] = row["rejection_reasons"].get(reason, 0) + 1
        if submitted_at and decided_at:
            try:
                row["decision_working_days"] += days.working_days_between(
                    calendar.local_date(submitted_at), calendar.local_date(decided_at))
            except calendar.UncoveredYear:
                # No holiday schedule for that year: not counted rather than guessed.
                continue
            row["decisions_timed"] += 1


def _grants(org_ids: Iterable[str], rows: dict[str, dict[str, Any]]) -> None:
    moment = now()
    query = (model.Session.query(model.Package.owner_org, Grant.valid_from, Grant.valid_until,
                                 Grant.revoked_at)
             .join(model.Package, model.Package.id == Grant.dataset_id)
             .filter(model.Package.owner_org.in_(list(org_ids))))
    for owner, valid_from, valid_until, revoked_at in query:
        row = rows[owner]
        if revoked_at is not None:
            row["grants_revoked"] += 1
        elif valid_until < moment:
            row["grants_expired"] += 1
        elif valid_from <= moment:
            row["grants_active"] += 1


def _usage_reports(org_ids: Iterable[str], rows: dict[str, dict[str, Any]]) -> None:
    """The grants that owe a usage report (利用情况反馈): not revoked, and begun at least
    ``ckanext.zaozhuang.supervision.usage_report_after_days`` ago; those with one received,
    and every report received."""
    after = datetime.timedelta(days=tk.config.get(
        "ckanext.zaozhuang.supervision.usage_report_after_days"))
    reported = sa.exists().where(UsageReport.grant_id == Grant.id)
    query = (model.Session.query(model.Package.owner_org, Grant.valid_from, Grant.revoked_at,
                                 reported)
             .join(model.Package, model.Package.id == Grant.dataset_id)
             .filter(model.Package.owner_org.in_(list(org_ids))))
    moment = now()
    for owner, valid_from, revoked_at, has_report in query:
        if revoked_at is None and valid_from + after <= moment:
            rows[owner]["usage_reports_due"] += 1
            rows[owner]["usage_reports_received"] += bool(has_report)
    received = (model.Session.query(model.Package.owner_org, sa.func.count(UsageReport.id))
                .join(model.Package, model.Package.id == UsageReport.dataset_id)
                .filter(model.Package.owner_org.in_(list(org_ids)))
                .group_by(model.Package.owner_org))
    for owner, count in received:
        rows[owner]["usage_reports"] = count


def _usage(org_ids: Iterable[str], rows: dict[str, dict[str, Any]]) -> None:
    """Views, downloads and API calls of the department's datasets, all time."""
    usage = UsageDaily.__table__
    query = (sa.select(model.Package.owner_org, usage.c.kind, sa.func.sum(usage.c["count"]))
             .join(model.Package, model.Package.id == usage.c.dataset_id)
             .where(model.Package.owner_org.in_(list(org_ids)))
             .group_by(model.Package.owner_org, usage.c.kind))
    for owner, kind, count in model.Session.execute(query):
        rows[owner][FIGURES[kind]] += int(count)


def _quality(org_ids: Iterable[str], rows: dict[str, dict[str, Any]]) -> None:
    """The newest quality report of each uploaded table of the department's datasets."""
    tables = (model.Session.query(model.Resource.id, model.Package.owner_org)
              .join(model.Package, model.Package.id == model.Resource.package_id)
              .filter(model.Resource.state == "active", model.Package.state == "active",
                      model.Package.owner_org.in_(list(org_ids))).all())
    reports = quality.latest([resource_id for resource_id, _owner in tables])
    for resource_id, owner in tables:
        report = reports.get(resource_id)
        if report is not None:
            rows[owner]["tables_checked"] += 1
            rows[owner]["tables_passed"] += report.status == "passed"
            rows[owner]["quality_points"] += report.score


def departments(org_ids: Optional[list[str]] = None) -> list[dict[str, Any]]:
    """One row per department (every active department, or those named), by title."""
    query = model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                    model.Group.state == "active")
    if org_ids is not None:
        query = query.filter(model.Group.id.in_(org_ids))
    orgs = query.order_by(model.Group.title).all()
    rows = {org.id: dict({"id": org.id, "name": org.name, "title": org.title,
                          "overdue_days_max": 0, "rejection_reasons": {}},
                         **dict.fromkeys(COUNTS, 0)) for org in orgs}
    if rows:
        _datasets(rows, rows, datetime.date.today())
        _applications(rows, rows)
        _grants(rows, rows)
        _usage_reports(rows, rows)
        _usage(rows, rows)
        _quality(rows, rows)
        for org_id, counts in participation.department_figures(rows).items():
            rows[org_id].update(counts)
    return [_finish(row) for row in rows.values()]


def city(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals = {name: sum(row[name] for row in rows) for name in COUNTS}
    totals["overdue_days_max"] = max((row["overdue_days_max"] for row in rows), default=0)
    reasons: dict[str, int] = {}
    for row in rows:
        for reason, count in row["rejection_reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + count
    totals["rejection_reasons"] = reasons
    return _finish(totals)


def ranking(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The departments best first by their score: the average, in percent, of the rates in
    RANKED that apply to them (a department with no applications is not judged on deciding
    them). Departments with no catalog entry are not ranked; equal scores share a rank."""
    ranked = []
    for row in rows:
        rates = [row[key] for key in RANKED if row[key] is not None]
        if row["datasets"] and rates:
            ranked.append({"id": row["id"], "name": row["name"], "title": row["title"],
                           "score": round(100 * sum(rates) / len(rates), 1),
                           **{key: row[key] for key in RANKED}})
    ranked.sort(key=lambda r: (-r["score"], r["title"]))
    for position, row in enumerate(ranked):
        previous = ranked[position - 1] if position else None
        row["rank"] = (previous["rank"] if previous and previous["score"] == row["score"]
                       else position + 1)
    return ranked


# Per month: what happened in it, by the date the records carry.
MONTHLY = ("datasets_created", "applications_received", "applications_decided",
           "applications_rejected", "grants_given", "usage_reports", "views", "downloads",
           "api_calls")


def _month(moment: datetime.date | datetime.datetime) -> str:
    if isinstance(moment, datetime.datetime):
        # CKAN's own timestamps are naive UTC.
        moment = calendar.local_date(moment if moment.tzinfo else
                                     moment.replace(tzinfo=datetime.timezone.utc))
    return f"{moment.year}-{moment.month:02d}"


def months_until(today: datetime.date, count: int) -> list[str]:
    """The `count` months that end with today's, oldest first, as YYYY-MM."""
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        result.append(f"{year}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def monthly(org_ids: list[str], months: list[str]) -> dict[str, list[int]]:
    """For each figure of MONTHLY, its count in each month, summed over the departments."""
    start_year, start_month = (int(part) for part in months[0].split("-"))
    start = calendar.local_midnight(datetime.date(start_year, start_month, 1))
    series = {name: dict.fromkeys(months, 0) for name in MONTHLY}

    def add(name: str, moments: Iterable[Any]) -> None:
        for (moment,) in moments:
            key = _month(moment)
            if key in series[name]:
                series[name][key] += 1

    packages = model.Package
    add("datasets_created", model.Session.query(packages.metadata_created).filter(
        packages.type == "dataset", packages.state == "active",
        packages.owner_org.in_(org_ids),
        packages.metadata_created >= start.astimezone(datetime.timezone.utc).replace(
            tzinfo=None)))
    applications = model.Session.query(Application).filter(
        Application.provider_id.in_(org_ids))
    add("applications_received", applications.filter(
        Application.submitted_at >= start).with_entities(Application.submitted_at))
    decided = applications.filter(Application.decided_at >= start,
                                  Application.state.in_(DECIDED))
    add("applications_decided", decided.with_entities(Application.decided_at))
    add("applications_rejected", decided.filter(Application.state == "rejected")
        .with_entities(Application.decided_at))
    add("grants_given", model.Session.query(Grant.created)
        .join(packages, packages.id == Grant.dataset_id)
        .filter(packages.owner_org.in_(org_ids), Grant.created >= start))
    add("usage_reports", model.Session.query(UsageReport.created)
        .join(packages, packages.id == UsageReport.dataset_id)
        .filter(packages.owner_org.in_(org_ids), UsageReport.created >= start))
    usage = UsageDaily.__table__
    query = (sa.select(usage.c.day, usage.c.kind, usage.c["count"])
             .join(packages, packages.id == usage.c.dataset_id)
             .where(packages.owner_org.in_(org_ids), usage.c.day >= start.date()))
    for day, kind, count in model.Session.execute(query):
        key = _month(day)
        if key in series[FIGURES[kind]]:
            series[FIGURES[kind]][key] += int(count)
    return {name: list(counts.values()) for name, counts in series.items()}
