"""The application state machine: the one table of allowed transitions, who makes each, and
the states computed from time (expired, overdue).

    draft ──submit──▶ submitted ──approve──▶ approved ──sign──▶ active ──revoke──▶ revoked
                       │   ▲   └──reject──▶ rejected              └──(period over)──▶ expired
                 return│   │submit (a resubmission)
                       ▼   │
                     returned
    draft, submitted, returned ──withdraw──▶ withdrawn

A transition the table does not allow from the current state is a ValidationError (409);
whether the user may make it at all is the auth functions' question (403).
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.applications.model import Application, ApplicationEvent

_ = tk._

APPLICANT = "applicant"
REVIEWER = "reviewer"

# Shown, never stored: an approved or active application whose period is over.
EXPIRED = "expired"
EDITABLE = ("draft", "returned")


@dataclasses.dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    by: str
    reason_required: bool = False
    # A step towards access, which needs the dataset still in the catalog.
    needs_dataset: bool = False


TRANSITIONS = {t.action: t for t in (
    Transition("submit", ("draft",), "submitted", APPLICANT, needs_dataset=True),
    Transition("resubmit", ("returned",), "submitted", APPLICANT, needs_dataset=True),
    Transition("withdraw", ("draft", "submitted", "returned"), "withdrawn", APPLICANT),
    Transition("return", ("submitted",), "returned", REVIEWER, reason_required=True),
    Transition("approve", ("submitted",), "approved", REVIEWER, needs_dataset=True),
    Transition("reject", ("submitted",), "rejected", REVIEWER, reason_required=True),
    Transition("sign", ("approved",), "active", APPLICANT, needs_dataset=True),
    Transition("revoke", ("active",), "revoked", REVIEWER, reason_required=True),
)}


def expires_at(application: Application) -> datetime.datetime:
    """The end of the last day of the period, in the portal's time zone."""
    return calendar.local_midnight(application.period_end + datetime.timedelta(days=1))


def effective_state(application: Application, at: Optional[datetime.datetime] = None) -> str:
    if application.state in ("approved", "active") and (at or now()) >= expires_at(application):
        return EXPIRED
    return application.state


def overdue(application: Application, today: Optional[datetime.date] = None) -> Optional[str]:
    """Which deadline an undecided application has missed: form_check, decision or None.
    A submitted application whose form check is late is flagged from the next day; a returned
    one waits on the applicant, not on the reviewers."""
    if application.state != "submitted":
        return None
    today = today or calendar.local_date(now())
    if application.decision_due and today > application.decision_due:
        return "decision"
    if application.form_check_due and today > application.form_check_due:
        return "form_check"
    return None


def get(application_id: Any) -> Application:
    application = (model.Session.get(Application, application_id)
                   if isinstance(application_id, str) and application_id else None)
    if application is None:
        raise tk.ObjectNotFound(_("Application not found"))
    return application


def lock(application_id: str) -> Application:
    """The application row, locked until the transaction ends: two reviewers deciding at once
    are serialised here, and the second sees the first one's decision."""
    application = (model.Session.query(Application)
                   .filter(Application.id == str(application_id))
                   .populate_existing()
                   .with_for_update()
                   .one_or_none())
    if application is None:
        raise tk.ObjectNotFound(_("Application not found"))
    return application


def transition(application: Application, action: str, user: model.User,
               reason: Optional[str] = None) -> ApplicationEvent:
    """Move the (locked) application along the table and record who, when and why."""
    if action == "submit" and application.state == "returned":
        action = "resubmit"
    rule = TRANSITIONS[action]
    state = effective_state(application)
    if state not in rule.sources:
        raise tk.ValidationError({"state": [
            _("This application is {state}: it cannot be {action} now").format(
                state=state_label(state), action=action_label(rule.action))]})
    if rule.needs_dataset and not in_catalog(application.dataset_id):
        raise tk.ValidationError({"dataset_id": [
            _("The dataset was removed from the catalog: this application cannot be {action}")
            .format(action=action_label(rule.action))]})
    reason = (reason or "").strip() or None
    if rule.reason_required and not reason:
        raise tk.ValidationError({"reason": [_("Give a reason")]})
    event = ApplicationEvent(application_id=application.id, action=rule.action,
                             actor_id=user.id, actor_name=user.name,
                             from_state=application.state, to_state=rule.target, reason=reason)
    application.state = rule.target
    model.Session.add(event)
    return event


def in_catalog(dataset_id: str) -> bool:
    dataset = model.Package.get(dataset_id)
    return dataset is not None and dataset.state == "active"


def record_creation(application: Application, user: model.User, action: str = "create") -> None:
    model.Session.add(ApplicationEvent(application_id=application.id, action=action,
                                       actor_id=user.id, actor_name=user.name,
                                       from_state=None, to_state=application.state))


# Who may act

def reviewer_roles() -> list[str]:
    return tk.config.get("ckanext.zaozhuang.applications.reviewer_roles")


def _memberships(user: model.User, capacities: Optional[list[str]] = None):
    query = (model.Session.query(model.Member.group_id)
             .join(model.Group, model.Group.id == model.Member.group_id)
             .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                     model.Member.state == "active",
                     model.Group.is_organization.is_(True), model.Group.state == "active"))
    if capacities is not None:
        query = query.filter(model.Member.capacity.in_(capacities))
    return query


def is_member(user: Optional[model.User], organization_id: Optional[str],
              capacities: Optional[list[str]] = None) -> bool:
    """Whether the user is an active member of the department (in one of the capacities)."""
    if user is None or not organization_id:
        return False
    return _memberships(user, capacities).filter(
        model.Member.group_id == organization_id).first() is not None


def organizations_of(user: model.User, capacities: Optional[list[str]] = None) -> list[str]:
    return [r.group_id for r in _memberships(user, capacities)]


def reviews_for(user: Optional[model.User], organization_id: str) -> bool:
    """Reviewers of a department's datasets: its members in a reviewer role, and the
    big-data authority."""
    return policy.is_authority(user) or is_member(user, organization_id, reviewer_roles())


def reviewed_organizations(user: model.User) -> list[str]:
    """Departments whose applications the user reviews as a member (the authority reviews all)."""
    return organizations_of(user, reviewer_roles())


def reviewers(organization_id: str) -> list[model.User]:
    """The department's reviewers to notify."""
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == organization_id,
                    model.Member.table_name == "user", model.Member.state == "active",
                    model.Member.capacity.in_(reviewer_roles()),
                    model.User.state == "active")
            .all())


def is_applicant(user: Optional[model.User], application: Application) -> bool:
    return user is not None and user.id == application.user_id


def may(user: Optional[model.User], application: Application, action: str) -> bool:
    """Whether the user takes the part the table gives the action (state aside)."""
    if TRANSITIONS[action].by == APPLICANT:
        return is_applicant(user, application)
    return reviews_for(user, application.provider_id)


# Labels

def state_label(state: str) -> str:
    return {
        "draft": _("draft"),
        "submitted": _("submitted, under review"),
        "returned": _("returned for more material"),
        "withdrawn": _("withdrawn"),
        "approved": _("approved, awaiting signature of the agreement"),
        "rejected": _("rejected"),
        "active": _("active"),
        "revoked": _("revoked"),
        EXPIRED: _("expired"),
    }.get(state, state)


def action_label(action: str) -> str:
    return {
        "create": _("created"),
        "renew": _("created as a renewal"),
        "update": _("edited"),
        "submit": _("submitted"),
        "resubmit": _("resubmitted"),
        "withdraw": _("withdrawn"),
        "return": _("returned"),
        "approve": _("approved"),
        "reject": _("rejected"),
        "sign": _("signed"),
        "revoke": _("revoked"),
    }.get(action, action)


def summary(application: Application) -> dict[str, Any]:
    """The computed part of an application's dictionary."""
    state = effective_state(application)
    return {
        "effective_state": state,
        "state_label": state_label(state),
        "overdue": overdue(application),
        "expires_at": expires_at(application).isoformat(),
        "editable": application.state in EDITABLE,
    }
