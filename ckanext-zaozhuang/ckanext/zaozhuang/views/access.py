"""The page routes into data — resource downloads (uploads and the redirect of links),
DataStore dumps and resource previews — asked of the access policy before CKAN serves them.

A guard on the app rather than copies of CKAN's views: the core views keep serving what is
allowed, and every refusal gets the same explanation page."""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, request

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.actions import resource_and_dataset
from ckanext.zaozhuang.audit import log as audit_log

blueprint = Blueprint("zaozhuang_access", __name__)

# Endpoint suffix → the event logged. Dataset types register their own resource blueprints
# ("dataset_resource", ...), hence suffixes.
GUARDED = {
    "resource.download": "download",
    "resource.view": "preview",
    "datastore.dump": "datastore_dump",
}


def _event(endpoint: Optional[str]) -> Optional[str]:
    for suffix, event in GUARDED.items():
        if endpoint and (endpoint == suffix or endpoint.endswith("_" + suffix)):
            return event
    return None


def _current_user() -> Optional[model.User]:
    user = tk.current_user
    return policy.user_object(user.name) if user and user.is_authenticated else None


@blueprint.before_app_request
def guard_data_routes():
    event = _event(request.endpoint)
    if event is None:
        return None
    resource, dataset = resource_and_dataset((request.view_args or {}).get("resource_id"))
    if dataset is None:
        return None  # CKAN answers 404
    user = _current_user()
    if not policy.may_see_metadata(user, dataset):
        # Logged as refused; CKAN then answers 404 as for a dataset that does not exist.
        audit_log.record_access(event, user, dataset, resource.id,
                                policy.Decision(False, "not_visible"))
        return None
    decision = policy.data_decision(user, dataset, resource.id)
    audit_log.record_access(event, user, dataset, resource.id, decision)
    if decision.allowed:
        return None
    dataset_dict = tk.get_action("package_show")(
        {"user": user.name if user else ""}, {"id": dataset.id})
    return tk.render("zaozhuang/access/refused.html", {
        "pkg": dataset_dict, "resource_id": resource.id, "decision": decision,
    }), 403
