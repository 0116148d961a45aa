"""Action functions of the agreements domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from flask import has_request_context

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import Grant, now
from ckanext.zaozhuang.agreements import schema, text
from ckanext.zaozhuang.agreements.model import Agreement, AgreementTemplate, UsageReport
from ckanext.zaozhuang.applications import calendar, lifecycle, notify
from ckanext.zaozhuang.applications.actions import (
    atomic, current_user, record_decision, validate)
from ckanext.zaozhuang.applications.model import Application, as_dict
from ckanext.zaozhuang.participation.showcases.model import Showcase

_ = tk._


def _agreement_of(data_dict: DataDict) -> Agreement:
    query = model.Session.query(Agreement)
    if data_dict.get("id"):
        agreement = query.filter(Agreement.id == str(data_dict["id"])).one_or_none()
    else:
        agreement = query.filter(
            Agreement.application_id == str(data_dict.get("application_id"))).one_or_none()
    if agreement is None:
        raise tk.ObjectNotFound(_("Agreement not found"))
    return agreement


def agreement_dict(agreement: Agreement) -> dict[str, Any]:
    data = as_dict(agreement)
    application = model.Session.get(Application, agreement.application_id)
    data["application"] = {
        "id": application.id, "state": lifecycle.effective_state(application),
        "state_label": lifecycle.state_label(lifecycle.effective_state(application)),
        "dataset_id": application.dataset_id, "user_id": application.user_id,
        "period_start": application.period_start.isoformat(),
        "period_end": application.period_end.isoformat(),
    }
    signer = model.User.get(agreement.signed_by) if agreement.signed_by else None
    data["signed_by_name"] = signer.name if signer else None
    return data


@tk.side_effect_free
def zaozhuang_agreement_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The agreement of an approved application: its exact text, the template version it
    was rendered from, its SHA-256 and, once signed, the signature.

    :param id: the agreement's id, or
    :param application_id: the application's id
    """
    tk.check_access("zaozhuang_agreement_show", context, data_dict)
    return agreement_dict(_agreement_of(data_dict))


@atomic
def zaozhuang_agreement_sign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Sign the agreement of an approved application: this activates the grant for the
    requested period (from today at the earliest).

    :param application_id: the application's id
    :param text_sha256: SHA-256 of the text being signed, as shown by zaozhuang_agreement_show
    :param accept: true
    """
    tk.check_access("zaozhuang_agreement_sign", context, data_dict)
    data = validate(data_dict, schema.sign_schema(), context)
    if not data["accept"]:
        raise tk.ValidationError({"accept": [_("Tick the box to accept the agreement")]})
    user = current_user(context)
    application = lifecycle.lock(data["application_id"])
    lifecycle.transition(application, "sign", user)
    agreement = _agreement_of({"application_id": application.id})
    if data["text_sha256"].strip().lower() != agreement.text_sha256:
        raise tk.ValidationError({"text_sha256": [
            _("This is not the text of the agreement: reload it and read it again")]})
    signed_at = now()
    grant = Grant(
        kind=application.kind, dataset_id=application.dataset_id,
        resource_ids=application.resource_ids,
        # A department's grant serves all its members; an open grant, the applicant.
        user_id=application.user_id if application.kind == "open" else None,
        organization_id=application.organization_id if application.kind == "share" else None,
        application_id=application.id,
        valid_from=max(signed_at, calendar.local_midnight(application.period_start)),
        valid_until=lifecycle.expires_at(application))
    model.Session.add(grant)
    model.Session.flush()
    agreement.signed_by = user.id
    agreement.signed_at = signed_at
    agreement.client_address = tk.request.remote_addr if has_request_context() else None
    agreement.grant_id = grant.id
    record_decision("agreement_sign", user, application, grant_id=grant.id)
    model.repo.commit()
    policy.forget_cached_holders()
    return agreement_dict(agreement)


# Grants

def grant_dict(grant: Grant, viewer: Optional[model.User] = None) -> dict[str, Any]:
    """A grant as the API shows it. With `viewer`, a dataset they may no longer see (deleted,
    made private or not_open since) is not named."""
    data = grant.as_dict()
    at = now()
    if grant.revoked_at is not None:
        status = "revoked"
    elif at >= grant.valid_until:
        status = "expired"
    elif at < grant.valid_from:
        status = "pending"
    else:
        status = "active"
    data["status"] = status
    # Suspended by a security incident on the dataset or on the holder (told on the pages).
    data["suspended"] = status == "active" and policy.is_frozen(grant.dataset_id, grant.user_id)
    dataset = model.Package.get(grant.dataset_id)
    if dataset is not None and viewer is not None and not policy.may_see_metadata(viewer, dataset):
        dataset = None
    data["dataset_name"] = dataset.name if dataset else None
    data["dataset_title"] = dataset.title if dataset else None
    data["provider_id"] = dataset.owner_org if dataset else None
    holder = model.User.get(grant.user_id) if grant.user_id else None
    org = model.Group.get(grant.organization_id) if grant.organization_id else None
    data["holder"] = org.title if org else (holder.display_name if holder else None)
    return data


def _grants_held_by(user: model.User):
    return sa.or_(Grant.user_id == user.id,
                  Grant.organization_id.in_(lifecycle.organizations_of(user)))


def _provider_datasets(org_ids: Optional[list[str]]):
    """Ids of the datasets of these departments (None: all departments)."""
    query = model.Session.query(model.Package.id)
    if org_ids is not None:
        query = query.filter(model.Package.owner_org.in_(org_ids))
    return query.scalar_subquery()


def _scoped(query, column, data: dict[str, Any], user: model.User, held):
    """Filter rows to the caller's scope: held by them, or of the departments they review."""
    if data["scope"] == "mine":
        query = query.filter(held)
    elif not policy.is_authority(user):
        query = query.filter(column.in_(
            _provider_datasets(lifecycle.reviewed_organizations(user))))
    if data.get("organization_id"):
        org = model.Group.get(data["organization_id"])
        query = query.filter(column.in_(_provider_datasets([org.id if org else ""])))
    if data.get("dataset_id"):
        dataset = model.Package.get(data["dataset_id"])
        query = query.filter(column == (dataset.id if dataset else None))
    return query


@tk.side_effect_free
def zaozhuang_grant_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Grants, newest first, with ``status`` active, pending, expired or revoked.

    :param scope: ``mine`` (default: held by the current user or their department) or
        ``review`` (on the datasets of the departments the user reviews; all for the authority)
    :param organization_id: only grants on this department's datasets
    :param dataset_id: only grants on this dataset
    :param application_id: only the grant of this application
    """
    tk.check_access("zaozhuang_grant_list", context, data_dict)
    data = validate(data_dict, schema.list_schema(), context)
    user = current_user(context)
    query = _scoped(model.Session.query(Grant), Grant.dataset_id, data, user,
                    _grants_held_by(user))
    if data.get("application_id"):
        query = query.filter(Grant.application_id == data["application_id"])
    return [grant_dict(g, user) for g in query.order_by(Grant.created.desc())]


@atomic
def zaozhuang_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Revoke a grant (and its application) at once.

    :param id: the grant's id
    :param reason: why (required)
    """
    tk.check_access("zaozhuang_grant_revoke", context, data_dict)
    data = validate(data_dict, schema.revoke_schema(), context)
    user = current_user(context)
    grant = (model.Session.query(Grant).filter(Grant.id == data["id"])
             .populate_existing().with_for_update().one_or_none())
    if grant is None:
        raise tk.ObjectNotFound(_("Grant not found"))
    if grant.revoked_at is not None or now() >= grant.valid_until:
        raise tk.ValidationError({"state": [_("This grant has ended already")]})
    application = _revoke(grant, user, data["reason"])
    model.repo.commit()
    policy.forget_cached_holders()
    if application is not None:
        notify.revoked(application, data["reason"])
    return grant_dict(grant)


def _revoke(grant: Grant, user: model.User, reason: str) -> Optional[Application]:
    """End a (locked) grant and its application now; the caller commits."""
    application = lifecycle.lock(grant.application_id) if grant.application_id else None
    if application is not None:
        lifecycle.transition(application, "revoke", user, reason)
    grant.revoked_at = now()
    grant.revoked_by = user.id
    grant.revoke_reason = reason
    if application is not None:
        record_decision("grant_revoke", user, application, grant.id, reason)
    return application


def end_grants_of_dataset(id_or_name: str, user_name: Optional[str]) -> None:
    """A dataset leaving the catalog (deleted or purged) ends the grants on it, in the
    transaction that removes it: no grant outlives what it grants."""
    dataset = model.Package.get(id_or_name)
    if dataset is None:
        return
    user = policy.user_object(user_name) or model.User.get(
        tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    grants = (model.Session.query(Grant)
              .filter(Grant.dataset_id == dataset.id, Grant.revoked_at.is_(None),
                      Grant.valid_until > now())
              .populate_existing().with_for_update().all())
    revoke_grants(grants, user, _("The dataset was removed from the catalog"))


def revoke_grants(grants: list[Grant], user: model.User, reason: str) -> None:
    """End these (locked) grants and their applications in the caller's transaction, and tell
    the holders and reviewers."""
    ended = [_revoke(grant, user, reason) for grant in grants]
    policy.forget_cached_holders()
    for application in filter(None, ended):
        notify.revoked(application, reason)


@tk.chained_action
def dataset_purge(next_action, context, data_dict):
    dataset = model.Package.get(str(data_dict.get("id") or ""))
    if dataset is not None:
        tk.check_access("dataset_purge", context, data_dict)
        end_grants_of_dataset(dataset.id, context.get("user"))
    return next_action(context, data_dict)


def chained_actions() -> dict[str, Any]:
    return {"dataset_purge": dataset_purge}


# Usage reports

def _report_dict(report: UsageReport) -> dict[str, Any]:
    data = as_dict(report)
    dataset = model.Package.get(report.dataset_id)
    author = model.User.get(report.user_id)
    data["dataset_title"] = dataset.title if dataset else None
    data["user_name"] = author.name if author else None
    return data


@atomic
def zaozhuang_usage_report_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Report how the data of a grant was used and what came of it (利用情况反馈); security
    risks and quality problems found may be reported in ``problems``.

    :param grant_id: the grant's id
    :param usage: how the data was used
    :param results: results and outputs
    :param benefits: benefits (optional)
    :param problems: security risks or data quality problems found (optional)
    :param showcase_id: the reporter's own showcase of what was built (optional)
    """
    tk.check_access("zaozhuang_usage_report_create", context, data_dict)
    data = validate(data_dict, schema.usage_report_schema(), context)
    grant = model.Session.get(Grant, data["grant_id"])
    if grant is None:
        raise tk.ObjectNotFound(_("Grant not found"))
    if not grant.is_active():
        raise tk.ValidationError({"grant_id": [
            _("Usage can be reported only while the grant is active")]})
    user = current_user(context)
    showcase_id = data.get("showcase_id")
    if showcase_id is not None:
        showcase = model.Session.get(Showcase, showcase_id)
        if showcase is None or showcase.user_id != user.id:
            raise tk.ValidationError({"showcase_id": [_("Not one of your showcases")]})
    report = UsageReport(grant_id=grant.id, application_id=grant.application_id,
                         dataset_id=grant.dataset_id, user_id=user.id,
                         **{k: data.get(k) for k in ("usage", "results", "benefits",
                                                     "problems", "showcase_id")})
    model.Session.add(report)
    model.repo.commit()
    return _report_dict(report)


@tk.side_effect_free
def zaozhuang_usage_report_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Usage reports, newest first.

    :param scope: ``mine`` (default: on grants held by the current user or their
        department) or ``review`` (on the datasets the user reviews; all for the authority)
    :param grant_id, application_id, organization_id, dataset_id: narrow the list
    """
    tk.check_access("zaozhuang_usage_report_list", context, data_dict)
    data = validate(data_dict, schema.list_schema(), context)
    user = current_user(context)
    held = UsageReport.grant_id.in_(
        model.Session.query(Grant.id).filter(_grants_held_by(user)).scalar_subquery())
    query = _scoped(model.Session.query(UsageReport), UsageReport.dataset_id, data, user, held)
    if data.get("grant_id"):
        query = query.filter(UsageReport.grant_id == data["grant_id"])
    if data.get("application_id"):
        query = query.filter(UsageReport.application_id == data["application_id"])
    return [_report_dict(r) for r in query.order_by(UsageReport.created.desc())]


# Templates

def template_dict(template: AgreementTemplate) -> dict[str, Any]:
    data = as_dict(template)
    org = model.Group.get(template.organization_id) if template.organization_id else None
    data["organization_title"] = org.title if org else None
    return data


def _organization_id(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    org = model.Group.get(value)
    if org is None or not org.is_organization:
        raise tk.ValidationError({"organization_id": [_("Department not found")]})
    return org.id


def _add_version(organization_id: Optional[str], data: dict[str, Any],
                 user: model.User) -> AgreementTemplate:
    # Versions of one scope are written one at a time: the advisory lock orders concurrent
    # updates, and the unique index is the last guard.
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:scope))"),
                          {"scope": f"zaozhuang_agreement_template:{organization_id or ''}"})
    template = AgreementTemplate(organization_id=organization_id,
                                 version=text.next_version(organization_id),
                                 title=data["title"], body=data["body"], created_by=user.id)
    model.Session.add(template)
    model.repo.commit()
    return template


@atomic
def zaozhuang_agreement_template_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create the first version of the portal-wide agreement template, or of a department's
    own. The body is Chinese text with ``${placeholder}``s (see agreements/text.py).

    :param organization_id: the department (omit for the portal-wide template)
    :param title: the agreement's title
    :param body: the text
    """
    tk.check_access("zaozhuang_agreement_template_create", context, data_dict)
    data = validate(data_dict, schema.template_schema(), context)
    organization_id = _organization_id(data.get("organization_id"))
    if text.latest(organization_id) is not None:
        raise tk.ValidationError({"organization_id": [
            _("This template exists already: update it to add a version")]})
    return template_dict(_add_version(organization_id, data, current_user(context)))


@atomic
def zaozhuang_agreement_template_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add the next version of a template; agreements rendered or signed from an earlier
    version keep their text.

    :param id: the id of any version of the template
    :param title, body: the new version's title and text
    """
    tk.check_access("zaozhuang_agreement_template_update", context, data_dict)
    data = validate(data_dict, schema.template_update_schema(), context)
    previous = model.Session.get(AgreementTemplate, data["id"])
    if previous is None:
        raise tk.ObjectNotFound(_("Agreement template not found"))
    return template_dict(_add_version(previous.organization_id, data, current_user(context)))


@tk.side_effect_free
def zaozhuang_agreement_template_list(context: Context, data_dict: DataDict
                                      ) -> list[dict[str, Any]]:
    """Agreement templates: the current version of each (portal-wide first), or every
    version with ``all_versions``.

    :param organization_id: only this department's (``portal`` for the portal-wide one)
    :param all_versions: true to list every version, newest first
    """
    tk.check_access("zaozhuang_agreement_template_list", context, data_dict)
    query = model.Session.query(AgreementTemplate)
    scope = data_dict.get("organization_id")
    if scope == "portal":
        query = query.filter(AgreementTemplate.organization_id.is_(None))
    elif scope:
        query = query.filter(AgreementTemplate.organization_id == _organization_id(scope))
    rows = query.order_by(AgreementTemplate.organization_id.nulls_first(),
                          AgreementTemplate.version.desc()).all()
    if not tk.asbool(data_dict.get("all_versions")):
        seen: set[Optional[str]] = set()
        rows = [r for r in rows if not (r.organization_id in seen
                                        or seen.add(r.organization_id))]
    return [template_dict(r) for r in rows]
