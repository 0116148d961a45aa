"""Core auth functions chained with the access policy.

- DataStore reads pass the gate (decide, log, refuse) for the resource, or for every table
  an SQL query names; an id that is not an active resource (an alias, `_table_metadata`) is
  refused to all but sysadmins.
- The inventory's staff-only and disabled actions are refused to the rest whoever calls them.
- Departments are created by the big-data authority only, and it may correct any entry.
- CKAN's refusals that name an id are replaced by words that do not, so a refusal does not
  tell a caller which datasets exist.
"""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.access import gate, inventory, policy


def _user(context) -> Any:
    return context.get("auth_user_obj") or context.get("user")


def _refusal(error: tk.NotAuthorized) -> dict[str, Any]:
    return {"success": False, "msg": str(error)}


def _datastore_read(event: str) -> Callable[..., Any]:
    @tk.auth_sysadmins_check
    @tk.auth_allow_anonymous_access
    def auth(next_auth, context, data_dict):
        try:
            gate.enforce_resource(event, _user(context),
                                  data_dict.get("resource_id") or data_dict.get("id"))
        except tk.NotAuthorized as error:
            return _refusal(error)
        return next_auth(context, data_dict)
    auth.__name__ = event
    return tk.chained_auth_function(auth)


@tk.chained_auth_function
@tk.auth_sysadmins_check
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth, context, data_dict):
    """Every table named inside the SQL must be data the user may get. Anonymous users are
    refused, as by CKAN itself (SQL needs an account), without reaching the database."""
    # The DataStore hands the table names over as a generator: read it once, for both checks.
    tables = list(context.get("table_names") or [])
    context["table_names"] = tables
    if policy.user_object(_user(context)) is None:
        for table in tables:
            gate.record_refusal("datastore_search_sql", None, table, "anonymous")
        return {"success": False, "msg": tk._("Log in to query the DataStore with SQL")}
    try:
        for table in tables:
            gate.enforce_resource("datastore_search_sql", _user(context), table)
    except tk.NotAuthorized as error:
        return _refusal(error)
    return next_auth(context, data_dict)


def _restricted(name: str, access: str) -> Callable[..., Any]:
    """Staff-only or disabled, whichever path calls the action."""
    @tk.auth_allow_anonymous_access
    def auth(next_auth, context, data_dict):
        if access == inventory.STAFF and policy.is_staff(_user(context)):
            return next_auth(context, data_dict)
        return {"success": False, "msg": tk._("This function is not offered by the portal")}
    auth.__name__ = name
    return tk.chained_auth_function(auth)


def _department_creation(name: str) -> Callable[..., Any]:
    def auth(next_auth, context, data_dict):
        if policy.is_authority(_user(context)):
            return {"success": True}
        return {"success": False,
                "msg": tk._("Departments are created by the big-data authority")}
    auth.__name__ = name
    return tk.chained_auth_function(auth)


@tk.chained_auth_function
def package_update(next_auth, context, data_dict):
    """The big-data authority supervises every department's catalog: it may correct any
    entry, and it alone may restrict an entry's opening (schema/validators.py)."""
    if policy.is_authority(_user(context)):
        return {"success": True}
    return next_auth(context, data_dict)


def _logged_in(name: str) -> Callable[..., Any]:
    """Core auth functions that assume a logged-in user (and fail with a 500 otherwise)."""
    @tk.auth_allow_anonymous_access
    def auth(next_auth, context, data_dict):
        if policy.user_object(_user(context)) is None:
            return {"success": False, "msg": tk._("Log in to see this")}
        return next_auth(context, data_dict)
    auth.__name__ = name
    return tk.chained_auth_function(auth)


def _without_ids(name: str) -> Callable[..., Any]:
    @tk.auth_allow_anonymous_access
    def auth(next_auth, context, data_dict):
        outcome = next_auth(context, data_dict)
        if not outcome.get("success"):
            return {"success": False, "msg": tk._("No permission to see this dataset")}
        return outcome
    auth.__name__ = name
    return tk.chained_auth_function(auth)


def chained_auth_functions() -> dict[str, Any]:
    functions = {name: _datastore_read(name) for name in ("datastore_search", "datastore_info")}
    functions["datastore_search_sql"] = datastore_search_sql
    functions["package_update"] = package_update
    functions.update({name: _restricted(name, access)
                      for name, access in inventory.ACTIONS.items()
                      if access in (inventory.STAFF, inventory.DISABLED)})
    functions.update({name: _department_creation(name)
                      for name in ("organization_create", "group_create")})
    functions.update({name: _logged_in(name) for name in (
        "package_collaborator_list", "package_collaborator_list_for_user")})
    functions.update({name: _without_ids(name) for name in ("package_show", "resource_show",
                                                            "resource_view_show")})
    return functions
