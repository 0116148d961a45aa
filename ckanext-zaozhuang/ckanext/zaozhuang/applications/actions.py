"""Action functions of the applications domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

import datetime
import functools
import logging
from typing import Any, Callable, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import Grant, add as add_log_entry, now
from ckanext.zaozhuang.agreements import text as agreement_text
from ckanext.zaozhuang.agreements.model import Agreement
from ckanext.zaozhuang.applications import calendar, lifecycle, notify, schema
from ckanext.zaozhuang.applications.model import (
    ApplicantProfile, Application, ApplicationEvent, as_dict)

log = logging.getLogger(__name__)
_ = tk._


# Shared by the applications and agreements actions

def current_user(context: Context) -> Optional[model.User]:
    return policy.user_object(context.get("user"))


def atomic(action: Callable[..., Any]) -> Callable[..., Any]:
    """Nothing of a failed action stays in the session, and the row locks it took are
    released: bad input never leaves a half-written record."""
    @functools.wraps(action)
    def wrapper(context: Context, data_dict: DataDict) -> Any:
        try:
            return action(context, data_dict)
        except Exception:
            model.Session.rollback()
            raise
    return wrapper


def validate(data_dict: DataDict, fields: dict[str, Any], context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, fields, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def application_dict(application: Application, events: bool = False,
                     viewer: Optional[model.User] = None) -> dict[str, Any]:
    """An application as the API shows it. With `viewer`, a dataset they may no longer see
    (deleted, made private or not_open since) is not named."""
    data = as_dict(application)
    data.update(lifecycle.summary(application))
    dataset = model.Package.get(application.dataset_id)
    if dataset is not None and viewer is not None and not policy.may_see_metadata(viewer, dataset):
        dataset = None
    provider = model.Group.get(application.provider_id)
    data["dataset_name"] = dataset.name if dataset else None
    data["dataset_title"] = dataset.title if dataset else None
    data["provider_title"] = provider.title if provider else None
    if application.organization_id:
        org = model.Group.get(application.organization_id)
        data["organization_title"] = org.title if org else None
    applicant = model.User.get(application.user_id)
    data["user_name"] = applicant.name if applicant else None
    agreement = (model.Session.query(Agreement)
                 .filter(Agreement.application_id == application.id).one_or_none())
    data["agreement_id"] = agreement.id if agreement else None
    data["grant_id"] = agreement.grant_id if agreement else None
    # An active grant suspended by a security incident on the dataset or the applicant.
    data["suspended"] = data["effective_state"] == "active" and policy.is_frozen(
        application.dataset_id, application.user_id)
    if events:
        rows = (model.Session.query(ApplicationEvent)
                .filter(ApplicationEvent.application_id == application.id)
                .order_by(ApplicationEvent.created))
        data["events"] = [dict(as_dict(e), action_label=lifecycle.action_label(e.action),
                               to_state_label=lifecycle.state_label(e.to_state))
                          for e in rows]
    return data


def record_decision(event: str, user: model.User, application: Application,
                    grant_id: Optional[str] = None, reason: Optional[str] = None) -> None:
    """Decisions on conditional data go into the audit log (安全审计) too."""
    add_log_entry(event=event, outcome="recorded", user_id=user.id, user_name=user.name,
                  dataset_id=application.dataset_id, organization_id=application.provider_id,
                  grant_id=grant_id,
                  detail={"application_id": application.id, "reason": reason})


# Profiles

def _profile_dict(profile: Optional[ApplicantProfile], user: model.User) -> dict[str, Any]:
    if profile is None:
        return {"user_id": user.id, "applicant_type": None}
    return as_dict(profile)


def _save_profile(user: model.User, data: dict[str, Any]) -> ApplicantProfile:
    profile = model.Session.get(ApplicantProfile, user.id) or ApplicantProfile(user_id=user.id)
    for field in schema.PROFILE_FIELDS:
        setattr(profile, field, data.get(field))
    model.Session.add(profile)
    return profile


def _profile_user(context: Context, data_dict: DataDict) -> model.User:
    user = policy.user_object(data_dict.get("user_id") or context.get("user"))
    if user is None:
        raise tk.ObjectNotFound(_("User not found"))
    return user


@tk.side_effect_free
def zaozhuang_applicant_profile_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The applicant profile a user last applied with.

    :param user_id: name or id of the user (default: the current user)
    """
    tk.check_access("zaozhuang_applicant_profile_show", context, data_dict)
    user = _profile_user(context, data_dict)
    return _profile_dict(model.Session.get(ApplicantProfile, user.id), user)


@atomic
def zaozhuang_applicant_profile_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set who the current user applies as: ``applicant_type`` individual (``real_name``,
    ``phone``), enterprise or organization (``entity_name``, ``credit_code``,
    ``contact_name``, ``contact_phone``, ``contact_email``) or department
    (``organization_id``, a department the user is a member of)."""
    tk.check_access("zaozhuang_applicant_profile_update", context, data_dict)
    user = _profile_user(context, data_dict)
    data = validate(data_dict, schema.applicant_profile_schema(), dict(context, user=user.name))
    profile = _save_profile(user, data)
    model.repo.commit()
    return _profile_dict(profile, user)


# Applications

def _with_profile(data_dict: DataDict, user: model.User) -> dict[str, Any]:
    """The applicant fields not given are taken from the kept profile."""
    data = dict(data_dict)
    profile = model.Session.get(ApplicantProfile, user.id)
    if profile is not None and not data.get("applicant_type"):
        for field in schema.PROFILE_FIELDS:
            data.setdefault(field, getattr(profile, field))
    return data


def _dataset_for(dataset_id: str, kind: str, organization_id: Optional[str]) -> model.Package:
    dataset = model.Package.get(dataset_id)
    if dataset is None or dataset.state != "active" or dataset.type != "dataset":
        raise tk.ValidationError({"dataset_id": [_("Dataset not found")]})
    extras = dataset.extras or {}
    if kind == "open" and extras.get("open_category") != "conditional":
        raise tk.ValidationError({"dataset_id": [
            _("Only conditionally open datasets accept applications")]})
    if kind == "share":
        if extras.get("share_category") != "conditional":
            raise tk.ValidationError({"dataset_id": [
                _("Only conditionally shared datasets accept applications from departments")]})
        if organization_id == dataset.owner_org:
            raise tk.ValidationError({"organization_id": [
                _("Your department provides this dataset and has its data already")]})
    return dataset


def _check_resources(dataset: model.Package, resource_ids: Optional[list[str]]) -> None:
    if resource_ids is None:
        return
    known = {r.id for r in dataset.resources}
    unknown = [i for i in resource_ids if i not in known]
    if unknown:
        raise tk.ValidationError({"resource_ids": [
            _("Not a resource of this dataset: {ids}").format(ids=", ".join(unknown))]})


def _write(application: Application, data: dict[str, Any], user: model.User) -> None:
    """Copy the validated fields and the applicant identity into the application."""
    kind = "share" if data["applicant_type"] == "department" else "open"
    dataset = _dataset_for(application.dataset_id or data["dataset_id"], kind,
                           data.get("organization_id"))
    _check_resources(dataset, data.get("resource_ids"))
    application.dataset_id = dataset.id
    application.kind = kind
    application.applicant_type = data["applicant_type"]
    application.applicant = {f: data.get(f) for f in schema.PROFILE_FIELDS
                             if data.get(f) is not None and f != "applicant_type"}
    application.organization_id = data.get("organization_id") if kind == "share" else None
    for field in ("purpose", "scenario", "security_measures", "expected_results"):
        setattr(application, field, data[field])
    application.resource_ids = data.get("resource_ids")
    application.period_start = datetime.date.fromisoformat(data["period_start"])
    application.period_end = datetime.date.fromisoformat(data["period_end"])
    application.pledge_accepted = True
    application.pledge_text = tk.config.get("ckanext.zaozhuang.applications.pledge_text")
    _save_profile(user, data)


@atomic
def zaozhuang_application_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Write a draft application for a conditional dataset; submit it with
    ``zaozhuang_application_submit``.

    :param dataset_id: id or name of a conditionally open dataset (or, for a department
        applicant, a conditionally shared one)
    :param resource_ids: list of resource ids wanted (default: all)
    :param purpose, scenario, security_measures, expected_results: 用途, 应用场景, 安全保障措施,
        预期成果
    :param period_start, period_end: requested period, YYYY-MM-DD
    :param pledge_accepted: true: the data-security pledge is accepted
    :param applicant_type and its identity fields: see zaozhuang_applicant_profile_update
        (default: the kept profile)
    """
    tk.check_access("zaozhuang_application_create", context, data_dict)
    user = current_user(context)
    data = validate(_with_profile(data_dict, user), schema.application_schema(), context)
    dataset = model.Package.get(data["dataset_id"])
    if dataset is None:
        raise tk.ValidationError({"dataset_id": [_("Dataset not found")]})
    renewal_of = data.get("renewal_of")
    if renewal_of and not lifecycle.is_applicant(user, lifecycle.get(renewal_of)):
        raise tk.ValidationError({"renewal_of": [_("Only your own applications can be renewed")]})
    application = Application(user_id=user.id, state="draft", dataset_id=dataset.id,
                              provider_id=dataset.owner_org, reminders_sent=[],
                              renewal_of=renewal_of)
    _write(application, data, user)
    model.Session.add(application)
    model.Session.flush()
    lifecycle.record_creation(application, user, "renew" if application.renewal_of else "create")
    model.repo.commit()
    return application_dict(application, events=True)


@atomic
def zaozhuang_application_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft or returned application: the same fields as create (not the dataset).

    :param id: the application's id
    """
    tk.check_access("zaozhuang_application_update", context, data_dict)
    user = current_user(context)
    application = lifecycle.lock(data_dict.get("id"))
    if application.state not in lifecycle.EDITABLE:
        raise tk.ValidationError({"state": [_(
            "This application is {state}: only drafts and returned applications can be edited"
        ).format(state=lifecycle.state_label(lifecycle.effective_state(application)))]})
    data = validate(_with_profile(data_dict, user), schema.application_update_schema(),
                     context)
    _write(application, data, user)
    model.Session.add(ApplicationEvent(application_id=application.id, action="update",
                                       actor_id=user.id, actor_name=user.name,
                                       from_state=application.state, to_state=application.state))
    model.repo.commit()
    return application_dict(application, events=True)


def _transition(context: Context, data_dict: DataDict, action: str) -> Application:
    tk.check_access(f"zaozhuang_application_{action}", context, data_dict)
    data = validate(data_dict, schema.reason_schema(), context)
    application = lifecycle.lock(data["id"])
    lifecycle.transition(application, action, current_user(context), data.get("reason"))
    return application


def _deadline(field: str, work: calendar.Calendar, start: datetime.date,
              days: int) -> datetime.date:
    """A deadline in working days; a year without a holiday schedule is refused by name."""
    try:
        return work.add_working_days(start, days)
    except calendar.UncoveredYear as error:
        raise tk.ValidationError({field: [_(
            "The working days of {year} are not known yet (no holiday schedule covers it): "
            "this deadline cannot be counted").format(year=error.year)]})


@atomic
def zaozhuang_application_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft, or resubmit a returned application, for review. The form-check and
    decision deadlines are counted in working days from today.

    :param id: the application's id
    """
    resubmitted = lifecycle.get(data_dict.get("id")).state == "returned"
    application = _transition(context, data_dict, "submit")
    _dataset_for(application.dataset_id, application.kind, application.organization_id)
    work = calendar.calendar()
    today = calendar.local_date(now())
    application.submitted_at = now()
    application.form_check_due = _deadline(
        "form_check_due", work, today,
        tk.config.get("ckanext.zaozhuang.applications.form_check_working_days"))
    application.decision_due = _deadline(
        "decision_due", work, application.form_check_due,
        tk.config.get("ckanext.zaozhuang.applications.decision_working_days"))
    model.repo.commit()
    notify.submitted(application, resubmitted)
    return application_dict(application, events=True)


@atomic
def zaozhuang_application_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Withdraw an application before it is decided.

    :param id: the application's id
    :param reason: optional
    """
    application = _transition(context, data_dict, "withdraw")
    model.repo.commit()
    return application_dict(application, events=True)


@atomic
def zaozhuang_application_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a submitted application to the applicant for more material.

    :param id: the application's id
    :param reason: what is missing (required)
    """
    application = _transition(context, data_dict, "return")
    model.repo.commit()
    notify.returned(application, data_dict["reason"])
    return application_dict(application, events=True)


def _decide(context: Context, data_dict: DataDict, action: str) -> Application:
    application = _transition(context, data_dict, action)
    user = current_user(context)
    application.decided_at = now()
    application.decided_by = user.id
    application.decision_reason = (data_dict.get("reason") or "").strip() or None
    record_decision(f"application_{action}", user, application,
                    reason=application.decision_reason)
    return application


@atomic
def zaozhuang_application_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve a submitted application: its agreement is rendered from the providing
    department's (or the portal's) current template and awaits the applicant's signature.

    :param id: the application's id
    :param reason: optional comment
    """
    template = agreement_text.template_for(lifecycle.get(data_dict.get("id")).provider_id)
    if template is None:
        raise tk.ValidationError({"template": [
            _("No agreement template exists yet: the big-data authority must create one")]})
    application = _decide(context, data_dict, "approve")
    body = agreement_text.render(template, application)
    model.Session.add(Agreement(
        application_id=application.id, template_id=template.id,
        template_version=template.version, title=template.title, text=body,
        text_sha256=agreement_text.sha256(body)))
    model.repo.commit()
    notify.decided(application)
    return application_dict(application, events=True)


@atomic
def zaozhuang_application_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reject a submitted application.

    :param id: the application's id
    :param reason: why (required)
    """
    application = _decide(context, data_dict, "reject")
    model.repo.commit()
    notify.decided(application)
    return application_dict(application, events=True)


@tk.side_effect_free
def zaozhuang_application_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An application with its timeline (``events``).

    :param id: the application's id
    """
    tk.check_access("zaozhuang_application_show", context, data_dict)
    return application_dict(lifecycle.get(data_dict.get("id")), events=True,
                            viewer=current_user(context))


@tk.side_effect_free
def zaozhuang_application_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Applications, newest first: ``count`` and ``results``.

    :param scope: ``mine`` (default: the current user's) or ``review`` (those the user
        reviews: the departments' where the user has a reviewer role, or all for the
        big-data authority)
    :param organization_id: only the applications to this providing department
    :param dataset_id: only those for this dataset
    :param state: only those in this state
    :param filter: ``pending`` (awaiting a decision), ``returned`` or ``overdue``
    :param limit, offset: paging (default 50, 0)
    """
    tk.check_access("zaozhuang_application_list", context, data_dict)
    data = validate(data_dict, schema.application_list_schema(), context)
    user = current_user(context)
    query = model.Session.query(Application)
    if data["scope"] == "mine":
        query = query.filter(Application.user_id == user.id)
    else:
        # Drafts are the applicant's own until submitted.
        query = query.filter(Application.state != "draft")
        if not policy.is_authority(user):
            query = query.filter(
                Application.provider_id.in_(lifecycle.reviewed_organizations(user)))
    if data.get("organization_id"):
        org = model.Group.get(data["organization_id"])
        query = query.filter(Application.provider_id == (org.id if org else None))
    if data.get("dataset_id"):
        dataset = model.Package.get(data["dataset_id"])
        query = query.filter(Application.dataset_id == (dataset.id if dataset else None))
    if data.get("state"):
        query = query.filter(Application.state == data["state"])
    today = calendar.local_date(now())
    if data.get("filter") == "pending":
        query = query.filter(Application.state == "submitted")
    elif data.get("filter") == "returned":
        query = query.filter(Application.state == "returned")
    elif data.get("filter") == "overdue":
        query = query.filter(Application.state == "submitted",
                             sa.or_(Application.form_check_due < today,
                                    Application.decision_due < today))
    count = query.count()
    rows = (query.order_by(Application.modified.desc())
            .offset(data["offset"]).limit(data["limit"]).all())
    viewer = current_user(context)
    return {"count": count, "results": [application_dict(a, viewer=viewer) for a in rows]}


@atomic
def zaozhuang_application_renew(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A new draft prefilled from an active or expired application, for the period that
    follows it (same length, within the longest allowed).

    :param id: the previous application's id
    """
    tk.check_access("zaozhuang_application_renew", context, data_dict)
    previous = lifecycle.get(data_dict.get("id"))
    state = lifecycle.effective_state(previous)
    if state not in ("active", lifecycle.EXPIRED):
        raise tk.ValidationError({"state": [_(
            "Only an active or expired grant can be renewed; this application is {state}"
        ).format(state=lifecycle.state_label(state))]})
    today = calendar.local_date(now())
    start = max(today, previous.period_end + datetime.timedelta(days=1))
    length = min((previous.period_end - previous.period_start).days,
                 tk.config.get("ckanext.zaozhuang.applications.max_grant_days") - 1)
    prefilled = dict(previous.applicant, applicant_type=previous.applicant_type,
                     dataset_id=previous.dataset_id, resource_ids=previous.resource_ids,
                     purpose=previous.purpose, scenario=previous.scenario,
                     security_measures=previous.security_measures,
                     expected_results=previous.expected_results,
                     period_start=start.isoformat(),
                     period_end=(start + datetime.timedelta(days=length)).isoformat(),
                     pledge_accepted=True, renewal_of=previous.id)
    return tk.get_action("zaozhuang_application_create")(context, prefilled)


def grant_for(application: Application) -> Optional[Grant]:
    agreement = (model.Session.query(Agreement)
                 .filter(Agreement.application_id == application.id).one_or_none())
    return model.Session.get(Grant, agreement.grant_id) if agreement and agreement.grant_id else None


def _within_working_days(work: calendar.Calendar, today: datetime.date,
                         due: datetime.date, days: int) -> bool:
    """Whether `due` is at most `days` working days away; unknown (False, logged) in a year
    without a holiday schedule: no reminder is sent on a guess."""
    try:
        return work.working_days_between(today, due) <= days
    except calendar.UncoveredYear as error:
        log.warning("no holiday schedule covers %s: no deadline reminder for %s", error.year, due)
        return False


@atomic
def zaozhuang_application_send_reminders(context: Context, data_dict: DataDict
                                         ) -> dict[str, int]:
    """Remind holders of grants that expire within the configured days, and reviewers of
    applications whose form-check or decision deadline is near. Each reminder is sent once;
    run it daily (``ckan zaozhuang applications send-reminders``).

    Returns how many reminders of each kind were queued: ``expiry`` and ``deadline``.
    """
    tk.check_access("zaozhuang_application_send_reminders", context, data_dict)
    moment = now()
    today = calendar.local_date(moment)
    work = calendar.calendar()
    expiry_days = tk.config.get("ckanext.zaozhuang.applications.expiry_reminder_days")
    deadline_days = tk.config.get(
        "ckanext.zaozhuang.applications.deadline_reminder_working_days")
    sent = {"expiry": 0, "deadline": 0}
    due_soon: list[tuple[Application, str, Any]] = []
    for application in model.Session.query(Application).filter(
            Application.state.in_(("active", "submitted"))):
        keys = list(application.reminders_sent or [])
        if application.state == "active":
            ends = lifecycle.expires_at(application)
            key = f"expiry:{application.period_end.isoformat()}"
            if moment < ends <= moment + datetime.timedelta(days=expiry_days) and key not in keys:
                keys.append(key)
                due_soon.append((application, "expiry", None))
        else:
            for deadline in ("form_check", "decision"):
                due = getattr(application, f"{deadline}_due")
                key = f"{deadline}_due:{due}"
                if (due and today <= due and key not in keys
                        and _within_working_days(work, today, due, deadline_days)):
                    keys.append(key)
                    due_soon.append((application, deadline, due))
        application.reminders_sent = keys
    model.repo.commit()
    for application, what, due in due_soon:
        if what == "expiry":
            notify.expiring(application)
            sent["expiry"] += 1
        else:
            notify.deadline_near(application, what, due)
            sent["deadline"] += 1
    return sent
