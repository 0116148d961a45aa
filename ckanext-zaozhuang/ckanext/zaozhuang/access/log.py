"""Writing the access log: each grant of data on a dataset that is not unconditionally open,
and each refusal, is one entry."""
from __future__ import annotations

from typing import Any, Optional, Union

from flask import has_request_context, request

from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import add


def _request_facts() -> tuple[Optional[str], Optional[str]]:
    if not has_request_context():
        return None, None
    return request.path, request.remote_addr


def record_access(event: str, user: Union[None, str, model.User], dataset: model.Package,
                  resource_id: Optional[str], decision: policy.Decision,
                  **detail: Any) -> None:
    """Log one data access decision. Within a request each (event, resource, outcome) is
    logged once, so a page that calls several actions leaves one entry per access."""
    if decision.allowed and not policy.is_audited(dataset):
        return
    outcome = "allowed" if decision.allowed else "refused"
    if has_request_context():
        seen = request.environ.setdefault("zaozhuang.audited", set())
        if (event, resource_id, outcome) in seen:
            return
        seen.add((event, resource_id, outcome))
    user = policy.user_object(user)
    path, address = _request_facts()
    add(event=event, outcome=outcome,
        user_id=user.id if user else None, user_name=user.name if user else None,
        dataset_id=dataset.id, organization_id=dataset.owner_org, resource_id=resource_id,
        grant_id=decision.grant_id, path=path, client_address=address,
        detail=dict(detail, reason=decision.reason))
    # Refusals end in an exception that rolls the session back: keep the entry regardless.
    model.Session.commit()


def record_decision(event: str, user: Union[None, str, model.User], dataset_id: str,
                    organization_id: Optional[str], **detail: Any) -> None:
    """Log a decision taken on the catalog (e.g. a more restrictive opening category)."""
    user = policy.user_object(user)
    path, address = _request_facts()
    add(event=event, outcome="recorded",
        user_id=user.id if user else None, user_name=user.name if user else None,
        dataset_id=dataset_id, organization_id=organization_id, path=path,
        client_address=address, detail=detail)
