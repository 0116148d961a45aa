"""The supervision figures of each department (and the city): the catalog, its opening,
its upkeep, the quality of its files, the applications a department decided, the grants it
gave, the use of its data and what the public asked of it and made with it.

Counted in the database, from what the actions wrote, as of the moment asked: the figures of
the supervised are not what the search index or any page shows them."""
from __future__ import annotations

import datetime
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from ckan import model

from ckanext.zaozhuang.access.model import Grant, now
from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.applications.model import Application
from ckanext.zaozhuang.catalog import freshness
from ckanext.zaozhuang.participation import figures as participation
from ckanext.zaozhuang.quality import model as quality
from ckanext.zaozhuang.usage.figures import FIGURES
from ckanext.zaozhuang.usage.model import UsageDaily

OPENINGS = ("unconditional", "conditional", "not_open")
PARTICIPATION = tuple(f"{kind}_{count}" for kind in ("requests", "corrections")
                      for count in ("received", "answered_in_time", "overdue")) + (
    "showcases", "rating_stars", "rating_count")
# Applications the department has decided, and how.
DECIDED = ("approved", "active", "revoked", "rejected")
COUNTS = ("datasets", "with_data", *OPENINGS, "overdue", "applications", "pending",
          "returned", "decided", "decided_on_time", "rejected", "grants_active",
          "grants_expired", "grants_revoked", "views", "downloads", "api_calls",
          "tables_checked", "tables_passed", "quality_points", *PARTICIPATION)


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    """The rates the Measures ask about: data attached (挂接率), opened (开放率), updated on
    time, decided within the deadline."""
    row["with_data_rate"] = _rate(row["with_data"], row["datasets"])
    row["open_rate"] = _rate(row["unconditional"] + row["conditional"], row["datasets"])
    row["on_time_rate"] = _rate(row["datasets"] - row["overdue"], row["datasets"])
    row["decided_on_time_rate"] = _rate(row["decided_on_time"], row["decided"])
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
        dated = dict(extras, metadata_created=created.isoformat() if created else None)
        row["overdue"] += freshness.is_overdue(dated, today)


def _applications(org_ids: Iterable[str], rows: dict[str, dict[str, Any]]) -> None:
    query = (model.Session.query(Application.provider_id, Application.state,
                                 Application.decided_at, Application.decision_due)
             .filter(Application.state != "draft", Application.state != "withdrawn",
                     Application.provider_id.in_(list(org_ids))))
    for provider, state, decided_at, due in query:
        row = rows[provider]
        row["applications"] += 1
        row["pending"] += state == "submitted"
        row["returned"] += state == "returned"
        if state in DECIDED:
            row["decided"] += 1
            row["rejected"] += state == "rejected"
            row["decided_on_time"] += bool(decided_at and due
                                            and calendar.local_date(decided_at) <= due)


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
    rows = {org.id: dict({"id": org.id, "name": org.name, "title": org.title},
                         **dict.fromkeys(COUNTS, 0)) for org in orgs}
    if rows:
        _datasets(rows, rows, datetime.date.today())
        _applications(rows, rows)
        _grants(rows, rows)
        _usage(rows, rows)
        _quality(rows, rows)
        for org_id, counts in participation.department_figures(rows).items():
            rows[org_id].update(counts)
    return [_finish(row) for row in rows.values()]


def city(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return _finish({name: sum(row[name] for row in rows) for name in COUNTS})
