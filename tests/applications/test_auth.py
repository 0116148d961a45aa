"""Every action's auth function, for each role around a conditional dataset."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_auth

from tests.applications.world import REVIEWERS, ROLES

LOGGED_IN = set(ROLES) - {"anonymous"}
APPLICANT = {"applicant"}
APPLICANT_AND_REVIEWERS = APPLICANT | REVIEWERS
AUTHORITY = {"authority", "sysadmin"}


def _allowed(world, action, data):
    allowed = set()
    for role in ROLES:
        try:
            call_auth(f"zaozhuang_{action}", {"user": world.name(role) or ""}, **data)
            allowed.add(role)
        except tk.NotAuthorized:
            pass
    return allowed


@pytest.fixture
def active(world):
    app = world.in_state("active")
    grant = world.act("applicant", "grant_list", application_id=app["id"])[0]
    return world, app, grant


def test_applications(active):
    world, app, grant = active
    submitted = world.in_state("submitted")
    draft = world.in_state("draft")
    cases = [
        ("application_create", {"dataset_id": world.dataset["id"]}, LOGGED_IN),
        ("application_update", {"id": draft["id"]}, APPLICANT),
        ("application_submit", {"id": draft["id"]}, APPLICANT),
        ("application_withdraw", {"id": submitted["id"]}, APPLICANT),
        ("application_renew", {"id": app["id"]}, APPLICANT),
        ("application_return", {"id": submitted["id"]}, REVIEWERS),
        ("application_approve", {"id": submitted["id"]}, REVIEWERS),
        ("application_reject", {"id": submitted["id"]}, REVIEWERS),
        ("application_show", {"id": submitted["id"]}, APPLICANT_AND_REVIEWERS),
        # A draft is the applicant's own until submitted.
        ("application_show", {"id": draft["id"]}, {"applicant", "sysadmin"}),
        ("application_list", {}, LOGGED_IN),
        ("application_list", {"scope": "review", "organization_id": world.provider["id"]},
         REVIEWERS),
        # Without a department, each reviewer sees the queues of their own departments.
        ("application_list", {"scope": "review"}, REVIEWERS | {"other_department"}),
        ("application_send_reminders", {}, {"sysadmin"}),
        ("applicant_profile_show", {}, LOGGED_IN),
        ("applicant_profile_show", {"user_id": world.name("applicant")},
         {"applicant", "sysadmin"}),
        ("applicant_profile_update", {}, LOGGED_IN),
        ("applicant_profile_update", {"user_id": world.name("applicant")},
         {"applicant", "sysadmin"}),
    ]
    for action, data, expected in cases:
        assert _allowed(world, action, data) == expected, (action, data)


def test_agreements_grants_and_reports(active):
    world, app, grant = active
    approved = world.in_state("approved")
    department_template = world.act("provider_admin", "agreement_template_create",
                                    organization_id=world.provider["id"], title="部门协议",
                                    body="${provider}与${applicant}的协议")
    portal_template = world.act("anonymous", "agreement_template_list",
                                organization_id="portal")[0]
    cases = [
        ("agreement_show", {"application_id": approved["id"]}, APPLICANT_AND_REVIEWERS),
        ("agreement_sign", {"application_id": approved["id"]}, APPLICANT),
        ("grant_list", {}, LOGGED_IN),
        ("grant_list", {"scope": "review", "organization_id": world.provider["id"]},
         REVIEWERS),
        ("grant_revoke", {"id": grant["id"]}, REVIEWERS),
        ("usage_report_create", {"grant_id": grant["id"]}, APPLICANT),
        ("usage_report_list", {"grant_id": grant["id"]}, APPLICANT_AND_REVIEWERS),
        ("usage_report_list", {"scope": "review", "organization_id": world.provider["id"]},
         REVIEWERS),
        ("agreement_template_create", {}, AUTHORITY),
        ("agreement_template_create", {"organization_id": world.provider["id"]},
         AUTHORITY | {"provider_admin"}),
        ("agreement_template_update", {"id": portal_template["id"]}, AUTHORITY),
        ("agreement_template_update", {"id": department_template["id"]},
         AUTHORITY | {"provider_admin"}),
        ("agreement_template_list", {}, set(ROLES)),
    ]
    for action, data, expected in cases:
        assert _allowed(world, action, data) == expected, (action, data)


def test_unknown_ids_are_not_found_rather_than_errors(world):
    for action, data in [("application_show", {"id": "nope"}),
                         ("agreement_show", {"application_id": "nope"}),
                         ("grant_revoke", {"id": "nope"}),
                         ("usage_report_create", {"grant_id": "nope"})]:
        with pytest.raises(tk.ObjectNotFound):
            call_auth(f"zaozhuang_{action}", {"user": world.name("applicant")}, **data)
