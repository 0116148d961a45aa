"""Whatever an action fails on because of its input is a field error: generated parameters
of the wrong kind, sent over real HTTP with real auth to every action a logged-in user may
call, never answer 500, always name a field, and write nothing."""
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ckan.logic
from ckan import model
from ckan.tests import factories

from ckanext.zaozhuang.access import inventory
from tests.factories import CatalogDataset, Department

PARAMETERS = st.sampled_from([
    "id", "name", "q", "fq", "sort", "limit", "offset", "rows", "start", "user_id", "object",
    "object_type", "capacity", "username", "type", "include_datasets", "all_fields",
    "package_id", "resource_id", "dataset_id", "application_id", "filters", "fields",
    "activity_id", "period_start", "period_end", "accept", "reason", "scope", "format",
    "owner_org", "title", "tags", "resources", "groups", "extras", "email", "state"])
WRONG = st.one_of(
    st.none(), st.just(""), st.booleans(), st.floats(allow_nan=False),
    st.integers(min_value=-10 ** 30, max_value=10 ** 30),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.sampled_from(["9999-12-31", "maybe", "１２３", "-1", "a:b:(", "[]", "{}"]))


def _counts():
    model.Session.remove()
    return tuple(model.Session.query(table).count() for table in (
        model.Package, model.Resource, model.Group, model.Member, model.User))


def _callable_actions():
    ckan.logic.get_action("package_show")
    return sorted(name for name in ckan.logic._actions
                  if inventory.action_class(name) not in (None, inventory.DISABLED,
                                                          inventory.STAFF)
                  and not name.startswith("datastore_"))


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_wrong_kinds_of_parameters_are_field_errors(app, caplog):
    department = Department()
    dataset = CatalogDataset(owner_org=department["id"],
                             resources=[{"name": "数据", "url": "http://example.com/a.csv"}])
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    ids = [dataset["id"], dataset["name"], dataset["resources"][0]["id"], department["id"],
           user["name"], "nonexistent"]
    actions = _callable_actions()
    assert "package_create" in actions and "zaozhuang_application_create" in actions

    @settings(max_examples=300, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(action=st.sampled_from(actions), base=st.sampled_from(ids),
           wrong=st.dictionaries(PARAMETERS, WRONG, min_size=1, max_size=4))
    def check(action, base, wrong):
        before = _counts()
        caplog.clear()
        response = app.post(f"/api/3/action/{action}", headers={"Authorization": token},
                            data=json.dumps(dict({"id": base}, **wrong)),
                            content_type="application/json")
        assert response.status_code != 500, (action, wrong, response.json)
        if response.status_code == 409:
            named = set(response.json["error"]) - {"__type", "message"}
            assert named, (action, wrong, response.json)
        if response.status_code != 200:
            assert _counts() == before, (action, wrong)
        assert not [r for r in caplog.records if r.exc_info], (action, wrong)

    check()


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("action, data, field", [
    ("organization_member_create", {}, "id"),
    ("group_member_delete", {}, "id"),
    ("current_package_list_with_resources", {"limit": ""}, "limit"),
    ("package_list", {"limit": "", "offset": ""}, "limit"),
    ("tag_search", {"include_datasets": "maybe"}, "include_datasets"),
    ("organization_list", {"all_fields": "perhaps"}, "all_fields"),
    ("user_list", {"order_by": None, "q": None}, None),
    ("organization_list", {"sort": None}, None),
    ("tag_autocomplete", {"q": 10 ** 30}, None),
])
def test_core_actions_name_the_parameter_they_cannot_use(app, action, data, field):
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    response = app.post(f"/api/3/action/{action}", headers={"Authorization": token},
                        json=data)
    assert response.status_code in (200, 403, 404, 409), response.json
    if response.status_code == 409 and field:
        assert field in response.json["error"], response.json


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_an_error_named_tags_is_answered_like_any_other(app):
    """CKAN's ValidationError rewrites errors of `tags`; a message named so must survive it."""
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    # Core refuses the unknown id with a message only; the guard names the parameter given
    # as null.
    response = app.post("/api/3/action/unfollow_dataset", headers={"Authorization": token},
                        json={"id": "no-such-dataset", "tags": None})
    assert response.status_code == 409, response.json
    messages = response.json["error"]["tags"]
    assert len(messages) == 1 and isinstance(messages[0], str) and messages[0]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_the_resource_form_without_its_hidden_field_is_a_bad_request(app):
    editor = factories.User()
    department = Department(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = CatalogDataset(owner_org=department["id"])
    token = factories.APIToken(user=editor["name"])["token"]
    before = _counts()
    response = app.post(f"/dataset/{dataset['name']}/resource/new",
                        headers={"Authorization": token},
                        data={"name": "缺少隐藏字段", "url": "http://example.com/a.csv",
                              "save": "go-metadata"})
    assert response.status_code == 400
    assert _counts() == before


def _plugin_action_names():
    """Actions of the other plugins (DataStore, activity, xloader, DCAT…), not CKAN core's."""
    from ckan.plugins import IActions, PluginImplementations
    return sorted({name for plugin in PluginImplementations(IActions)
                   if plugin.name != "zaozhuang" for name in plugin.get_actions()
                   if inventory.action_class(name) != inventory.DISABLED})


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_other_plugins_actions_answer_missing_or_wrong_parameters_with_field_errors(app):
    """DataStore, activity, xloader and DCAT actions read their parameters before their own
    checks (datastore_run_triggers: `data_dict['resource_id']` before auth); each, called
    without parameters and with a wrong kind, as anonymous and as a logged-in user, answers
    or refuses (a 409 naming a field), never 500, and writes nothing."""
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    names = _plugin_action_names()
    assert {"datastore_run_triggers", "datastore_search", "activity_show"} <= set(names)
    before = _counts()
    for name in names:
        for headers in ({}, {"Authorization": token}):
            for data in ({}, {"id": ["x"], "resource_id": {"a": 1}}):
                response = app.post(f"/api/3/action/{name}", headers=headers, json=data)
                assert response.status_code in (200, 400, 403, 404, 409), (
                    name, data, response.body[:300])
                if response.status_code == 409:
                    assert set(response.json["error"]) - {"__type", "message"}, (name, data)
    assert _counts() == before
