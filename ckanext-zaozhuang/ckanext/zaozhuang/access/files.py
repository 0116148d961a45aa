"""CKAN 2.12's file API (`/file/download/<id>`, `file_show`) under the access policy: a file
owned by a resource or dataset is readable by those who may get that resource's data."""
from __future__ import annotations

from typing import Any, Optional

from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.audit import log as audit_log


def file_allows(context: Any, file: model.File, operation: str) -> Optional[bool]:
    owner = file.owner
    if operation != "show" or owner is None:
        return None  # editing and deleting stay with CKAN's own rules
    if owner.owner_type == "resource":
        resource = model.Resource.get(owner.owner_id)
        dataset = resource.package if resource is not None else None
    elif owner.owner_type == "package":
        resource, dataset = None, model.Package.get(owner.owner_id)
    else:
        return None
    if dataset is None:
        return None
    user = context.get("auth_user_obj") or context.get("user")
    decision = policy.data_decision(user, dataset, resource.id if resource else None)
    audit_log.record_access("file", user, dataset, resource.id if resource else None, decision)
    return decision.allowed
