"""Core auth functions chained with the data side of the access policy. Each decision on a
dataset that is not unconditionally open is written to the access log."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.actions import resource_and_dataset
from ckanext.zaozhuang.audit import log as audit_log


def _data_access(event: str, context, resource_id: str, core_allows: bool) -> dict[str, Any]:
    resource, dataset = resource_and_dataset(resource_id)
    if dataset is None:
        # Unknown to CKAN (or a DataStore alias resolved later): the core check answers.
        return {"success": core_allows}
    user = context.get("auth_user_obj") or context.get("user")
    decision = policy.data_decision(user, dataset, resource.id)
    if not core_allows:
        decision = policy.Decision(False, "not_visible" if policy.user_object(user) else "anonymous")
    audit_log.record_access(event, user, dataset, resource.id, decision)
    if decision.allowed:
        return {"success": True}
    return {"success": False, "msg": tk._("No permission to get this data (无权限下载)")}


def _datastore_read(event: str):
    @tk.auth_sysadmins_check
    @tk.auth_allow_anonymous_access
    def auth(next_auth, context, data_dict):
        core_allows = bool(next_auth(context, data_dict).get("success"))
        return _data_access(event, context, data_dict.get("resource_id") or data_dict.get("id"),
                            core_allows)
    return auth


datastore_search = tk.chained_auth_function(_datastore_read("datastore_search"))
datastore_search.__name__ = "datastore_search"
datastore_info = tk.chained_auth_function(_datastore_read("datastore_info"))
datastore_info.__name__ = "datastore_info"


@tk.chained_auth_function
@tk.auth_sysadmins_check
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth, context, data_dict):
    """Every table named inside the SQL must be data the user may get. Anonymous users are
    refused, as by CKAN itself, but the refusal is logged like any other."""
    # The DataStore hands the table names over as a generator: read it once, for both checks.
    tables = list(context.get("table_names") or [])
    context["table_names"] = tables
    user = context.get("auth_user_obj") or context.get("user")
    core_allows = bool(policy.user_object(user)) and bool(
        next_auth(context, data_dict).get("success"))
    outcome = {"success": core_allows}
    for table in tables:
        outcome = _data_access("datastore_search_sql", context, table, core_allows)
        if not outcome["success"]:
            break
    return outcome if tables else {"success": core_allows}


def chained_auth_functions() -> dict[str, Any]:
    return {"datastore_search": datastore_search, "datastore_info": datastore_info,
            "datastore_search_sql": datastore_search_sql}
