"""Applies the policy to what actions return: a user who may not get a resource's data gets
its metadata without anything that reveals where the data is."""
from __future__ import annotations

from typing import Any, Optional, Union

from ckan import model

from ckanext.zaozhuang.access import policy

# Resource fields that point at the data itself.
LOCATION_FIELDS = ("url", "cache_url", "original_url", "download_url")


def redact_dataset(user: Union[None, str, model.User], dataset: dict[str, Any],
                   governing: Optional[policy.Dataset] = None) -> dict[str, Any]:
    """Strip data locations from the resources this user may not get; mark each resource
    with `data_access` (allowed and why), which pages use to explain and offer to apply.
    `governing` is the dataset whose categories decide, when `dataset` is an old copy."""
    if not dataset.get("id"):
        return dataset
    user = policy.user_object(user)
    for resource in dataset.get("resources") or []:
        decision = policy.data_decision(user, governing or dataset, resource.get("id"))
        resource["data_access"] = {"allowed": decision.allowed, "reason": decision.reason}
        if not decision.allowed:
            for field in LOCATION_FIELDS:
                if resource.get(field):
                    resource[field] = ""
    return dataset


def redact_activity(user: Union[None, str, model.User],
                    activity: Optional[dict[str, Any]]) -> Optional[dict[str, Any]]:
    """Activities embed a copy of the dataset as it was; today's categories decide, so a
    dataset made conditional later does not leak through its history."""
    if activity:
        package = (activity.get("data") or {}).get("package")
        if isinstance(package, dict) and package.get("id"):
            current = model.Package.get(package["id"])
            redact_dataset(user, package, current if current is not None else package)
    return activity
