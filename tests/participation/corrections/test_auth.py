"""Who may call each error-report action, for every role, through CKAN's real auth. The
expected answers are written here: everyone reads the reports on datasets they may see;
anyone logged in reports; the providing department's editors and admins and the authority
answer; the authority hides. A report on a dataset one may not see does not exist for one."""
import pytest

import ckan.plugins.toolkit as tk

from tests.participation.corrections.helpers import private_dataset, report
from tests.participation.world import ROLES

EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
AUTHORITY = {"authority", "sysadmin"}
ANSWERERS = {"dept_editor", "dept_admin"} | AUTHORITY
DEPARTMENT = {"dept_member", "dept_editor", "dept_admin"} | AUTHORITY

EXPECTED = {
    ("correction_create", None): LOGGED_IN,
    ("correction_show", None): EVERYONE,
    ("correction_list", "all"): EVERYONE,
    ("correction_list", "mine"): LOGGED_IN,
    ("correction_list", "queue"): ANSWERERS | {"other_editor"},
    ("correction_answer", None): ANSWERERS,
    ("correction_hide", None): AUTHORITY,
}


def _outcome(world, role, action, data):
    try:
        tk.check_access(f"zaozhuang_{action}", world.context(role), data)
        return "allowed"
    except tk.NotAuthorized:
        return "refused"
    except tk.ObjectNotFound:
        return "not found"


@pytest.mark.parametrize("action,scope", sorted(EXPECTED, key=str))
def test_each_role(world, action, scope):
    filed = report(world)
    data = {"id": filed["id"], "dataset_id": world.dataset["id"]}
    if scope:
        data["scope"] = scope
    allowed = {role for role in ROLES if _outcome(world, role, action, data) == "allowed"}
    assert allowed == EXPECTED[(action, scope)]


@pytest.mark.parametrize("action", ["correction_create", "correction_show",
                                    "correction_answer", "correction_hide"])
def test_a_dataset_one_may_not_see_is_not_found(world, action):
    dataset = private_dataset(world)
    filed = report(world, "dept_member", dataset=dataset)
    data = {"id": filed["id"], "dataset_id": dataset["id"]}
    for role in ("citizen", "requester", "other_editor"):
        assert _outcome(world, role, action, data) == "not found", role
    expected = {"correction_create": DEPARTMENT, "correction_show": DEPARTMENT,
                "correction_answer": ANSWERERS, "correction_hide": AUTHORITY}[action]
    assert {r for r in ROLES if _outcome(world, r, action, data) == "allowed"} == expected


def test_refusals_through_the_actions(world):
    dataset = private_dataset(world)
    with pytest.raises(tk.ObjectNotFound):
        report(world, "citizen", dataset=dataset)
    with pytest.raises(tk.NotAuthorized):
        report(world, "anonymous")
    filed = report(world)
    with pytest.raises(tk.NotAuthorized):
        world.act("other_editor", "correction_answer", id=filed["id"], answer="fixed")
    with pytest.raises(tk.NotAuthorized):
        world.act("dept_member", "correction_answer", id=filed["id"], answer="fixed")
    with pytest.raises(tk.NotAuthorized):
        world.act("dept_admin", "correction_hide", id=filed["id"], reason="无")
    hidden = report(world, dataset=world.other_dataset)
    world.act("authority", "correction_hide", id=hidden["id"], reason="恶意内容")
    for role in ("anonymous", "requester", "other_editor"):
        with pytest.raises(tk.ObjectNotFound):
            world.act(role, "correction_show", id=hidden["id"])
