"""Actions of the front door."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.usage import figures as usage


@tk.side_effect_free
def zaozhuang_portal_figures(context, data_dict) -> dict[str, Any]:
    """The catalog in figures, the same for every visitor: only datasets whose description
    the public may see are counted (searched as an anonymous visitor, so not_open, private,
    draft and deleted datasets never are).

    The use of the whole portal is added: visitors who viewed datasets and downloaded data
    (each counted once a day per dataset) and API calls answered, all time and in the last
    14 days; sums that name no dataset.

    :returns: ``{"datasets": n, "by_open_category": {code: n, ...}, "departments": n,
        "resources": n, "views": n, "downloads": n, "api_calls": n, "recent": {...}}``;
        departments are those providing at least one counted dataset.
    """
    tk.check_access("zaozhuang_portal_figures", context, data_dict)
    found = tk.get_action("package_search")({"user": ""}, {
        "q": "*:*", "rows": 0, "facet.limit": -1,
        "facet.field": ["open_category", "organization", "num_resources"]})
    facets = found["search_facets"]

    def counts(field: str) -> dict[str, int]:
        return {item["name"]: item["count"] for item in facets.get(field, {}).get("items", [])}

    by_opening = counts("open_category")
    return dict(usage.portal_totals(), **{
        "datasets": found["count"],
        "by_open_category": {code: by_opening.get(code, 0)
                             for code in vocabularies.codes("open_category")
                             if code != "not_open"},
        "departments": len(counts("organization")),
        # A facet over the resource count of each dataset: the sum needs no per-dataset read.
        "resources": sum(int(n) * count for n, count in counts("num_resources").items()),
    })
