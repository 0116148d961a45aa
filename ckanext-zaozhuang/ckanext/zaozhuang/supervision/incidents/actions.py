"""Action functions of the incident register (registered by name prefix zaozhuang_).

Freezing writes the access gate's own freeze table (access/model.py), which the policy reads
on every data path: the suspension acts on the next request, wherever the data is asked for.
"""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import log, policy
from ckanext.zaozhuang.access.model import Freeze, Grant, now
from ckanext.zaozhuang.agreements.actions import revoke_grants
from ckanext.zaozhuang.applications import notify
from ckanext.zaozhuang.applications.actions import atomic, current_user, validate
from ckanext.zaozhuang.applications.model import as_dict
from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.supervision.incidents import schema
from ckanext.zaozhuang.supervision.incidents.model import UNCLOSED, Incident, IncidentNote

_ = tk._


def _locked(incident_id: str) -> Incident:
    incident = (model.Session.query(Incident).filter(Incident.id == incident_id)
                .populate_existing().with_for_update().one_or_none())
    if incident is None:
        raise tk.ObjectNotFound(_("Incident not found"))
    return incident


def _subject(incident: Incident) -> tuple[Optional[model.Package], Optional[model.User]]:
    dataset = model.Package.get(incident.dataset_id) if incident.dataset_id else None
    user = model.User.get(incident.user_id) if incident.user_id else None
    return dataset, user


def _concerned_grants(incident: Incident, lock: bool = False) -> list[Grant]:
    """The grants the incident suspends: those on its dataset, or those held by its
    applicant, that have not ended."""
    query = model.Session.query(Grant).filter(Grant.revoked_at.is_(None),
                                              Grant.valid_until > now())
    if incident.dataset_id:
        query = query.filter(Grant.dataset_id == incident.dataset_id)
    else:
        query = query.filter(Grant.user_id == incident.user_id)
    if lock:
        query = query.populate_existing().with_for_update()
    return query.order_by(Grant.created).all()


def _holders(grants: list[Grant]) -> list[model.User]:
    """The users who hold these grants, themselves or as members of a granted department."""
    user_ids = {g.user_id for g in grants if g.user_id}
    org_ids = [g.organization_id for g in grants if g.organization_id]
    if org_ids:
        user_ids.update(user_id for (user_id,) in model.Session.query(model.Member.table_id)
                        .filter(model.Member.group_id.in_(org_ids),
                                model.Member.table_name == "user",
                                model.Member.state == "active"))
    return model.Session.query(model.User).filter(model.User.id.in_(user_ids),
                                                  model.User.state == "active").all()


def _titles(grants: list[Grant]) -> list[str]:
    ids = sorted({g.dataset_id for g in grants})
    return [p.title or p.name for p in model.Session.query(model.Package)
            .filter(model.Package.id.in_(ids)).order_by(model.Package.title)]


def _record(event: str, user: model.User, incident: Incident, **detail: Any) -> None:
    dataset, _user = _subject(incident)
    log.record_decision(event, user, incident.dataset_id,
                        dataset.owner_org if dataset is not None else None,
                        incident_id=incident.id, subject=incident.subject,
                        subject_user_id=incident.user_id, severity=incident.severity, **detail)


def _freeze(incident: Incident, user: model.User) -> list[Grant]:
    """Suspend the subject's data access now; the caller commits, then tells the holders."""
    model.Session.add(Freeze(dataset_id=incident.dataset_id, user_id=incident.user_id,
                             reference=incident.id, created_by=user.id))
    incident.state = "frozen"
    incident.frozen_at = now()
    _record("incident_freeze", user, incident)
    return _concerned_grants(incident)


def _lift(incident: Incident, user: model.User) -> None:
    for freeze in (model.Session.query(Freeze)
                   .filter(Freeze.reference == incident.id, Freeze.lifted_at.is_(None))
                   .with_for_update()):
        freeze.lifted_at = now()
        freeze.lifted_by = user.id


def _tell(grants: list[Grant], lifted: bool) -> None:
    if grants:
        notify.access_suspended(_holders(grants), _titles(grants), lifted)


def incident_dict(incident: Incident, details: bool = False) -> dict[str, Any]:
    data = as_dict(incident)
    data["severity_label"] = schema.severity_label(incident.severity)
    dataset, user = _subject(incident)
    data["dataset_name"] = dataset.name if dataset else None
    data["dataset_title"] = dataset.title if dataset else None
    data["user_name"] = user.name if user else None
    data["user_display_name"] = user.display_name if user else None
    creator = model.User.get(incident.created_by)
    data["created_by_name"] = creator.name if creator else None
    if details:
        notes = (model.Session.query(IncidentNote)
                 .filter(IncidentNote.incident_id == incident.id)
                 .order_by(IncidentNote.created))
        data["notes"] = []
        for note in notes:
            author = model.User.get(note.author_id)
            data["notes"].append(dict(as_dict(note), author_name=author.name if author else None))
        data["grants"] = [dict(g.as_dict(), holder=(
            model.User.get(g.user_id).name if g.user_id and model.User.get(g.user_id)
            else g.organization_id)) for g in _concerned_grants(incident)]
    return data


@atomic
def zaozhuang_incident_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register a security incident (安全事件) on a dataset or on an applicant, and freeze
    its data access at once unless `freeze` is false.

    :param subject: ``dataset`` or ``user``
    :param dataset_id: the dataset (id or name), for a dataset incident
    :param user_id: the applicant (id or name), for an applicant incident
    :param severity: general, serious, major or critical (一般/较大/重大/特别重大)
    :param description: what happened
    :param freeze: suspend the data access now (default true)
    """
    tk.check_access("zaozhuang_incident_create", context, data_dict)
    data = validate(data_dict, schema.create_schema(), context)
    user = current_user(context)
    dataset_id = user_id = None
    if data["subject"] == "dataset":
        dataset = model.Package.get(data["dataset_id"])
        if dataset is None or dataset.state == "deleted" or dataset.type != "dataset":
            raise tk.ValidationError({"dataset_id": [_("Dataset not found")]})
        dataset_id = dataset.id
    else:
        subject = model.User.get(data["user_id"])
        if subject is None or subject.state != "active":
            raise tk.ValidationError({"user_id": [_("User not found")]})
        if policy.is_authority(subject):
            raise tk.ValidationError({"user_id": [
                _("The big-data authority's own staff cannot be frozen")]})
        user_id = subject.id
    field = "dataset_id" if dataset_id else "user_id"
    if model.Session.query(Incident).filter(
            getattr(Incident, field) == (dataset_id or user_id),
            Incident.state.in_(UNCLOSED)).first() is not None:
        raise tk.ValidationError({field: [_("An incident on it is already open")]})
    incident = Incident(subject=data["subject"], dataset_id=dataset_id, user_id=user_id,
                        severity=data["severity"], description=data["description"],
                        created_by=user.id, state="open")
    model.Session.add(incident)
    model.Session.flush()
    _record("incident_open", user, incident)
    frozen = _freeze(incident, user) if data["freeze"] else []
    model.repo.commit()
    policy.forget_cached_holders()
    _tell(frozen, lifted=False)
    return incident_dict(incident)


@atomic
def zaozhuang_incident_freeze(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Freeze the data access of an open incident's subject now.

    :param id: the incident's id
    """
    tk.check_access("zaozhuang_incident_freeze", context, data_dict)
    data = validate(data_dict, schema.id_schema(), context)
    incident = _locked(data["id"])
    if incident.state != "open":
        raise tk.ValidationError({"state": [_("Only an open incident that is not frozen "
                                              "can be frozen")]})
    frozen = _freeze(incident, current_user(context))
    model.repo.commit()
    policy.forget_cached_holders()
    _tell(frozen, lifted=False)
    return incident_dict(incident)


@atomic
def zaozhuang_incident_note_add(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a follow-up note to an incident.

    :param id: the incident's id
    :param body: the note
    """
    tk.check_access("zaozhuang_incident_note_add", context, data_dict)
    data = validate(data_dict, schema.note_schema(), context)
    incident = _locked(data["id"])
    user = current_user(context)
    note = IncidentNote(incident_id=incident.id, author_id=user.id, body=data["body"])
    model.Session.add(note)
    _record("incident_note", user, incident, note=data["body"][:200])
    model.repo.commit()
    return as_dict(note)


@atomic
def zaozhuang_incident_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Close an incident: ``lifted`` restores the suspended access, ``revoked`` ends the
    grants concerned for good (their applications are revoked, the holders told). Either way
    the freeze ends.

    :param id: the incident's id
    :param outcome: ``lifted`` or ``revoked``
    :param reason: why (required)
    """
    tk.check_access("zaozhuang_incident_close", context, data_dict)
    data = validate(data_dict, schema.close_schema(), context)
    incident = _locked(data["id"])
    if incident.state not in UNCLOSED:
        raise tk.ValidationError({"state": [_("This incident is closed already")]})
    user = current_user(context)
    was_frozen = incident.state == "frozen"
    grants = _concerned_grants(incident, lock=True)
    _lift(incident, user)
    incident.state = data["outcome"]
    incident.closed_at = now()
    incident.closed_by = user.id
    incident.closing_reason = data["reason"]
    _record(f"incident_{data['outcome']}", user, incident, reason=data["reason"],
            grant_ids=[g.id for g in grants])
    if data["outcome"] == "revoked":
        revoke_grants(grants, user, data["reason"])
    model.repo.commit()
    policy.forget_cached_holders()
    if data["outcome"] == "lifted" and was_frozen:
        _tell(grants, lifted=True)
    return incident_dict(incident)


@tk.side_effect_free
def zaozhuang_incident_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An incident with its notes and the grants it concerns.

    :param id: the incident's id
    """
    tk.check_access("zaozhuang_incident_show", context, data_dict)
    data = validate(data_dict, schema.id_schema(), context)
    incident = model.Session.get(Incident, data["id"])
    if incident is None:
        raise tk.ObjectNotFound(_("Incident not found"))
    return incident_dict(incident, details=True)


@tk.side_effect_free
def zaozhuang_incident_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The incident register, newest first.

    :param state: open, frozen, lifted or revoked (optional)
    """
    tk.check_access("zaozhuang_incident_list", context, data_dict)
    data = validate(data_dict, schema.list_schema(), context)
    query = model.Session.query(Incident)
    if data.get("state"):
        query = query.filter(Incident.state == data["state"])
    return [incident_dict(i) for i in query.order_by(Incident.created.desc(), Incident.id)]



@tk.side_effect_free
def zaozhuang_incident_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The incident register as a spreadsheet.

    :param format: ``xlsx`` (default) or ``csv``
    :returns: ``{"filename", "format", "mimetype", "count", "content"}``, the file
        base64-encoded in ``content``
    """
    tk.check_access("zaozhuang_incident_export", context, data_dict)
    data = validate(data_dict, schema.export_schema(), context)
    incidents = zaozhuang_incident_list(context, {})
    headers = [_("Registered"), _("Subject"), _("Dataset"), _("Applicant"), _("Severity"),
               _("State"), _("Description"), _("Frozen"), _("Closed"), _("Closing reason")]
    rows = [[i["created"][:19], _("Dataset") if i["subject"] == "dataset" else _("Applicant"),
             i["dataset_title"] or i["dataset_id"] or "", i["user_name"] or "",
             i["severity_label"], schema.state_label(i["state"]), i["description"],
             (i["frozen_at"] or "")[:19], (i["closed_at"] or "")[:19],
             i["closing_reason"] or ""] for i in incidents]
    content = spreadsheet.write_table(_("Incidents"), headers, rows, data["format"])
    return spreadsheet.file_dict("incidents", data["format"], content, len(rows))
