"""Mail about data requests, composed in the portal's language when the change is saved and
sent by the applications' mail job (one job per recipient, retried while the server is down)."""
from __future__ import annotations

from typing import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.applications import lifecycle, notify
from ckanext.zaozhuang.participation.demand.model import DataRequest, answer_label

_ = tk._


def enabled() -> bool:
    return tk.config.get("ckanext.zaozhuang.participation.mail")


def send(users: Iterable[model.User], subject: str, lines: list[str], link: str) -> None:
    notify._send(users, subject, "\n\n".join(lines + [link]))


def _link(row: DataRequest) -> str:
    return tk.url_for("zaozhuang_participation.request_read", id=row.id, _external=True)


def routed(row: DataRequest) -> None:
    """To the reviewers of the department the request was routed to."""
    if not enabled():
        return
    with notify._portal_language():
        send(lifecycle.reviewers(row.organization_id),
             _("Data request to answer: {title}").format(title=row.title), [
                 _("The big-data authority routed a data request to your department."),
                 _("Answer by {due}.").format(due=row.due),
             ], _link(row))


def answered(row: DataRequest) -> None:
    """To the requester."""
    if not enabled():
        return
    requester = model.User.get(row.user_id)
    if requester is None:
        return
    with notify._portal_language():
        lines = [_("Your data request “{title}” was answered: {answer}.").format(
            title=row.title, answer=answer_label(row.answer))]
        if row.planned_date:
            lines.append(_("Planned date: {date}").format(date=row.planned_date))
        if row.legal_basis:
            lines.append(_("Legal basis: {basis}").format(basis=row.legal_basis))
        if row.dataset_id:
            dataset = model.Package.get(row.dataset_id)
            if dataset is not None:
                lines.append(_("Dataset: {link}").format(link=tk.url_for(
                    "dataset.read", id=dataset.name, _external=True)))
        if row.answer_text:
            lines.append(row.answer_text)
        send([requester], _("Your data request was answered: {title}").format(
            title=row.title), lines, _link(row))
