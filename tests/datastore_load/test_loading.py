"""A department's table, uploaded with resource_create, becomes a DataStore table on the real job
worker (ckanext-xloader), and is read back through datastore_search as the access policy
allows: anyone for unconditionally open data, the provider but not a stranger for conditional
data."""
import csv
import io

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset

HEADER = ("姓名", "身份证号", "联系电话", "登记日期", "金额")
# ID-card numbers (18 characters, the last may be X) and telephone numbers with a leading zero
# must come back exactly as written, as text.
ROWS = (
    ("张三", "37040219800101123X", "06323317001", "2024年1月5日", "1,200"),
    ("李四", "370402199001011234", "0632-5118916", "2024/1/5", "35"),
    ("王静", "370481200012310021", "013806321234", "2024-01-05", "0.5"),
)


def csv_text(rows, separator: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator=newline).writerows((HEADER, *rows))
    return out.getvalue()


def delimited(separator: str = ",", newline: str = "\n") -> str:
    return csv_text(ROWS, separator, newline)


def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "登记表"
    for row in (HEADER, *ROWS):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


UPLOADS = {
    "utf8": ("登记.csv", "CSV", delimited().encode("utf-8")),
    "utf8-bom-crlf": ("登记.csv", "CSV", delimited(newline="\r\n").encode("utf-8-sig")),
    "gbk-crlf": ("登记.csv", "CSV", delimited(newline="\r\n").encode("gbk")),
    "gb18030": ("登记.csv", "CSV", delimited().encode("gb18030")),
    "tsv": ("登记.tsv", "TSV", delimited(separator="\t").encode("utf-8")),
    "xlsx": ("登记.xlsx", "XLSX", workbook()),
}


def upload(publisher, dataset, filename: str, fmt: str, content: bytes) -> dict:
    return call_action(
        "resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
        name="人员登记", url="", format=fmt,
        upload=FileStorage(io.BytesIO(content), filename=filename))


def status(resource_id: str) -> dict:
    return call_action("xloader_status", {"ignore_auth": True}, resource_id=resource_id)


def search(app, resource_id: str, user=None):
    headers = {}
    if user is not None:
        headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
    return app.get("/api/3/action/datastore_search", params={"resource_id": resource_id},
                   headers=headers)


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_an_open_upload_is_loaded_and_read_by_anyone(kind, app, publisher, department):
    dataset = CatalogDataset(owner_org=department["id"])
    resource = upload(publisher, dataset, *UPLOADS[kind])
    assert status(resource["id"])["status"] == "pending"

    run_jobs()

    assert status(resource["id"])["status"] == "complete", status(resource["id"])
    response = search(app, resource["id"])
    assert response.status_code == 200, response.json
    result = response.json["result"]
    assert [f["id"] for f in result["fields"]] == ["_id", *HEADER]
    assert all(f["type"] == "text" for f in result["fields"][1:])
    assert [tuple(r[h] for h in HEADER) for r in result["records"]] == list(ROWS)
    assert call_action("resource_show", id=resource["id"])["datastore_active"] is True
    views = call_action("resource_view_list", id=resource["id"])
    assert "datatables_view" in [v["view_type"] for v in views]


def test_a_replaced_file_replaces_its_table(app, publisher, department):
    """A department's monthly update under the same name, with the same columns: the table
    is refilled, all text."""
    dataset = CatalogDataset(owner_org=department["id"])
    resource = upload(publisher, dataset, *UPLOADS["utf8"])
    run_jobs()
    rows = (("赵六", "370403198512120039", "06323317001", "2024年2月1日", "12"),)
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                upload=FileStorage(io.BytesIO(csv_text(rows).encode()), filename="登记.csv"))
    run_jobs()
    result = search(app, resource["id"]).json["result"]
    assert all(f["type"] == "text" for f in result["fields"][1:])
    assert [tuple(r[h] for h in HEADER) for r in result["records"]] == list(rows)
    assert call_action("resource_show", id=resource["id"])["record_count"] == 1


def test_a_file_with_other_columns_is_loaded_all_text(app, publisher, department):
    """xloader 2.6 would load a file whose columns differ from its table's by guessing types,
    turning telephone numbers with a leading zero and ID numbers into numbers; the portal
    has each load make its table afresh."""
    dataset = CatalogDataset(owner_org=department["id"])
    resource = upload(publisher, dataset, *UPLOADS["utf8"])
    run_jobs()
    header = ("姓名", "身份证号", "联系电话")
    rows = [("赵六", "370403198512120039", "06323317001")]
    other = "".join(",".join(row) + "\n" for row in (header, *rows))
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                upload=FileStorage(io.BytesIO(other.encode()), filename="登记.csv"))
    run_jobs()
    result = search(app, resource["id"]).json["result"]
    assert [f["id"] for f in result["fields"]] == ["_id", *header]
    assert all(f["type"] == "text" for f in result["fields"][1:])
    assert [tuple(r[h] for h in header) for r in result["records"]] == rows
    assert call_action("resource_show", id=resource["id"])["record_count"] == 1
