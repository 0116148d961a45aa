"""Who may read a quality report and ask for a check."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz


@tk.auth_allow_anonymous_access
def zaozhuang_quality_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    # The summary is part of the resource's description; the cells at fault are shown
    # only to its publishers and the authority (actions.py).
    return authz.is_authorized("resource_show", context,
                               {"id": (data_dict or {}).get("resource_id")})


@tk.auth_allow_anonymous_access
def zaozhuang_quality_summary(context: dict[str, Any],
                              data_dict: dict[str, Any]) -> dict[str, Any]:
    return authz.is_authorized("package_show", context, {"id": (data_dict or {}).get("id")})


def zaozhuang_quality_check(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    # Those who may change the resource.
    return authz.is_authorized("resource_update", context,
                               {"id": (data_dict or {}).get("resource_id")})
