"""Who may see and drive the loading of a resource's file into the DataStore.

- status (xloader_status, zaozhuang_datastore_load_status shown on the resource page, and
  the resource's DataStore tab): the providing department's members, whatever their role,
  and the big-data authority;
- submit (xloader_submit, the reload button): xloader's own rule, those who may edit the
  dataset (the department's editors and admins, and the authority);
- the hook (xloader_hook), through which a job reports its progress: the worker alone, which
  calls it with the site user's token; sysadmins pass every auth function, nobody else does.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.access import gate, policy


def _providers_only(context, data_dict) -> dict[str, Any]:
    _resource, dataset = gate.resource_and_dataset(
        data_dict.get("resource_id") or data_dict.get("id"))
    user = context.get("auth_user_obj") or context.get("user")
    if dataset is not None and policy.works_for_provider(user, dataset):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Only the providing department sees how its data is loaded")}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def xloader_status(next_auth, context, data_dict):
    return _providers_only(context, data_dict)


@tk.auth_allow_anonymous_access
def zaozhuang_datastore_load_status(context, data_dict):
    return _providers_only(context, data_dict)


def xloader_hook(context, data_dict):
    return {"success": False, "msg": tk._("Only the job worker reports on loading")}


def auth_functions() -> dict[str, Any]:
    return {"xloader_status": xloader_status, "xloader_hook": xloader_hook}
