"""Auth functions of ratings and comments (registered by name prefix zaozhuang_).

Everyone reads the ratings and approved comments of the datasets they may see; logged-in
users rate those datasets; the providing department's members, the big-data authority and
sysadmins moderate the comments."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.participation.ratings.model import Rating

_ = tk._


def result(allowed: bool, msg: str = "") -> dict[str, Any]:
    return {"success": True} if allowed else {"success": False, "msg": msg}


def _dataset(data_dict: DataDict) -> Optional[model.Package]:
    dataset_id = data_dict.get("dataset_id")
    return model.Package.get(dataset_id) if isinstance(dataset_id, str) else None


def _may_see(context: Context, data_dict: DataDict) -> bool:
    # A dataset that does not exist is the action's 404, not a refusal.
    dataset = _dataset(data_dict)
    return dataset is None or policy.may_see_metadata(context.get("user"), dataset)


def zaozhuang_rating_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    if policy.user_object(context.get("user")) is None:
        return result(False, _("Log in to rate datasets"))
    return result(_may_see(context, data_dict), _("You may not see this dataset"))


@tk.auth_allow_anonymous_access
def zaozhuang_rating_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    return result(_may_see(context, data_dict), _("You may not see this dataset"))


@tk.auth_allow_anonymous_access
def zaozhuang_rating_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    if data_dict.get("state", "approved") == "approved":
        return zaozhuang_rating_show(context, data_dict)
    dataset = _dataset(data_dict)
    return result(dataset is None or policy.works_for_provider(context.get("user"), dataset),
                  _("Only the providing department and the big-data authority may "
                    "moderate comments"))


def zaozhuang_rating_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    rating_id = data_dict.get("id")
    rating = model.Session.get(Rating, rating_id) if isinstance(rating_id, str) else None
    dataset = model.Package.get(rating.dataset_id) if rating is not None else None
    return result(dataset is None or policy.works_for_provider(context.get("user"), dataset),
                  _("Only the providing department and the big-data authority may "
                    "moderate comments"))
