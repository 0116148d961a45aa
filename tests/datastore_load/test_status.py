"""The load status on the resource page, in Chinese, for the providing department (a reload
button for its editors), and the resource's record count kept at the rows loaded."""
import io

from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset

CSV = "区县,联系电话\n市中区,06323317001\n滕州市,06325118916\n山亭区,06328812345\n"


def token(user) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def upload(publisher, department, content: bytes) -> dict:
    dataset = CatalogDataset(owner_org=department["id"], user=publisher["name"])
    return call_action(
        "resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
        name="区县电话", url="", format="CSV",
        upload=FileStorage(io.BytesIO(content), filename="电话.csv"))


def status_box(app, resource, headers):
    url = f"/dataset/{resource['package_id']}/resource/{resource['id']}"
    response = app.get(url, headers=headers)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
        ".zz-load-status")


def test_pending_then_loaded_with_its_rows(app, publisher, department):
    resource = upload(publisher, department, CSV.encode())
    box = status_box(app, resource, token(publisher))
    assert box["data-load-state"] == "pending" and "等待加载" in box.text

    run_jobs()

    box = status_box(app, resource, token(publisher))
    assert box["data-load-state"] == "loaded"
    assert "已加载，共 3 条" in box.text
    assert box.select_one("form button").text.strip() == "重新加载"


def test_the_record_count_follows_the_rows_loaded(publisher, department):
    resource = upload(publisher, department, CSV.encode())
    run_jobs()
    assert call_action("resource_show", id=resource["id"])["record_count"] == 3


def test_a_failure_is_shown_with_its_reason_in_chinese(app, publisher, department):
    resource = upload(publisher, department, "区县,数量\n市中区,1,200\n".encode())
    run_jobs()
    box = status_box(app, resource, token(publisher))
    assert box["data-load-state"] == "failed"
    assert "加载失败：有一行（第 2 行）的值多于表头的 2 列" in box.text


def test_members_see_the_status_without_the_reload_button(app, publisher, department, member):
    resource = upload(publisher, department, CSV.encode())
    run_jobs()
    box = status_box(app, resource, token(member))
    assert box["data-load-state"] == "loaded" and box.select_one("form") is None


def test_others_do_not_see_it(app, publisher, department, stranger):
    resource = upload(publisher, department, CSV.encode())
    run_jobs()
    assert status_box(app, resource, {}) is None
    assert status_box(app, resource, token(stranger)) is None


def test_the_reload_button_loads_again(app, publisher, department):
    resource = upload(publisher, department, CSV.encode())
    run_jobs()
    box = status_box(app, resource, token(publisher))
    form = box.select_one("form")
    response = app.post(form["action"], headers=token(publisher), follow_redirects=False)
    assert response.status_code == 302
    assert call_action("xloader_status", {"ignore_auth": True},
                       resource_id=resource["id"])["status"] == "pending"
    run_jobs()
    assert status_box(app, resource, token(publisher))["data-load-state"] == "loaded"
