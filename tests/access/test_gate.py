"""The access gate on CKAN core's own paths: each class of leak or 500 found from outside,
as a regression test through real auth (HTTP or call_action without ignore_auth), as the
role that claims or is refused it."""
import io
import json
import re

import openpyxl
import pytest

from ckan import model
from ckan.logic import NotAuthorized, NotFound, ValidationError
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access import actions as access_actions
from ckanext.zaozhuang.access.model import Grant
from tests.access.conftest import combo_name

NOT_OPEN = ("not_open", "none")
CONDITIONAL = ("conditional", "none")
OPEN = ("unconditional", "unconditional")


def _as(world, role, action, **data):
    user = world["users"][role]["name"] if role in world["users"] else ""
    return call_action(action, {"user": user, "ignore_auth": False}, **data)


def _api(world, role, action, method="get", **params):
    headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
    if method == "get":
        return world["app"].get(f"/api/3/action/{action}", headers=headers,
                                query_string=params)
    return world["app"].post(f"/api/3/action/{action}", headers=headers, json=params)


@pytest.fixture(scope="module")
def marked(world):
    """Canaries on the world's datasets: a tag only the not_open dataset carries and a
    resource extra pointing at the data of the conditional one."""
    admin = {"user": world["users"]["sysadmin"]["name"]}
    hidden = world["datasets"][NOT_OPEN]["dataset"]
    call_action("package_patch", admin, id=hidden["id"], tag_string="canary-hidden-tag")
    conditional = world["datasets"][CONDITIONAL]
    call_action("resource_patch", admin, id=conditional["link"]["id"],
                access_url="https://mirror.example.org/canary-access-url.csv")
    return {"tag": "canary-hidden-tag", "access_url": "canary-access-url"}


def test_resource_search_finds_no_location_of_data_the_user_may_not_get(world):
    response = _api(world, "anonymous", "resource_search", query="url:http")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for combo, entry in world["datasets"].items():
        if combo[0] != "unconditional":
            assert entry["link"]["url"] not in body
            assert entry["link"]["id"] not in body
    assert world["datasets"][OPEN]["link"]["url"] in body
    # Searching by description still finds conditional resources, without their location.
    found = _as(world, "anonymous", "resource_search", query="name:接口链接")["results"]
    conditional_link = world["datasets"][CONDITIONAL]["link"]
    assert [r["url"] for r in found if r["id"] == conditional_link["id"]] == [""]
    assert not [r for r in found if r["id"] == world["datasets"][NOT_OPEN]["link"]["id"]]


@pytest.mark.parametrize("fl", ["validated_data_dict", "data_dict", "id,res_url", "*"])
def test_search_returns_no_stored_dataset_copies(world, fl):
    response = _api(world, "anonymous", "package_search", fl=fl)
    assert response.status_code == 409
    assert "fl" in response.json["error"]


@pytest.mark.parametrize("fl", ["name,title", "name title", "title"])
def test_search_with_named_fields_answers_those_fields(world, fl):
    response = _api(world, "anonymous", "package_search", fl=fl, rows=50)
    assert response.status_code == 200, response.json
    results = response.json["result"]["results"]
    assert results and all(set(r) <= {"name", "title"} for r in results)
    titles = {r["title"] for r in results}
    assert world["datasets"][OPEN]["dataset"]["title"] in titles
    assert world["datasets"][NOT_OPEN]["dataset"]["title"] not in titles


def test_search_answers_json_only_and_facets_only_descriptive_fields(world):
    assert _api(world, "anonymous", "package_search", wt="xml").status_code == 409
    response = _api(world, "anonymous", "package_search", **{"facet.field": '["res_url"]'})
    assert response.status_code == 409
    response = _api(world, "anonymous", "package_search", **{"facet.field": '["tags"]'})
    assert response.status_code == 200


def test_resource_extras_of_withheld_data_are_not_shown(world, marked):
    entry = world["datasets"][CONDITIONAL]
    for role in ("anonymous", "registered", "other_department"):
        dataset = _as(world, role, "package_show", id=entry["dataset"]["id"])
        link = [r for r in dataset["resources"] if r["id"] == entry["link"]["id"]][0]
        assert "access_url" not in link and link["url"] == ""
        assert link["name"] == "接口链接"
    granted = _as(world, "open_grant_active", "resource_show", id=entry["link"]["id"])
    assert marked["access_url"] in granted["access_url"]
    rdf = world["app"].get(f"/dataset/{entry['dataset']['name']}.ttl")
    assert marked["access_url"] not in rdf.get_data(as_text=True)


def test_datastore_sql_cannot_run_sql_given_as_text(world):
    hidden = world["datasets"][NOT_OPEN]["upload"]["id"]
    opened = world["datasets"][OPEN]["upload"]["id"]
    sql = (f"SELECT ts_rewrite('a'::tsquery, 'SELECT \"区县\"::tsquery, ''b''::tsquery "
           f"FROM \"{hidden}\"') FROM \"{opened}\"")
    with pytest.raises(NotAuthorized):
        _as(world, "registered", "datastore_search_sql", sql=sql)
    sql = f"SELECT query_to_xml('SELECT * FROM \"{hidden}\"', true, true, '') FROM \"{opened}\""
    with pytest.raises((NotAuthorized, ValidationError)):
        _as(world, "registered", "datastore_search_sql", sql=sql)
    rows = _as(world, "registered", "datastore_search_sql", sql=f'SELECT * FROM "{opened}"')
    assert len(rows["records"]) == 2


def test_datastore_answers_only_for_known_resources(world):
    with pytest.raises(NotAuthorized):
        _as(world, "registered", "datastore_search", resource_id="_table_metadata")
    response = _api(world, "anonymous", "datastore_search_sql",
                    sql=f'SELECT * FROM "{world["datasets"][OPEN]["upload"]["id"]}"')
    assert response.status_code == 403
    response = _api(world, "registered", "datastore_search",
                    resource_id=world["datasets"][CONDITIONAL]["upload"]["id"])
    assert response.status_code == 403


def test_lists_and_autocompletion_hide_not_open_datasets(world):
    hidden = combo_name(*NOT_OPEN)
    visible = combo_name(*CONDITIONAL)
    names = _api(world, "anonymous", "package_list").json["result"]
    assert hidden not in names and visible in names
    found = _api(world, "anonymous", "package_autocomplete", q="tier").json["result"]
    assert hidden not in {f["name"] for f in found}
    members = _as(world, "other_department", "member_list",
                  id="provider", object_type="package")
    ids = {m[0] for m in members}
    assert world["datasets"][NOT_OPEN]["dataset"]["id"] not in ids
    assert world["datasets"][CONDITIONAL]["dataset"]["id"] in ids


def test_tags_of_hidden_datasets_are_not_listed(world, marked):
    tag = marked["tag"]
    for action, params in (("tag_list", {}), ("tag_autocomplete", {"q": "canary"}),
                           ("tag_search", {"q": "canary"})):
        assert tag not in _api(world, "anonymous", action, **params).get_data(as_text=True)
    assert _api(world, "anonymous", "tag_show", id=tag).status_code == 404
    assert tag in _as(world, "provider_editor", "tag_list")
    shown = _as(world, "provider_editor", "tag_show", id=tag, include_datasets=True)
    assert [p["name"] for p in shown["packages"]] == [combo_name(*NOT_OPEN)]


def test_member_list_is_for_staff(world):
    response = _api(world, "anonymous", "member_list", id="provider")
    assert response.status_code == 403
    assert _api(world, "registered", "member_list", id="provider").status_code == 403


def test_a_downgraded_dataset_takes_its_history_with_it(world):
    entry = world["datasets"][OPEN]
    dataset_id = entry["dataset"]["id"]
    assert _as(world, "anonymous", "package_activity_list", id=dataset_id)
    activity_id = _as(world, "provider_admin", "package_activity_list", id=dataset_id)[0]["id"]
    call_action("package_patch", {"user": world["users"]["authority"]["name"],
                                  "ignore_auth": False},
                id=dataset_id, open_category="not_open", share_category="none",
                not_open_basis="依据《数据安全法》不予开放")
    try:
        with pytest.raises((NotAuthorized, NotFound)):
            _as(world, "anonymous", "package_activity_list", id=dataset_id)
        with pytest.raises(NotAuthorized):
            _as(world, "anonymous", "activity_show", id=activity_id, include_data=True)
        for action, params in (("organization_activity_list", {"id": "provider"}),
                               ("recently_changed_packages_activity_list", {})):
            activities = _as(world, "anonymous", action, **params)
            assert dataset_id not in {a["object_id"] for a in activities}, action
        assert _as(world, "provider_admin", "package_activity_list", id=dataset_id)
    finally:
        call_action("package_patch", {"user": world["users"]["sysadmin"]["name"]},
                    id=dataset_id, open_category="unconditional",
                    share_category="unconditional")


def test_citizens_create_no_departments_or_groups(world):
    for action in ("organization_create", "group_create"):
        with pytest.raises(NotAuthorized):
            _as(world, "registered", action, name=f"citizen-{action.split('_')[0]}",
                title="市民自建")
        with pytest.raises(NotAuthorized):
            _as(world, "provider_admin", action, name=f"editor-{action.split('_')[0]}",
                title="部门自建")


def test_the_authority_is_a_role_not_a_sysadmin(world):
    """A member of the authority's organization, not a sysadmin, restricts a dataset's
    opening and creates a department, through real auth."""
    authority = world["users"]["authority"]
    assert not model.User.get(authority["id"]).sysadmin
    entry = world["datasets"][("unconditional", "conditional")]
    context = {"user": authority["name"], "ignore_auth": False}
    try:
        restricted = call_action("package_patch", dict(context), id=entry["dataset"]["id"],
                                 open_category="conditional",
                                 open_conditions="须签署数据利用协议")
        assert restricted["open_category"] == "conditional"
    finally:
        call_action("package_patch", {"user": world["users"]["sysadmin"]["name"]},
                    id=entry["dataset"]["id"], open_category="unconditional")
    created = call_action("organization_create", dict(context), name="authority-made",
                          title="枣庄市新设部门")
    assert created["name"] == "authority-made"
    with pytest.raises(ValidationError):
        call_action("package_patch", {"user": world["users"]["provider_admin"]["name"],
                                      "ignore_auth": False},
                    id=entry["dataset"]["id"], open_category="not_open",
                    not_open_basis="依据《数据安全法》")


def test_reviewers_see_only_their_departments_grants(world):
    """A member of another department is no reviewer; a reviewer of another department sees
    its own department's grants only, never the provider's."""
    with pytest.raises(NotAuthorized):
        _as(world, "other_department", "zaozhuang_grant_list", scope="review")
    with pytest.raises(NotAuthorized):
        _as(world, "other_department", "zaozhuang_grant_list", scope="review",
            organization_id="provider")
    assert model.Session.query(Grant).count() > 0
    assert _as(world, "provider_admin", "zaozhuang_grant_list", scope="review")


def _csrf_token(page):
    match = re.search(r'<meta name="_csrf_token" content="([^"]+)"', page)
    return match.group(1) if match else None


def test_changes_with_the_login_cookie_need_the_csrf_token(world):
    name = world["users"]["registered"]["name"]
    call_action("user_patch", {"user": world["users"]["sysadmin"]["name"]}, id=name,
                password="Zaozhuang-2026")
    browser = world["app"].test_client()  # a browser that logs in and keeps the cookie
    login = browser.get("/user/login").get_data(as_text=True)
    browser.post("/user/login", data={"login": name, "password": "Zaozhuang-2026",
                                      "_csrf_token": _csrf_token(login)})
    profile = {"applicant_type": "enterprise", "entity_name": "枣庄示例科技有限公司",
               "credit_code": "91370400MA3C12345Q", "contact_name": "王敏",
               "contact_phone": "13806320001", "contact_email": "a@example.com"}
    url = "/api/3/action/zaozhuang_applicant_profile_update"
    me = browser.get("/api/3/action/user_show?id=" + world["users"]["registered"]["name"])
    assert me.json["result"].get("email"), "the browser is logged in"
    forged = browser.post(url, data=profile)
    assert forged.status_code == 403 and "CSRF" not in forged.get_data(as_text=True)
    # An earlier call with an API token must not open the API to cookies (CKAN exempts a
    # view from CSRF checks for good once a token has used it).
    assert _api(world, "registered", "zaozhuang_applicant_profile_update", method="post",
                **profile).status_code == 200
    assert browser.post(url, json=profile).status_code == 403
    decide = browser.post("/applications/any/decide", data={"decision": "approve"})
    assert decide.status_code == 403
    token = _csrf_token(browser.get("/dataset/").get_data(as_text=True))
    assert token
    genuine = browser.post(url, json=profile, headers={"X-CSRFToken": token})
    assert genuine.status_code == 200, genuine.get_data(as_text=True)
    # The table preview's script posts with the other header Flask-WTF reads.
    preview = f"/datatables/ajax/{world['datasets'][OPEN]['view']['id']}"
    form = {"draw": "1", "start": "0", "length": "10", "search[value]": ""}
    assert browser.post(preview, data=form).status_code == 403
    rows = browser.post(preview, data=form, headers={"X-CSRF-Token": token})
    assert rows.status_code == 200, rows.get_data(as_text=True)
    assert json.loads(rows.get_data(as_text=True))["draw"] == 1


def test_catalog_export_writes_formulas_as_text(world):
    admin = {"user": world["users"]["sysadmin"]["name"]}
    entry = world["datasets"][OPEN]
    call_action("package_patch", admin, id=entry["dataset"]["id"],
                source_system="=HYPERLINK(\"http://evil.example\",\"点击\")")
    try:
        xlsx = world["app"].get("/organization/provider/catalog.xlsx")
        assert xlsx.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
        values = [c for row in sheet.iter_rows() for c in row if c.value
                  and str(c.value).startswith("=HYPERLINK")]
        assert values and all(c.data_type == "s" for c in values)
        csv_text = world["app"].get("/organization/provider/catalog.csv").data.decode("utf-8-sig")
        assert "'=HYPERLINK" in csv_text
    finally:
        call_action("package_patch", admin, id=entry["dataset"]["id"], source_system="")


@pytest.mark.parametrize("path", [
    "/dataset/changes_multiple",
    "/dataset/changes_multiple?new_id=x&old_id=y",
    "/catalog.ttl?profiles=euro_dcat_ap_3",
    "/datastore/dump/_table_metadata",
    "/datastore/dump/{upload}?format=evil",
    "/applications/review?filter=evil",
    "/testing/primer",
])
def test_bad_requests_on_core_paths_are_not_server_errors(world, path):
    path = path.format(upload=world["datasets"][OPEN]["upload"]["id"])
    headers = {"Authorization": world["tokens"]["provider_admin"]}
    response = world["app"].get(path, headers=headers)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


def test_private_dataset_data_routes_answer_404_to_outsiders(world):
    admin = {"user": world["users"]["sysadmin"]["name"]}
    entry = world["datasets"][OPEN]
    call_action("package_patch", admin, id=entry["dataset"]["id"], private=True)
    try:
        upload, view = entry["upload"], entry["view"]
        base = f"/dataset/{entry['dataset']['id']}/resource/{upload['id']}"
        for role in ("anonymous", "other_department"):
            headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
            for path in (f"{base}/download", f"{base}/view/{view['id']}",
                         f"/datastore/dump/{upload['id']}"):
                assert world["app"].get(path, headers=headers).status_code == 404
                head = world["app"].client.open(path, method="HEAD", headers=headers)
                assert head.status_code == 404
            ajax = world["app"].post(f"/datatables/ajax/{view['id']}", headers=headers,
                                     data={"draw": "1", "start": "0", "length": "10"})
            assert ajax.status_code == 404
        provider = {"Authorization": world["tokens"]["provider_editor"]}
        assert world["app"].get(f"{base}/download", headers=provider).status_code in (200, 302)
    finally:
        call_action("package_patch", admin, id=entry["dataset"]["id"], private=False)


def test_refusals_name_no_dataset(world):
    entry = world["datasets"][NOT_OPEN]
    response = _api(world, "anonymous", "resource_show", id=entry["link"]["id"])
    assert response.status_code in (403, 404)
    assert entry["dataset"]["id"] not in response.get_data(as_text=True)


@pytest.mark.ckan_config("ckan.featured_orgs", ["provider"])
@pytest.mark.parametrize("role", ["anonymous", "registered", "other_department"])
def test_the_home_page_features_only_what_the_visitor_may_see(world, role):
    """CKAN's featured departments call organization_show with ignore_auth: the datasets
    they list are the visitor's, whoever is logged in. The providing department is featured
    on purpose: by default the first department by title is, which may be any."""
    headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
    body = world["app"].get("/", headers=headers).get_data(as_text=True)
    assert "分级测试 not_open none" not in body


def test_each_chained_action_is_registered_under_its_own_name():
    """One function chained under two names was once registered under the last only."""
    chained = access_actions.chained_actions()
    assert {"organization_show", "group_show"} <= set(chained)
    assert all(fn.__name__ == name for name, fn in chained.items())
    assert len({id(fn) for fn in chained.values()}) == len(chained)


@pytest.mark.parametrize("filename,content,inline", [
    ("page.html", b"<script>alert(document.cookie)</script>", False),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', False),
    ("data.csv", "区县,数量\n市中区,12\n".encode(), True),
])
def test_uploads_never_run_as_pages_of_the_portal(world, filename, content, inline):
    from werkzeug.datastructures import FileStorage
    entry = world["datasets"][OPEN]
    resource = call_action("resource_create", {"user": world["users"]["provider_admin"]["name"]},
                           package_id=entry["dataset"]["id"], name=filename, url="",
                           format="CSV" if inline else "TXT",
                           upload=FileStorage(io.BytesIO(content), filename=filename))
    try:
        response = world["app"].get(
            f"/dataset/{entry['dataset']['id']}/resource/{resource['id']}/download/{filename}")
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        disposition = response.headers.get("Content-Disposition", "")
        assert disposition.startswith("attachment") != inline, disposition
    finally:
        call_action("resource_delete", {"user": world["users"]["sysadmin"]["name"]},
                    id=resource["id"])
