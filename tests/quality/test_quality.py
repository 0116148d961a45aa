"""The quality check of uploaded tables, run by the real job worker on the files a department
uploads, against the rules of its data dictionary; read through real auth."""
import io

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.applications.mailbox import run_jobs
from tests.factories import CatalogDataset

DICTIONARY = [
    {"name_zh": "身份证号", "name_en": "id_number", "type": "string", "mandatory": "yes",
     "unique": "yes", "value_format": "id_card"},
    {"name_zh": "姓名", "name_en": "name", "type": "string"},
    {"name_zh": "金额", "name_en": "amount", "type": "decimal", "minimum": "0",
     "maximum": "10000"},
    {"name_zh": "登记日期", "name_en": "registered", "type": "date", "minimum": "2000-01-01"},
    {"name_zh": "状态", "name_en": "state", "type": "string", "codes": "正常、注销"},
    {"name_zh": "电话", "name_en": "phone", "type": "string", "value_format": "phone"},
]
HEADER = "身份证号,姓名,金额,登记日期,状态,电话"
GOOD = [
    "11010519491231002X,张三,\"1,200\",2024年1月5日,正常,0632-3230100",
    "370402198001011233,李四,15.5,2024/1/5,注销,13806320001",
]
# Row numbers as a spreadsheet shows them: the header is row 1.
FAULTY = GOOD + [
    "37040219800101123,王五,abc,2024/13/5,吊销,123",     # row 4: five faults
    ",赵六,-3,1999-12-31,正常,13806320002",              # row 5: required, range, range
    "11010519491231002X,张三,20000,2024-02-01,正常,",    # row 6: duplicate, range
]
FAULTS = {
    ("format", 4, "身份证号"), ("type", 4, "金额"), ("type", 4, "登记日期"),
    ("codes", 4, "状态"), ("format", 4, "电话"),
    ("required", 5, "身份证号"), ("range", 5, "金额"), ("range", 5, "登记日期"),
    ("duplicate", 6, "身份证号"), ("range", 6, "金额"),
}
TOKEN = "Authorization"


def _csv(lines, encoding="utf-8-sig"):
    return "\r\n".join([HEADER, *lines]).encode(encoding)


def _dataset(department, publisher, **fields):
    return CatalogDataset(owner_org=department["id"], user=publisher["name"],
                          data_dictionary=DICTIONARY, **fields)


def _upload(publisher, dataset, content, filename="登记.csv", fmt="CSV", resource_id=None):
    data = dict(name="登记信息", url="", format=fmt,
                upload=FileStorage(io.BytesIO(content), filename=filename))
    if resource_id:
        resource = call_action("resource_patch", {"user": publisher["name"]},
                               id=resource_id, **data)
    else:
        resource = call_action("resource_create", {"user": publisher["name"]},
                               package_id=dataset["id"], **data)
    run_jobs()
    return resource


def _token(user):
    return {TOKEN: factories.APIToken(user=user["name"])["token"]}


def _show(app, resource, headers=None, status=200):
    return app.get("/api/3/action/zaozhuang_quality_show", params={
        "resource_id": resource["id"]}, headers=headers or {}, status=status).json


class TestReport:
    def test_each_fault_is_named_by_row_and_column(self, app, loader_site, department,
                                                   publisher):
        dataset = _dataset(department, publisher, record_count=4)
        resource = _upload(publisher, dataset, _csv(FAULTY))
        report = _show(app, resource, _token(publisher))["result"]
        assert report["status"] == "failed" and not report["verified"]
        found = {(f["kind"], f["row"], f["column"]) for f in report["findings"] if f["row"]}
        assert found == FAULTS
        # 5 rows, 3 with faults; the declared count (4) is not what the file holds.
        assert (report["rows"], report["error_rows"], report["score"]) == (5, 3, 40)
        assert {"kind": "row_count", "row": None, "column": None, "value": "5/4",
                "message": "文件有 5 行数据，数据集著录的数据量为 4 条"} in report["findings"]
        message = next(f["message"] for f in report["findings"]
                       if (f["kind"], f["row"]) == ("format", 4) and f["column"] == "电话")
        assert message == "第4行“电话”列：“123”不符合规定的取值格式"
        assert {c["kind"]: c["count"] for c in report["counts"]}["range"] == 3

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
    def test_a_clean_file_is_verified_in_any_encoding(self, app, loader_site, department,
                                                      publisher, encoding):
        dataset = _dataset(department, publisher)
        resource = _upload(publisher, dataset, _csv(GOOD, encoding))
        report = _show(app, resource)["result"]
        assert (report["status"], report["score"], report["rows"]) == ("passed", 100, 2)
        assert "findings" not in report  # anonymous: the summary only
        page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
        assert "数据质量 <strong>100 分</strong> · 已校验" in page
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").get_data(
            as_text=True)
        assert "数据质量：已校验" in " ".join(page.split()) or "数据质量: 已校验" in page

    def test_a_spreadsheet_is_checked_as_well(self, app, loader_site, department, publisher):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(HEADER.split(","))
        sheet.append(["11010519491231002X", "张三", 1200, "2024年1月5日", "正常", "13806320001"])
        sheet.append(["11010519491231002Y", "李四", 5, "2024-01-05", "正常", "13806320002"])
        content = io.BytesIO()
        book.save(content)
        dataset = _dataset(department, publisher)
        resource = _upload(publisher, dataset, content.getvalue(), "登记.xlsx", "XLSX")
        report = _show(app, resource, _token(publisher))["result"]
        assert [(f["kind"], f["row"], f["column"]) for f in report["findings"]] == [
            ("format", 3, "身份证号")]

    def test_a_header_only_file_and_columns_out_of_order(self, app, loader_site, department,
                                                         publisher):
        dataset = _dataset(department, publisher)
        empty = _upload(publisher, dataset, HEADER.encode())
        assert [f["kind"] for f in _show(app, empty, _token(publisher))["result"][
            "findings"]] == ["no_rows"]
        swapped = "姓名,身份证号,金额,登记日期,状态,电话\r\n张三,11010519491231002X,1,2024-01-05,正常,\r\n"
        moved = _upload(publisher, dataset, swapped.encode(), "调换.csv")
        report = _show(app, moved, _token(publisher))["result"]
        assert {("header", "身份证号"), ("header", "姓名")} <= {
            (f["kind"], f["column"]) for f in report["findings"]}
        assert report["status"] == "failed"

    def test_a_new_file_gets_a_new_report_and_the_old_one_is_kept(self, app, loader_site,
                                                                  department, publisher):
        from ckanext.zaozhuang.quality.model import QualityReport
        dataset = _dataset(department, publisher)
        resource = _upload(publisher, dataset, _csv(FAULTY))
        _upload(publisher, dataset, _csv(GOOD), resource_id=resource["id"])
        assert _show(app, resource)["result"]["status"] == "passed"
        from ckan import model
        assert model.Session.query(QualityReport).filter_by(
            resource_id=resource["id"]).count() == 2

    def test_supervision_shows_each_departments_quality(self, loader_site, department,
                                                        publisher):
        authority = factories.User()
        factories.Organization(name=tk.config.get("ckanext.zaozhuang.authority_organization"),
                               users=[{"name": authority["name"], "capacity": "member"}])
        _upload(publisher, _dataset(department, publisher), _csv(FAULTY))
        _upload(publisher, _dataset(department, publisher), _csv(GOOD))
        result = call_action("zaozhuang_supervision_figures",
                             {"user": authority["name"], "ignore_auth": False})
        row = next(r for r in result["departments"] if r["id"] == department["id"])
        assert (row["tables_checked"], row["tables_passed"], row["quality_score"]) == (2, 1, 70)


class TestAuth:
    def test_cells_only_for_the_publishers_and_the_authority(self, app, loader_site,
                                                            department, publisher, member,
                                                            stranger):
        dataset = _dataset(department, publisher, open_category="conditional",
                           open_conditions="须签署数据利用协议", share_category="conditional",
                           share_conditions="限履职需要")
        resource = _upload(publisher, dataset, _csv(FAULTY))
        for headers in ({}, _token(stranger), _token(member)):
            report = _show(app, resource, headers)["result"]
            assert report["score"] == 40 and "findings" not in report
            assert "37040219800101123" not in str(report)
        assert "findings" in _show(app, resource, _token(publisher))["result"]
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                       headers=_token(stranger)).get_data(as_text=True)
        assert "37040219800101123" not in page and "重新检查" not in page

    def test_only_publishers_check_again(self, app, loader_site, department, publisher,
                                         stranger):
        dataset = _dataset(department, publisher)
        resource = _upload(publisher, dataset, _csv(GOOD))
        for user in (None, stranger):
            with pytest.raises(tk.NotAuthorized):
                call_action("zaozhuang_quality_check",
                            {"user": user and user["name"], "ignore_auth": False},
                            resource_id=resource["id"])
        assert call_action("zaozhuang_quality_check",
                           {"user": publisher["name"], "ignore_auth": False},
                           resource_id=resource["id"]) == {"queued": True}
        link = call_action("resource_create", {"user": publisher["name"]},
                           package_id=dataset["id"], name="链接", url="http://example.com/a.csv",
                           format="CSV")
        with pytest.raises(tk.ValidationError) as error:
            call_action("zaozhuang_quality_check", {"user": publisher["name"],
                                                    "ignore_auth": False},
                        resource_id=link["id"])
        assert "resource_id" in error.value.error_dict

    def test_the_page_button_checks_again(self, app, loader_site, department, publisher):
        dataset = _dataset(department, publisher)
        resource = _upload(publisher, dataset, _csv(GOOD))
        page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}",
                       headers=_token(publisher)).get_data(as_text=True)
        assert "重新检查" in page
        answer = app.post(f"/dataset/{dataset['name']}/resource/{resource['id']}/quality",
                          headers=_token(publisher), follow_redirects=False)
        assert answer.status_code == 302

    @pytest.mark.parametrize("params, status", [
        ({}, 409), ({"resource_id": ""}, 409), ({"resource_id": "no-such-resource"}, 404)])
    def test_bad_input(self, app, params, status):
        answer = app.get("/api/3/action/zaozhuang_quality_show", params=params, status=status)
        assert answer.json["success"] is False

    def test_bad_rules_in_the_data_dictionary_are_refused_by_field(self, department,
                                                                   publisher):
        for item, field in (({"minimum": "abc"}, "minimum"), ({"maximum": "2024-13-01"},
                                                               "maximum"),
                            ({"value_format": "passport"}, "value_format"),
                            ({"mandatory": "maybe"}, "mandatory")):
            with pytest.raises(tk.ValidationError) as error:
                CatalogDataset(owner_org=department["id"], user=publisher["name"],
                               data_dictionary=[dict(DICTIONARY[0], **item)])
            assert field in str(error.value.error_dict["data_dictionary"])
