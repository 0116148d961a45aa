"""Decisions on the catalog that the access log keeps."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import logic, model

from ckanext.zaozhuang.access import log as audit_log
from ckanext.zaozhuang.schema.validators import OPENNESS


@tk.chained_action
def package_update(next_action, context, data_dict):
    """A more restrictive opening category, which the schema lets only the big-data
    authority set (validators.zaozhuang_open_category), is written to the access log in the
    same transaction as the update."""
    existing = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    old = (existing.extras or {}).get("open_category") if existing is not None else None
    result = next_action(context, data_dict)
    if existing is None:
        return result
    new = (existing.extras or {}).get("open_category")
    if old in OPENNESS and new in OPENNESS and OPENNESS.index(new) > OPENNESS.index(old):
        audit_log.record_decision("opening_change", context.get("user"), existing.id,
                                  existing.owner_org, old=old, new=new)
        if not context.get("defer_commit"):
            model.Session.commit()
    return result


@tk.chained_action
def organization_update(next_action, context, data_dict):
    """A department's new provider code renumbers its catalog codes in the same transaction:
    a catalog code is the provider code and a sequence number, and codes left with the old
    prefix would fail validation on every later edit of those datasets."""
    group = model.Group.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    old = (group.extras or {}).get("provider_code") if group is not None else None
    deferred = context.get("defer_commit")
    context["defer_commit"] = True
    try:
        result = next_action(context, data_dict)
    finally:
        context["defer_commit"] = deferred
    new = (group.extras or {}).get("provider_code") if group is not None else None
    renumbered = _renumber(group, old, new) if old and new and old != new else []
    if renumbered:
        audit_log.record_decision("provider_code_change", context.get("user"), renumbered[0],
                                  group.id, old=old, new=new, datasets=len(renumbered))
    if not deferred:
        model.repo.commit()
        for package_id in renumbered:
            logic.index_update_package({"ignore_auth": True}, package_id)
    return result


def _renumber(group: model.Group, old: str, new: str) -> list[str]:
    packages = (model.Session.query(model.Package)
                .filter(model.Package.owner_org == group.id,
                        model.Package.extras["catalog_code"].astext.startswith(old + "-"))
                .all())
    for package in packages:
        package.extras = dict(package.extras,
                              catalog_code=new + package.extras["catalog_code"][len(old):])
    return [package.id for package in packages]


def _refuse_if_removed(package: Any, field: str) -> None:
    if package is not None and package.state == "deleted":
        raise tk.ValidationError({field: [tk._(
            "The dataset was removed from the catalog: restore it before changing its "
            "resources")]})


@tk.chained_action
def resource_create(next_action, context, data_dict):
    """Resources are added to datasets in the catalog, not to deleted ones."""
    _refuse_if_removed(model.Package.get(str(data_dict.get("package_id") or "")), "package_id")
    return next_action(context, data_dict)


@tk.chained_action
def resource_update(next_action, context, data_dict):
    resource = model.Resource.get(str(data_dict.get("id") or ""))
    _refuse_if_removed(resource.package if resource is not None else None, "id")
    return next_action(context, data_dict)


def chained_actions() -> dict[str, Callable[..., Any]]:
    return {fn.__name__: fn for fn in (package_update, organization_update, resource_create,
                                       resource_update)}
