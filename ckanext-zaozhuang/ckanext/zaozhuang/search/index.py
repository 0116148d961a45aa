"""What the portal adds to each dataset's Solr document."""
from __future__ import annotations

import json
from typing import Any

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.catalog import freshness

# Indexed fields that hold resource locations; CKAN makes them searchable.
LOCATION_FIELDS = ("res_url", "urls", "download_url", "ckan_url")
RESOURCE_DESCRIPTION_FIELDS = ("res_name", "res_description", "res_format", "res_type")
# Fields stored as JSON lists that Solr indexes as multi-valued fields (for facets).
LIST_FIELDS = ("theme", "spatial_coverage")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def dataset_document(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    validated = json.loads(pkg_dict["validated_data_dict"])
    for field in LIST_FIELDS:
        if field in pkg_dict:
            pkg_dict[field] = _as_list(pkg_dict[field])
    # The department's title, so 生态环境局 finds its datasets (CKAN indexes only its name).
    pkg_dict["organization_title"] = (validated.get("organization") or {}).get("title")
    # Data item names make a dataset findable by the columns it holds.
    items = validated.get("data_dictionary") or []
    pkg_dict.pop("data_dictionary", None)
    pkg_dict["data_items"] = [
        " ".join(filter(None, (i.get("name_zh"), i.get("name_en"), i.get("description"))))
        for i in items
    ]
    # Of resources whose data is not open to everyone only the description is searchable:
    # no location, no resource extra (res_extras_*).
    if not policy.is_open_to_everyone(validated):
        for field in [f for f in pkg_dict if f in LOCATION_FIELDS or f.startswith("res_")]:
            if field not in RESOURCE_DESCRIPTION_FIELDS:
                pkg_dict.pop(field, None)
    due = freshness.due_date(validated)
    if due:
        pkg_dict["due_date"] = due.isoformat() + "T00:00:00Z"
    return pkg_dict
