"""Catalog import and export actions against the real database and Solr."""
import base64
import io

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.catalog.importer import CatalogImportError

from tests.catalog.conftest import BROKEN, BROKEN_CELLS, SAMPLE, SAMPLE_ROWS, read
from tests.catalog.conftest import dataset_count as _count, transport_row as _row
from tests.factories import CatalogDataset, Department

BUS_TAXI = "11370400MB28531020-00101"  # 枣庄市出租汽车经营企业名录 in the sample


def _import(user, **data):
    return call_action("zaozhuang_catalog_import", {"user": user["name"]}, **data)


def _export(user, **data):
    context = {"user": user["name"] if user else ""}
    result = call_action("zaozhuang_catalog_export", context, **data)
    return base64.b64decode(result["content"]), result


def _search_count(**params):
    return call_action("package_search", include_private=True, **params)["count"]


def _schema_values(dataset):
    return {c.name: dataset.get(c.name) for c in spreadsheet.columns()
            if c.name not in ("owner_org", "tag_string")} | {
        "tags": sorted(t["name"] for t in dataset["tags"]),
        "organization": dataset["organization"]["name"]}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestImportSample:
    def test_every_row_created_and_searchable(self, departments, sysadmin):
        result = _import(sysadmin, upload=read(SAMPLE))
        assert (result["created"], result["updated"], result["unchanged"]) == (SAMPLE_ROWS, 0, 0)
        assert not result["dry_run"]
        assert _count() == SAMPLE_ROWS
        assert _search_count() == SAMPLE_ROWS
        assert _search_count(q="出租汽车") == 1
        assert _search_count(fq="organization:zz-sthjj") == 9
        assert {r["result"] for r in result["datasets"]} == {"created"}

    def test_values_stored_as_codes(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        # Named after the catalog code, since the sheet has no URL names.
        dataset = call_action("package_show", id=BUS_TAXI.lower())
        assert dataset["catalog_code"] == BUS_TAXI
        assert dataset["organization"]["name"] == "zz-jtysj"
        assert dataset["domain"] == "transport"
        assert dataset["theme"] == ["public_services", "base_legal_entity"]
        assert dataset["industry"] == "G"
        assert dataset["open_category"] == "unconditional"
        assert dataset["personal_info"] == "no"
        assert dataset["update_frequency"] == "quarterly"
        assert dataset["record_count"] == 35
        assert dataset["spatial_coverage"] == ["370400"]
        assert dataset["temporal_start"] == "2022-01-01"  # an Excel date in the sheet
        assert dataset["first_published"] == "2023-05-01"
        assert sorted(t["name"] for t in dataset["tags"]) == sorted(["出租车", "企业名录"])
        assert dataset["data_dictionary"][2] == {
            "name_zh": "车辆数", "name_en": "vehicles", "type": "integer", "description": ""}

    def test_all_three_opening_categories(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        facets = call_action("package_search", **{"facet.field": '["open_category"]'})
        assert {"unconditional", "conditional", "not_open"} <= {
            item["name"] for item in facets["search_facets"]["open_category"]["items"]}
        conditional = call_action("package_search", fq="open_category:conditional")["results"]
        assert all(d["open_conditions"] for d in conditional)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRefusedImport:
    def test_every_error_by_row_and_column_and_nothing_written(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, upload=read(BROKEN))
        problems = raised.value.problems
        assert {(p.row, p.column) for p in problems} == BROKEN_CELLS
        assert [p.row for p in problems] == sorted(p.row for p in problems)
        assert all(p.message for p in problems)
        assert len(raised.value.error_dict) == len(BROKEN_CELLS)
        assert _count() == 0
        assert _search_count() == 0

    def test_existing_catalog_untouched(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        before = call_action("package_show", id=BUS_TAXI.lower())
        with pytest.raises(CatalogImportError):
            _import(sysadmin, rows=[_row(**{"资源代码": BUS_TAXI, "资源名称": "改过的名称"}),
                                    _row(**{"联系电话": "12345"})])
        after = call_action("package_show", id=BUS_TAXI.lower())
        assert after["title"] == before["title"]
        assert after["metadata_modified"] == before["metadata_modified"]
        assert _count() == SAMPLE_ROWS

    def test_rows_are_numbered_from_one(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, rows=[_row(), _row(**{"资源代码": "11370400MB28531020-00902",
                                                    "开放属性": "有条件开放"})])
        assert [(p.row, p.column) for p in raised.value.problems] == [(2, "开放条件")]

    def test_error_keys_name_row_and_column(self, departments, sysadmin):
        with pytest.raises(tk.ValidationError) as raised:
            _import(sysadmin, rows=[_row(**{"联系电话": "12345"})])
        (key, messages), = raised.value.error_dict.items()
        assert key.endswith(" 联系电话") and "1" in key
        assert messages and isinstance(messages[0], str)

    def test_same_code_twice(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, rows=[_row(), _row(**{"资源名称": "另一个"})])
        assert [(p.row, p.column) for p in raised.value.problems] == [(2, "资源代码")]
        assert "1" in raised.value.problems[0].message

    def test_unknown_column_and_department(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, upload="资源代码,备注,提供单位\r\n"
                                     "11370400MB28531020-00901,x,枣庄市不存在局\r\n".encode())
        cells = {(p.row, p.column) for p in raised.value.problems}
        assert (1, "备注") in cells
        assert (2, "提供单位") in cells

    def test_unreadable_file(self, sysadmin):
        with pytest.raises(tk.ValidationError) as raised:
            _import(sysadmin, upload=b"PK\x03\x04 broken")
        assert list(raised.value.error_dict) == ["upload"]

    def test_no_rows(self, departments, sysadmin):
        with pytest.raises(tk.ValidationError) as raised:
            _import(sysadmin, upload=spreadsheet.write([], "xlsx"))
        assert list(raised.value.error_dict) == ["upload"]

    def test_search_index_down_rolls_back(self, departments, sysadmin, ckan_config,
                                          monkeypatch):
        _import(sysadmin, upload=read(SAMPLE))
        before = call_action("package_show", id=BUS_TAXI.lower())
        monkeypatch.setitem(ckan_config, "solr_url", "http://127.0.0.1:9/solr/ckan")
        with pytest.raises(tk.ValidationError) as raised:
            _import(sysadmin, rows=[_row(), _row(**{"资源代码": BUS_TAXI, "资源名称": "改过的名称"})])
        assert list(raised.value.error_dict) == ["search_index"]
        monkeypatch.undo()
        assert _count() == SAMPLE_ROWS
        after = call_action("package_show", id=BUS_TAXI.lower())
        assert after["title"] == before["title"]
        # The new row's dataset is not in the index either.
        assert _search_count(q="name:" + _row()["资源代码"].lower()) == 0


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDryRun:
    def test_counts_and_writes_nothing(self, departments, sysadmin):
        result = _import(sysadmin, upload=read(SAMPLE), dry_run=True)
        assert (result["created"], result["dry_run"]) == (SAMPLE_ROWS, True)
        assert _count() == 0
        assert _search_count() == 0

    def test_reports_errors(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, upload=read(BROKEN), dry_run="true")
        assert {(p.row, p.column) for p in raised.value.problems} == BROKEN_CELLS

    def test_tells_updates_from_unchanged(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        before = call_action("package_show", id=BUS_TAXI.lower())
        result = _import(sysadmin, rows=[_row(), _row(**{"资源代码": BUS_TAXI, "资源名称": "新名称"})],
                         dry_run=True)
        assert [r["result"] for r in result["datasets"]] == ["created", "updated"]
        assert call_action("package_show", id=BUS_TAXI.lower()) == before
        assert _count() == SAMPLE_ROWS


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestIdempotence:
    def test_second_import_changes_nothing(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        modified = call_action("package_show", id=BUS_TAXI.lower())["metadata_modified"]
        result = _import(sysadmin, upload=read(SAMPLE))
        assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, SAMPLE_ROWS)
        assert _count() == SAMPLE_ROWS
        assert _search_count() == SAMPLE_ROWS
        assert call_action("package_show", id=BUS_TAXI.lower())["metadata_modified"] == modified

    def test_changed_row_updates_and_keeps_resources(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        call_action("resource_create", {"user": sysadmin["name"]},
                    package_id=BUS_TAXI.lower(), url="https://example.com/taxi.csv",
                    name="出租车企业表", format="CSV")
        book = openpyxl.load_workbook(SAMPLE)
        sheet = book.worksheets[0]
        headers = [c.value for c in sheet[1]]
        taxi = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == BUS_TAXI)
        taxi[headers.index("资源摘要")].value = "全市出租汽车经营企业及其车辆数(2026年更新)。"
        taxi[headers.index("开放属性")].value = "unconditional"  # the code works as well
        out = io.BytesIO()
        book.save(out)

        result = _import(sysadmin, upload=out.getvalue())
        assert (result["created"], result["updated"], result["unchanged"]) == (
            0, 1, SAMPLE_ROWS - 1)
        dataset = call_action("package_show", id=BUS_TAXI.lower())
        assert dataset["notes"] == "全市出租汽车经营企业及其车辆数(2026年更新)。"
        assert [r["name"] for r in dataset["resources"]] == ["出租车企业表"]
        assert _search_count(q="2026年更新") == 1
        assert _count() == SAMPLE_ROWS

    def test_update_keeps_url_name_and_missing_columns(self, departments, sysadmin):
        existing = CatalogDataset(name="zz-bus-routes", owner_org=departments["zz-jtysj"]["id"],
                                  catalog_code="11370400MB28531020-00001", source_system="调度系统")
        result = _import(sysadmin, rows=[{"资源代码": "11370400MB28531020-00001",
                                          "资源名称": "枣庄市公交线路信息"}])
        assert result["updated"] == 1
        dataset = call_action("package_show", id=existing["id"])
        assert dataset["name"] == "zz-bus-routes"
        assert dataset["title"] == "枣庄市公交线路信息"
        assert dataset["source_system"] == "调度系统"
        assert _count() == 1

    def test_empty_cell_clears_the_field(self, departments, sysadmin):
        _import(sysadmin, rows=[_row(**{"数据来源系统": "停车管理系统", "时间范围起": "2024-01-01",
                                        "时间范围止": "2025-12-31"})])
        _import(sysadmin, rows=[_row(**{"数据来源系统": "", "时间范围起": "2024-01-01",
                                        "时间范围止": None})])
        dataset = call_action("package_show", id="11370400mb28531020-00901")
        assert not dataset.get("source_system")
        assert not dataset.get("temporal_end")

    def test_activity_recorded(self, departments, sysadmin):
        _import(sysadmin, rows=[_row()])
        _import(sysadmin, rows=[_row(**{"资源名称": "枣庄市公共停车场信息"})])
        activities = call_action("package_activity_list", id="11370400mb28531020-00901")
        assert [a["activity_type"] for a in activities] == ["changed package", "new package"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOrganization:
    def test_owner_org_fills_empty_cells(self, departments, sysadmin):
        row = _row()
        del row["提供单位"]
        result = _import(sysadmin, rows=[row], owner_org="zz-jtysj")
        assert result["created"] == 1
        dataset = call_action("package_show", id="11370400mb28531020-00901")
        assert dataset["owner_org"] == departments["zz-jtysj"]["id"]

    def test_row_of_another_department_refused(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, upload=read(SAMPLE), owner_org="zz-jtysj")
        rows = {p.row for p in raised.value.problems if p.column == "提供单位"}
        assert len(rows) == SAMPLE_ROWS - 9
        assert _count() == 0

    def test_department_by_url_name(self, departments, sysadmin):
        assert _import(sysadmin, rows=[_row(**{"提供单位": "zz-jtysj"})])["created"] == 1

    def test_unknown_owner_org(self, departments, sysadmin):
        with pytest.raises(tk.ValidationError) as raised:
            _import(sysadmin, rows=[_row()], owner_org="no-such-department")
        assert list(raised.value.error_dict) == ["owner_org"]

    def test_code_must_match_department(self, departments, sysadmin):
        with pytest.raises(CatalogImportError) as raised:
            _import(sysadmin, rows=[_row(**{"提供单位": "枣庄市生态环境局"})])
        assert [(p.row, p.column) for p in raised.value.problems] == [(1, "资源代码")]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAuth:
    def test_anonymous_refused(self, departments):
        with pytest.raises(tk.NotAuthorized):
            call_action("zaozhuang_catalog_import", {"user": "", "ignore_auth": False},
                        rows=[_row()], owner_org="zz-jtysj")
        with pytest.raises(tk.NotAuthorized):
            call_action("zaozhuang_catalog_import", {"user": "", "ignore_auth": False},
                        rows=[_row()])

    def test_editor_of_another_department_refused(self, departments):
        editor = factories.User()
        Department(users=[{"name": editor["name"], "capacity": "editor"}])
        with pytest.raises(tk.NotAuthorized):
            call_action("zaozhuang_catalog_import",
                        {"user": editor["name"], "ignore_auth": False},
                        rows=[_row()], owner_org="zz-jtysj")
        # Without a target department each row's department is checked.
        with pytest.raises(CatalogImportError) as raised:
            call_action("zaozhuang_catalog_import",
                        {"user": editor["name"], "ignore_auth": False}, rows=[_row()])
        assert [(p.row, p.column) for p in raised.value.problems] == [(1, "提供单位")]
        assert _count() == 0

    def test_member_refused(self, departments):
        member = factories.User()
        call_action("organization_member_create", id="zz-jtysj", username=member["name"],
                    role="member")
        with pytest.raises(tk.NotAuthorized):
            call_action("zaozhuang_catalog_import",
                        {"user": member["name"], "ignore_auth": False},
                        rows=[_row()], owner_org="zz-jtysj")

    def test_editor_of_the_department(self, departments):
        editor = factories.User()
        call_action("organization_member_create", id="zz-jtysj", username=editor["name"],
                    role="editor")
        result = call_action("zaozhuang_catalog_import",
                             {"user": editor["name"], "ignore_auth": False},
                             rows=[_row()], owner_org="zz-jtysj")
        assert result["created"] == 1

    def test_may_not_update_another_departments_dataset(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        editor = factories.User()
        call_action("organization_member_create", id="zz-sthjj", username=editor["name"],
                    role="editor")
        with pytest.raises(CatalogImportError) as raised:
            call_action("zaozhuang_catalog_import",
                        {"user": editor["name"], "ignore_auth": False},
                        rows=[_row(**{"资源代码": BUS_TAXI})])
        assert [(p.row, p.column) for p in raised.value.problems] == [(1, "资源代码")]

    def test_editor_may_not_restrict_opening(self, departments, sysadmin):
        # The no-downgrade rule of the schema applies to imports as to forms.
        _import(sysadmin, rows=[_row()])
        editor = factories.User()
        call_action("organization_member_create", id="zz-jtysj", username=editor["name"],
                    role="editor")
        with pytest.raises(CatalogImportError) as raised:
            call_action("zaozhuang_catalog_import",
                        {"user": editor["name"], "ignore_auth": False},
                        rows=[_row(**{"开放属性": "有条件开放", "开放条件": "需申请"})])
        assert [(p.row, p.column) for p in raised.value.problems] == [(1, "开放属性")]
        dataset = call_action("package_show", id="11370400mb28531020-00901")
        assert dataset["open_category"] == "unconditional"

    def test_export_only_what_the_user_sees(self, departments):
        org = departments["zz-jtysj"]
        CatalogDataset(owner_org=org["id"], title="公开的数据集")
        CatalogDataset(owner_org=org["id"], title="私有的数据集", private=True)
        member = factories.User()
        call_action("organization_member_create", id="zz-jtysj", username=member["name"],
                    role="member")

        def titles(user):
            content, result = _export(user, owner_org="zz-jtysj", format="csv")
            rows = spreadsheet.read(content).rows
            assert result["count"] == len(rows)
            return sorted(cells["资源名称"] for _number, cells in rows)

        assert titles(None) == ["公开的数据集"]
        assert titles(factories.User()) == ["公开的数据集"]
        assert titles(member) == ["公开的数据集", "私有的数据集"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestExport:
    def test_round_trip_on_the_same_portal(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        for fmt in spreadsheet.FORMATS:
            content, result = _export(sysadmin, format=fmt)
            assert result["count"] == SAMPLE_ROWS
            assert result["filename"] == f"catalog.{fmt}"
            again = _import(sysadmin, upload=content)
            assert (again["created"], again["updated"], again["unchanged"]) == (
                0, 0, SAMPLE_ROWS)

    def test_round_trip_into_an_empty_catalog(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        originals = {d["catalog_code"]: _schema_values(call_action("package_show", id=d["id"]))
                     for d in call_action("package_search", rows=100)["results"]}
        content, _result = _export(sysadmin, format="xlsx")
        for name in call_action("package_list"):
            call_action("dataset_purge", id=name)
        assert _count() == 0

        assert _import(sysadmin, upload=content)["created"] == SAMPLE_ROWS
        for dataset in call_action("package_search", rows=100)["results"]:
            restored = _schema_values(call_action("package_show", id=dataset["id"]))
            assert restored == originals[dataset["catalog_code"]]

    def test_one_department(self, departments, sysadmin):
        _import(sysadmin, upload=read(SAMPLE))
        content, result = _export(sysadmin, owner_org="zz-wsjkw", format="xlsx")
        assert result["filename"] == "catalog-zz-wsjkw.xlsx"
        rows = spreadsheet.read(content).rows
        assert len(rows) == 9
        assert {cells["提供单位"] for _n, cells in rows} == {"枣庄市卫生健康委员会"}
        codes = [cells["资源代码"] for _n, cells in rows]
        assert codes == sorted(codes)

    def test_unknown_department(self, sysadmin):
        with pytest.raises(tk.ObjectNotFound):
            _export(sysadmin, owner_org="no-such-department")

    def test_unknown_format(self, sysadmin):
        with pytest.raises(tk.ValidationError) as raised:
            _export(sysadmin, format="pdf")
        assert list(raised.value.error_dict) == ["format"]

    def test_template(self):
        result = call_action("zaozhuang_catalog_template", format="csv")
        assert result["filename"] == "catalog-template.csv"
        headers = base64.b64decode(result["content"]).decode("utf-8-sig").strip().split(",")
        assert headers == [c.header for c in spreadsheet.columns()]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestApi:
    def test_upload_through_the_api(self, app, departments, sysadmin):
        token = factories.APIToken(user=sysadmin["name"])["token"]
        response = app.post("/api/action/zaozhuang_catalog_import",
                            data={"upload": (io.BytesIO(read(SAMPLE)), "目录.xlsx"),
                                  "dry_run": "true"},
                            headers={"Authorization": token})
        assert response.json["result"]["created"] == SAMPLE_ROWS
        assert _count() == 0

    def test_errors_through_the_api(self, app, departments, sysadmin):
        token = factories.APIToken(user=sysadmin["name"])["token"]
        response = app.post("/api/action/zaozhuang_catalog_import",
                            data={"upload": (io.BytesIO(read(BROKEN)), "目录.xlsx")},
                            headers={"Authorization": token}, status=409)
        error = response.json["error"]
        assert error["__type"] == "Validation Error"
        assert sum(1 for key in error if key != "__type") == len(BROKEN_CELLS)
        assert any(key.endswith(" 联系电话") for key in error)

    def test_file_storage_upload(self, departments, sysadmin):
        upload = FileStorage(io.BytesIO(read(SAMPLE)), filename="sample.xlsx")
        assert _import(sysadmin, upload=upload, dry_run=True)["created"] == SAMPLE_ROWS
