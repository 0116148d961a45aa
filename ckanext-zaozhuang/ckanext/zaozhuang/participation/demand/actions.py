"""Action functions of data requests (需求征集), registered by name prefix zaozhuang_."""
from __future__ import annotations

import datetime
import difflib
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar, lifecycle
from ckanext.zaozhuang.applications.actions import atomic, current_user, validate
from ckanext.zaozhuang.applications.model import as_dict
from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.participation.demand import auth, jobs, schema
from ckanext.zaozhuang.participation import moderation
from ckanext.zaozhuang.participation.demand.model import (
    OPEN_STATES, DataRequest, DataRequestSupport, answer_label, overdue)
from ckanext.zaozhuang.schema import vocabularies

_ = tk._

# Titles at least this similar (difflib's ratio of the folded titles) are one request.
DUPLICATE_RATIO = 0.9


def answer_working_days() -> int:
    return tk.config.get("ckanext.zaozhuang.participation.answer_working_days")


def check_rate(model_class: Any, user: model.User, field: str = "title") -> None:
    """At most the configured number of new entries per user in 24 hours."""
    limit = tk.config.get("ckanext.zaozhuang.participation.daily_limit")
    since = now() - datetime.timedelta(days=1)
    count = (model.Session.query(sa.func.count(model_class.id))
             .filter(model_class.user_id == user.id, model_class.created >= since).scalar())
    if count >= limit:
        raise tk.ValidationError({field: [_(
            "You can file at most {limit} in 24 hours; try again later").format(limit=limit)]})


def department(organization_id: Optional[str], field: str = "organization_id") -> model.Group:
    org = model.Group.get(organization_id) if organization_id else None
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({field: [_("Department not found")]})
    return org


def user_contact(user_id: str) -> dict[str, Any]:
    user = model.User.get(user_id)
    return {"user_name": user.name if user else None,
            "user_fullname": user.fullname if user else None,
            "user_email": user.email if user else None}


def request_dict(row: DataRequest, viewer: Optional[model.User]) -> dict[str, Any]:
    """A request as the API shows it to `viewer`: the requester's identity and contact only
    to those who deal with it."""
    data = as_dict(row)
    data.pop("title_key")
    data.pop("user_id")
    contact = data.pop("contact_phone")
    if auth.may_see_requester(viewer, row):
        data.update(user_contact(row.user_id), user_id=row.user_id, contact_phone=contact)
    data["overdue"] = overdue(row)
    data["state_label"] = state_label(row)
    data["answer_label"] = answer_label(row.answer) if row.answer else None
    data["formats_labels"] = [vocabularies.label("resource_format", c) for c in row.formats]
    data["update_frequency_label"] = (vocabularies.label("update_frequency", row.update_frequency)
                                      if row.update_frequency else None)
    for key in ("organization_id", "proposed_organization_id"):
        org = model.Group.get(getattr(row, key)) if getattr(row, key) else None
        data[key.replace("_id", "_title")] = org.title if org else None
    dataset = model.Package.get(row.dataset_id) if row.dataset_id else None
    visible = dataset is not None and policy.may_see_metadata(viewer, dataset)
    data["dataset_name"] = dataset.name if visible else None
    data["dataset_title"] = dataset.title if visible else None
    data["support_count"] = support_count(row.id)
    data["supported"] = viewer is not None and model.Session.query(
        DataRequestSupport.id).filter_by(request_id=row.id, user_id=viewer.id).first() is not None
    data["may_answer"] = row.state != "submitted" and auth.answers_for(viewer, row)
    data["may_route"] = row.state != "answered" and policy.is_authority(viewer)
    return data


def support_count(request_id: str) -> int:
    return model.Session.query(sa.func.count(DataRequestSupport.id)).filter(
        DataRequestSupport.request_id == request_id).scalar()


def state_label(row: DataRequest) -> str:
    if overdue(row):
        return _("overdue")
    return {"submitted": _("awaiting routing"), "routed": _("awaiting the department's answer"),
            "answered": _("answered")}[row.state]


def _duplicate_of(key: str) -> Optional[DataRequest]:
    for row in model.Session.query(DataRequest).filter(
            DataRequest.state.in_(OPEN_STATES), DataRequest.hidden.is_(False)):
        if row.title_key == key or difflib.SequenceMatcher(
                None, row.title_key, key).ratio() >= DUPLICATE_RATIO:
            return row
    return None


def _duplicate_error(row: DataRequest) -> tk.ValidationError:
    return tk.ValidationError({"title": [_(
        "A similar request is open: “{title}” ({link}); support it instead").format(
            title=row.title, link=tk.url_for("zaozhuang_participation.request_read",
                                             id=row.id))]})


@atomic
def zaozhuang_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask for data that is not in the catalog.

    :param title: what data (at most 200 characters)
    :param description: what it should hold and why it is needed
    :param organization_id: the department thought to hold it (optional)
    :param formats: list of resource_format codes wanted (optional)
    :param update_frequency: an update_frequency code (optional)
    :param contact_phone: optional; shown only to the department and the authority

    A request whose title nearly equals an open one is refused with a link to that one.
    """
    tk.check_access("zaozhuang_request_create", context, data_dict)
    user = current_user(context)
    data = validate(data_dict, schema.request_schema(), context)
    proposed = data.get("organization_id")
    if proposed:
        proposed = department(proposed).id
    check_rate(DataRequest, user)
    key = schema.title_key(data["title"])
    duplicate = _duplicate_of(key)
    if duplicate is not None:
        raise _duplicate_error(duplicate)
    row = DataRequest(user_id=user.id, state="submitted", title=data["title"], title_key=key,
                      description=data["description"], proposed_organization_id=proposed,
                      formats=data.get("formats") or [],
                      update_frequency=data.get("update_frequency"),
                      contact_phone=data.get("contact_phone"), hidden=False)
    model.Session.add(row)
    try:
        model.Session.flush()
    except IntegrityError:
        # The same title filed at the same moment: the unique index decided.
        model.Session.rollback()
        raise _duplicate_error(model.Session.query(DataRequest).filter(
            DataRequest.title_key == key, DataRequest.state.in_(OPEN_STATES),
            DataRequest.hidden.is_(False)).one())
    model.repo.commit()
    return request_dict(row, user)


@tk.side_effect_free
def zaozhuang_request_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One data request, with its answer and support count.

    :param id: the request's id
    """
    tk.check_access("zaozhuang_request_show", context, data_dict)
    return request_dict(auth.get(data_dict.get("id")), current_user(context))


def _query(data: dict[str, Any], user: Optional[model.User]):
    query = model.Session.query(DataRequest)
    if not policy.is_authority(user):
        query = query.filter(DataRequest.hidden.is_(False))
    if data["scope"] == "mine":
        query = query.filter(DataRequest.user_id == user.id)
    elif data["scope"] == "queue" and not policy.is_authority(user):
        query = query.filter(DataRequest.organization_id.in_(
            lifecycle.reviewed_organizations(user)), DataRequest.state == "routed")
    elif data["scope"] == "queue":
        query = query.filter(DataRequest.state.in_(OPEN_STATES))
    if data.get("organization_id"):
        org = model.Group.get(data["organization_id"])
        query = query.filter(DataRequest.organization_id == (org.id if org else None))
    today = calendar.local_date(now())
    state = data.get("state")
    if state == "overdue":
        query = query.filter(DataRequest.state == "routed", DataRequest.due < today)
    elif state:
        query = query.filter(DataRequest.state == state)
    if data.get("q"):
        words = data["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{words}%"
        query = query.filter(sa.or_(DataRequest.title.ilike(pattern),
                                    DataRequest.description.ilike(pattern)))
    return query


@tk.side_effect_free
def zaozhuang_request_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Data requests, newest first.

    :param scope: all (the public list, default), mine, or queue (to route, for the
        authority; to answer, for a department's reviewers)
    :param state: submitted, routed, answered or overdue
    :param q: a word in the title or description
    :param organization_id: the routed department
    :param limit, offset: paging
    """
    tk.check_access("zaozhuang_request_list", context, data_dict)
    data = validate(data_dict, schema.list_schema(), context)
    user = current_user(context)
    query = _query(data, user)
    count = query.count()
    rows = (query.order_by(DataRequest.created.desc())
            .offset(data["offset"]).limit(data["limit"]).all())
    return {"count": count, "results": [request_dict(r, user) for r in rows]}


def lock(request_id: Any) -> DataRequest:
    row = (model.Session.query(DataRequest).filter(DataRequest.id == str(request_id))
           .populate_existing().with_for_update().one_or_none())
    if row is None:
        raise tk.ObjectNotFound(_("Data request not found"))
    return row


@atomic
def zaozhuang_request_route(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Route a request to the department that answers it; its deadline is counted in
    working days from today. A routed request may be routed again (the deadline restarts).

    :param id: the request's id
    :param organization_id: the department
    """
    tk.check_access("zaozhuang_request_route", context, data_dict)
    data = validate(data_dict, schema.route_schema(), context)
    row = lock(data["id"])
    if row.state == "answered":
        raise tk.ValidationError({"state": [_("This request is answered already")]})
    org = department(data["organization_id"])
    user = current_user(context)
    row.organization_id = org.id
    row.state = "routed"
    row.routed_at = now()
    row.routed_by = user.id
    row.due = calendar.calendar().add_working_days(calendar.local_date(row.routed_at),
                                                   answer_working_days())
    model.repo.commit()
    jobs.routed(row)
    return request_dict(row, user)


def _dataset(dataset_id: str, owner_org: Optional[str] = None) -> model.Package:
    dataset = model.Package.get(dataset_id)
    if (dataset is None or dataset.state != "active" or dataset.type != "dataset"
            or (owner_org is not None and dataset.owner_org != owner_org)):
        raise tk.ValidationError({"dataset_id": [
            _("Not a dataset of the department") if owner_org else _("Dataset not found")]})
    return dataset


@atomic
def zaozhuang_request_answer(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The routed department's answer, once.

    :param id: the request's id
    :param answer: will_publish (with ``planned_date``), cannot (with ``legal_basis``) or
        exists (with ``dataset_id``, a dataset in the catalog the public may see)
    :param answer_text: an explanation (optional)
    """
    tk.check_access("zaozhuang_request_answer", context, data_dict)
    data = validate(data_dict, schema.answer_schema(), context)
    row = lock(data["id"])
    if row.state != "routed":
        raise tk.ValidationError({"state": [_("Only a routed request awaiting its answer can be "
                                              "answered")]})
    answer = data["answer"]
    required = {"will_publish": "planned_date", "cannot": "legal_basis",
                "exists": "dataset_id"}[answer]
    if not data.get(required):
        raise tk.ValidationError({required: [_("Missing value")]})
    if answer == "will_publish":
        planned = datetime.date.fromisoformat(data["planned_date"])
        if planned < calendar.local_date(now()):
            raise tk.ValidationError({"planned_date": [_("The date cannot be in the past")]})
        row.planned_date = planned
    elif answer == "cannot":
        row.legal_basis = data["legal_basis"]
    else:
        dataset = _dataset(data["dataset_id"])
        if not policy.may_see_metadata(None, dataset):
            raise tk.ValidationError({"dataset_id": [
                _("Link a dataset the public can see")]})
        row.dataset_id = dataset.id
    user = current_user(context)
    row.answer = answer
    row.answer_text = data.get("answer_text")
    row.state = "answered"
    row.answered_at = now()
    row.answered_by = user.id
    model.repo.commit()
    jobs.answered(row)
    return request_dict(row, user)


@atomic
def zaozhuang_request_link(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Link a request answered "will publish" to the published dataset that satisfies it.

    :param id: the request's id
    :param dataset_id: an active dataset of the routed department
    """
    tk.check_access("zaozhuang_request_link", context, data_dict)
    data = validate(data_dict, schema.link_schema(), context)
    row = lock(data["id"])
    if row.answer != "will_publish":
        raise tk.ValidationError({"state": [_(
            "Only a request answered “will be published” is linked to its dataset")]})
    row.dataset_id = _dataset(data["dataset_id"], row.organization_id).id
    model.repo.commit()
    jobs.answered(row)
    return request_dict(row, current_user(context))


@atomic
def zaozhuang_request_support(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Support a request (once per user; not one's own).

    :param id: the request's id
    :returns: the request, with its support count
    """
    tk.check_access("zaozhuang_request_support", context, data_dict)
    data = validate(data_dict, schema.id_schema(), context)
    row = auth.get(data["id"])
    user = current_user(context)
    if row.hidden and not policy.is_authority(user):
        raise tk.ObjectNotFound(_("Data request not found"))
    if row.user_id == user.id:
        raise tk.ValidationError({"id": [_("You cannot support your own request")]})
    model.Session.add(DataRequestSupport(request_id=row.id, user_id=user.id))
    try:
        model.repo.commit()
    except IntegrityError:
        model.Session.rollback()
        raise tk.ValidationError({"id": [_("You support this request already")]})
    return request_dict(row, user)


@atomic
def zaozhuang_request_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Hide an abusive request from the public; the decision goes into the audit log.

    :param id: the request's id
    :param reason: why (required)
    """
    tk.check_access("zaozhuang_request_hide", context, data_dict)
    data = validate(data_dict, schema.hide_schema(), context)
    row = lock(data["id"])
    user = current_user(context)
    moderation.hide(row, data["reason"], user, "data_request_hide", None, request_id=row.id)
    return request_dict(row, user)


@tk.side_effect_free
def zaozhuang_request_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The requests (of one department, or all) as a spreadsheet for the supply-demand
    meetings; requesters' identities stay out of it.

    :param organization_id: the routed department (optional)
    :param format: xlsx (default) or csv
    :returns: ``{"filename", "format", "mimetype", "count", "content"}``, the file
        base64-encoded in ``content``
    """
    tk.check_access("zaozhuang_request_export", context, data_dict)
    data = validate(data_dict, schema.export_schema(), context)
    user = current_user(context)
    query = model.Session.query(DataRequest).filter(DataRequest.hidden.is_(False))
    stem = "data-requests"
    if data.get("organization_id"):
        org = department(data["organization_id"])
        query = query.filter(DataRequest.organization_id == org.id)
        stem = f"data-requests-{org.name}"
    rows = [request_dict(r, user) for r in query.order_by(DataRequest.created)]
    headers = [_("Title"), _("Description"), _("Department"), _("Formats"),
               _("Update frequency"), _("Status"), _("Due"), _("Answer"), _("Planned date"),
               _("Legal basis"), _("Supporters"), _("Filed")]
    table = [[r["title"], r["description"], r["organization_title"] or "",
              "、".join(r["formats_labels"]), r["update_frequency_label"] or "",
              r["state_label"], r["due"] or "", r["answer_label"] or "",
              r["planned_date"] or "", r["legal_basis"] or "", r["support_count"],
              r["created"][:10]] for r in rows]
    content = spreadsheet.write_table(_("Data requests"), headers, table, data["format"])
    return spreadsheet.file_dict(stem, data["format"], content, len(rows))
