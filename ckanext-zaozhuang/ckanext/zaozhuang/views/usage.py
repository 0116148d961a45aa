"""Counting uses as they are answered: a dataset's pages viewed, its data downloaded, its API
called. Only answers that served something count (200, or the redirect to a link), never a
refusal, a HEAD or a known crawler."""
from __future__ import annotations

import re
from typing import Any, Optional

from flask import Blueprint, has_request_context, request

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.usage import counter

blueprint = Blueprint("zaozhuang_usage", __name__)

# Endpoint suffix → kind; dataset types register blueprints of their own, hence suffixes.
PAGES = {"dataset.read": "view", "resource.read": "view", "resource.download": "download",
         "datastore.dump": "download", "datatablesview.filtered_download": "download"}
# API actions that answer with one dataset's description or data → the parameter naming it.
API_ACTIONS = {"package_show": ("dataset", "id"), "resource_show": ("resource", "id"),
               "datastore_search": ("resource", "resource_id"),
               "datastore_info": ("resource", "id")}
CRAWLERS = re.compile(r"bot|spider|crawl|slurp", re.IGNORECASE)


def _kind(endpoint: str) -> Optional[str]:
    for suffix, kind in PAGES.items():
        if endpoint == suffix or endpoint.endswith("_" + suffix):
            return kind
    return None


def _parameter(name: str) -> Any:
    if name in request.args:
        return request.args.get(name)
    body = request.get_json(silent=True) if request.is_json else None
    return body.get(name) if isinstance(body, dict) else request.form.get(name)


SHOWN = "zaozhuang.usage_shown"


def note_shown(dataset: dict[str, Any]) -> None:
    """Keep, for the request, the id of a dataset it showed under its name and id: counting
    the use after the answer then needs no second lookup (by name, two queries)."""
    if has_request_context() and dataset.get("id"):
        shown = request.environ.setdefault(SHOWN, {})
        shown[dataset["id"]] = dataset["id"]
        if dataset.get("name"):
            shown[dataset["name"]] = dataset["id"]


def _dataset_and_resource(by: str, value: Any) -> tuple[Optional[str], str]:
    if not isinstance(value, str) or not value:
        return None, ""
    if by == "dataset" and value in request.environ.get(SHOWN, {}):
        return request.environ[SHOWN][value], ""
    if by == "resource":
        resource = model.Resource.get(value)
        return (resource.package_id, resource.id) if resource is not None else (None, "")
    dataset = model.Package.get(value)
    return (dataset.id, "") if dataset is not None else (None, "")


def _use() -> Optional[tuple[str, Optional[str], str]]:
    """(kind, dataset id, resource id) of the answered request, or None."""
    endpoint = request.endpoint or ""
    args: dict[str, Any] = request.view_args or {}
    if endpoint == "api.action":
        by, name = API_ACTIONS.get(str(args.get("logic_function")), (None, None))
        return ("api", *_dataset_and_resource(by, _parameter(name))) if by else None
    kind = _kind(endpoint)
    if kind is None:
        return None
    if kind == "view":
        # A resource page is a view of its dataset: one visitor, one view a day.
        return kind, _dataset_and_resource("dataset", args.get("id"))[0], ""
    return (kind, *_dataset_and_resource("resource", args.get("resource_id")))


@blueprint.after_app_request
def count_use(response):
    if request.method == "HEAD" or response.status_code not in (200, 302):
        return response
    if CRAWLERS.search(request.user_agent.string or ""):
        return response
    use = _use()
    # A redirect serves only a download (to the link a resource points at).
    if use is None or use[1] is None or (response.status_code == 302 and use[0] != "download"):
        return response
    user = tk.current_user
    who = counter.visitor(user.id if user and user.is_authenticated else None,
                          request.remote_addr, request.user_agent.string)
    counter.count(use[0], use[1], use[2], who)
    return response
