"""Core actions chained so that what they return obeys the access policy.

Metadata visibility is enforced by the permission labels (plugin.py); these wrappers remove
data locations from results for users who may not get the data. Each keeps its core
action's `side_effect_free` mark, without which the API refuses GET requests."""
from __future__ import annotations

import json
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy, redaction

# Activity actions that return a list of activities.
ACTIVITY_LISTS = (
    "package_activity_list", "group_activity_list", "organization_activity_list",
    "user_activity_list", "dashboard_activity_list", "recently_changed_packages_activity_list",
)


@tk.side_effect_free
@tk.chained_action
def package_search(next_action, context, data_dict):
    result = next_action(context, data_dict)
    user = policy.user_object(context.get("user"))  # once, not per result
    for dataset in result["results"]:
        redaction.redact_dataset(user, dataset)
    return result


@tk.side_effect_free
@tk.chained_action
def current_package_list_with_resources(next_action, context, data_dict):
    datasets = next_action(context, data_dict)
    user = policy.user_object(context.get("user"))
    for dataset in datasets:
        redaction.redact_dataset(user, dataset)
    return datasets


def _redacting_activity_list(name: str) -> Callable[..., Any]:
    def action(next_action, context, data_dict):
        activities = next_action(context, data_dict)
        user = policy.user_object(context.get("user"))
        return [redaction.redact_activity(user, a) for a in activities]
    action.__name__ = name
    return tk.side_effect_free(tk.chained_action(action))


@tk.side_effect_free
@tk.chained_action
def activity_show(next_action, context, data_dict):
    return redaction.redact_activity(context.get("user"), next_action(context, data_dict))


@tk.side_effect_free
@tk.chained_action
def activity_data_show(next_action, context, data_dict):
    data = next_action(context, data_dict)
    if data_dict.get("object_type") == "package":
        redaction.redact_activity(context.get("user"), {"data": {"package": data}})
    elif isinstance(data, dict):
        redaction.redact_activity(context.get("user"), {"data": data})
    return data


@tk.side_effect_free
@tk.chained_action
def activity_diff(next_action, context, data_dict):
    """The diff is text made from two dataset copies: blank every location the user may not
    see in both copies, then in the text."""
    result = next_action(context, data_dict)
    hidden = set()
    for activity in result.get("activities", []):
        package = (activity.get("data") or {}).get("package") or {}
        before = {r.get("id"): dict(r) for r in package.get("resources") or []}
        redaction.redact_activity(context.get("user"), activity)
        for resource in package.get("resources") or []:
            for field in redaction.LOCATION_FIELDS:
                original = (before.get(resource.get("id")) or {}).get(field)
                if original and not resource.get(field):
                    hidden.add(original)
    diff = result.get("diff") or ""
    # Longest first, so a URL that contains another is blanked whole.
    for value in sorted(hidden, key=len, reverse=True):
        diff = diff.replace(json.dumps(value)[1:-1], "").replace(value, "")
    result["diff"] = diff
    return result


def chained_actions() -> dict[str, Callable[..., Any]]:
    actions = {fn.__name__: fn for fn in (
        package_search, current_package_list_with_resources,
        activity_show, activity_data_show, activity_diff)}
    actions.update({name: _redacting_activity_list(name) for name in ACTIVITY_LISTS})
    return actions


def resource_and_dataset(resource_id: str) -> tuple[model.Resource | None, model.Package | None]:
    resource = model.Resource.get(resource_id) if resource_id else None
    if resource is None or resource.state != "active":
        return None, None
    return resource, resource.package
