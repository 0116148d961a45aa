"""Action functions of the data quality domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.quality import jobs, text
from ckanext.zaozhuang.quality.model import QualityReport, latest

_ = tk._


def _required(data_dict: dict[str, Any], name: str) -> str:
    value = data_dict.get(name)
    if not isinstance(value, str) or not value.strip():
        raise tk.ValidationError({name: [_("Missing value")]})
    return value


def _resource(resource_id: str) -> model.Resource:
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":
        raise tk.ObjectNotFound(_("Resource not found"))
    return resource


def _may_see_cells(context: dict[str, Any], resource: model.Resource) -> bool:
    """The publishers of the resource and the big-data authority."""
    if policy.is_authority(policy.user_object(context.get("user"))):
        return True
    return bool(authz.is_authorized("resource_update", dict(context), {"id": resource.id})[
        "success"])


def as_dict(report: Optional[QualityReport], with_cells: bool) -> dict[str, Any]:
    if report is None:
        return {"status": "unchecked", "status_label": _("Not checked yet"), "verified": False}
    found: dict[str, Any] = {
        "status": report.status, "status_label": text.status_label(report.status),
        "verified": report.status == "passed", "score": report.score, "rows": report.rows,
        "error_rows": report.error_rows, "checked": report.checked.isoformat(),
        "sha256": report.sha256,
        "counts": [{"kind": kind, "label": text.kind_label(kind), "count": count}
                   for kind, count in sorted(report.counts.items())],
    }
    if with_cells:
        found["findings"] = [dict(finding, message=text.message(finding))
                             for finding in report.findings]
    return found


@tk.side_effect_free
def zaozhuang_quality_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The newest quality report of an uploaded table: its status (``passed`` = verified,
    ``failed``, ``unreadable``, or ``unchecked``), score (0–100: the share of rows without a
    fault), rows, the faults counted by kind; and, for the resource's publishers and the
    big-data authority, the rows and cells at fault (``findings``, the first 200), each with
    a message in the reader's language.

    :param resource_id: the resource's id
    """
    resource_id = _required(data_dict, "resource_id")
    tk.check_access("zaozhuang_quality_show", context, data_dict)
    resource = _resource(resource_id)
    return as_dict(latest([resource.id]).get(resource.id), _may_see_cells(context, resource))


@tk.side_effect_free
def zaozhuang_quality_summary(context: dict[str, Any],
                              data_dict: dict[str, Any]) -> dict[str, Any]:
    """The quality of a dataset's uploaded tables: the average score of those checked and
    each table's status and score.

    :param id: the dataset's id or name
    :returns: ``{"score": n or None, "verified": all checked tables passed,
        "resources": {resource id: {"status", "score", ...}}}``
    """
    _required(data_dict, "id")
    tk.check_access("zaozhuang_quality_summary", context, data_dict)
    dataset = model.Package.get(data_dict["id"])
    if dataset is None:
        raise tk.ObjectNotFound(_("Dataset not found"))
    tables = [r for r in dataset.resources if jobs.checked_format(r)]
    reports = latest([r.id for r in tables])
    resources = {r.id: as_dict(reports.get(r.id), False) for r in tables}
    scores = [report.score for report in reports.values()]
    return {"score": round(sum(scores) / len(scores)) if scores else None,
            "verified": bool(tables) and all(r["verified"] for r in resources.values()),
            "resources": resources}


def zaozhuang_quality_check(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Check an uploaded table again (after its dataset's data dictionary changed, say):
    queued for the job worker.

    :param resource_id: the resource's id
    :returns: ``{"queued": true}``
    """
    resource_id = _required(data_dict, "resource_id")
    tk.check_access("zaozhuang_quality_check", context, data_dict)
    resource = _resource(resource_id)
    if not jobs.checked_format(resource):
        raise tk.ValidationError({"resource_id": [
            _("Only uploaded tables (CSV, TSV, XLSX, XLS) are checked")]})
    jobs.enqueue(resource.id)
    return {"queued": True}
