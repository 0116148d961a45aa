"""Every registered action and route is classified in the access inventory, and what is not
classified is closed."""
import pytest

import ckan.logic as logic
from ckan.tests import factories

from ckanext.zaozhuang.access import inventory


@pytest.mark.usefixtures("with_plugins")
def test_every_action_is_classified():
    logic.get_action("package_show")  # builds the registry of every plugin's actions
    unclassified = sorted(n for n in logic._actions if inventory.action_class(n) is None)
    assert not unclassified, f"classify these actions in access/inventory.py: {unclassified}"


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.flask_app.url_map.iter_rules()}
    unclassified = sorted(e for e in endpoints if inventory.route_class(e) is None
                          and not e.startswith("zaozhuang_access"))
    assert not unclassified, f"classify these routes in access/inventory.py: {unclassified}"


@pytest.mark.usefixtures("clean_db")
def test_an_unclassified_action_is_closed_to_all_but_sysadmins(app, monkeypatch):
    user = factories.User()
    sysadmin = factories.Sysadmin()
    assert app.get("/api/3/action/status_show").status_code == 200
    monkeypatch.delitem(inventory.ACTIONS, "status_show")
    response = app.get("/api/3/action/status_show")
    assert response.status_code == 403 and not response.json["success"]
    token = factories.APIToken(user=user["name"])["token"]
    assert app.get("/api/3/action/status_show",
                   headers={"Authorization": token}).status_code == 403
    token = factories.APIToken(user=sysadmin["name"])["token"]
    assert app.get("/api/3/action/status_show",
                   headers={"Authorization": token}).status_code == 200


@pytest.mark.usefixtures("clean_db")
def test_disabled_actions_and_pages_are_closed(app):
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    for action in ("job_list", "task_status_show", "get_site_user", "file_owner_scan"):
        response = app.get(f"/api/3/action/{action}", headers={"Authorization": token})
        assert response.status_code == 403, action
    assert app.get("/testing/primer").status_code == 404
