"""Auth functions of error reports (registered by name prefix zaozhuang_).

A report, like the dataset it is about, exists only for those who may see that dataset:
to anyone else it is "not found". The providing department's reviewers (the applications'
reviewer roles) and the authority answer; the authority and sysadmins hide."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.applications import lifecycle
from ckanext.zaozhuang.participation.corrections.model import ErrorReport
from ckanext.zaozhuang.participation.demand.auth import list_scope, result, user_of

_ = tk._


def visible_dataset(user: Optional[model.User], dataset_id: Any) -> model.Package:
    """The dataset, if the user may see it; otherwise "not found", never "forbidden"."""
    dataset = model.Package.get(dataset_id) if isinstance(dataset_id, str) and dataset_id else None
    if (dataset is None or dataset.type != "dataset" or dataset.state != "active"
            or not policy.may_see_metadata(user, dataset)):
        raise tk.ObjectNotFound(_("Dataset not found"))
    return dataset


def get(report_id: Any, user: Optional[model.User]) -> ErrorReport:
    row = (model.Session.get(ErrorReport, report_id)
           if isinstance(report_id, str) and report_id else None)
    if row is None or (row.hidden and not policy.is_authority(user)):
        raise tk.ObjectNotFound(_("Error report not found"))
    dataset = model.Package.get(row.dataset_id)
    if dataset is None or not policy.may_see_metadata(user, dataset):
        raise tk.ObjectNotFound(_("Error report not found"))
    return row


def answers_for(user: Optional[model.User], row: ErrorReport) -> bool:
    return lifecycle.reviews_for(user, row.organization_id)


def may_see_reporter(user: Optional[model.User], row: ErrorReport) -> bool:
    if user is None:
        return False
    return user.id == row.user_id or answers_for(user, row)


def zaozhuang_correction_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    user = user_of(context)
    if user is None:
        return result(False, _("Log in to report an error"))
    # A missing dataset is the schema's to name; one the user may not see is "not found".
    if data_dict.get("dataset_id"):
        visible_dataset(user, data_dict["dataset_id"])
    return result(True)


@tk.auth_allow_anonymous_access
def zaozhuang_correction_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    get(data_dict.get("id"), user_of(context))
    return result(True)


@tk.auth_allow_anonymous_access
def zaozhuang_correction_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return list_scope(context, data_dict)


def zaozhuang_correction_answer(context: Context, data_dict: DataDict) -> dict[str, Any]:
    user = user_of(context)
    row = get(data_dict.get("id"), user)
    return result(answers_for(user, row),
                  _("Only the providing department may answer this report"))


def zaozhuang_correction_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    user = user_of(context)
    get(data_dict.get("id"), user)
    return result(policy.is_authority(user),
                  _("Only the big-data authority may hide an error report"))
