"""Auth functions of the applications domain (registered by name prefix zaozhuang_).

Applicants act on their own applications; the providing department's reviewers and the
big-data authority review them (lifecycle.TRANSITIONS says which part each action is). Acts
that are the applicant's own (writing, submitting, signing) are not open to sysadmins by
default: a signature must be the signer's."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.applications import lifecycle

_ = tk._


def result(allowed: bool, msg: str = "") -> dict[str, Any]:
    return {"success": True} if allowed else {"success": False, "msg": msg}


def user_of(context: Context):
    return policy.user_object(context.get("user"))


@tk.auth_sysadmins_check
def _applicant_only(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Acts that are the applicant's own: refused to sysadmins too."""
    application = lifecycle.get(data_dict.get("id"))
    return result(lifecycle.is_applicant(user_of(context), application),
                  _("Only the applicant may do this"))


def _reviewer_only(action: str):
    def check(context: Context, data_dict: DataDict) -> dict[str, Any]:
        application = lifecycle.get(data_dict.get("id"))
        return result(lifecycle.may(user_of(context), application, action),
                      _("Only the providing department's reviewers and the big-data "
                        "authority may review this application"))
    return check


def may_see(user, application) -> bool:
    """The applicant; once submitted, the reviewers too."""
    if lifecycle.is_applicant(user, application):
        return True
    return application.state != "draft" and lifecycle.reviews_for(user, application.provider_id)


def zaozhuang_applicant_profile_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    user = user_of(context)
    other = data_dict.get("user_id")
    return result(user is not None and (not other or other in (user.id, user.name)),
                  _("Only the user may see their applicant profile"))


def zaozhuang_applicant_profile_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return zaozhuang_applicant_profile_show(context, data_dict)


def zaozhuang_application_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    # Any registered user may apply; which datasets accept applications is the action's check.
    return result(user_of(context) is not None, _("Log in to apply for data"))


zaozhuang_application_update = _applicant_only
zaozhuang_application_submit = _applicant_only
zaozhuang_application_withdraw = _applicant_only
zaozhuang_application_renew = _applicant_only
zaozhuang_application_return = _reviewer_only("return")
zaozhuang_application_approve = _reviewer_only("approve")
zaozhuang_application_reject = _reviewer_only("reject")


def zaozhuang_application_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    application = lifecycle.get(data_dict.get("id"))
    return result(may_see(user_of(context), application),
                  _("Only the applicant and the reviewers may see this application"))


def list_allowed(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Lists: a user's own rows for every registered user; the review scope for reviewers
    (of the given department, if any)."""
    user = user_of(context)
    if user is None:
        return result(False, _("Log in to see this"))
    if data_dict.get("scope") != "review":
        return result(True)
    org = model.Group.get(data_dict["organization_id"]) if data_dict.get(
        "organization_id") else None
    if data_dict.get("organization_id"):
        allowed = org is not None and lifecycle.reviews_for(user, org.id)
    else:
        allowed = policy.is_authority(user) or bool(lifecycle.reviewed_organizations(user))
    return result(allowed, _("Only reviewers may see this"))


def zaozhuang_application_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return list_allowed(context, data_dict)


def zaozhuang_application_send_reminders(context: Context, data_dict: DataDict
                                         ) -> dict[str, Any]:
    # Run from cron by the CLI as the site user; sysadmins pass CKAN's own check.
    return result(False, _("Only sysadmins may send reminders"))
