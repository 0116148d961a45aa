"""Action functions of the supervision domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.schema import boundary
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar, notify
from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.supervision import duplicates, figures, reports
from ckanext.zaozhuang.supervision.auth import supervised_departments
from ckanext.zaozhuang.supervision.incidents.schema import one_of, text

_ = tk._


def _scope(context: dict[str, Any], data_dict: dict[str, Any],
           action: str) -> tuple[Optional[list[str]], bool]:
    """The departments the user asks for and may see (None: every one, for the authority),
    and whether the user is the authority."""
    errors = boundary.problems({k: v for k, v in data_dict.items() if k == "organization_id"},
                               typed=True)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access(action, context, data_dict)
    user = policy.user_object(context.get("user"))
    wanted = None
    if data_dict.get("organization_id"):
        org = model.Group.get(str(data_dict["organization_id"]))
        if org is None or not org.is_organization or org.state != "active":
            raise tk.ObjectNotFound(_("Department not found"))
        wanted = [org.id]
    authority = policy.is_authority(user)
    if not authority:
        own = supervised_departments(user)
        wanted = [i for i in (wanted or own) if i in own]
    return wanted, authority


@tk.side_effect_free
def zaozhuang_supervision_figures(context: dict[str, Any],
                                  data_dict: dict[str, Any]) -> dict[str, Any]:
    """How each department keeps its duties under the Measures, as of now: catalog entries
    (``datasets``), those with data attached (``with_data``, ``with_data_rate``: 挂接率), by
    opening category (``open_rate``: 开放率) and by sharing category (``share_unconditional``,
    ``share_conditional``, ``share_none``, ``share_rate``), overdue for an update
    (``overdue``, ``overdue_days`` in all, ``overdue_days_average``, ``overdue_days_max``,
    ``on_time_rate``), applications received, pending, returned, decided, decided within the
    deadline, the average working days from (re)submission to decision
    (``decision_working_days_average``, by the holiday calendar), rejected and the
    ``rejection_reasons`` counted, grants active, expired and revoked, usage reports due,
    received for them and in all (``usage_reports_due``, ``usage_reports_received``,
    ``usage_report_rate``, ``usage_reports``), the quality of its uploaded tables
    (``tables_checked``, ``tables_passed``, ``quality_score``: the average score), the use of
    its data (``views``, ``downloads``, ``api_calls``; as last folded by the scheduler), and
    public participation: data requests routed to it and error reports on its datasets
    (``requests_*``, ``corrections_*``: received, answered_in_time, overdue), ``showcases``
    using its data, ``rating_count`` and ``rating_average`` of its datasets. ``ranking``
    orders the departments by the average of their rates (``score``, ``rank``).

    The big-data authority sees every department and the city-wide totals; a department's
    admins see their own department.

    :param organization_id: one department (name or id; optional)
    :returns: ``{"departments": [...], "ranking": [...], "city": {...} (the authority
        only)}``
    """
    wanted, authority = _scope(context, data_dict, "zaozhuang_supervision_figures")
    rows = figures.departments(wanted)
    result: dict[str, Any] = {"departments": rows, "ranking": figures.ranking(rows)}
    if authority and wanted is None:
        result["city"] = figures.city(rows)
    return result


@tk.side_effect_free
def zaozhuang_supervision_trends(context: dict[str, Any],
                                 data_dict: dict[str, Any]) -> dict[str, Any]:
    """What happened month by month, counted from the dates the records carry: catalog
    entries created, applications received (submitted), decided and rejected, grants given,
    usage reports received, views, downloads and API calls. City-wide for the authority (or
    one department), a department's admins their own department.

    :param organization_id: one department (name or id; optional)
    :param months: how many months, ending with the current one (default 12, at most
        ``ckanext.zaozhuang.supervision.trend_months_max``)
    :returns: ``{"months": ["YYYY-MM", ...], "series": {figure: [count per month]}}``
    """
    most = tk.config.get("ckanext.zaozhuang.supervision.trend_months_max")

    def month_count(value: Any) -> int:
        text = value.strip() if isinstance(value, str) else None
        whole = (value if isinstance(value, int) and not isinstance(value, bool)
                 else int(text) if text and text.isascii() and text.isdigit() else None)
        if whole is None or not 1 <= whole <= most:
            raise tk.Invalid(_("Give a number of months from 1 to {most}").format(most=most))
        return whole

    data, errors = tk.navl_validate(
        {"months": data_dict["months"]} if "months" in data_dict else {},
        {"months": [tk.get_validator("default")(12), month_count]}, context)
    if errors:
        raise tk.ValidationError(errors)
    wanted, _authority = _scope(context, data_dict, "zaozhuang_supervision_trends")
    org_ids = wanted if wanted is not None else [
        org_id for (org_id,) in model.Session.query(model.Group.id).filter(
            model.Group.is_organization.is_(True), model.Group.state == "active")]
    months = figures.months_until(calendar.local_date(now()), data["months"])
    return {"months": months, "series": figures.monthly(org_ids, months)}


def _dataset_summary(row: Any) -> dict[str, Any]:
    org = model.Group.get(row.owner_org)
    return {"id": row.id, "name": row.name, "title": row.title,
            "organization_id": row.owner_org, "organization_title": org.title if org else None}


@tk.side_effect_free
def zaozhuang_duplicate_list(context: dict[str, Any],
                             data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Catalog entries of different departments that seem to describe the same data
    (禁止重复采集): title and data-item names at least
    ``ckanext.zaozhuang.supervision.duplicate_threshold`` percent alike (character-bigram
    Jaccard). The big-data authority only.

    :param include_resolved: also list the pairs already resolved (default false)
    :returns: pairs, most alike first: ``{"dataset_a", "dataset_b", "similarity",
        "resolution": None or {"resolution", "note", "resolved_at", "resolved_by"}}``
    """
    tk.check_access("zaozhuang_duplicate_list", context, data_dict)
    data, errors = tk.navl_validate(data_dict, {"include_resolved": [
        tk.get_validator("default")(False), tk.get_validator("boolean_validator")]}, context)
    if errors:
        raise tk.ValidationError(errors)
    resolved = {(r.dataset_a, r.dataset_b): r
                for r in model.Session.query(duplicates.DuplicateResolution)}
    result = []
    for pair in duplicates.candidates():
        resolution = resolved.get((pair["dataset_a"].id, pair["dataset_b"].id))
        if resolution is not None and not data["include_resolved"]:
            continue
        result.append({
            "dataset_a": _dataset_summary(pair["dataset_a"]),
            "dataset_b": _dataset_summary(pair["dataset_b"]),
            "similarity": pair["similarity"],
            "resolution": None if resolution is None else {
                "resolution": resolution.resolution, "note": resolution.note,
                "resolved_at": resolution.resolved_at.isoformat(),
                "resolved_by": resolution.resolved_by},
        })
    return result


def zaozhuang_duplicate_resolve(context: dict[str, Any],
                                data_dict: dict[str, Any]) -> dict[str, Any]:
    """Record the authority's resolution of a pair: ``not_duplicate`` or ``merged``. A pair
    is resolved once (unique in the database).

    :param dataset_a, dataset_b: the two datasets (ids or names, in any order)
    :param resolution: ``not_duplicate`` or ``merged``
    :param note: optional remark (at most 1000 characters)
    """
    tk.check_access("zaozhuang_duplicate_resolve", context, data_dict)
    v = tk.get_validator
    data, errors = tk.navl_validate(data_dict, {
        "dataset_a": [v("not_empty"), text(100)],
        "dataset_b": [v("not_empty"), text(100)],
        "resolution": [v("not_missing"), one_of(duplicates.RESOLUTIONS)],
        "note": [v("ignore_missing"), text(1000)],
    }, context)
    if errors:
        raise tk.ValidationError(errors)
    ids = {}
    for field in ("dataset_a", "dataset_b"):
        dataset = model.Package.get(data[field])
        if dataset is None or dataset.state != "active" or dataset.type != "dataset":
            raise tk.ValidationError({field: [_("Dataset not found")]})
        ids[field] = dataset.id
    if ids["dataset_a"] == ids["dataset_b"]:
        raise tk.ValidationError({"dataset_b": [_("Choose two different datasets")]})
    first, second = duplicates.pair_key(ids["dataset_a"], ids["dataset_b"])
    if model.Session.query(duplicates.DuplicateResolution).filter_by(
            dataset_a=first, dataset_b=second).first() is not None:
        raise tk.ValidationError({"dataset_b": [_("This pair is resolved already")]})
    user = policy.user_object(context.get("user"))
    row = duplicates.DuplicateResolution(dataset_a=first, dataset_b=second,
                                         resolution=data["resolution"],
                                         note=(data.get("note") or "").strip() or None,
                                         resolved_by=user.id)
    model.Session.add(row)
    model.repo.commit()
    return {"dataset_a": first, "dataset_b": second, "resolution": row.resolution,
            "note": row.note, "resolved_at": row.resolved_at.isoformat()}


def _report_label(report: dict[str, Any]) -> str:
    start = datetime.date.fromisoformat(report["period_start"])
    if report["period"] == "month":
        return _("{year}-{month:02d} monthly report").format(year=start.year, month=start.month)
    if report["period"] == "quarter":
        return _("{year} Q{quarter} quarterly report").format(
            year=start.year, quarter=(start.month - 1) // 3 + 1)
    return _("{year} yearly report").format(year=start.year)


def _report_for(context: dict[str, Any], report: reports.EvaluationReport) -> dict[str, Any]:
    user = policy.user_object(context.get("user"))
    own = None if policy.is_authority(user) else supervised_departments(user)
    data = reports.as_dict(report, own)
    data["label"] = _report_label(data)
    return data


@tk.side_effect_free
def zaozhuang_evaluation_report_list(context: dict[str, Any],
                                     data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The archived evaluation reports, newest first, without their figures. The big-data
    authority and departments' admins (who read their own department's rows)."""
    tk.check_access("zaozhuang_evaluation_report_list", context, data_dict)
    found = model.Session.query(reports.EvaluationReport).order_by(
        reports.EvaluationReport.period_start.desc(), reports.EvaluationReport.period)
    result = []
    for report in found:
        data = reports.as_dict(report)
        result.append({k: data[k] for k in ("id", "period", "period_start", "period_end",
                                            "generated")} | {"label": _report_label(data)})
    return result


@tk.side_effect_free
def zaozhuang_evaluation_report_show(context: dict[str, Any],
                                     data_dict: dict[str, Any]) -> dict[str, Any]:
    """One evaluation report: every department and the city for the authority, a
    department's admins their own department's rows.

    :param id: the report's id
    """
    tk.check_access("zaozhuang_evaluation_report_show", context, data_dict)
    report = model.Session.get(reports.EvaluationReport, str(data_dict.get("id") or ""))
    if report is None:
        raise tk.ObjectNotFound(_("Report not found"))
    return _report_for(context, report)


REPORT_COLUMNS = ("datasets", "with_data", "with_data_rate", "unconditional", "conditional",
                  "not_open", "open_rate", "overdue", "on_time_rate", "applications",
                  "pending", "returned", "decided", "decided_on_time", "decided_on_time_rate",
                  "rejected", "grants_active", "grants_expired", "grants_revoked")


@tk.side_effect_free
def zaozhuang_evaluation_report_export(context: dict[str, Any],
                                       data_dict: dict[str, Any]) -> dict[str, Any]:
    """An evaluation report as a spreadsheet (the rows the user may read).

    :param id: the report's id
    :param format: ``xlsx`` (default) or ``csv``
    """
    fmt = data_dict.get("format") or "xlsx"
    if fmt not in spreadsheet.FORMATS:
        raise tk.ValidationError({"format": [_("Choose one of: {choices}").format(
            choices=", ".join(spreadsheet.FORMATS))]})
    report = zaozhuang_evaluation_report_show(context, {"id": data_dict.get("id")})
    rows = report["departments"] + ([dict(report["city"], title=_("City-wide"))]
                                    if report["city"] else [])
    content = spreadsheet.write_table(
        report["label"], [_("Department"), *REPORT_COLUMNS],
        [[row["title"], *[row[c] for c in REPORT_COLUMNS]] for row in rows], fmt)
    stem = f"evaluation-{report['period']}-{report['period_start']}"
    return spreadsheet.file_dict(stem, fmt, content, len(rows))


def zaozhuang_evaluation_report_generate(context: dict[str, Any],
                                         data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """Archive the reports of the last month, quarter and year that ended before `date`
    (default: today, as the scheduler calls it) that have none yet, and mail each
    department's admins. A period's report is made once.

    :param date: ISO date (optional)
    :returns: the reports made
    """
    tk.check_access("zaozhuang_evaluation_report_generate", context, data_dict)
    try:
        today = (datetime.date.fromisoformat(data_dict["date"]) if data_dict.get("date")
                 else calendar.local_date(now()))
    except (TypeError, ValueError):
        raise tk.ValidationError({"date": [_("Give a date as YYYY-MM-DD")]})
    made = [r for r in (reports.generate(kind, start)
                        for kind, start in reports.ended_periods(today)) if r is not None]
    model.repo.commit()
    result = [_report_for(context, r) for r in made]
    for report in result:
        notify.evaluation_report(report["label"], report["id"],
                                 [row["id"] for row in report["departments"]])
    return result
