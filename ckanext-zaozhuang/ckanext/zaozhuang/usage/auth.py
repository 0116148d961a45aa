"""Who may read and fold the usage figures."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz


@tk.auth_allow_anonymous_access
def zaozhuang_usage_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    # A dataset's figures are part of its description: whoever may see it.
    return authz.is_authorized("package_show", context, {"id": (data_dict or {}).get("id")})


def zaozhuang_usage_fold(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    # The scheduler's task (and sysadmins, who pass every auth function).
    return {"success": False, "msg": tk._("Only the scheduler folds the usage figures")}
