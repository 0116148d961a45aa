"""Applies the policy to what actions return, by allow-list: of a resource whose data the
user may not get, only the fields listed here are kept — its description, never where the
data is — so an extra field added later (an `access_url`, a mirror) is withheld too."""
from __future__ import annotations

from typing import Any, Optional, Union

from ckan import model

from ckanext.zaozhuang.access import policy

# What anyone who may see a dataset may see of each of its resources.
RESOURCE_METADATA = frozenset((
    "id", "package_id", "name", "description", "format", "resource_type", "record_count",
    "last_updated", "position", "state", "created", "metadata_modified", "language",
    "mimetype", "size", "url_type", "datastore_active", "data_access",
))
# Fields that point at the data itself: emptied rather than removed, since pages expect them.
LOCATION_FIELDS = ("url",)


def redact_resource(resource: dict[str, Any], decision: policy.Decision) -> dict[str, Any]:
    resource["data_access"] = {"allowed": decision.allowed, "reason": decision.reason}
    if not decision.allowed:
        for field in list(resource):
            if field not in RESOURCE_METADATA:
                del resource[field]
        for field in LOCATION_FIELDS:
            resource[field] = ""
    return resource


def redact_dataset(user: Union[None, str, model.User], dataset: dict[str, Any],
                   governing: Optional[policy.Dataset] = None) -> dict[str, Any]:
    """Keep of each resource the user may not get only its description; mark every resource
    with `data_access` (allowed and why), which pages use to explain and offer to apply.
    `governing` is the dataset whose categories decide, when `dataset` is an old copy."""
    if not dataset.get("id"):
        return dataset
    user = policy.user_object(user)
    for resource in dataset.get("resources") or []:
        if isinstance(resource, dict):
            redact_resource(resource, policy.data_decision(user, governing or dataset,
                                                           resource.get("id")))
    return dataset


def activity_visible(user: Union[None, str, model.User], activity: dict[str, Any]) -> bool:
    """An activity on a dataset (its own, or one of a resource or view of it) is visible to
    whoever may see the dataset today; one on a dataset that is gone, to sysadmins only."""
    current = model.Package.get(activity.get("object_id") or "")
    if current is not None:
        return policy.may_see_metadata(user, current)
    if "package" in (activity.get("activity_type") or ""):
        user = policy.user_object(user)
        return user is not None and user.sysadmin
    return True


def redact_activity(user: Union[None, str, model.User],
                    activity: Optional[dict[str, Any]]) -> Optional[dict[str, Any]]:
    """Activities embed a copy of the dataset as it was; today's categories decide, so a
    dataset made conditional later does not leak through its history."""
    if not activity:
        return activity
    data = activity.get("data") or {}
    package = data.get("package")
    if isinstance(package, dict) and package.get("id"):
        current = model.Package.get(package["id"])
        redact_dataset(user, package, current if current is not None else package)
    current = model.Package.get(activity.get("object_id") or "")
    if current is not None and not policy.data_decision(user, current).allowed:
        # Other copies (a resource view's settings) may say where the data is.
        for key in [k for k in data if k not in ("package", "actor")]:
            del data[key]
    return activity
