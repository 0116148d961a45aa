"""Action functions of error reports (纠错), registered by name prefix zaozhuang_."""
from __future__ import annotations

import datetime
from typing import Any, Optional


import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar, lifecycle
from ckanext.zaozhuang.applications.actions import atomic, current_user, validate
from ckanext.zaozhuang.applications.model import as_dict
from ckanext.zaozhuang.participation.corrections import auth, jobs, schema
from ckanext.zaozhuang.participation import moderation
from ckanext.zaozhuang.participation.corrections.model import (
    ErrorReport, answer_label, is_urgent, kind_label, overdue)
from ckanext.zaozhuang.participation.demand.actions import answer_working_days, check_rate

_ = tk._


def state_label(row: ErrorReport) -> str:
    if overdue(row):
        return _("overdue")
    return {"open": _("awaiting the provider's answer"), "answered": _("answered")}[row.state]


def report_dict(row: ErrorReport, viewer: Optional[model.User]) -> dict[str, Any]:
    """A report as `viewer` may see it: the reporter only to the reporter, the providing
    department and the authority."""
    data = as_dict(row)
    user_id = data.pop("user_id")
    if auth.may_see_reporter(viewer, row):
        reporter = model.User.get(user_id)
        data.update(user_id=user_id, user_name=reporter.name if reporter else None,
                    user_fullname=reporter.fullname if reporter else None,
                    user_email=reporter.email if reporter else None)
    dataset = model.Package.get(row.dataset_id)
    data["dataset_name"] = dataset.name if dataset else None
    data["dataset_title"] = dataset.title if dataset else None
    resource = model.Resource.get(row.resource_id) if row.resource_id else None
    data["resource_name"] = resource.name if resource else None
    org = model.Group.get(row.organization_id)
    data["organization_title"] = org.title if org else None
    data["kind_label"] = kind_label(row.kind)
    data["answer_label"] = answer_label(row.answer) if row.answer else None
    data["state_label"] = state_label(row)
    data["overdue"] = overdue(row)
    data["may_answer"] = row.state == "open" and auth.answers_for(viewer, row)
    return data


@atomic
def zaozhuang_correction_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Report an error in a dataset (or one of its resources) the user may see.

    :param dataset_id: id or name of the dataset
    :param resource_id: one of its resources (optional)
    :param kind: wrong_value, outdated, broken_link, mismatch or personal_data (exposed
        personal information: urgent, mailed to the big-data authority at once)
    :param description: what is wrong (HTML is removed)
    """
    tk.check_access("zaozhuang_correction_create", context, data_dict)
    user = current_user(context)
    data = validate(data_dict, schema.report_schema(), context)
    dataset = auth.visible_dataset(user, data["dataset_id"])
    resource_id = data.get("resource_id")
    if resource_id and resource_id not in {r.id for r in dataset.resources}:
        raise tk.ValidationError({"resource_id": [_("Not a resource of this dataset")]})
    check_rate(ErrorReport, user, "description")
    created = now()
    row = ErrorReport(user_id=user.id, state="open", dataset_id=dataset.id,
                      resource_id=resource_id, organization_id=dataset.owner_org,
                      kind=data["kind"], description=data["description"], created=created,
                      due=calendar.calendar().add_working_days(
                          calendar.local_date(created), answer_working_days()),
                      hidden=False)
    row.urgent = is_urgent(row)
    model.Session.add(row)
    model.repo.commit()
    jobs.filed(row)
    return report_dict(row, user)


@tk.side_effect_free
def zaozhuang_correction_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One error report and its answer.

    :param id: the report's id
    """
    tk.check_access("zaozhuang_correction_show", context, data_dict)
    user = current_user(context)
    return report_dict(auth.get(data_dict.get("id"), user), user)


@tk.side_effect_free
def zaozhuang_correction_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Error reports on the datasets the user may see, newest first.

    :param scope: all (default), mine, or queue (those the user's departments answer; all
        open ones for the authority)
    :param state: open, answered or overdue
    :param dataset_id: one dataset
    :param q: a word in the description
    :param limit, offset: paging
    """
    tk.check_access("zaozhuang_correction_list", context, data_dict)
    data = validate(data_dict, schema.list_schema(), context)
    user = current_user(context)
    query = model.Session.query(ErrorReport)
    if not policy.is_authority(user):
        query = query.filter(ErrorReport.hidden.is_(False))
    if data["scope"] == "mine":
        query = query.filter(ErrorReport.user_id == user.id)
    elif data["scope"] == "queue":
        query = query.filter(ErrorReport.state == "open")
        if not policy.is_authority(user):
            query = query.filter(ErrorReport.organization_id.in_(
                lifecycle.reviewed_organizations(user)))
    if data.get("dataset_id"):
        dataset = model.Package.get(data["dataset_id"])
        query = query.filter(ErrorReport.dataset_id == (dataset.id if dataset else None))
    state = data.get("state")
    if state == "overdue":
        query = query.filter(ErrorReport.state == "open",
                             ErrorReport.due < calendar.local_date(now()))
    elif state:
        query = query.filter(ErrorReport.state == state)
    if data.get("q"):
        words = data["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.filter(ErrorReport.description.ilike(f"%{words}%"))
    # Visibility follows each dataset's, which the policy decides row by row.
    visible = [row for row in query.order_by(ErrorReport.created.desc())
               if _visible(user, row.dataset_id)]
    page = visible[data["offset"]:data["offset"] + data["limit"]]
    return {"count": len(visible), "results": [report_dict(r, user) for r in page]}


def _visible(user: Optional[model.User], dataset_id: str) -> bool:
    dataset = model.Package.get(dataset_id)
    return dataset is not None and policy.may_see_metadata(user, dataset)


def _lock(report_id: str) -> ErrorReport:
    return (model.Session.query(ErrorReport).filter(ErrorReport.id == report_id)
            .populate_existing().with_for_update().one())


@atomic
def zaozhuang_correction_answer(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The providing department's answer, once.

    :param id: the report's id
    :param answer: fixed, will_fix (with ``fix_date``) or not_error (with ``answer_text``,
        the reason)
    :param answer_text: what was done, or why it is not an error
    """
    tk.check_access("zaozhuang_correction_answer", context, data_dict)
    data = validate(data_dict, schema.answer_schema(), context)
    row = _lock(data["id"])
    if row.state != "open":
        raise tk.ValidationError({"state": [_("This report is answered already")]})
    if data["answer"] == "will_fix":
        if not data.get("fix_date"):
            raise tk.ValidationError({"fix_date": [_("Missing value")]})
        fix_date = datetime.date.fromisoformat(data["fix_date"])
        if fix_date < calendar.local_date(now()):
            raise tk.ValidationError({"fix_date": [_("The date cannot be in the past")]})
        row.fix_date = fix_date
    if data["answer"] == "not_error" and not data.get("answer_text"):
        raise tk.ValidationError({"answer_text": [_("Give a reason")]})
    user = current_user(context)
    row.answer = data["answer"]
    row.answer_text = data.get("answer_text")
    row.state = "answered"
    row.answered_at = now()
    row.answered_by = user.id
    model.repo.commit()
    jobs.answered(row)
    return report_dict(row, user)


@atomic
def zaozhuang_correction_hide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Hide an abusive report; the decision goes into the audit log.

    :param id: the report's id
    :param reason: why (required)
    """
    tk.check_access("zaozhuang_correction_hide", context, data_dict)
    data = validate(data_dict, schema.hide_schema(), context)
    row = _lock(data["id"])
    user = current_user(context)
    moderation.hide(row, data["reason"], user, "error_report_hide", row.dataset_id,
                    report_id=row.id)
    return report_dict(row, user)
