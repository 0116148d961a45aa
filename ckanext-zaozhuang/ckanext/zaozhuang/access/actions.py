"""Core actions chained so that what they return obeys the access policy.

Dataset visibility in search is enforced by the permission labels (plugin.py); the actions
that read the database directly (lists, autocompletion, tags, members, resource search,
activities) are filtered here by the same rule, and every answer that carries resources is
redacted by allow-list (redaction.py). Each keeps its core action's `side_effect_free`
mark, without which the API refuses GET requests."""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from flask import g, has_request_context

from ckanext.zaozhuang.access import gate, policy, redaction

_ = tk._

# Activity actions that return a list of activities.
ACTIVITY_LISTS = (
    "package_activity_list", "group_activity_list", "organization_activity_list",
    "user_activity_list", "dashboard_activity_list", "recently_changed_packages_activity_list",
)
# What a search may return or facet on: descriptive index fields only. The stored copies of
# whole datasets (data_dict, validated_data_dict) are returned only through the redacted
# default result, never by `fl`.
SEARCH_FIELDS = frozenset("""
    id name title notes type state private owner_org organization metadata_created
    metadata_modified num_resources num_tags tags groups license_id license_title version
    res_name res_description res_format res_type score catalog_code domain theme industry
    data_level open_category share_category personal_info update_frequency record_count
    spatial_coverage temporal_start temporal_end first_published last_updated
    organization_title due_date
""".split())
# Resource fields that a resource search may name: its description, not its location.
RESOURCE_SEARCH_FIELDS = frozenset(("name", "description", "format", "resource_type"))


def _user(context) -> Optional[model.User]:
    """The user an answer is for. A call that skips auth is the system's own (a command, a
    job, a view acting for the portal), answered as the site user who sees everything,
    unless it is a page's call made for its visitor: CKAN fills in the visitor as `user`
    when the caller names none, so such calls are answered for the visitor."""
    name = context.get("user")
    if not context.get("ignore_auth"):
        return policy.user_object(name)
    if has_request_context() and (name or "") == (getattr(g, "user", "") or ""):
        current = tk.current_user
        return policy.user_object(current.name) if current and current.is_authenticated \
            else None
    return policy.user_object(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])


def _fields(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return [str(value)]


@tk.side_effect_free
@tk.chained_action
def package_search(next_action, context, data_dict):
    errors = {}
    if data_dict.get("fl") and not set(_fields(data_dict["fl"])) <= SEARCH_FIELDS:
        errors["fl"] = [_("Only these fields can be requested: {fields}").format(
            fields=", ".join(sorted(SEARCH_FIELDS)))]
    if "facet.field" in data_dict:
        try:
            facets = json.loads(data_dict["facet.field"]) if isinstance(
                data_dict["facet.field"], str) else data_dict["facet.field"]
        except ValueError:
            facets = None
        if not isinstance(facets, list) or not set(map(str, facets)) <= SEARCH_FIELDS:
            errors["facet.field"] = [_("Only these fields can be counted: {fields}").format(
                fields=", ".join(sorted(SEARCH_FIELDS)))]
    if data_dict.get("wt") not in (None, "json"):
        errors["wt"] = [_("Results are given as JSON only")]
    if errors:
        raise tk.ValidationError(errors)
    result = next_action(context, data_dict)
    user = _user(context)  # once, not per result
    for dataset in result["results"]:
        redaction.redact_dataset(user, dataset)
    return result


@tk.side_effect_free
@tk.chained_action
def current_package_list_with_resources(next_action, context, data_dict):
    datasets = next_action(context, data_dict)
    user = _user(context)
    for dataset in datasets:
        redaction.redact_dataset(user, dataset)
    return datasets


def _visible(user: Optional[model.User], column: Any, values: list[str]) -> set[str]:
    """Those of these dataset names or ids (by `column`) whose dataset the user may see."""
    if not values:
        return set()
    packages = model.Session.query(model.Package).filter(column.in_(values))
    key = column.key
    return {getattr(p, key) for p in packages if policy.may_see_metadata(user, p)}


@tk.side_effect_free
@tk.chained_action
def package_list(next_action, context, data_dict):
    names = next_action(context, data_dict)
    visible = _visible(_user(context), model.Package.name, names)
    return [name for name in names if name in visible]


@tk.side_effect_free
@tk.chained_action
def package_autocomplete(next_action, context, data_dict):
    matches = next_action(context, data_dict)
    visible = _visible(_user(context), model.Package.name, [m["name"] for m in matches])
    return [m for m in matches if m["name"] in visible]


@tk.side_effect_free
@tk.chained_action
def resource_search(next_action, context, data_dict):
    """Resources of the datasets the user may see. A query on anything but a resource's
    description finds only resources whose data the user may get, so it cannot be used to
    probe where other data lives."""
    query = data_dict.get("query")
    pairs = [query] if isinstance(query, str) else query if isinstance(query, list) else []
    fields = {str(pair).split(":", 1)[0] for pair in pairs}
    probes_data = not fields <= RESOURCE_SEARCH_FIELDS
    try:
        offset = max(int(data_dict.get("offset") or 0), 0)
        limit = int(data_dict["limit"]) if data_dict.get("limit") not in (None, "") else None
    except (TypeError, ValueError):
        raise tk.ValidationError({"offset": [_("Please enter an integer value")]})
    found = next_action(context, dict(data_dict, offset=None, limit=None))
    user = _user(context)
    datasets: dict[str, Optional[model.Package]] = {}
    results = []
    for resource in found["results"]:
        package_id = resource.get("package_id")
        if package_id not in datasets:
            datasets[package_id] = model.Package.get(package_id)
        dataset = datasets[package_id]
        if dataset is None:
            continue
        decision = policy.data_decision(user, dataset, resource.get("id"))
        if decision.reason == "not_visible" or (probes_data and not decision.allowed):
            continue
        results.append(redaction.redact_resource(resource, decision))
    end = offset + limit if limit is not None and limit >= 0 else None
    return {"count": len(results), "results": results[offset:end]}


def _visible_tags(context) -> set[str]:
    """Tags of the datasets the user may see, from the search index (its labels decide)."""
    user = _user(context)
    result = tk.get_action("package_search")({"user": user.name if user else ""}, {
        "rows": 0, "facet.field": ["tags"], "facet.limit": -1, "include_private": True})
    return set((result.get("facets") or {}).get("tags") or {})


def _tag_name(tag: Any) -> Any:
    return tag.get("name") if isinstance(tag, dict) else tag


@tk.side_effect_free
@tk.chained_action
def tag_list(next_action, context, data_dict):
    visible = _visible_tags(context)
    return [t for t in next_action(context, data_dict) if _tag_name(t) in visible]


@tk.side_effect_free
@tk.chained_action
def tag_autocomplete(next_action, context, data_dict):
    visible = _visible_tags(context)
    return [t for t in next_action(context, dict(data_dict, limit=1000)) if t in visible][
        :_limit(data_dict, 10)]


def _limit(data_dict, default: int) -> int:
    try:
        return max(int(data_dict.get("limit") or default), 0)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [_("Please enter an integer value")]})


@tk.side_effect_free
@tk.chained_action
def tag_search(next_action, context, data_dict):
    visible = _visible_tags(context)
    found = next_action(context, dict(data_dict, limit=1000, offset=0))
    tags = [t for t in found["results"] if _tag_name(t) in visible]
    try:
        offset = max(int(data_dict.get("offset") or 0), 0)
    except (TypeError, ValueError):
        raise tk.ValidationError({"offset": [_("Please enter an integer value")]})
    return {"count": len(tags), "results": tags[offset:offset + _limit(data_dict, 10)]}


@tk.side_effect_free
@tk.chained_action
def tag_show(next_action, context, data_dict):
    tag = next_action(context, data_dict)
    if tag.get("name") not in _visible_tags(context):
        raise tk.ObjectNotFound(_("Tag not found"))
    user = _user(context)
    if "packages" in tag:
        tag["packages"] = [redaction.redact_dataset(user, p) for p in tag["packages"]
                           if policy.may_see_metadata(user, p)]
    return tag


@tk.side_effect_free
@tk.chained_action
def member_list(next_action, context, data_dict):
    """Datasets among a department's members only if the user may see them."""
    members = next_action(context, data_dict)
    visible = _visible(_user(context), model.Package.id,
                       [m[0] for m in members if m[1] == "package"])
    return [m for m in members if m[1] != "package" or m[0] in visible]


def _group_with_datasets(next_action, context, data_dict):
    group = next_action(context, data_dict)
    user = _user(context)
    if isinstance(group.get("packages"), list):
        group["packages"] = [redaction.redact_dataset(user, p) for p in group["packages"]
                             if policy.may_see_metadata(user, p)]
    return group



def _view_for(context, view: dict[str, Any]) -> dict[str, Any]:
    """A view's settings can hold where the data is (an image or page URL): kept only for
    users who may get the data."""
    resource = model.Resource.get(view.get("resource_id") or "")
    dataset = resource.package if resource is not None else None
    if dataset is None:
        raise tk.ObjectNotFound(_("Resource view not found"))
    decision = policy.data_decision(_user(context), dataset, resource.id)
    if decision.reason == "not_visible":
        raise tk.ObjectNotFound(_("Resource view not found"))
    if not decision.allowed:
        view = {k: v for k, v in view.items()
                if k in ("id", "resource_id", "package_id", "title", "description",
                         "view_type", "order")}
    return view


@tk.side_effect_free
@tk.chained_action
def resource_view_show(next_action, context, data_dict):
    return _view_for(context, next_action(context, data_dict))


@tk.side_effect_free
@tk.chained_action
def resource_view_list(next_action, context, data_dict):
    return [_view_for(context, view) for view in next_action(context, data_dict)]


@tk.side_effect_free
@tk.chained_action
def datastore_search(next_action, context, data_dict):
    """The DataStore answers its own `_table_metadata` (every table's id) without asking
    any auth function: only sysadmins get it, like any id that is not an active resource."""
    user = _user(context)
    resource, _dataset = gate.resource_and_dataset(data_dict.get("resource_id"))
    if resource is None and not (user is not None and user.sysadmin) and not context.get(
            "ignore_auth"):
        raise tk.NotAuthorized(gate.refusal_message())
    return next_action(context, data_dict)


def _required_text(field: str) -> Callable[..., Any]:
    """Core actions that read a required parameter without checking it (a missing `sql` or
    `q` would be a KeyError, a 500): a field error instead."""
    def action(next_action, context, data_dict):
        if not isinstance(data_dict.get(field), str) or not data_dict[field].strip():
            raise tk.ValidationError({field: [_("Missing value")]})
        return next_action(context, data_dict)
    return action


def _named(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` chained under `name`, as a function of its own: one function registered under
    two names would be keyed, marked and chained as one of them only."""
    def action(next_action, context, data_dict):
        return fn(next_action, context, data_dict)
    action.__name__ = name
    return tk.side_effect_free(tk.chained_action(action))


def _activity_list(name: str) -> Callable[..., Any]:
    def action(next_action, context, data_dict):
        activities = next_action(context, data_dict)
        user = _user(context)
        return [redaction.redact_activity(user, a) for a in activities
                if redaction.activity_visible(user, a)]
    action.__name__ = name
    return tk.side_effect_free(tk.chained_action(action))


def _checked_activity(context, activity: dict[str, Any]) -> dict[str, Any]:
    if not redaction.activity_visible(_user(context), activity):
        raise tk.NotAuthorized(_("Unauthorized to view activity data"))
    return redaction.redact_activity(_user(context), activity)


@tk.side_effect_free
@tk.chained_action
def activity_show(next_action, context, data_dict):
    return _checked_activity(context, next_action(context, data_dict))


@tk.side_effect_free
@tk.chained_action
def activity_data_show(next_action, context, data_dict):
    activity = tk.get_action("activity_show")(
        dict(context), {"id": data_dict.get("id"), "include_data": False})
    _checked_activity(context, activity)
    data = next_action(context, data_dict)
    if data_dict.get("object_type") == "package" and isinstance(data, dict):
        redaction.redact_activity(_user(context), {"data": {"package": data}})
    elif isinstance(data, dict):
        redaction.redact_activity(_user(context), {"data": data})
    return data


@tk.side_effect_free
@tk.chained_action
def activity_diff(next_action, context, data_dict):
    """The diff is text made from two dataset copies: blank every value the user may not
    see in both copies, then in the text."""
    result = next_action(context, data_dict)
    hidden = set()
    user = _user(context)
    for activity in result.get("activities", []):
        _checked_activity(context, dict(activity, data={}))
        package = (activity.get("data") or {}).get("package") or {}
        before = {r.get("id"): dict(r) for r in package.get("resources") or []
                  if isinstance(r, dict)}
        redaction.redact_activity(user, activity)
        for resource in package.get("resources") or []:
            if not isinstance(resource, dict):
                continue
            for field, original in (before.get(resource.get("id")) or {}).items():
                if isinstance(original, str) and original and resource.get(field) != original:
                    hidden.add(original)
    diff = result.get("diff") or ""
    # Longest first, so a value that contains another is blanked whole.
    for value in sorted(hidden, key=len, reverse=True):
        diff = diff.replace(json.dumps(value)[1:-1], "").replace(value, "")
    result["diff"] = diff
    return result


def chained_actions() -> dict[str, Callable[..., Any]]:
    actions = {fn.__name__: fn for fn in (
        package_search, current_package_list_with_resources, package_list,
        package_autocomplete, resource_search, tag_list, tag_autocomplete, tag_search,
        tag_show, member_list, resource_view_show,
        resource_view_list, datastore_search, activity_show, activity_data_show,
        activity_diff)}
    actions.update({name: _activity_list(name) for name in ACTIVITY_LISTS})
    actions.update({name: _named(name, _group_with_datasets)
                    for name in ("organization_show", "group_show")})
    actions.update({name: _named(name, _required_text(field)) for name, field in (
        ("datastore_search_sql", "sql"), ("group_autocomplete", "q"),
        ("organization_autocomplete", "q"))})
    return actions
