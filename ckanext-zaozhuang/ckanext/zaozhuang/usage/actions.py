"""Action functions of the usage domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.usage import figures, jobs


@tk.side_effect_free
def zaozhuang_usage_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """How often a dataset was used, as last folded by the scheduler (every few minutes):
    visitors who viewed its pages and who downloaded its data (each counted once a day), and
    API calls answered with it; all time and over the last 14 days (``recent``).

    :param id: the dataset's id or name
    :returns: ``{"views", "downloads", "api_calls", "recent": {...},
        "resources": {resource id: {"downloads", "api_calls", ...}}}``
    """
    if not data_dict.get("id"):
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    tk.check_access("zaozhuang_usage_show", context, data_dict)
    dataset = model.Package.get(str(data_dict.get("id")))
    if dataset is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    found = figures.totals([dataset.id], figures.since(), by_resource=True)
    resources = {key[1]: figures.as_figures(kinds) for key, kinds in found.items() if key[1]}
    # The dataset's figures are the sums over its resources and itself.
    whole: dict[str, tuple[int, int]] = {}
    for kinds in found.values():
        for kind, (total, recent) in kinds.items():
            before = whole.get(kind, (0, 0))
            whole[kind] = (before[0] + total, before[1] + recent)
    return dict(figures.as_figures(whole), resources={
        resource.id: resources.get(resource.id, figures.as_figures({}))
        for resource in dataset.resources})


def zaozhuang_usage_fold(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Write the counts kept in Redis into the daily figures and index the datasets whose
    figures changed (the scheduler runs it every few minutes).

    :returns: ``{"message": what was done}``
    """
    tk.check_access("zaozhuang_usage_fold", context, data_dict)
    return {"message": jobs.fold()}
