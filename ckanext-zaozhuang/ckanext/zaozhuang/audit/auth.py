"""Who may read the access log."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.audit.actions import supervised_organizations


def zaozhuang_audit_list(context, data_dict):
    user = policy.user_object(context.get("user"))
    if user is not None and (policy.is_authority(user) or supervised_organizations(user)):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the big-data authority and departments' admins and editors "
                        "may read the access log")}


def zaozhuang_audit_verify(context, data_dict):
    if policy.is_authority(context.get("user")):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the big-data authority may verify the access log")}
