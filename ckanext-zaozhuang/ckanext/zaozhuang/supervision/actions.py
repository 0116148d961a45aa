"""Action functions of the supervision domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.schema import boundary
from ckanext.zaozhuang.supervision import duplicates, figures
from ckanext.zaozhuang.supervision.auth import supervised_departments
from ckanext.zaozhuang.supervision.incidents.schema import one_of, text

_ = tk._


@tk.side_effect_free
def zaozhuang_supervision_figures(context: dict[str, Any],
                                  data_dict: dict[str, Any]) -> dict[str, Any]:
    """How each department keeps its duties under the Measures, as of now: catalog entries
    (``datasets``), those with data attached (``with_data``, ``with_data_rate``: 挂接率), by
    opening category (``open_rate``: 开放率), overdue for an update (``on_time_rate``),
    applications received, pending, returned, decided, decided within the deadline and
    rejected, grants active, expired and revoked.

    The big-data authority sees every department and the city-wide totals; a department's
    admins see their own department.

    :param organization_id: one department (name or id; optional)
    :returns: ``{"departments": [...], "city": {...} (the authority only)}``
    """
    errors = boundary.problems({k: v for k, v in data_dict.items() if k == "organization_id"},
                               typed=True)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("zaozhuang_supervision_figures", context, data_dict)
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
    rows = figures.departments(wanted)
    result: dict[str, Any] = {"departments": rows}
    if authority and wanted is None:
        result["city"] = figures.city(rows)
    return result


def _dataset_summary(row: Any) -> dict[str, Any]:
    org = model.Group.get(row.owner_org)
    return {"id": row.id, "name": row.name, "title": row.title,
            "organization_id": row.owner_org, "organization_title": org.title if org else None}


@tk.side_effect_free
def zaozhuang_duplicate_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
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


def zaozhuang_duplicate_resolve(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
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
