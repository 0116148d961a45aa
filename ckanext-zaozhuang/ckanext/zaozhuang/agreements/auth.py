"""Auth functions of the agreements domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import Grant
from ckanext.zaozhuang.agreements.model import Agreement, AgreementTemplate
from ckanext.zaozhuang.applications import lifecycle
from ckanext.zaozhuang.applications.auth import list_allowed, may_see, result, user_of

_ = tk._


def _application_of(data_dict: DataDict):
    if data_dict.get("id"):
        agreement = model.Session.get(Agreement, str(data_dict["id"]))
        if agreement is None:
            raise tk.ObjectNotFound(_("Agreement not found"))
        return lifecycle.get(agreement.application_id)
    return lifecycle.get(data_dict.get("application_id"))


def _grant(grant_id: Any) -> Grant:
    grant = model.Session.get(Grant, str(grant_id)) if grant_id else None
    if grant is None:
        raise tk.ObjectNotFound(_("Grant not found"))
    return grant


def _reviews_dataset(user: Optional[model.User], dataset_id: str) -> bool:
    dataset = model.Package.get(dataset_id)
    return dataset is not None and lifecycle.reviews_for(user, dataset.owner_org)


def holds(user: Optional[model.User], grant: Grant) -> bool:
    """The grant's user, or a member of the grant's department."""
    return user is not None and (grant.user_id == user.id
                                 or lifecycle.is_member(user, grant.organization_id))


def zaozhuang_agreement_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(may_see(user_of(context), _application_of(data_dict)),
                  _("Only the applicant and the reviewers may see this agreement"))


@tk.auth_sysadmins_check
def zaozhuang_agreement_sign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(lifecycle.is_applicant(user_of(context), _application_of(data_dict)),
                  _("Only the applicant may sign the agreement"))


def zaozhuang_grant_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return list_allowed(context, data_dict)


def zaozhuang_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    grant = _grant(data_dict.get("id"))
    return result(_reviews_dataset(user_of(context), grant.dataset_id),
                  _("Only the providing department's reviewers and the big-data authority "
                    "may revoke a grant"))


@tk.auth_sysadmins_check
def zaozhuang_usage_report_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(holds(user_of(context), _grant(data_dict.get("grant_id"))),
                  _("Only the holder of the grant may report its use"))


def zaozhuang_usage_report_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    if data_dict.get("grant_id"):
        user = user_of(context)
        grant = _grant(data_dict["grant_id"])
        return result(holds(user, grant) or _reviews_dataset(user, grant.dataset_id),
                      _("Only the holder and the reviewers may see these reports"))
    return list_allowed(context, data_dict)


def _may_write_template(user: Optional[model.User], organization_id: Optional[str]) -> bool:
    """The portal-wide template is the authority's; a department's own, its admins' too."""
    return policy.is_authority(user) or lifecycle.is_member(user, organization_id, ["admin"])


def zaozhuang_agreement_template_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(_may_write_template(user_of(context), data_dict.get("organization_id")),
                  _("Only the big-data authority, or a department's admins for their own "
                    "department, may write agreement templates"))


def zaozhuang_agreement_template_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    template = model.Session.get(AgreementTemplate, str(data_dict.get("id")))
    if template is None:
        raise tk.ObjectNotFound(_("Agreement template not found"))
    return result(_may_write_template(user_of(context), template.organization_id),
                  _("Only the big-data authority, or a department's admins for their own "
                    "department, may write agreement templates"))


@tk.auth_allow_anonymous_access
def zaozhuang_agreement_template_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    # Templates are the public terms of use of conditional data.
    return result(True)
