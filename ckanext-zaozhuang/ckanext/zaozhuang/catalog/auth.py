"""Auth functions of the catalog domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.catalog.model import CatalogImport


def zaozhuang_catalog_import(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may create datasets in the target department (its editors and admins, and
    sysadmins). Without a target, whoever may create datasets in some department; each row's
    own department is then checked when the row is validated."""
    owner_org = (data_dict or {}).get("owner_org")
    return authz.is_authorized("package_create", context,
                               {"owner_org": owner_org} if owner_org else {})


@tk.auth_allow_anonymous_access
def zaozhuang_catalog_export(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Anyone: the export holds only the datasets package_search shows the user."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def zaozhuang_catalog_template(context: dict[str, Any],
                               data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


def zaozhuang_overdue_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Publishers (who may create datasets in a department) and the big-data authority; a
    named department must be one the user may publish in, unless they are the authority."""
    user = policy.user_object(context.get("user"))
    owner_org = (data_dict or {}).get("owner_org")
    if user is not None and policy.is_authority(user):
        return {"success": True}
    if owner_org:
        return authz.is_authorized("package_create", context, {"owner_org": owner_org})
    if user is not None and authz.has_user_permission_for_some_org(user.name, "create_dataset"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only publishers and the big-data authority may "
                                          "list overdue datasets")}


def _own_import(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The user who started the import (sysadmins pass before any auth function)."""
    user = policy.user_object(context.get("user"))
    run = model.Session.get(CatalogImport, str((data_dict or {}).get("id") or ""))
    if user is not None and run is not None and run.user_id == user.id:
        return {"success": True}
    return {"success": False, "msg": tk._("Only the user who started an import may see it")}


def zaozhuang_catalog_import_show(context: dict[str, Any],
                                  data_dict: dict[str, Any]) -> dict[str, Any]:
    return _own_import(context, data_dict)


def zaozhuang_catalog_import_resume(context: dict[str, Any],
                                    data_dict: dict[str, Any]) -> dict[str, Any]:
    return _own_import(context, data_dict)
