"""E-mail notifications about applications and grants. Each mail is composed in the portal's
language when the change is saved and sent by a background job, one job per recipient."""
from __future__ import annotations

import contextlib
from typing import Iterable, Optional

from flask import has_request_context
from flask_babel import force_locale

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.applications import jobs, lifecycle
from ckanext.zaozhuang.applications.model import Application

_ = tk._


def enabled() -> bool:
    return tk.config.get("ckanext.zaozhuang.applications.mail")


def _portal_language():
    # The recipients' languages are unknown: mails use the portal's default one.
    if has_request_context():
        return force_locale(tk.config.get("ckan.locale_default"))
    return contextlib.nullcontext()


def _link(application: Application) -> str:
    return tk.url_for("zaozhuang_applications.read", id=application.id, _external=True)


def _dataset_title(application: Application) -> str:
    dataset = model.Package.get(application.dataset_id)
    return dataset.title if dataset else application.dataset_id


def _send(users: Iterable[model.User], subject: str, body: str) -> None:
    for user in users:
        if user.email:
            jobs.enqueue_mail(user.display_name, user.email, subject, body)


def _compose(users: Iterable[model.User], application: Application, subject: str,
             lines: list[str]) -> None:
    body = "\n\n".join(lines + [_("Application {id}: {link}").format(
        id=application.id, link=_link(application))])
    _send(users, subject, body)


def applicant(application: Application) -> list[model.User]:
    user = model.User.get(application.user_id)
    return [user] if user else []


def submitted(application: Application, resubmitted: bool) -> None:
    """To the providing department's reviewers."""
    if not enabled():
        return
    with _portal_language():
        title = _dataset_title(application)
        subject = (_("Application resubmitted: {dataset}") if resubmitted
                   else _("New application: {dataset}")).format(dataset=title)
        _compose(lifecycle.reviewers(application.provider_id), application, subject, [
            _("An application for the data of {dataset} awaits your review.").format(
                dataset=title),
            _("Form check due by {form_check}; decision due by {decision}.").format(
                form_check=application.form_check_due, decision=application.decision_due),
        ])


def returned(application: Application, reason: str) -> None:
    if not enabled():
        return
    with _portal_language():
        title = _dataset_title(application)
        _compose(applicant(application), application,
                 _("Your application was returned: {dataset}").format(dataset=title), [
                     _("Your application for {dataset} needs more material.").format(
                         dataset=title),
                     _("Reason: {reason}").format(reason=reason),
                     _("Edit the application and submit it again."),
                 ])


def decided(application: Application) -> None:
    if not enabled():
        return
    with _portal_language():
        title = _dataset_title(application)
        if application.state == "approved":
            subject = _("Your application was approved: {dataset}").format(dataset=title)
            lines = [_("Your application for {dataset} was approved. Read and sign the data "
                       "use agreement to receive access.").format(dataset=title)]
        else:
            subject = _("Your application was rejected: {dataset}").format(dataset=title)
            lines = [_("Your application for {dataset} was rejected.").format(dataset=title)]
        if application.decision_reason:
            lines.append(_("Reason: {reason}").format(reason=application.decision_reason))
        _compose(applicant(application), application, subject, lines)


def revoked(application: Application, reason: str) -> None:
    """To the holder and to the providing department's reviewers."""
    if not enabled():
        return
    with _portal_language():
        title = _dataset_title(application)
        users = {u.id: u for u in applicant(application) + lifecycle.reviewers(
            application.provider_id)}
        _compose(users.values(), application,
                 _("Access revoked: {dataset}").format(dataset=title), [
                     _("Access to {dataset} granted by this application was revoked.").format(
                         dataset=title),
                     _("Reason: {reason}").format(reason=reason),
                 ])


def expiring(application: Application) -> None:
    if not enabled():
        return
    with _portal_language():
        title = _dataset_title(application)
        _compose(applicant(application), application,
                 _("Your access expires soon: {dataset}").format(dataset=title), [
                     _("Your access to {dataset} ends after {end}.").format(
                         dataset=title, end=application.period_end),
                     _("Report how you used the data, and apply to renew if you still "
                       "need it."),
                 ])


def deadline_near(application: Application, deadline: str, due: Optional[object]) -> None:
    if not enabled():
        return
    with _portal_language():
        title = _dataset_title(application)
        what = _("form check") if deadline == "form_check" else _("decision")
        _compose(lifecycle.reviewers(application.provider_id), application,
                 _("Deadline approaching: {dataset}").format(dataset=title), [
                     _("The {deadline} of the application for {dataset} is due by {due}.").format(
                         deadline=what, dataset=title, due=due),
                 ])


def access_suspended(users: Iterable[model.User], titles: list[str], lifted: bool) -> None:
    """To the holders of grants a security incident froze, or whose freeze was lifted."""
    if not enabled():
        return
    with _portal_language():
        named = "、".join(titles) or _("your granted data")
        if lifted:
            subject = _("Access restored: {datasets}").format(datasets=named)
            lines = [_("The suspension of your access to {datasets} was lifted: you can get "
                       "the data again within your grants.").format(datasets=named)]
        else:
            subject = _("Access suspended: {datasets}").format(datasets=named)
            lines = [_("Access to this data is suspended because of a security incident"),
                     _("The big-data authority is handling a security incident concerning "
                       "{datasets}: your access is suspended until it is resolved.")
                     .format(datasets=named)]
        lines.append(_("Your grants: {link}").format(
            link=tk.url_for("zaozhuang_applications.grants", _external=True)))
        _send(users, subject, "\n\n".join(lines))


def evaluation_report(label: str, report_id: str, organization_ids: list[str]) -> None:
    """To the admins (the contacts) of each department in a new evaluation report."""
    if not enabled():
        return
    with _portal_language():
        link = tk.url_for("zaozhuang_reports.read", id=report_id, _external=True)
        users = {u.id: u for org_id in organization_ids for u in _admins(org_id)}
        _send(users.values(), _("Evaluation report: {label}").format(label=label),
              "\n\n".join([_("The big-data authority's evaluation report {label} is "
                               "available.").format(label=label),
                             _("Read or print it: {link}").format(link=link)]))


def _admins(organization_id: str) -> list[model.User]:
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == organization_id, model.Member.table_name == "user",
                    model.Member.state == "active", model.Member.capacity == "admin",
                    model.User.state == "active").all())
