"""Auth functions of the supervision domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy


def supervised_departments(user: Optional[model.User]) -> list[str]:
    """The departments whose figures the user may see as their admin."""
    if user is None:
        return []
    return [org.id for org in user.get_groups("organization", "admin")]


def zaozhuang_supervision_figures(context: dict[str, Any],
                                  data_dict: dict[str, Any]) -> dict[str, Any]:
    """The big-data authority; a department's admins for their own department."""
    user = policy.user_object(context.get("user"))
    if policy.is_authority(user):
        return {"success": True}
    own = supervised_departments(user)
    wanted = (data_dict or {}).get("organization_id")
    if own and not wanted:
        return {"success": True}
    org = model.Group.get(str(wanted)) if wanted else None
    if org is not None and org.id in own:
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the big-data authority and a department's admins may see its supervision figures")}


def zaozhuang_supervision_trends(context: dict[str, Any],
                                 data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may see the figures of the departments asked for."""
    return zaozhuang_supervision_figures(context, data_dict)


def _authority(context: dict[str, Any]) -> dict[str, Any]:
    if policy.is_authority(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the big-data authority may check the catalog for duplicate collection")}


def zaozhuang_duplicate_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return _authority(context)


def zaozhuang_duplicate_resolve(context: dict[str, Any],
                                data_dict: dict[str, Any]) -> dict[str, Any]:
    return _authority(context)


def zaozhuang_evaluation_report_list(context: dict[str, Any],
                                     data_dict: dict[str, Any]) -> dict[str, Any]:
    """The big-data authority; departments' admins (for their own rows)."""
    user = policy.user_object(context.get("user"))
    if policy.is_authority(user) or supervised_departments(user):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the big-data authority and departments' admins may read evaluation reports")}


def zaozhuang_evaluation_report_show(context: dict[str, Any],
                                     data_dict: dict[str, Any]) -> dict[str, Any]:
    return zaozhuang_evaluation_report_list(context, data_dict)


def zaozhuang_evaluation_report_generate(context: dict[str, Any],
                                         data_dict: dict[str, Any]) -> dict[str, Any]:
    if policy.is_authority(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the big-data authority may generate evaluation reports")}
