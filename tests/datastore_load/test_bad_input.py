"""Files that cannot become a table end in a clear state: refused at upload, or a load that
stops with its reason; never a server error or a job left running."""
import io

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.datastore_load.actions import EMPTY_FILE
from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset


def upload(publisher, department, filename, fmt, content):
    dataset = CatalogDataset(owner_org=department["id"], user=publisher["name"])
    return call_action(
        "resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
        name="坏文件", url="", format=fmt,
        upload=FileStorage(io.BytesIO(content), filename=filename))


def load(resource) -> tuple[dict, dict]:
    run_jobs()
    status = call_action("xloader_status", {"ignore_auth": True}, resource_id=resource["id"])
    return status, call_action("resource_show", id=resource["id"])


def formulas() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["区县", "数量", "合计"])
    sheet.append(["市中区", 12, "=B2*2"])
    sheet.merge_cells("A3:C3")
    sheet["A3"] = "合并单元格"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_program_named_csv_is_refused_at_upload(publisher, department):
    with pytest.raises(tk.ValidationError) as refused:
        upload(publisher, department, "程序.csv", "CSV", b"MZ\x90\x00" + bytes(range(256)))
    assert "upload" in refused.value.error_dict


def test_an_empty_file_fails_at_once_with_its_reason(publisher, department):
    resource = upload(publisher, department, "空.csv", "CSV", b"")
    status, shown = load(resource)
    assert status["status"] == "error"
    assert status["error"] == {"message": EMPTY_FILE}
    assert not shown.get("datastore_active")


def test_a_file_replaced_by_an_empty_one_loses_its_table(publisher, department):
    resource = upload(publisher, department, "表.csv", "CSV", "区县,数量\n市中区,12\n".encode())
    assert load(resource)[1]["datastore_active"] is True
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                upload=FileStorage(io.BytesIO(b""), filename="空.csv"))
    status, shown = load(resource)
    assert status["status"] == "error" and not shown.get("datastore_active")
    with pytest.raises(tk.ObjectNotFound):
        call_action("datastore_info", id=resource["id"])


def test_a_header_only_file_is_an_empty_table(publisher, department):
    resource = upload(publisher, department, "表头.csv", "CSV", "区县,数量\n".encode())
    status, shown = load(resource)
    assert status["status"] == "complete" and shown["datastore_active"] is True
    found = call_action("datastore_search", resource_id=resource["id"])
    assert [f["id"] for f in found["fields"]] == ["_id", "区县", "数量"]
    assert found["records"] == [] and found["total"] == 0


def test_rows_wider_than_the_header_fail_with_the_reason(publisher, department):
    # 1,200 written without quotes: the thousands separator splits the value.
    resource = upload(publisher, department, "多列.csv", "CSV",
                      "区县,数量\n市中区,1,200\n".encode())
    status, shown = load(resource)
    assert status["status"] == "error"
    assert "more values than the 2 column(s) in the header" in str(status["error"])
    assert not shown.get("datastore_active")


def test_formulas_and_merged_cells(publisher, department):
    """A formula is loaded as the value the workbook saved with it (none here: openpyxl writes
    no results); merged cells give their value to the first cell only."""
    resource = upload(publisher, department, "公式.xlsx", "XLSX", formulas())
    status, _shown = load(resource)
    assert status["status"] == "complete"
    records = call_action("datastore_search", resource_id=resource["id"])["records"]
    assert [(r["区县"], r["数量"], r["合计"]) for r in records] == [
        ("市中区", "12", None), ("合并单元格", None, None)]


def test_a_link_is_not_fetched(publisher, department):
    dataset = CatalogDataset(owner_org=department["id"], user=publisher["name"])
    link = call_action("resource_create", {"user": publisher["name"]},
                       package_id=dataset["id"], name="内网接口", format="CSV",
                       url="http://127.0.0.1:9/internal.csv")
    assert jobs.get_queue().count == 0
    with pytest.raises(tk.ObjectNotFound):
        call_action("xloader_status", {"ignore_auth": True}, resource_id=link["id"])
