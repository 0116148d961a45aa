"""A replaced file replaces its table atomically on the real job worker: while the new file
loads, readers (another connection: the portal over HTTP) get the old rows; afterwards the new
ones; a new file that fails leaves the old rows readable and the failure in the load status."""
import io

import openpyxl
import pytest
import requests
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from ckan.tests import factories
from ckan.tests.helpers import call_action
import ckanext.datastore.backend.postgres as datastore_db

from ckanext.zaozhuang.datastore_load import worker
from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset

OLD = "区县,数量\n市中区,12\n滕州市,35\n".encode()
NEW = "区县,户数,备注\n薛城区,7,新表\n峄城区,8,新表\n台儿庄区,9,新表\n".encode()


@pytest.fixture
def loaded(publisher, department):
    dataset = CatalogDataset(owner_org=department["id"], user=publisher["name"])
    resource = call_action(
        "resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
        name="区县统计", url="", format="CSV",
        upload=FileStorage(io.BytesIO(OLD), filename="统计.csv"))
    run_jobs()
    return resource


def replace(publisher, resource, content, filename="统计.csv", **fields):
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                upload=FileStorage(io.BytesIO(content), filename=filename), **fields)


def read(site, resource_id, headers=None):
    """datastore_search as an anonymous reader, through the served portal: a connection of
    its own, whatever the test's thread is doing."""
    response = requests.get(f"{site}/api/3/action/datastore_search",
                            params={"resource_id": resource_id, "sort": "_id"},
                            headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    return [f["id"] for f in result["fields"]], [
        tuple(r[f["id"]] for f in result["fields"][1:]) for r in result["records"]]


def staging_exists(resource_id) -> bool:
    with datastore_db.get_write_engine().connect() as conn:
        return conn.execute(sa.text("SELECT to_regclass(:table)"), {
            "table": f'"{worker.staging_table(resource_id)}"'}).scalar() is not None


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["区县", "数量"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


OLD_TABLE = (["_id", "区县", "数量"], [("市中区", "12"), ("滕州市", "35")])
NEW_TABLE = (["_id", "区县", "户数", "备注"],
             [("薛城区", "7", "新表"), ("峄城区", "8", "新表"), ("台儿庄区", "9", "新表")])


def test_readers_see_the_old_table_until_the_new_one_is_complete(
        loader_site, publisher, loaded, monkeypatch):
    seen = {}
    swap = worker.swap
    headers = {"Authorization": factories.APIToken(user=publisher["name"])["token"]}

    def held_swap(staging, resource_id):
        # The new table is complete under its staging name, the job still running: what
        # do readers get now?
        seen["staging"] = staging_exists(resource_id)
        seen["table"] = read(loader_site, resource_id)
        seen["status"] = requests.get(
            f"{loader_site}/api/3/action/zaozhuang_datastore_load_status",
            params={"resource_id": resource_id}, headers=headers, timeout=30).json()["result"]
        swap(staging, resource_id)

    monkeypatch.setattr(worker, "swap", held_swap)
    replace(publisher, loaded, NEW)
    run_jobs()

    assert seen["staging"] is True
    assert seen["table"] == OLD_TABLE
    assert seen["status"]["state"] == "loading"
    assert read(loader_site, loaded["id"]) == NEW_TABLE
    assert not staging_exists(loaded["id"])
    shown = call_action("resource_show", id=loaded["id"])
    assert shown["record_count"] == 3 and shown["datastore_active"] is True


def test_a_table_replaced_twice_keeps_its_search_index(publisher, loaded):
    """The indexes (named by the DataStore from the table's name) and the full-text column
    follow each swap: a third load does not collide with the second's."""
    replace(publisher, loaded, NEW)
    run_jobs()
    third = "区县,户数\n山亭区,11\n".encode()
    replace(publisher, loaded, third)
    run_jobs()
    assert call_action("xloader_status", {"user": publisher["name"], "ignore_auth": False},
                       resource_id=loaded["id"])["status"] == "complete"
    found = call_action("datastore_search", resource_id=loaded["id"], q="山亭区")
    assert [r["户数"] for r in found["records"]] == ["11"] and found["total"] == 1
    assert call_action("datastore_search", resource_id=loaded["id"], q="薛城区")["total"] == 0
    assert call_action("resource_show", id=loaded["id"])["record_count"] == 1


@pytest.mark.parametrize("content, filename, fields", [
    # 1,200 without quotes: rows wider than the header, which no loader reads.
    ("区县,数量\n市中区,1,200\n".encode(), "统计.csv", {}),
    # A workbook without the sheet the resource names.
    (workbook(), "统计.xlsx", {"format": "XLSX", "sheet": "汇总"}),
])
def test_a_new_file_that_fails_leaves_the_old_table(loader_site, publisher, loaded, content,
                                                    filename, fields):
    replace(publisher, loaded, content, filename, **fields)
    run_jobs()
    status = call_action("zaozhuang_datastore_load_status",
                         {"user": publisher["name"], "ignore_auth": False},
                         resource_id=loaded["id"])
    assert status["state"] == "failed" and status["reason"]
    assert read(loader_site, loaded["id"]) == OLD_TABLE
    assert not staging_exists(loaded["id"])
    assert call_action("resource_show", id=loaded["id"])["datastore_active"] is True
