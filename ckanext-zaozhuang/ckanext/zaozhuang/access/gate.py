"""The one enforcement step every path into data takes — actions, DataStore auth, the file
API, downloads, dumps and previews: decide with the policy, record the decision in the access
log, and refuse what is not allowed.

Paths name what they reach by a resource id (or a DataStore table, which is one) or by a
dataset; anything that does not resolve to an active resource of an active or draft dataset
is answered as absent, never passed through."""
from __future__ import annotations

from typing import Optional, Union

from flask import has_request_context, request

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import log, policy

User = Union[None, str, model.User]


def resource_and_dataset(resource_id: object) -> tuple[Optional[model.Resource],
                                                       Optional[model.Package]]:
    """The active resource of that id and its dataset, or (None, None)."""
    if not isinstance(resource_id, str) or not resource_id:
        return None, None
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active" or resource.package is None:
        return None, None
    if has_request_context():
        # SQLAlchemy's identity map holds only objects someone references: held for the
        # request, the resource and dataset core's actions look up again come from it.
        request.environ.setdefault("zaozhuang.access_gated", []).append(resource)
    return resource, resource.package


def decide(event: str, user: User, dataset: model.Package,
           resource_id: Optional[str] = None) -> policy.Decision:
    """The policy's decision for this access, written to the access log."""
    decision = policy.data_decision(user, dataset, resource_id)
    log.record_access(event, user, dataset, resource_id, decision)
    return decision


def record_refusal(event: str, user: User, resource_id: object, reason: str) -> None:
    """Log a refusal decided before the policy was asked (e.g. SQL needs an account)."""
    resource, dataset = resource_and_dataset(resource_id)
    if dataset is not None:
        log.record_access(event, user, dataset, resource.id, policy.Decision(False, reason))


def refusal_message(decision: Optional[policy.Decision] = None) -> str:
    # The same words whatever the reason, and no id: a refusal must not tell a caller
    # which datasets exist. A freeze is told: the dataset's description is public anyway.
    if decision is not None and decision.reason == "frozen":
        return tk._("Access to this data is suspended because of a security incident")
    return tk._("No permission to get this data (无权限下载)")


def enforce_resource(event: str, user: User, resource_id: object) -> policy.Decision:
    """Decide, record and refuse (NotAuthorized) an access to one resource's data. An id that
    is not an active resource is refused as well: only known data passes the gate."""
    resource, dataset = resource_and_dataset(resource_id)
    if dataset is None:
        raise tk.NotAuthorized(refusal_message())
    decision = decide(event, user, dataset, resource.id)
    if not decision.allowed:
        raise tk.NotAuthorized(refusal_message(decision))
    return decision
