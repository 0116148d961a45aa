"""The input boundary: generated bad input to the portal's own actions and the core write
actions it touches, over real HTTP with real auth, answers 409 naming the field, never 500,
and writes nothing."""
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from werkzeug.datastructures import MultiDict

from ckan import model
from ckan.tests import factories

from ckanext.zaozhuang.access import inventory
from ckanext.zaozhuang.schema import boundary
from tests.factories import CatalogDataset, Department

FORBIDDEN = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\ud800", "\udfff"])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@given(before=TEXT, bad=FORBIDDEN, after=TEXT, field=st.sampled_from(["title", "notes", "x"]))
def test_text_with_control_characters_or_surrogates_is_refused(before, bad, after, field):
    errors = boundary.problems({field: before + bad + after, "name": "ok"})
    assert list(errors) == [field]


@given(value=TEXT, field=st.sampled_from(["title", "notes", "reason"]))
def test_clean_text_passes(value, field):
    assert boundary.problems({field: value, "tags": [{"name": value}]}) == {}


@given(extra=st.integers(min_value=1, max_value=1000))
def test_oversize_text_is_refused(extra):
    assert "title" in boundary.problems({"title": "枣" * (boundary.MAX_TEXT + extra)})
    assert not boundary.problems({"notes": "枣" * (boundary.MAX_TEXT + extra)})


def test_text_over_the_search_term_limit_is_refused():
    # 9,000 characters of four bytes each: within the character limit, over Solr's term limit.
    assert "title" in boundary.problems({"title": "\U00020000" * 9_000})
    assert not boundary.problems({"notes": "\U00020000" * 9_000})


@given(number=st.one_of(st.integers(min_value=boundary.MAX_PAGING + 1),
                        st.integers(max_value=-2), st.just("maybe"), st.just("1e5")))
def test_absurd_paging_is_refused(number):
    assert list(boundary.problems({"offset": number})) == ["offset"]


def test_deep_nesting_is_refused():
    deep = "x"
    for _ in range(boundary.MAX_DEPTH + 1):
        deep = [deep]
    assert list(boundary.problems({"resources": deep})) == ["resources"]


# --- through the API --------------------------------------------------------------------

def _write_actions():
    import ckan.logic
    ckan.logic.get_action("package_show")
    names = [n for n in ckan.logic._actions if inventory.action_class(n) == inventory.CHANGE
             and (n.startswith("zaozhuang_") or n.startswith(("package_", "resource_",
                                                               "organization_member")))]
    return sorted(names)


BAD_VALUES = st.one_of(
    st.builds(lambda a, b, c: a + b + c, TEXT, FORBIDDEN, TEXT),
    st.just("公" * (boundary.MAX_LONG_TEXT + 1)),
)
FIELDS = st.sampled_from(["title", "name", "notes", "reason", "purpose", "owner_org", "url",
                          "catalog_code", "contact_name", "id", "dataset_id", "body"])


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_bad_input_to_every_write_action_is_a_field_error_and_writes_nothing(app):
    department = Department(name="boundary-department")
    editor = factories.User()
    model.Session.add(model.Member(table_name="user", table_id=editor["id"],
                                   group_id=department["id"], capacity="editor",
                                   state="active"))
    model.Session.commit()
    CatalogDataset(owner_org=department["id"])
    token = factories.APIToken(user=editor["name"])["token"]
    actions = _write_actions()
    assert "package_create" in actions and "zaozhuang_application_create" in actions

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(action=st.sampled_from(actions), field=FIELDS, value=BAD_VALUES)
    def check(action, field, value):
        before = (model.Session.query(model.Package).count(),
                  model.Session.query(model.Resource).count())
        response = app.post(f"/api/3/action/{action}", headers={"Authorization": token},
                            data=json.dumps({"name": "boundary-probe", "title": "边界测试",
                                             field: value}),
                            content_type="application/json")
        assert response.status_code == 409, (action, field, response.status_code)
        assert field in response.json["error"], (action, response.json)
        model.Session.remove()
        assert (model.Session.query(model.Package).count(),
                model.Session.query(model.Resource).count()) == before

    check()


@pytest.mark.usefixtures("clean_db")
def test_deep_json_and_absurd_pages_answer_4xx(app):
    deep = "[" * 100_000 + "]" * 100_000
    response = app.post("/api/3/action/package_search", data=deep,
                        content_type="application/json")
    assert response.status_code in (400, 409)
    for params in ({"start": 10 ** 20}, {"rows": "maybe"}):
        response = app.get("/api/3/action/package_search", query_string=params)
        assert response.status_code == 409
    assert app.get("/dataset/", query_string={"page": 10 ** 20}).status_code == 400


@pytest.mark.usefixtures("clean_db")
def test_a_list_or_object_where_one_value_is_due_is_a_field_error(app):
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    for field, value in (("owner_org", ["a", "b"]), ("title", {"zh": "标题"}),
                         ("id", {"$ne": None}), ("url", [1])):
        response = app.post("/api/3/action/package_create", json={field: value},
                            headers={"Authorization": token})
        assert response.status_code == 409 and field in response.json["error"], field


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("action, field", [("package_show", "id"), ("package_patch", "id"),
                                           ("resource_show", "id"), ("activity_show", "id"),
                                           ("package_collaborator_list", "id")])
def test_a_form_field_naming_a_record_given_twice_is_a_field_error(app, action, field):
    # A repeated form field reaches the action as a list: core's lookups then fail as 500.
    dataset = CatalogDataset(resources=[{"name": "线路表", "url": "http://example.com/a.csv",
                                         "format": "CSV"}])
    editor = factories.User()
    model.Session.add(model.Member(table_name="user", table_id=editor["id"],
                                   group_id=dataset["owner_org"], capacity="editor",
                                   state="active"))
    model.Session.commit()
    token = factories.APIToken(user=editor["name"])["token"]
    response = app.post(f"/api/3/action/{action}", headers={"Authorization": token},
                        data=MultiDict([(field, dataset["id"]), (field, "x")]),
                        content_type="multipart/form-data")
    assert response.status_code == 409, response.body
    assert response.json["error"][field] == ["必须是单个值，不能是列表或对象"]
    assert app.post("/dataset/edit/" + dataset["name"], headers={"Authorization": token},
                    data=MultiDict([("id", "a"), ("id", "b")])).status_code == 400


# --- pages ------------------------------------------------------------------------------

@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("path", [
    "/dataset/%00", "/dataset/x/resource/%00", "/dataset/x/resource/%00/view/y",
    "/datastore/api_info/%00", "/datastore/dump/%00", "/organization/%00", "/user/%00"])
def test_control_characters_in_the_path_are_refused_by_name(app, path):
    response = app.get(path)
    assert response.status_code == 400
    assert "含有控制字符或无效文本" in response.body


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_core_forms_posted_without_their_fields_are_bad_requests(app):
    # Without `login` the core authenticator would call a string method on None.
    response = app.post("/user/login", data={"q": "1"})
    assert response.status_code == 400 and "login" in response.body
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    other = factories.User()
    response = app.post("/user/sysadmin", headers={"Authorization": token},
                        data={"username": other["name"], "status": "null"})
    assert response.status_code == 400 and "status" in response.body
    assert not model.User.get(other["name"]).sysadmin


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("query", ["tags=x", "tags=a&tags=b"])
def test_the_new_dataset_form_refuses_tags_it_cannot_fill_in(app, query):
    # CKAN fills the form in from the query and read a plain `tags` as a list of records.
    editor = factories.User()
    Department(users=[{"name": editor["name"], "capacity": "editor"}])
    token = factories.APIToken(user=editor["name"])["token"]
    response = app.get("/dataset/new?" + query, headers={"Authorization": token})
    assert response.status_code == 400 and "tags" in response.body
    assert app.get("/dataset/new?tags__0__name=公交&title=线路",
                   headers={"Authorization": token}).status_code == 200


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("path, status, heading", [
    ("/dataset/no-such-dataset", 404, "404 页面不存在"),
    ("/dataset/%00", 400, "400 请求无法处理"),
])
def test_error_pages_speak_the_users_language(app, path, status, heading):
    response = app.get(path)
    assert response.status_code == status
    assert heading in response.body
    assert "Not Found" not in response.body and "Bad Request" not in response.body


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("params", [{"sort": "evil"}, {"q": "title:("}])
def test_a_search_solr_refuses_on_a_department_page_says_so(app, params):
    # CKAN's read view leaves no facets when the search fails; its template then failed.
    department = Department(name="search-department")
    response = app.get("/organization/search-department", query_string=params)
    assert response.status_code == 200
    assert "搜索时出错" in response.body and department["title"] in response.body


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("q", ["公交 线路", '"公交"'])
def test_the_catalog_in_turtle_pages_a_search_of_any_words(app, q):
    # ckanext-dcat copies the query into its page links unencoded; rdflib refused a space.
    CatalogDataset(title="公交线路")
    response = app.get("/catalog.ttl", query_string={"q": q})
    assert response.status_code == 200
    assert "catalog.ttl?q=" + quote(q, safe="") + "&page=1" in response.body
