"""Loaded tables stay behind the access policy, and the loader's own actions and pages are for
the providing department (status), its editors (reload) and the worker (the hook)."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset

CSV = "区县,身份证号\n市中区,37040219800101123X\n滕州市,370481200012310021\n".encode("utf-8")
CONDITIONAL = {"open_category": "conditional", "open_conditions": "须签署数据利用协议",
               "share_category": "conditional", "share_conditions": "限履职需要"}


def token(user) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def loaded(publisher, department, **categories) -> dict:
    dataset = CatalogDataset(owner_org=department["id"], user=publisher["name"], **categories)
    resource = call_action(
        "resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
        name="区县身份证", url="", format="CSV",
        upload=FileStorage(io.BytesIO(CSV), filename="区县.csv"))
    run_jobs()
    assert call_action("resource_show", id=resource["id"])["datastore_active"] is True
    return resource


def api(app, action, data, headers=None, method="get"):
    call = app.get if method == "get" else app.post
    kwargs = {"params": data} if method == "get" else {"json": data}
    return call(f"/api/3/action/{action}", headers=headers or {}, **kwargs)


@pytest.fixture
def conditional(publisher, department):
    return loaded(publisher, department, **CONDITIONAL)


def test_conditional_rows_are_refused_to_strangers_and_read_by_the_provider(
        app, conditional, publisher, stranger):
    rid = {"resource_id": conditional["id"]}
    for headers in ({}, token(stranger)):
        response = api(app, "datastore_search", rid, headers)
        assert response.status_code == 403
        assert "37040219800101123X" not in response.get_data(as_text=True)
    response = api(app, "datastore_search", rid, token(publisher))
    assert response.status_code == 200
    assert [r["身份证号"] for r in response.json["result"]["records"]] == [
        "37040219800101123X", "370481200012310021"]


def test_the_status_is_for_the_providing_department(app, conditional, publisher, member,
                                                     stranger):
    rid = {"resource_id": conditional["id"]}
    for user in (publisher, member):
        response = api(app, "xloader_status", rid, token(user))
        assert response.status_code == 200
        assert response.json["result"]["status"] == "complete"
    for headers in ({}, token(stranger)):
        assert api(app, "xloader_status", rid, headers).status_code == 403


def test_open_data_status_is_not_public_either(app, publisher, department, stranger):
    resource = loaded(publisher, department)
    for headers in ({}, token(stranger)):
        response = api(app, "xloader_status", {"resource_id": resource["id"]}, headers)
        assert response.status_code == 403


def test_editors_reload_members_and_strangers_may_not(app, conditional, publisher, member,
                                                      stranger):
    data = {"resource_id": conditional["id"], "ignore_hash": True}
    for user in (member, stranger):
        assert api(app, "xloader_submit", data, token(user), "post").status_code == 403
    response = api(app, "xloader_submit", data, token(publisher), "post")
    assert response.status_code == 200 and response.json["result"] is True
    assert call_action("xloader_status", {"ignore_auth": True},
                       resource_id=conditional["id"])["status"] == "pending"
    run_jobs()
    assert call_action("xloader_status", {"ignore_auth": True},
                       resource_id=conditional["id"])["status"] == "complete"


def test_only_the_worker_reports_through_the_hook(app, conditional, publisher):
    # A department editor may edit the dataset, which is xloader's own rule for the hook; a
    # faked "complete" would tell the department its data is published when it is not.
    report = {"metadata": {"resource_id": conditional["id"]}, "status": "complete"}
    for headers in ({}, token(publisher)):
        assert api(app, "xloader_hook", report, headers, "post").status_code == 403


def test_the_datastore_tab_is_for_the_providing_department(app, conditional, publisher,
                                                           stranger):
    url = f"/dataset/{conditional['package_id']}/resource_data/{conditional['id']}"
    assert app.get(url, headers=token(publisher)).status_code == 200
    assert app.get(url, headers=token(stranger)).status_code == 403
    assert app.get(url).status_code == 403
