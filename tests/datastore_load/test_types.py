"""Column types from the dataset's data dictionary, given by the real job worker to the table
it loads; a workbook's named sheet; the rows shown while a load runs."""
import datetime
import io
import json
import threading

import openpyxl
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action
import ckanext.datastore.backend.postgres as datastore_db

from ckanext.zaozhuang.datastore_load import types, worker
from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset

DICTIONARY = [
    {"name_zh": "姓名", "name_en": "name", "type": "string"},
    # Declared an integer by mistake: its format keeps it text, all 18 characters.
    {"name_zh": "身份证号", "name_en": "id_number", "type": "integer",
     "value_format": "id_card"},
    {"name_zh": "联系电话", "name_en": "phone", "type": "string", "value_format": "phone"},
    {"name_zh": "登记日期", "name_en": "registered", "type": "date"},
    {"name_zh": "金额", "name_en": "amount", "type": "decimal"},
    {"name_zh": "人数", "name_en": "people", "type": "integer"},
    {"name_zh": "办结时间", "name_en": "closed", "type": "datetime"},
    {"name_zh": "编号", "name_en": "code", "type": "string"},
]
HEADER = ("姓名", "身份证号", "联系电话", "登记日期", "金额", "人数", "办结时间", "编号")
ROWS = (
    ("张三", "37040219800101123X", "06323317001", "2024年1月5日", "1,200.50", "1,200",
     "2024年1月5日 9:05", "007"),
    ("李四", "370402199001011234", "0632-5118916", "2024/1/5", "35", "-12",
     "2024/1/5 13:05:09", "0100"),
    ("王静", "370481200012310021", "013806321234", "2024.12.31", "", "3.0",
     "2024-12-31T23:59", ""),
)
TYPES = {"姓名": "text", "身份证号": "text", "联系电话": "text", "登记日期": "date",
         "金额": "numeric", "人数": "int8", "办结时间": "timestamp", "编号": "text"}


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    lines = [",".join(f'"{cell}"' if "," in cell else cell for cell in row)
             for row in (header, *rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(publisher, dataset, content, filename="登记.csv", fmt="CSV", **fields):
    return call_action(
        "resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
        name="人员登记", url="", format=fmt,
        upload=FileStorage(io.BytesIO(content), filename=filename), **fields)


def typed_dataset(department, publisher, dictionary=DICTIONARY):
    return CatalogDataset(owner_org=department["id"], user=publisher["name"],
                          data_dictionary=dictionary)


def table(resource_id):
    result = call_action("datastore_search", resource_id=resource_id, sort="_id")
    return ({f["id"]: f["type"] for f in result["fields"] if f["id"] != "_id"},
            result["records"])


def load_status(user, resource_id):
    return call_action("zaozhuang_datastore_load_status",
                       {"user": user["name"], "ignore_auth": False}, resource_id=resource_id)


def token(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_the_dictionary_types_the_columns(publisher, department, encoding):
    dataset = typed_dataset(department, publisher)
    resource = upload(publisher, dataset, csv_bytes(ROWS, encoding=encoding))
    run_jobs()

    fields, records = table(resource["id"])
    assert fields == TYPES
    assert [r["身份证号"] for r in records] == [row[1] for row in ROWS]
    assert [r["联系电话"] for r in records] == ["06323317001", "0632-5118916", "013806321234"]
    assert [r["编号"] for r in records] == ["007", "0100", None]
    assert [r["登记日期"] for r in records] == ["2024-01-05", "2024-01-05", "2024-12-31"]
    assert [r["金额"] for r in records] == [1200.5, 35, None]
    assert [r["人数"] for r in records] == [1200, -12, 3]
    assert [r["办结时间"] for r in records] == [
        "2024-01-05T09:05:00.000", "2024-01-05T13:05:09.000", "2024-12-31T23:59:00.000"]
    # Typed columns are queried as what they are.
    found = call_action("datastore_search", resource_id=resource["id"],
                        filters={"人数": 1200})["records"]
    assert [r["姓名"] for r in found] == ["张三"]
    status = load_status(publisher, resource["id"])
    assert (status["state"], status["rows"], status["unconverted"]) == ("loaded", 3, [])


def test_a_value_that_does_not_convert_leaves_its_column_text_and_says_so(
        app, publisher, department):
    rows = (*ROWS, ("赵六", "370403198512120039", "06323317001", "2024年2月30日", "约100",
                    "12,34", "2024/1/5 24:00", "9"))
    dataset = typed_dataset(department, publisher)
    resource = upload(publisher, dataset, csv_bytes(rows))
    run_jobs()

    fields, records = table(resource["id"])
    assert fields == dict(TYPES, 登记日期="text", 金额="text", 人数="text", 办结时间="text")
    assert [r["金额"] for r in records] == ["1,200.50", "35", None, "约100"]
    status = load_status(publisher, resource["id"])
    assert status["state"] == "loaded"
    assert sorted((c["column"], c["type"], c["record"], c["value"])
                  for c in status["unconverted"]) == [
        ("人数", "integer", 4, "12,34"), ("办结时间", "datetime", 4, "2024/1/5 24:00"),
        ("登记日期", "date", 4, "2024年2月30日"), ("金额", "decimal", 4, "约100")]
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                   headers=token(publisher)).get_data(as_text=True)
    notes = [li.get_text(" ", strip=True) for li in BeautifulSoup(page, "html.parser").select(
        ".zz-load-unconverted li")]
    assert "“金额”列未能转为数值型，仍为文本：第 4 条记录的值为“约100”" in notes
    # The quality check names every such cell.
    report = call_action("zaozhuang_quality_show", {"user": publisher["name"]},
                         resource_id=resource["id"])
    assert {("type", 5, "金额"), ("type", 5, "登记日期")} <= {
        (f["kind"], f["row"], f["column"]) for f in report["findings"]}


def test_a_reload_follows_the_changed_dictionary(publisher, department):
    dataset = typed_dataset(department, publisher)
    resource = upload(publisher, dataset, csv_bytes(ROWS))
    run_jobs()
    assert table(resource["id"])[0]["金额"] == "numeric"

    changed = [dict(item, type="string") if item["name_zh"] == "金额" else item
               for item in DICTIONARY]
    changed = [dict(item, type="integer") if item["name_zh"] == "编号" else item
               for item in changed]
    call_action("package_patch", {"user": publisher["name"]}, id=dataset["id"],
                data_dictionary=changed)
    call_action("xloader_submit", {"user": publisher["name"], "ignore_auth": False},
                resource_id=resource["id"])
    run_jobs()

    fields, records = table(resource["id"])
    assert fields == dict(TYPES, 金额="text", 编号="int8")
    assert [r["金额"] for r in records] == ["1,200.50", "35", None]
    assert [r["编号"] for r in records] == [7, 100, None]
    assert call_action("resource_show", id=resource["id"])["record_count"] == 3


def test_a_reload_after_a_failed_conversion_clears_the_note(publisher, department):
    dataset = typed_dataset(department, publisher)
    bad = (("赵六", "370403198512120039", "06323317001", "不详", "1", "1", "", "1"),)
    resource = upload(publisher, dataset, csv_bytes(bad))
    run_jobs()
    assert [c["column"] for c in load_status(publisher, resource["id"])["unconverted"]] == [
        "登记日期"]
    call_action("resource_patch", {"user": publisher["name"]}, id=resource["id"],
                upload=FileStorage(io.BytesIO(csv_bytes(ROWS)), filename="登记.csv"))
    run_jobs()
    assert load_status(publisher, resource["id"])["unconverted"] == []
    assert table(resource["id"])[0] == TYPES


def test_columns_without_a_data_item_stay_text(publisher, department):
    dictionary = [{"name_zh": "数量", "name_en": "count", "type": "integer"}]
    dataset = typed_dataset(department, publisher, dictionary)
    content = "区县,户数,数量\n市中区,1,\"2,000\"\n".encode()
    resource = upload(publisher, dataset, content)
    run_jobs()
    fields, records = table(resource["id"])
    assert fields == {"区县": "text", "户数": "text", "数量": "int8"}
    assert records[0]["数量"] == 2000


def test_the_english_name_matches_when_the_header_is_english(publisher, department):
    dictionary = [{"name_zh": "数量", "name_en": "count", "type": "integer"}]
    dataset = typed_dataset(department, publisher, dictionary)
    resource = upload(publisher, dataset, "area,count\nA,12\n".encode())
    run_jobs()
    assert table(resource["id"])[0] == {"area": "text", "count": "int8"}


@pytest.mark.parametrize("value, valid", [
    ("1,200", True), ("-1,234,567", True), ("12,34", False), ("1,2000", False),
    ("123456789012345678", True), ("1234567890123456789", False), ("3.0", True),
    ("3.5", False), ("", True)])
def test_integer_conversion_rules(publisher, department, value, valid):
    dataset = typed_dataset(department, publisher,
                            [{"name_zh": "数量", "name_en": "count", "type": "integer"}])
    resource = upload(publisher, dataset, f'区县,数量\n市中区,"{value}"\n'.encode())
    run_jobs()
    assert (table(resource["id"])[0]["数量"] == "int8") is valid


@pytest.mark.parametrize("value, valid", [
    ("2024年1月5日", True), ("2024/1/5", True), ("2024-01-05", True), ("2024.1.5", True),
    ("2024-01-05 00:00:00", True), ("2024/2/29", True), ("2023/2/29", False),
    ("2024/13/1", False), ("0000-01-01", False), ("2024年1月", False), ("5/1/2024", False)])
def test_date_conversion_rules(publisher, department, value, valid):
    dataset = typed_dataset(department, publisher,
                            [{"name_zh": "日期", "name_en": "day", "type": "date"}])
    resource = upload(publisher, dataset, f"区县,日期\n市中区,{value}\n".encode())
    run_jobs()
    assert (table(resource["id"])[0]["日期"] == "date") is valid


def workbook(sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODD_SHEET = "表2 (2024年) & #'数据' 汇总"
BOOK = workbook({
    "说明": [("本表说明",), ("数据见第二个工作表",)],
    ODD_SHEET: [("区县", "数量", "日期"), ("市中区", 1200, datetime.date(2024, 1, 5)),
                ("滕州市", 35, "2024年1月6日")],
})


def test_a_named_sheet_is_loaded_and_checked(publisher, department):
    dictionary = [{"name_zh": "区县", "name_en": "area", "type": "string"},
                  {"name_zh": "数量", "name_en": "count", "type": "integer"},
                  {"name_zh": "日期", "name_en": "day", "type": "date"}]
    dataset = typed_dataset(department, publisher, dictionary)
    resource = upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX", sheet=f" {ODD_SHEET} ")
    assert resource["sheet"] == ODD_SHEET
    run_jobs()
    fields, records = table(resource["id"])
    assert fields == {"区县": "text", "数量": "int8", "日期": "date"}
    assert [(r["区县"], r["数量"], r["日期"]) for r in records] == [
        ("市中区", 1200, "2024-01-05"), ("滕州市", 35, "2024-01-06")]
    report = call_action("zaozhuang_quality_show", {"user": publisher["name"]},
                         resource_id=resource["id"])
    assert (report["status"], report["rows"]) == ("passed", 2), report["findings"]


def test_without_a_sheet_the_first_is_loaded(publisher, department):
    dataset = typed_dataset(department, publisher, [])
    resource = upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX")
    run_jobs()
    fields, records = table(resource["id"])
    assert list(fields) == ["本表说明"]


def test_a_missing_sheet_fails_with_its_name(app, publisher, department):
    dataset = typed_dataset(department, publisher, [])
    resource = upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX", sheet="汇总")
    run_jobs()
    status = app.get("/api/3/action/zaozhuang_datastore_load_status", headers=token(publisher),
                     params={"resource_id": resource["id"]}).json["result"]
    assert status["state"] == "failed"
    assert status["reason"] == ("工作簿中没有名为“汇总”的工作表：请更正资源的工作表名称，"
                                "或留空以加载第一个工作表")
    report = call_action("zaozhuang_quality_show", {"user": publisher["name"]},
                         resource_id=resource["id"])
    assert report["status"] == "unreadable"


@pytest.mark.parametrize("sheet", ["a/b", "[1]", "x" * 32, "'数据", "a:b", ["列表"], {"a": 1}])
def test_a_bad_sheet_name_is_refused_by_field(publisher, department, sheet):
    dataset = typed_dataset(department, publisher, [])
    with pytest.raises(tk.ValidationError) as error:
        upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX", sheet=sheet)
    assert "sheet" in error.value.error_dict


def test_the_sheet_through_the_api_and_the_form(app, publisher, department):
    dataset = typed_dataset(department, publisher, [])
    resource = upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX")
    response = app.post("/api/3/action/resource_patch", headers=token(publisher),
                        json={"id": resource["id"], "sheet": "a?b"}, status=409)
    assert "sheet" in response.json["error"]
    app.post("/api/3/action/resource_patch", headers=token(publisher),
             json={"id": resource["id"], "sheet": ODD_SHEET}, status=200)
    assert call_action("resource_show", id=resource["id"])["sheet"] == ODD_SHEET
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
                   headers=token(publisher)).get_data(as_text=True)
    field = BeautifulSoup(page, "html.parser").select_one("input[name=sheet]")
    assert field["value"] == ODD_SHEET
    assert BeautifulSoup(page, "html.parser").select_one(f"label[for={field['id']}]")


def test_others_cannot_set_the_sheet(publisher, department, stranger):
    dataset = typed_dataset(department, publisher, [])
    resource = upload(publisher, dataset, BOOK, "登记.xlsx", "XLSX")
    with pytest.raises(tk.NotAuthorized):
        call_action("resource_patch", {"user": stranger["name"], "ignore_auth": False},
                    id=resource["id"], sheet="说明")


def test_a_running_load_shows_its_rows_so_far(app, publisher, department):
    """The job log's row count while the load is still running (here: the typing of its
    columns); xloader's task is put back to running as the worker has it then."""
    dataset = typed_dataset(department, publisher)
    resource = upload(publisher, dataset, csv_bytes(ROWS))
    run_jobs()
    site = {"ignore_auth": True}
    task = call_action("task_status_show", site, entity_id=resource["id"],
                       task_type="xloader", key="xloader")
    call_action("task_status_update", site, **dict(task, state="running"))
    status = load_status(publisher, resource["id"])
    assert (status["state"], status["rows"]) == ("loading", 3)
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                   headers=token(publisher)).get_data(as_text=True)
    box = BeautifulSoup(page, "html.parser").select_one(".zz-load-status")
    assert box["data-load-state"] == "loading" and "正在加载，已加载 3 条" in box.text


def test_the_rows_of_a_copy_in_progress(publisher, department):
    """While PostgreSQL's COPY runs, the rows it has read so far (pg_stat_progress_copy)."""
    dataset = typed_dataset(department, publisher, [])
    resource = upload(publisher, dataset, "区县\n市中区\n".encode())
    run_jobs()
    site = {"ignore_auth": True}
    task = call_action("task_status_show", site, entity_id=resource["id"],
                       task_type="xloader", key="xloader")
    call_action("task_status_update", site, **dict(task, state="running",
                                                   value=json.dumps({})))
    release, sent = threading.Event(), threading.Event()

    class Rows(io.RawIOBase):
        """5,000 rows (more than the client's 8 kB buffer), then waits until the status has
        been read."""
        def __init__(self):
            self.chunks = ["".join(f"区{i}\n" for i in range(5000)).encode()]

        def readable(self):
            return True

        def read(self, size=-1):
            if self.chunks:
                return self.chunks.pop()
            sent.set()
            release.wait(30)
            return b""

    # A load copies into its staging table (worker.py), made here as the table it replaces.
    staging = types.ident(worker.staging_table(resource["id"]))
    with datastore_db.get_write_engine().begin() as conn:
        conn.execute(sa.text(
            f"CREATE TABLE {staging} (LIKE {types.ident(resource['id'])} INCLUDING DEFAULTS)"))

    def copy():
        raw = datastore_db.get_write_engine().raw_connection()
        try:
            raw.cursor().copy_expert(
                f'COPY {staging} ("区县") FROM STDIN WITH (FORMAT csv)', Rows())
            raw.rollback()
        finally:
            raw.close()

    thread = threading.Thread(target=copy)
    thread.start()
    try:
        assert sent.wait(30)
        status = load_status(publisher, resource["id"])
    finally:
        release.set()
        thread.join(30)
        with datastore_db.get_write_engine().begin() as conn:
            conn.execute(sa.text(f"DROP TABLE {staging}"))
    assert status["state"] == "loading" and 0 < status["rows"] <= 5000
