"""Reading the access log. There is deliberately no action that edits or deletes it."""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import AuditEntry, verify_chain
from ckanext.zaozhuang.audit.schema import audit_export_schema, audit_list_schema
from ckanext.zaozhuang.catalog import spreadsheet


def supervised_organizations(user: model.User) -> list[str]:
    """The organizations whose log a provider's admins and editors may read."""
    return [org_id for (org_id,) in model.Session.query(model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity.in_(("admin", "editor")))]


def _filtered(context, data_dict, schema):
    """The entries the user may read that match the filters, newest first, and the
    validated filters. A dataset or department may be named by name or id."""
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        raise tk.ValidationError(errors)
    query = model.Session.query(AuditEntry)
    user = policy.user_object(context.get("user"))
    if not policy.is_authority(user):
        query = query.filter(AuditEntry.organization_id.in_(supervised_organizations(user)))
    if "dataset_id" in data:
        dataset = model.Package.get(data["dataset_id"])
        data["dataset_id"] = dataset.id if dataset is not None else data["dataset_id"]
    if "organization_id" in data:
        org = model.Group.get(data["organization_id"])
        data["organization_id"] = org.id if org is not None else data["organization_id"]
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
    return query.order_by(AuditEntry.created.desc(), AuditEntry.id), data


@tk.side_effect_free
def zaozhuang_audit_list(context, data_dict) -> dict[str, Any]:
    """Access log entries, newest first. The big-data authority reads all of them; a
    department's admins and editors read those of their own datasets. Special audits
    (专项审计) filter by dataset, applicant, department and period.

    :param dataset_id, organization_id: a dataset, a department (name or id; optional)
    :param user: the user who acted (name or id; optional)
    :param event, outcome: filters (optional)
    :param since, until: ISO dates (optional)
    :param limit: at most this many entries (default 100); :param offset: skip this many
    :returns: ``{"count": total matching, "results": [entry, ...]}``
    """
    tk.check_access("zaozhuang_audit_list", context, data_dict)
    query, data = _filtered(context, data_dict, audit_list_schema())
    total = query.count()
    entries = query.offset(data["offset"]).limit(data["limit"]).all()
    return {"count": total, "results": [e.as_dict() for e in entries]}


EXPORT_COLUMNS = ("created", "event", "outcome", "user_name", "user_id", "dataset_id",
                  "organization_id", "resource_id", "grant_id", "path", "client_address",
                  "detail", "seq", "hash")


@tk.side_effect_free
def zaozhuang_audit_export(context, data_dict) -> dict[str, Any]:
    """A special audit's entries as a spreadsheet: the filters of zaozhuang_audit_list, every
    matching entry up to ``ckanext.zaozhuang.audit.export_max``.

    :param format: ``xlsx`` (default) or ``csv``
    :returns: ``{"filename", "format", "mimetype", "count", "content"}``, the file
        base64-encoded in ``content``
    """
    tk.check_access("zaozhuang_audit_list", context, data_dict)
    query, data = _filtered(context, data_dict, audit_export_schema())
    cap = tk.config.get("ckanext.zaozhuang.audit.export_max")
    if query.count() > cap:
        raise tk.ValidationError({"since": [tk._(
            "More than {limit} entries match: narrow the period or the filters").format(
                limit=cap)]})
    rows = [[e.created.isoformat() if c == "created" else
             json.dumps(e.detail, ensure_ascii=False) if c == "detail" else getattr(e, c)
             for c in EXPORT_COLUMNS] for e in query]
    content = spreadsheet.write_table(tk._("Access log"), list(EXPORT_COLUMNS), rows,
                                      data["format"])
    return spreadsheet.file_dict("access-log", data["format"], content, len(rows))


@tk.side_effect_free
def zaozhuang_audit_verify(context, data_dict) -> dict[str, Any]:
    """Check the access log's hash chain from its first entry: an entry altered or removed
    afterwards breaks it. The big-data authority only.

    :returns: ``{"valid": bool, "checked": entries checked before the break or in all,
        "first_broken": None or {"id", "seq", "problem": "content" (the entry was altered)
        or "link" (the entry before it was altered or removed)}}``
    """
    tk.check_access("zaozhuang_audit_verify", context, data_dict)
    return verify_chain()
