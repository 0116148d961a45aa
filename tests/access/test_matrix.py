"""Every role × every opening/sharing combination × every path into the data, against the
real app, PostgreSQL and Solr. The expected outcome of each cell comes from the table of the
access policy written out here, independently of the code under test."""
import pytest

from ckan import model
from ckan.logic import NotAuthorized, NotFound
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access.model import AuditEntry
from tests.access.conftest import COMBOS, ROLES

ALWAYS = {"provider_editor", "provider_admin", "authority", "sysadmin"}


def sees_metadata(role, opening, sharing):
    if role in ALWAYS or opening != "not_open":
        return True
    return role in ("other_department", "share_grant_department") and sharing != "none"


def gets_data(role, opening, sharing):
    if role in ALWAYS or opening == "unconditional":
        return True
    if role == "open_grant_active" and opening == "conditional":
        return True
    if role == "other_department":
        return sharing == "unconditional"
    if role == "share_grant_department":
        return sharing in ("unconditional", "conditional")
    return False


# --- paths -------------------------------------------------------------------------------
# Each returns (visible, got_data) as observed; None for visible where the path cannot tell.

def _user(world, role):
    return world["users"][role]["name"] if role in world["users"] else ""


def _http(world, role, url, **kwargs):
    headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
    return world["app"].get(url, headers=headers, follow_redirects=False, **kwargs)


def _action(world, role, name, **data):
    return call_action(name, {"user": _user(world, role), "ignore_auth": False}, **data)


def _urls_present(dataset, entry):
    urls = {r["id"]: r.get("url") for r in dataset.get("resources", [])}
    return bool(urls.get(entry["upload"]["id"])) and bool(urls.get(entry["link"]["id"]))


def path_package_show(world, role, entry):
    try:
        dataset = _action(world, role, "package_show", id=entry["dataset"]["id"])
    except (NotAuthorized, NotFound):
        return False, False
    return True, _urls_present(dataset, entry)


def path_resource_show(world, role, entry):
    try:
        resource = _action(world, role, "resource_show", id=entry["link"]["id"])
    except (NotAuthorized, NotFound):
        return False, False
    return True, resource["url"] == entry["link"]["url"]


def path_package_search(world, role, entry):
    """Through the HTTP API with GET, as API clients call it."""
    response = _http(world, role, "/api/3/action/package_search", query_string={
        "fq": f'id:"{entry["dataset"]["id"]}"', "include_private": "true"})
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.json["result"]["results"]
    if not results:
        return False, False
    return True, _urls_present(results[0], entry)


def path_current_package_list(world, role, entry):
    datasets = {d["id"]: d for d in _action(world, role, "current_package_list_with_resources",
                                            limit=100)}
    dataset = datasets.get(entry["dataset"]["id"])
    if dataset is None:
        return False, False
    return True, _urls_present(dataset, entry)


def path_activity_list(world, role, entry):
    try:
        activities = _action(world, role, "package_activity_list", id=entry["dataset"]["id"],
                             include_hidden_activity=True)
    except (NotAuthorized, NotFound):
        return False, False
    if not activities:
        return False, False
    text = repr(activities)
    return True, entry["link"]["url"] in text


def _datastore(world, role, name, **data):
    try:
        _action(world, role, name, **data)
        return True
    except (NotAuthorized, NotFound):
        return False


def path_datastore_search(world, role, entry):
    return None, _datastore(world, role, "datastore_search", resource_id=entry["upload"]["id"])


def path_datastore_info(world, role, entry):
    return None, _datastore(world, role, "datastore_info", id=entry["upload"]["id"])


def path_datastore_search_sql(world, role, entry):
    sql = f'SELECT "区县" FROM "{entry["upload"]["id"]}"'
    return None, _datastore(world, role, "datastore_search_sql", sql=sql)


def _page_showing_link(world, role, url, entry):
    """(page visible, the link's URL on it)."""
    response = _http(world, role, url)
    assert response.status_code in (200, 403, 404), response.status_code
    if response.status_code != 200:
        return False, False
    return True, entry["link"]["url"] in response.get_data(as_text=True)


def path_dataset_page(world, role, entry):
    return _page_showing_link(world, role, f"/dataset/{entry['dataset']['name']}", entry)


def _data_route(world, role, url, success):
    response = _http(world, role, url)
    assert response.status_code in (success, 403, 404), (url, response.status_code)
    world["refusal_page"] = response.get_data(as_text=True) if response.status_code == 403 else ""
    return None, response.status_code == success


def path_download_upload(world, role, entry):
    visible, got = _data_route(
        world, role,
        f"/dataset/{entry['dataset']['id']}/resource/{entry['upload']['id']}/download/data.csv", 200)
    return visible, got


def path_download_link(world, role, entry):
    response = _http(world, role,
                     f"/dataset/{entry['dataset']['id']}/resource/{entry['link']['id']}/download")
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response.headers["Location"] == entry["link"]["url"]
    world["refusal_page"] = response.get_data(as_text=True) if response.status_code == 403 else ""
    return None, response.status_code == 302


def path_datastore_dump(world, role, entry):
    return _data_route(world, role, f"/datastore/dump/{entry['upload']['id']}", 200)


def path_preview(world, role, entry):
    return _data_route(
        world, role, f"/dataset/{entry['dataset']['id']}/resource/{entry['upload']['id']}"
                     f"/view/{entry['view']['id']}", 200)


def path_search_by_url(world, role, entry):
    """A q= search for a fragment of the link's URL finds the dataset only when its data is
    open to everyone (the index keeps no locations of other data)."""
    result = _action(world, role, "package_search", q=f'res_url:"{entry["link"]["url"]}"',
                     include_private=True)
    return None, bool(result["results"])


def path_dcat(world, role, entry):
    return _page_showing_link(world, role, f"/dataset/{entry['dataset']['name']}.rdf", entry)


def path_feed(world, role, entry):
    """The Atom feed of recent datasets lists only what the user may see."""
    response = _http(world, role, "/feeds/dataset.atom", query_string={"rows": 100})
    assert response.status_code == 200
    return entry["dataset"]["name"] in response.get_data(as_text=True), None


def path_organization_page(world, role, entry):
    """The providing department's page lists, and counts, only what the user may see."""
    response = _http(world, role, "/organization/provider",
                     query_string={"q": entry["dataset"]["name"]})
    assert response.status_code == 200
    return f'/dataset/{entry["dataset"]["name"]}"' in response.get_data(as_text=True), None


PATHS = {
    "package_show": path_package_show,
    "resource_show": path_resource_show,
    "package_search": path_package_search,
    "current_package_list_with_resources": path_current_package_list,
    "package_activity_list": path_activity_list,
    "datastore_search": path_datastore_search,
    "datastore_info": path_datastore_info,
    "datastore_search_sql": path_datastore_search_sql,
    "dataset_page": path_dataset_page,
    "download_upload": path_download_upload,
    "download_link": path_download_link,
    "datastore_dump": path_datastore_dump,
    "preview": path_preview,
    "search_by_url": path_search_by_url,
    "dcat": path_dcat,
    "feed": path_feed,
    "organization_page": path_organization_page,
}
# Paths that hand out data and must leave an access log entry (event logged).
LOGGED = {
    "datastore_search": "datastore_search", "datastore_info": "datastore_info",
    "datastore_search_sql": "datastore_search_sql", "download_upload": "download",
    "download_link": "download", "datastore_dump": "datastore_dump", "preview": "preview",
}
PAGE_ROUTES = ("download_upload", "download_link", "datastore_dump", "preview")
CELLS = [(role, combo, path) for role in ROLES for combo in COMBOS for path in PATHS]


def _log_count(world, role, resource_id, event):
    query = model.Session.query(AuditEntry).filter_by(resource_id=resource_id, event=event)
    user = world["users"].get(role)
    query = (query.filter_by(user_id=user["id"]) if user
             else query.filter(AuditEntry.user_id.is_(None)))
    return {outcome: query.filter_by(outcome=outcome).count()
            for outcome in ("allowed", "refused")}


@pytest.mark.parametrize("role,combo,path", CELLS,
                         ids=[f"{r}-{c[0]}-{c[1]}-{p}" for r, c, p in CELLS])
def test_cell(world, role, combo, path):
    opening, sharing = combo
    entry = world["datasets"][combo]
    visible_expected = sees_metadata(role, opening, sharing)
    data_expected = visible_expected and gets_data(role, opening, sharing)
    if path == "search_by_url":
        data_expected = visible_expected and opening == "unconditional"
    if path == "datastore_search_sql" and role == "anonymous":
        data_expected = False  # CKAN's own rule: SQL search needs a logged-in user

    resource_id = (entry["link"] if path == "download_link" else entry["upload"])["id"]
    before = _log_count(world, role, resource_id, LOGGED[path]) if path in LOGGED else None
    visible, got_data = PATHS[path](world, role, entry)
    model.Session.remove()

    if visible is not None:
        assert visible == visible_expected, "metadata visibility"
    if got_data is not None:
        assert got_data == data_expected, "data access"

    if path in PAGE_ROUTES and visible_expected and not data_expected:
        # Someone who sees the dataset is told why the data is withheld, in Chinese.
        assert "无权限下载" in world.pop("refusal_page")

    if before is not None and (opening != "unconditional" or not data_expected):
        after = _log_count(world, role, resource_id, LOGGED[path])
        outcome = "allowed" if data_expected else "refused"
        assert after[outcome] == before[outcome] + 1, f"one '{outcome}' log entry"
