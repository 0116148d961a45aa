"""CKAN 2.12's file API (`/file/download/<id>`, `file_show`) under the access gate: a file
owned by a resource or dataset is readable by those who may get that resource's data."""
from __future__ import annotations

from typing import Any, Optional

from ckan import model

from ckanext.zaozhuang.access import gate


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
        return False  # owned by something gone: nobody reads it through the portal
    user = context.get("auth_user_obj") or context.get("user")
    return gate.decide("file", user, dataset, resource.id if resource else None).allowed
