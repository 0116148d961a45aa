"""Auth functions of data requests (registered by name prefix zaozhuang_).

Anyone reads the public requests; registered users write and support them; the big-data
authority routes them to a department, whose reviewers (the applications' reviewer roles)
answer. Hidden requests are the authority's and the sysadmins' alone."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.applications import lifecycle
from ckanext.zaozhuang.participation.demand.model import DataRequest

_ = tk._


def result(allowed: bool, msg: str = "") -> dict[str, Any]:
    return {"success": True} if allowed else {"success": False, "msg": msg}


def user_of(context: Context) -> Optional[model.User]:
    return policy.user_object(context.get("user"))


def get(request_id: Any) -> DataRequest:
    row = (model.Session.get(DataRequest, request_id)
           if isinstance(request_id, str) and request_id else None)
    if row is None:
        raise tk.ObjectNotFound(_("Data request not found"))
    return row


def answers_for(user: Optional[model.User], row: DataRequest) -> bool:
    """The routed department's reviewers, and the authority."""
    return row.organization_id is not None and lifecycle.reviews_for(user, row.organization_id)


def may_see(user: Optional[model.User], row: DataRequest) -> bool:
    return not row.hidden or policy.is_authority(user)


def may_see_requester(user: Optional[model.User], row: DataRequest) -> bool:
    """The requester's personal data: the requester, the routed department, the authority."""
    if user is None:
        return False
    return user.id == row.user_id or policy.is_authority(user) or answers_for(user, row)


def zaozhuang_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(user_of(context) is not None, _("Log in to request data"))


@tk.auth_allow_anonymous_access
def zaozhuang_request_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    row = get(data_dict.get("id"))
    if not may_see(user_of(context), row):
        raise tk.ObjectNotFound(_("Data request not found"))
    return result(True)


def list_scope(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The lists of requests and of error reports: `all` for anyone, `mine` for a logged-in
    user, `queue` for the departments' reviewers and the authority."""
    scope = data_dict.get("scope") or "all"
    user = user_of(context)
    if scope == "all":
        return result(True)
    if user is None:
        return result(False, _("Log in to see this"))
    if scope == "mine":
        return result(True)
    return result(policy.is_authority(user) or bool(lifecycle.reviewed_organizations(user)),
                  _("Only the departments' reviewers and the big-data authority may see "
                    "this queue"))


@tk.auth_allow_anonymous_access
def zaozhuang_request_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return list_scope(context, data_dict)


def zaozhuang_request_route(context: Context, data_dict: DataDict) -> dict[str, Any]:
    get(data_dict.get("id"))
    return result(policy.is_authority(user_of(context)),
                  _("Only the big-data authority may route data requests"))


def zaozhuang_request_answer(context: Context, data_dict: DataDict) -> dict[str, Any]:
    row = get(data_dict.get("id"))
    return result(answers_for(user_of(context), row),
                  _("Only the department the request was routed to may answer it"))


zaozhuang_request_link = zaozhuang_request_answer


def zaozhuang_request_support(context: Context, data_dict: DataDict) -> dict[str, Any]:
    user = user_of(context)
    if user is None:
        return result(False, _("Log in to support a data request"))
    row = get(data_dict.get("id"))
    return result(user.id != row.user_id, _("You cannot support your own request"))


def zaozhuang_request_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    get(data_dict.get("id"))
    return result(policy.is_authority(user_of(context)),
                  _("Only the big-data authority may hide a data request"))


def zaozhuang_request_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(policy.is_authority(user_of(context)),
                  _("Only the big-data authority may export data requests"))
