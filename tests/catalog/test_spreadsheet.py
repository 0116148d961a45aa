"""Reading and writing catalog spreadsheets, and converting rows to dataset dicts and back."""
import csv
import datetime
import io

import openpyxl
import pytest

from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.zaozhuang.catalog import spreadsheet

from tests.catalog.conftest import SAMPLE, SAMPLE_ROWS, read

# The headers of the departments' catalog sheets.
EXPECTED_HEADERS = [
    "资源名称", "资源代码", "信息资源标识符", "资源摘要", "关键字", "提供单位", "数据领域",
    "主题分类", "行业分类", "数据分级", "开放属性", "开放条件", "不予开放依据", "共享属性",
    "共享条件", "共享方式", "涉密属性", "是否涉及个人信息", "去标识化处理说明", "更新频率",
    "数据量(条)", "空间范围", "时间范围起", "时间范围止", "首次发布日期", "数据更新日期",
    "数据来源系统", "关联资源代码", "元数据维护方", "联系人", "联系电话", "联系邮箱", "信息项",
]


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.usefixtures("with_plugins")
class TestColumns:
    def test_headers_are_the_schema_labels(self):
        schema_fields = [f for f in scheming_get_dataset_schema("dataset")["dataset_fields"]
                         if f["field_name"] != "name" and spreadsheet.has_form(f)]
        headers = [c.header for c in spreadsheet.columns()]
        assert headers == [f["label"]["zh_Hans_CN"] for f in schema_fields]
        assert headers == EXPECTED_HEADERS

    def test_url_name_only_on_request(self):
        assert "name" not in [c.name for c in spreadsheet.columns()]
        assert "name" in [c.name for c in spreadsheet.columns(with_name=True)]

    @pytest.mark.parametrize("header", ["联系电话", "Contact telephone", "contact_phone",
                                        " 联系电话* "])
    def test_header_in_either_language_or_field_name(self, header):
        assert spreadsheet.column_for_header(header).name == "contact_phone"

    def test_unknown_header(self):
        assert spreadsheet.column_for_header("备注") is None

    def test_kinds(self):
        by_name = {c.name: c for c in spreadsheet.columns()}
        assert by_name["theme"].multiple and by_name["spatial_coverage"].multiple
        assert by_name["tag_string"].multiple
        assert not by_name["domain"].multiple and by_name["domain"].vocabulary == "domain"
        assert by_name["temporal_end"].is_date
        assert by_name["record_count"].is_number
        assert [s["field_name"] for s in by_name["data_dictionary"].subfields] == [
            "name_zh", "name_en", "type", "description", "mandatory", "unique", "value_format",
            "minimum", "maximum", "codes"]


@pytest.mark.usefixtures("with_plugins")
class TestTemplate:
    def test_xlsx_has_the_headers_and_no_rows(self):
        book = openpyxl.load_workbook(io.BytesIO(spreadsheet.write([], "xlsx")))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]] == EXPECTED_HEADERS
        assert sheet.max_row == 1
        assert spreadsheet.read(spreadsheet.write([], "xlsx")).rows == []

    def test_xlsx_explains_every_column(self):
        book = openpyxl.load_workbook(io.BytesIO(spreadsheet.write([], "xlsx")))
        guide = book.worksheets[-1]
        rows = list(guide.iter_rows(min_row=2, values_only=True))
        assert [r[0] for r in rows] == EXPECTED_HEADERS
        explained = {r[0]: r[2] for r in rows}
        assert "有条件开放" in explained["开放属性"]
        assert "中文名称|英文名称|数据类型|描述" in explained["信息项"]

    def test_xlsx_offers_the_labels_of_single_choice_columns(self):
        book = openpyxl.load_workbook(io.BytesIO(spreadsheet.write([], "xlsx")))
        sheet = book.worksheets[0]
        column = openpyxl.utils.get_column_letter(EXPECTED_HEADERS.index("开放属性") + 1)
        check = next(v for v in sheet.data_validations.dataValidation
                     if str(v.sqref).startswith(column + "2"))
        choices_sheet, cells = check.formula1.split("!")
        choices = book[choices_sheet.strip("'")]
        assert [c.value for row in choices[cells.replace("$", "")] for c in row] == [
            "无条件开放", "有条件开放", "不予开放"]

    def test_csv_is_utf8_with_bom(self):
        content = spreadsheet.write([], "csv")
        assert content.startswith(b"\xef\xbb\xbf")
        assert content.decode("utf-8-sig").strip() == ",".join(EXPECTED_HEADERS)


@pytest.mark.usefixtures("with_plugins")
class TestReading:
    def test_sample(self):
        sheet = spreadsheet.read(read(SAMPLE))
        # Made with the template before the national catalog elements and the resource
        # identifier, which a sheet may leave out.
        assert sheet.headers == [h for h in EXPECTED_HEADERS
                                 if h not in ("信息资源标识符", "共享方式", "涉密属性", "关联资源代码",
                                              "元数据维护方")]
        assert len(sheet.rows) == SAMPLE_ROWS
        assert sheet.rows[0][0] == 2  # the header is row 1

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
    def test_csv_encodings(self, encoding):
        content = "资源代码,联系电话\r\n11370400MB28531020-00101,0632-3317001\r\n".encode(encoding)
        sheet = spreadsheet.read(content)
        assert sheet.headers == ["资源代码", "联系电话"]
        assert sheet.rows == [(2, {"资源代码": "11370400MB28531020-00101",
                                   "联系电话": "0632-3317001"})]

    def test_blank_rows_are_skipped_but_counted(self):
        content = _xlsx([["资源代码", "联系人"], ["A-1", "王静"], [None, "  "], ["A-2", "李娜"]])
        assert [number for number, _cells in spreadsheet.read(content).rows] == [2, 4]

    def test_excel_values_become_text(self):
        content = _xlsx([["时间范围起", "数据量(条)", "联系电话"],
                         [datetime.datetime(2024, 3, 1), 1234.0, 13912345678]])
        cells = spreadsheet.read(content).rows[0][1]
        assert [spreadsheet.cell_text(v) for v in cells.values()] == [
            "2024-03-01", "1234", "13912345678"]

    @pytest.mark.parametrize("content", [b"", b"   ", b"PK\x03\x04 not really a workbook"])
    def test_unreadable(self, content):
        with pytest.raises(spreadsheet.SpreadsheetError):
            spreadsheet.read(content)

    def test_header_row_required(self):
        with pytest.raises(spreadsheet.SpreadsheetError):
            spreadsheet.read(_xlsx([[None, None], ["x", "y"]]))


@pytest.mark.usefixtures("with_plugins")
class TestConversion:
    def test_row_to_dataset(self):
        dataset = spreadsheet.to_dataset({
            "title": " 枣庄市公交线路信息 ",
            "tag_string": "公交、交通出行,bus",
            "theme": "公共服务\uff0c法人(基础);credit_system",
            "temporal_start": datetime.datetime(2024, 1, 1),
            "temporal_end": None,
            "contact_email": "  ",
            "data_dictionary": "线路编号|route_no|字符型|公交线路编号\n\n"
                               "票价|fare|数值型|单位:元|含优惠\n首班时间|first_bus|string",
        })
        assert dataset == {
            "title": "枣庄市公交线路信息",
            "tags": [{"name": "公交"}, {"name": "交通出行"}, {"name": "bus"}],
            # Vocabulary cells keep the publisher's wording; the schema's validator converts.
            "theme": ["公共服务", "法人(基础)", "credit_system"],
            "temporal_start": "2024-01-01",
            "temporal_end": None,
            "contact_email": None,
            "data_dictionary": [
                {"name_zh": "线路编号", "name_en": "route_no", "type": "字符型",
                 "description": "公交线路编号"},
                {"name_zh": "票价", "name_en": "fare", "type": "数值型",
                 "description": "单位:元|含优惠"},
                {"name_zh": "首班时间", "name_en": "first_bus", "type": "string",
                 "description": ""},
            ],
        }

    def test_data_items_with_their_quality_rules(self):
        items = [
            {"name_zh": "身份证号", "name_en": "id_number", "type": "string",
             "description": "18位|含X", "mandatory": "yes", "unique": "yes",
             "value_format": "id_card", "minimum": "", "maximum": "", "codes": ""},
            {"name_zh": "状态", "name_en": "state", "type": "string", "description": "",
             "mandatory": "", "unique": "", "value_format": "", "minimum": "", "maximum": "",
             "codes": "正常、注销"},
            {"name_zh": "金额", "name_en": "amount", "type": "decimal", "description": "单位:元"},
        ]
        cell = spreadsheet.to_row({"data_dictionary": items})["data_dictionary"]
        assert cell.splitlines() == [
            "身份证号|id_number|字符型|18位|含X|是|是|居民身份证号码|||",
            "状态|state|字符型|||||||正常、注销",
            "金额|amount|数值型|单位:元"]
        parsed = spreadsheet.to_dataset({"data_dictionary": cell})["data_dictionary"]
        assert [(i["description"], i.get("mandatory"), i.get("value_format"), i.get("codes"))
                for i in parsed] == [("18位|含X", "是", "居民身份证号码", ""),
                                     ("", "", "", "正常、注销"), ("单位:元", None, None, None)]

    def test_full_width_bar(self):
        items = spreadsheet.to_dataset({"data_dictionary": "线路编号｜route_no｜字符型"})
        assert items["data_dictionary"][0]["name_en"] == "route_no"

    def test_dataset_to_row(self):
        row = spreadsheet.to_row({
            "title": "枣庄市公交线路信息",
            "owner_org": "some-id",
            "organization": {"title": "枣庄市交通运输局"},
            "tags": [{"name": "公交"}, {"name": "bus"}],
            "domain": "transport",
            "theme": ["public_services", "base_legal_entity"],
            "spatial_coverage": ["370400"],
            "record_count": 12,
            "data_dictionary": [
                {"name_zh": "线路编号", "name_en": "route_no", "type": "string",
                 "description": "公交线路编号"},
                {"name_zh": "票价", "name_en": "fare", "type": "decimal", "description": ""},
            ],
        })
        assert row["owner_org"] == "枣庄市交通运输局"
        assert row["tag_string"] == "公交、bus"
        assert row["domain"] == "交通运输"
        assert row["theme"] == "公共服务、法人(基础)"
        assert row["spatial_coverage"] == "枣庄市"
        assert row["record_count"] == 12
        assert row["data_dictionary"] == "线路编号|route_no|字符型|公交线路编号\n票价|fare|数值型"
        assert row["open_category"] == ""

    def test_written_rows_read_back(self):
        rows = [{"title": "甲", "catalog_code": "11370400MB28531020-00001",
                 "contact_phone": "0632-3317001", "record_count": 7,
                 "data_dictionary": "名称|name|字符型\n数量|amount|整数型"}]
        for fmt in spreadsheet.FORMATS:
            sheet = spreadsheet.read(spreadsheet.write(rows, fmt))
            cells = sheet.rows[0][1]
            assert cells["资源名称"] == "甲"
            assert cells["联系电话"] == "0632-3317001"
            assert spreadsheet.cell_text(cells["数据量(条)"]) == "7"
            assert cells["信息项"] == "名称|name|字符型\n数量|amount|整数型"

    def test_csv_quotes_multiline_cells(self):
        content = spreadsheet.write([{"data_dictionary": "a|b\nc|d"}], "csv")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        assert rows[1][EXPECTED_HEADERS.index("信息项")] == "a|b\nc|d"
