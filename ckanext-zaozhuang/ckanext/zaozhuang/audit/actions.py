"""Reading the access log. There is deliberately no action that edits or deletes it."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import AuditEntry
from ckanext.zaozhuang.audit.schema import audit_list_schema


def supervised_organizations(user: model.User) -> list[str]:
    """The organizations whose log a provider's admins and editors may read."""
    return [org_id for (org_id,) in model.Session.query(model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity.in_(("admin", "editor")))]


@tk.side_effect_free
def zaozhuang_audit_list(context, data_dict) -> dict[str, Any]:
    """Access log entries, newest first. The big-data authority reads all of them; a
    department's admins and editors read those of their own datasets.

    :param dataset_id, organization_id, user, event, outcome: filters (optional)
    :param since, until: ISO dates (optional)
    :param limit: at most this many entries (default 100); :param offset: skip this many
    :returns: ``{"count": total matching, "results": [entry, ...]}``
    """
    tk.check_access("zaozhuang_audit_list", context, data_dict)
    data, errors = tk.navl_validate(data_dict, audit_list_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    query = model.Session.query(AuditEntry)
    user = policy.user_object(context.get("user"))
    if not policy.is_authority(user):
        query = query.filter(AuditEntry.organization_id.in_(supervised_organizations(user)))
    for field in ("dataset_id", "organization_id", "event", "outcome"):
        if field in data:
            query = query.filter(getattr(AuditEntry, field) == data[field])
    if "user" in data:
        query = query.filter(sa.or_(AuditEntry.user_name == data["user"],
                                    AuditEntry.user_id == data["user"]))
    if "since" in data:
        query = query.filter(AuditEntry.created >= data["since"])
    if "until" in data:
        query = query.filter(AuditEntry.created < data["until"])
    total = query.count()
    entries = (query.order_by(AuditEntry.created.desc(), AuditEntry.id)
               .offset(data["offset"]).limit(data["limit"]).all())
    return {"count": total, "results": [e.as_dict() for e in entries]}
