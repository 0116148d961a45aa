"""Who may call each data-request action, for every role, through CKAN's real auth
(sysadmins pass as CKAN lets them). The expected answers are written here, apart from the
code: the authority routes, hides and exports; the routed department's editors and admins
answer; anyone logged in files and supports (not their own); everyone reads."""
import pytest

import ckan.plugins.toolkit as tk

from tests.participation.demand.helpers import routed
from tests.participation.world import ROLES

EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
AUTHORITY = {"authority", "sysadmin"}
ANSWERERS = {"dept_editor", "dept_admin"} | AUTHORITY
REVIEWERS_ANYWHERE = ANSWERERS | {"other_editor"}

EXPECTED = {
    ("request_create", None): LOGGED_IN,
    ("request_show", None): EVERYONE,
    ("request_list", "all"): EVERYONE,
    ("request_list", "mine"): LOGGED_IN,
    ("request_list", "queue"): REVIEWERS_ANYWHERE,
    ("request_route", None): AUTHORITY,
    ("request_answer", None): ANSWERERS,
    ("request_link", None): ANSWERERS,
    ("request_support", None): LOGGED_IN - {"requester"},
    ("request_hide", None): AUTHORITY,
    ("request_export", None): AUTHORITY,
}


def _allowed(world, role, action, data):
    try:
        tk.check_access(f"zaozhuang_{action}", world.context(role), data)
        return True
    except tk.NotAuthorized:
        return False


@pytest.mark.parametrize("action,scope", sorted(EXPECTED, key=str))
def test_each_role(world, action, scope):
    request = routed(world)
    data = {"id": request["id"]}
    if scope:
        data["scope"] = scope
    allowed = {role for role in ROLES if _allowed(world, role, action, data)}
    assert allowed == EXPECTED[(action, scope)]


def test_a_hidden_request_is_not_found_but_by_the_authority(world):
    request = routed(world)
    world.act("authority", "request_hide", id=request["id"], reason="辱骂性内容")
    for role in ("anonymous", "citizen", "requester", "dept_editor", "other_editor"):
        with pytest.raises(tk.ObjectNotFound):
            world.act(role, "request_show", id=request["id"])
        assert world.act(role, "request_list")["count"] == 0
    assert world.act("authority", "request_show", id=request["id"])["hidden"] is True


def test_refusals_through_the_actions(world):
    request = routed(world)
    with pytest.raises(tk.NotAuthorized):
        world.act("anonymous", "request_create", title="x", description="y")
    with pytest.raises(tk.NotAuthorized):
        world.act("other_editor", "request_answer", id=request["id"], answer="cannot",
                  legal_basis="无")
    with pytest.raises(tk.NotAuthorized):
        world.act("dept_editor", "request_route", id=request["id"],
                  organization_id=world.other_department["id"])
    with pytest.raises(tk.NotAuthorized):
        world.act("requester", "request_support", id=request["id"])
    with pytest.raises(tk.NotAuthorized):
        world.act("citizen", "request_hide", id=request["id"], reason="无")
    with pytest.raises(tk.NotAuthorized):
        world.act("dept_admin", "request_export")
    with pytest.raises(tk.ObjectNotFound):
        world.act("authority", "request_route", id="no-such-request",
                  organization_id=world.department["id"])
