"""Mail about error reports, sent by the applications' mail job."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.applications import lifecycle, notify
from ckanext.zaozhuang.participation.corrections.model import (
    ErrorReport, answer_label, is_urgent, kind_label)
from ckanext.zaozhuang.participation.demand.jobs import enabled, send

_ = tk._


def _link(row: ErrorReport) -> str:
    return tk.url_for("zaozhuang_participation.correction_read", id=row.id, _external=True)


def _title(row: ErrorReport) -> str:
    dataset = model.Package.get(row.dataset_id)
    return dataset.title if dataset else row.dataset_id


def authority_staff() -> list[model.User]:
    """Every member of the big-data authority: exposed personal data is everyone's alarm."""
    org = model.Group.get(policy.authority_organization())
    if org is None:
        return []
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == org.id, model.Member.table_name == "user",
                    model.Member.state == "active", model.User.state == "active")
            .all())


def filed(row: ErrorReport) -> None:
    """To the providing department's reviewers; an urgent report to the authority too, at
    once."""
    if not enabled():
        return
    with notify._portal_language():
        title = _title(row)
        recipients = {u.id: u for u in lifecycle.reviewers(row.organization_id)}
        subject = _("Error report on {dataset}: {kind}").format(
            dataset=title, kind=kind_label(row.kind))
        if is_urgent(row):
            recipients.update((u.id, u) for u in authority_staff())
            subject = _("URGENT: personal information exposed in {dataset}").format(
                dataset=title)
        send(recipients.values(), subject, [
            _("An error was reported on {dataset}: {kind}.").format(
                dataset=title, kind=kind_label(row.kind)),
            row.description,
            _("Answer by {due}.").format(due=row.due),
        ], _link(row))


def answered(row: ErrorReport) -> None:
    """To the reporter."""
    if not enabled():
        return
    reporter = model.User.get(row.user_id)
    if reporter is None:
        return
    with notify._portal_language():
        title = _title(row)
        lines = [_("Your error report on {dataset} was answered: {answer}.").format(
            dataset=title, answer=answer_label(row.answer))]
        if row.fix_date:
            lines.append(_("Planned date: {date}").format(date=row.fix_date))
        if row.answer_text:
            lines.append(row.answer_text)
        send([reporter], _("Your error report was answered: {dataset}").format(dataset=title),
             lines, _link(row))
