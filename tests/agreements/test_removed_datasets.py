"""A dataset leaving the catalog: its grants end in the same transaction, steps towards access
are refused, and its applications stay readable to those who had them."""
import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access.model import Grant


def _remove(world, how):
    if how == "deleted":
        call_action("package_delete", world.context("provider_admin"), id=world.dataset["name"])
    else:
        call_action("dataset_purge", world.context("sysadmin"), id=world.dataset["id"])


@pytest.mark.parametrize("how", ["deleted", "purged"])
def test_removing_a_dataset_ends_its_grants(world, how):
    app = world.in_state("active")
    _remove(world, how)

    model.Session.remove()
    grant = model.Session.query(Grant).filter(Grant.application_id == app["id"]).one()
    assert grant.revoked_at is not None
    assert world.act("applicant", "application_show", id=app["id"])["state"] == "revoked"
    listed = world.act("applicant", "grant_list", application_id=app["id"])
    assert [g["status"] for g in listed] == ["revoked"]
    assert listed[0]["dataset_name"] is None


@pytest.mark.parametrize("state, role, step", [
    ("submitted", "provider_admin", "approve"),
    ("approved", "applicant", "sign"),
    ("draft", "applicant", "submit"),
    ("returned", "applicant", "submit"),
])
@pytest.mark.parametrize("how", ["deleted", "purged"])
def test_no_step_towards_access_after_removal(world, state, role, step, how):
    app = world.in_state(state)
    _remove(world, how)
    with pytest.raises(tk.ValidationError) as raised:
        if step == "sign":
            world.sign(app["id"])
        else:
            world.act(role, f"application_{step}", id=app["id"], reason="补充")
    assert "dataset_id" in raised.value.error_dict
    assert world.act("applicant", "application_show", id=app["id"])["state"] == state


@pytest.mark.parametrize("how", ["deleted", "purged"])
def test_withdrawing_and_rejecting_stay_possible(world, how):
    mine, theirs = world.in_state("submitted"), world.in_state("submitted")
    _remove(world, how)
    world.act("applicant", "application_withdraw", id=mine["id"])
    world.act("provider_admin", "application_reject", id=theirs["id"], reason="数据已下线")


@pytest.mark.parametrize("how", ["deleted", "purged"])
def test_application_pages_of_a_removed_dataset_answer(app, world, how):
    submitted, active = world.in_state("submitted"), world.in_state("active")
    _remove(world, how)
    pages = {"applicant": ["/applications", "/grants", f"/applications/{submitted['id']}",
                           f"/applications/{active['id']}",
                           f"/applications/{active['id']}/agreement"],
             "provider_admin": ["/applications/review", f"/applications/{submitted['id']}",
                                f"/applications/{submitted['id']}/decide"]}
    for role, urls in pages.items():
        token = call_action("api_token_create", {"user": world.name(role)},
                            user=world.name(role), name="pages")["token"]
        for url in urls:
            assert app.get(url, headers={"Authorization": token}).status_code == 200, url
