"""The catalog import at the portal's input boundary, as a department editor: what a dry run
accepts the import writes, every cell crosses the boundary, broken files and parameters of the
wrong type are refused with the field named (never a 500), and the portal's own exports import
again unchanged."""
import base64
import codecs
import csv
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.catalog.importer import CatalogImportError
from ckanext.zaozhuang.schema import boundary

from tests.catalog.conftest import SAMPLE, SAMPLE_ROWS, read
from tests.catalog.conftest import dataset_count as _count, transport_row as _row

CODE = _row()["资源代码"]


def _csv(rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(list(rows[0]))
    writer.writerows(list(row.values()) for row in rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows):
    book = openpyxl.Workbook()
    book.active.append(list(rows[0]))
    for row in rows:
        book.active.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def editor(departments):
    """An editor of the transport department (zz-jtysj), who imports with real auth."""
    user = factories.User()
    call_action("organization_member_create", id="zz-jtysj", username=user["name"],
                role="editor")
    return user


def _import(user, **data):
    return call_action("zaozhuang_catalog_import",
                       {"user": user["name"], "ignore_auth": False}, **data)


def _outcome(user, **data):
    """What an import answers: the counts, or the cells (row, column) or fields refused."""
    try:
        result = _import(user, **data)
    except CatalogImportError as error:
        return "refused", sorted((p.row or 0, p.column) for p in error.problems)
    except tk.ValidationError as error:
        return "refused", sorted(error.error_dict)
    return "accepted", (result["created"], result["updated"], result["unchanged"])


def _refused_fields(user, **data):
    with pytest.raises(tk.ValidationError) as raised:
        _import(user, **data)
    assert not isinstance(raised.value, CatalogImportError), raised.value.error_dict
    return list(raised.value.error_dict)


# Cells the schema's validators accept but the database or the index cannot take.
BAD_CELLS = [
    pytest.param("资源名称", "题" * 40_000, id="40 KB title"),  # Solr indexes no such term
    pytest.param("资源名称", "停车场\ud800", id="lone surrogate"),
    pytest.param("联系人", "王\x00静", id="NUL"),  # PostgreSQL cannot store it
    pytest.param("数据来源系统", "停车\x1b系统", id="escape"),
    pytest.param("资源摘要", "摘" * (boundary.MAX_LONG_TEXT + 1), id="oversize notes"),
    pytest.param("关键字", "停车、车\x07位", id="bell in a keyword"),
    pytest.param("信息项", "泊位数|berths|整数型|说明\x0c文字", id="form feed in an item"),
]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDryRunIsTheImport:
    @pytest.mark.parametrize("column, value", BAD_CELLS)
    def test_bad_cell_refused_by_both_naming_row_and_column(self, editor, column, value):
        rows = [_row(**{"资源代码": "11370400MB28531020-00902", "资源名称": "另一个数据集"}),
                _row(**{column: value})]
        dry = _outcome(editor, rows=rows, dry_run=True)
        assert dry == ("refused", [(2, column)])
        assert _outcome(editor, rows=rows) == dry
        assert _count() == 0  # not even the good row

    @pytest.mark.parametrize("fmt, column, value", [
        ("csv", "联系人", "王\x00静"), ("csv", "资源名称", "题" * 40_000),
        ("xlsx", "资源名称", "题" * 40_000)], ids=["csv NUL", "csv title", "xlsx title"])
    def test_bad_cell_in_a_file(self, editor, fmt, column, value):
        content = (_csv if fmt == "csv" else _xlsx)([_row(**{column: value})])
        assert _outcome(editor, upload=content, dry_run=True) == ("refused", [(2, column)])
        assert _outcome(editor, upload=content) == ("refused", [(2, column)])
        assert _count() == 0

    def test_dates_far_in_the_future(self, editor):
        # Dates outside 1900-2100 are typing errors; both runs name every such column.
        columns = ["首次发布日期", "数据更新日期", "时间范围起", "时间范围止"]
        rows = [_row(**{column: "9999-12-31" for column in columns})]
        dry = _outcome(editor, rows=rows, dry_run=True)
        assert dry[0] == "refused"
        assert sorted(dry[1]) == sorted((1, column) for column in columns)
        assert _outcome(editor, rows=rows) == dry
        assert _count() == 0

    def test_update_checked_alike(self, editor):
        _import(editor, rows=[_row()])
        rows = [_row(**{"资源名称": "枣庄市公共停车场信息", "联系电话": "0632-331700\x00"})]
        dry = _outcome(editor, rows=rows, dry_run=True)
        assert dry == ("refused", [(1, "联系电话")])
        assert _outcome(editor, rows=rows) == dry
        assert call_action("package_show", id=CODE.lower())["title"] == "枣庄市停车场信息"

    def test_dry_run_leaves_no_trace(self, editor):
        _import(editor, rows=[_row()])
        before = call_action("package_show", id=CODE.lower())
        activities = len(call_action("package_activity_list", id=CODE.lower()))
        result = _import(editor, rows=[_row(**{"资源名称": "新名称"}),
                                       _row(**{"资源代码": "11370400MB28531020-00902"})],
                         dry_run=True)
        assert [d["result"] for d in result["datasets"]] == ["updated", "created"]
        assert call_action("package_show", id=CODE.lower()) == before
        assert len(call_action("package_activity_list", id=CODE.lower())) == activities
        assert _count() == 1
        assert call_action("package_search", q="新名称")["count"] == 0

    def test_any_text_same_answer_in_both(self, editor):
        columns = ["资源名称", "资源摘要", "联系人", "联系电话", "数据来源系统", "时间范围止",
                   "数据量(条)", "关键字", "信息项"]

        @settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(column=st.sampled_from(columns),
               value=st.one_of(st.text(max_size=30),
                               st.sampled_from(["9999-12-31", "0001-01-01", "10" * 20,
                                                "-1", "1e400", "题" * 12_000, "\ud800"])))
        def check(column, value):
            rows = [_row(**{column: value})]
            dry = _outcome(editor, rows=rows, dry_run=True)
            assert _outcome(editor, rows=rows) == dry, (column, value)
            model.Session.remove()

        check()


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestBrokenFiles:
    def _sample_zip(self, change):
        """The sample workbook with its parts changed by `change(name, data)` (None drops)."""
        source = zipfile.ZipFile(io.BytesIO(read(SAMPLE)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                data = change(item.filename, source.read(item.filename))
                if data is not None:
                    target.writestr(item, data)
        return out.getvalue()

    def test_truncated_sheet_xml(self, editor):
        content = self._sample_zip(lambda name, data: data[:len(data) // 2]
                                   if name == "xl/worksheets/sheet1.xml" else data)
        assert _refused_fields(editor, upload=content) == ["upload"]

    def test_broken_sheet_xml(self, editor):
        content = self._sample_zip(lambda name, data: data.replace(b"<row ", b"<row <", 3)
                                   if name == "xl/worksheets/sheet1.xml" else data)
        assert _refused_fields(editor, upload=content) == ["upload"]

    def test_zip_without_workbook(self, editor):
        content = self._sample_zip(lambda name, data: None if name.startswith("xl/") else data)
        assert _refused_fields(editor, upload=content) == ["upload"]

    def test_zip_of_something_else(self, editor):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            target.writestr("readme.txt", "不是目录")
        assert _refused_fields(editor, upload=out.getvalue()) == ["upload"]

    def test_truncated_zip(self, editor):
        assert _refused_fields(editor, upload=read(SAMPLE)[:5000]) == ["upload"]

    @pytest.mark.parametrize("content", [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 20,
        b"\x1f\x8b\x08\x00" + bytes(range(256)) * 20,
        "资源代码\tx\n".encode("utf-16"),
    ], ids=["png", "pdf", "gzip", "utf-16"])
    def test_not_text(self, editor, content):
        assert _refused_fields(editor, upload=content) == ["upload"]

    def test_csv_cell_beyond_the_csv_module_limit(self, editor):
        content = _csv([_row(**{"资源名称": "题" * 200_000})])
        assert _outcome(editor, upload=content) == ("refused", [(2, "资源名称")])

    def test_csv_cell_beyond_every_limit(self, editor):
        content = _csv([_row(**{"资源摘要": "摘" * 5_000_000})])
        assert _refused_fields(editor, upload=content) == ["upload"]

    def test_long_notes_in_csv(self, editor):
        content = _csv([_row(**{"资源摘要": "摘" * (boundary.MAX_LONG_TEXT - 10)})])
        assert _outcome(editor, upload=content, dry_run=True) == ("accepted", (1, 0, 0))

    @pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
    def test_chinese_encodings(self, editor, encoding):
        content = _csv([_row(**{"资源名称": "枣庄市停车场信息(峄城区)"})]).decode().encode(encoding)
        assert _import(editor, upload=content)["created"] == 1
        assert call_action("package_show", id=CODE.lower())["title"] == "枣庄市停车场信息(峄城区)"

    @pytest.mark.parametrize("content", [b"", b"   \r\n", codecs.BOM_UTF8, b"\x00" * 10])
    def test_empty(self, editor, content):
        assert _refused_fields(editor, upload=content) == ["upload"]

    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_header_only(self, editor, fmt):
        content = spreadsheet.write([], fmt)
        assert _refused_fields(editor, upload=content) == ["upload"]

    def test_headers_that_are_no_catalog(self, editor):
        assert _refused_fields(editor, upload="姓名,年龄\r\n张三,30\r\n".encode()) == ["upload"]

    @pytest.mark.parametrize("rows", [[], [1, 2], {"资源代码": CODE}, "[", "not json", 7])
    def test_rows_not_a_list_of_records(self, editor, rows):
        assert _refused_fields(editor, rows=rows) == ["rows"]

    @pytest.mark.parametrize("value", [[CODE], {"code": CODE}, [[CODE]]])
    def test_list_or_object_where_a_code_is_due(self, editor, value):
        assert _outcome(editor, rows=[_row(**{"资源代码": value})]) == (
            "refused", [(1, "资源代码")])

    @pytest.mark.parametrize("column, value", [
        ("联系电话", ["0632-3317001"]), ("资源名称", {"zh": "名称"}),
        ("提供单位", ["枣庄市交通运输局"]), ("主题分类", [["公共服务"]]),
        ("信息项", [{"name_zh": {"x": 1}}]), ("信息项", {"name_zh": "名称"}),
    ])
    def test_wrong_type_in_a_record(self, editor, column, value):
        assert _outcome(editor, rows=[_row(**{column: value})]) == ("refused", [(1, column)])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestParameters:
    @pytest.mark.parametrize("value", ["maybe", ["true"], {"a": 1}, "2"])
    def test_dry_run(self, editor, value):
        assert _refused_fields(editor, rows=[_row()], dry_run=value) == ["dry_run"]
        assert _count() == 0

    @pytest.mark.parametrize("value", [True, "true", "yes", 1, "0", False])
    def test_dry_run_spellings(self, editor, value):
        result = _import(editor, rows=[_row()], dry_run=value)
        assert result["dry_run"] is tk.asbool(value)

    @pytest.mark.parametrize("value", [["zz-jtysj"], {"id": "zz-jtysj"}, "zz\x00"])
    def test_owner_org(self, editor, value):
        assert _refused_fields(editor, rows=[_row()], owner_org=value) == ["owner_org"]

    @pytest.mark.parametrize("value", [["csv"], {"csv": 1}, "pdf"])
    def test_export_format(self, value):
        with pytest.raises(tk.ValidationError) as raised:
            call_action("zaozhuang_catalog_export", {"user": "", "ignore_auth": False},
                        format=value)
        assert list(raised.value.error_dict) == ["format"]

    @pytest.mark.parametrize("value", [["zz-jtysj"], {"id": "zz-jtysj"}])
    def test_export_owner_org(self, departments, value):
        with pytest.raises(tk.ValidationError) as raised:
            call_action("zaozhuang_catalog_export", {"user": "", "ignore_auth": False},
                        owner_org=value)
        assert list(raised.value.error_dict) == ["owner_org"]

    def test_over_http(self, app, editor):
        token = factories.APIToken(user=editor["name"])["token"]
        for data in ({"dry_run": "maybe"}, {"owner_org": ["zz-jtysj", "zz-sthjj"]},
                     {"upload": (io.BytesIO(b"PK\x03\x04broken"), "catalog.xlsx")}):
            response = app.post("/api/action/zaozhuang_catalog_import", headers={
                "Authorization": token}, data=dict(
                    {"upload": (io.BytesIO(_csv([_row()])), "catalog.csv")}, **data), status=409)
            assert set(response.json["error"]) - {"__type"} == set(data), data
        response = app.post("/api/action/zaozhuang_catalog_import", headers={
            "Authorization": token}, data={"upload": (io.BytesIO(_csv([_row(**{
                "联系人": "王\x00静"})])), "catalog.csv")}, status=409)
        error = response.json["error"]
        assert error.pop("__type") == "Validation Error"
        assert error == {"第2行 联系人": ["含有控制字符或无效文本"]}
        assert _count() == 0


# Values a round trip has to keep: text a spreadsheet program would take for a formula or a
# number, the sheet's own separators and text marks, line breaks, the longest values.
AWKWARD = {
    "资源名称": "=HYPERLINK(\"http://example.com\")停车场",
    "资源摘要": "'+86 开头的号码\n第二行|竖线、顿号,逗号;分号\t制表 " + "长" * 20_000,
    "数据来源系统": "'=SUM(A1)",
    "联系人": "@王静",
    "联系电话": "06323317001",
    "关键字": "停车、-负号, 车位",
    "数据量(条)": "007",
    "时间范围起": "2024-02-29",
    "信息项": "泊位数|berths|整数型|含|竖线 和 、顿号\n名称|name|字符型|",
}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestRoundTrip:
    @pytest.mark.parametrize("fmt", spreadsheet.FORMATS)
    def test_export_imports_unchanged(self, departments, editor, fmt):
        sysadmin = factories.Sysadmin()
        call_action("zaozhuang_catalog_import", {"user": sysadmin["name"]},
                    upload=read(SAMPLE))
        assert _import(editor, rows=[_row(**AWKWARD)])["created"] == 1
        # Entered through the API, as the import itself would not store it.
        call_action("package_create", {"user": editor["name"], "ignore_auth": False},
                    name="zz-api-entry", title=" 前后有空格的名称 ", notes="第一行\r\n第二行 ",
                    catalog_code="11370400MB28531020-00903", owner_org="zz-jtysj",
                    domain="transport", data_level="general", open_category="unconditional",
                    share_category="unconditional", personal_info="no",
                    update_frequency="monthly", contact_name="张三",
                    contact_phone="0632-3230100", record_count="0")
        exported = call_action("zaozhuang_catalog_export", {"user": editor["name"],
                                                            "ignore_auth": False},
                               format=fmt, owner_org="zz-jtysj")
        content = base64.b64decode(exported["content"])
        result = _import(editor, upload=content, owner_org="zz-jtysj")
        assert (result["created"], result["updated"], result["unchanged"]) == (
            0, 0, exported["count"])
        dataset = call_action("package_show", id=CODE.lower())
        assert dataset["title"] == AWKWARD["资源名称"]
        assert dataset["source_system"] == AWKWARD["数据来源系统"]
        assert sorted(t["name"] for t in dataset["tags"]) == ["-负号", "停车", "车位"]
        assert exported["count"] == 2 + sum(
            1 for _n, cells in spreadsheet.read(read(SAMPLE)).rows
            if cells["提供单位"] == "枣庄市交通运输局")
        assert _count() == SAMPLE_ROWS + 2
