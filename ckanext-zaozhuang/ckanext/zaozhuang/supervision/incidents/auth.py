"""Auth functions of the incident register: the big-data authority only (sysadmins are
members of it by policy.is_authority)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy


def _authority(context: Context, data_dict: DataDict) -> dict[str, Any]:
    if policy.is_authority(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Only the big-data authority may handle security incidents")}


def zaozhuang_incident_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)


def zaozhuang_incident_freeze(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)


def zaozhuang_incident_note_add(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)


def zaozhuang_incident_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)


def zaozhuang_incident_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)


def zaozhuang_incident_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)


def zaozhuang_incident_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _authority(context, data_dict)
