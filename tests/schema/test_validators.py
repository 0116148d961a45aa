"""Every field rule of the catalog schema, through package_create / package_update against the
real database, with the errors a publisher sees (in Chinese, the default locale)."""
import json

import pytest

from ckan import model

from ckan.logic import ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access.model import AuditEntry
from ckanext.zaozhuang.schema.validators import is_valid_credit_code
from tests.factories import CatalogDataset, Department


def _errors(**fields):
    with pytest.raises(ValidationError) as raised:
        CatalogDataset(**fields)
    return raised.value.error_dict


def test_full_width_codes_and_phones_are_stored_in_ascii():
    from ckanext.zaozhuang.schema.validators import zaozhuang_credit_code, zaozhuang_phone
    assert zaozhuang_phone("０６３２－３２３０１００") == "0632-3230100"
    assert zaozhuang_phone("１３８０６３２０００１") == "13806320001"
    assert zaozhuang_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_credit_code_check_character():
    assert is_valid_credit_code("91350100M000100Y43")
    for position in range(18):
        broken = list("91350100M000100Y43")
        broken[position] = "0" if broken[position] != "0" else "1"
        assert not is_valid_credit_code("".join(broken))
    assert not is_valid_credit_code("91350100M000100Y4")
    assert not is_valid_credit_code("91350100M000100YI3")  # I is not in the alphabet


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
class TestFieldRules:
    def test_valid_dataset_stores_codes(self):
        dataset = CatalogDataset(theme=["公共服务", "credit_system"], spatial_coverage="370402、滕州市",
                                 record_count="120", temporal_start="2026-01-01",
                                 temporal_end="2026-06-30", domain="交通运输")
        assert dataset["domain"] == "transport"  # a label is stored as its code
        assert dataset["theme"] == ["public_services", "credit_system"]
        assert dataset["spatial_coverage"] == ["370402", "370481"]
        assert dataset["record_count"] == 120

    @pytest.mark.parametrize("field", ["catalog_code", "notes", "domain", "data_level",
                                       "open_category", "share_category", "personal_info",
                                       "update_frequency", "contact_name", "contact_phone"])
    def test_required(self, field):
        assert field in _errors(**{field: ""})

    @pytest.mark.parametrize("field", ["title", "catalog_code", "notes", "open_category",
                                       "share_category", "contact_name", "contact_phone"])
    @pytest.mark.parametrize("blank", [" ", "\u3000", " \t "])
    def test_required_fields_refuse_only_spaces(self, field, blank):
        # not_empty lets spaces through and strip_value would then store nothing.
        assert _errors(**{field: blank})[field] == ["缺少值"]

    @pytest.mark.parametrize("field", ["title", "notes", "contact_name", "source_system",
                                       "metadata_maintainer", "open_conditions", "author",
                                       "maintainer", "version"])
    @pytest.mark.parametrize("value", [["a", "b"], {"a": 1}, True])
    def test_text_fields_refuse_lists_objects_and_flags(self, field, value):
        # unicode_safe would have stored a list as its JSON text.
        fields = {field: value, "open_category": "conditional"} if field == "open_conditions" \
            else {field: value}
        assert _errors(**fields)[field] == ["须为文本"]

    def test_a_number_in_a_text_field_is_its_digits(self):
        assert CatalogDataset(contact_name=12345)["contact_name"] == "12345"

    @pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<script>x</script>",
                                      "file:///etc/passwd", "http://", "//example.com/a"])
    def test_links_are_web_addresses(self, link):
        assert "url" in _errors(url=link)
        dataset = CatalogDataset()
        with pytest.raises(ValidationError) as raised:
            call_action("resource_create", package_id=dataset["id"], name="链接", url=link,
                        format="CSV")
        assert raised.value.error_dict["url"] == ["请填写以 http:// 或 https:// 开头的网址"]
        assert CatalogDataset(url="https://data.example.org/bus")["url"] == \
            "https://data.example.org/bus"

    def test_a_long_version_is_a_field_error(self):
        assert "version" in _errors(version="1" * 101)

    @pytest.mark.parametrize("field,value", [
        ("domain", "weather"), ("open_category", "open"), ("share_category", "shared"),
        ("data_level", "secret"), ("update_frequency", "hourly"), ("industry", "Z"),
        ("personal_info", "maybe"), ("theme", ["public_services", "nonsense"]),
        ("spatial_coverage", ["370499"]),
    ])
    def test_vocabularies(self, field, value):
        assert "请从以下选项中选择" in " ".join(_errors(**{field: value})[field])

    @pytest.mark.parametrize("phone", ["13806321234", "0632-3230100", "06323230100"])
    def test_phone_valid(self, phone):
        assert CatalogDataset(contact_phone=phone)["contact_phone"] == phone

    @pytest.mark.parametrize("phone", ["12345", "010-12345678", "2806321234", "0632-12"])
    def test_phone_invalid(self, phone):
        assert "0632" in _errors(contact_phone=phone)["contact_phone"][0]

    def test_email(self):
        assert CatalogDataset(contact_email="data@zaozhuang.gov.cn")["contact_email"]
        assert "邮箱" in _errors(contact_email="not-an-address")["contact_email"][0]

    def test_national_catalog_elements(self):
        dataset = CatalogDataset(share_method="接口、database", metadata_maintainer="信息中心")
        assert dataset["share_method"] == ["interface", "database"]
        assert dataset["metadata_maintainer"] == "信息中心"
        # Not classified unless said otherwise; classified data is never catalogued.
        assert dataset["secrecy"] == "non_secret"
        assert CatalogDataset(secrecy="非涉密")["secrecy"] == "non_secret"
        assert _errors(secrecy="涉密")["secrecy"] == ["涉密数据不得在本平台编目发布"]
        assert "请从以下选项中选择" in _errors(share_method=["fax"])["share_method"][0]
        related = CatalogDataset(related_codes="11370400mb28531020-00001、11370400MB28531020-00002")
        assert related["related_codes"] == "11370400MB28531020-00001,11370400MB28531020-00002"
        assert "related_codes" in _errors(related_codes="第二张表")

    def test_record_count(self):
        assert "整数" in _errors(record_count="-3")["record_count"][0]
        assert "整数" in _errors(record_count="many")["record_count"][0]

    def test_dates(self):
        assert "YYYY-MM-DD" in _errors(first_published="2026/13/40")["first_published"][0]
        errors = _errors(temporal_start="2026-06-01", temporal_end="2026-01-01")
        assert "时间范围起" in errors["temporal_end"][0]
        errors = _errors(first_published="2026-06-01", last_updated="2025-01-01")
        assert "首次发布日期" in errors["last_updated"][0]

    def test_conditional_opening_needs_conditions(self):
        assert "open_conditions" in _errors(open_category="conditional")
        assert CatalogDataset(open_category="conditional", open_conditions="签署协议")

    def test_not_open_needs_legal_basis(self):
        assert "not_open_basis" in _errors(open_category="not_open")
        assert CatalogDataset(open_category="not_open", not_open_basis="依法不予开放")

    def test_conditional_sharing_needs_conditions(self):
        assert "share_conditions" in _errors(share_category="conditional")

    def test_core_data_is_never_opened(self):
        for opening, extra in (("unconditional", {}), ("conditional", {"open_conditions": "x"})):
            errors = _errors(data_level="core", open_category=opening, **extra)
            assert "核心数据" in errors["open_category"][0]
        assert CatalogDataset(data_level="core", open_category="not_open", not_open_basis="核心数据")

    def test_personal_information_needs_deidentification_to_be_open(self):
        assert "deidentification" in _errors(personal_info="yes")
        assert CatalogDataset(personal_info="yes", deidentification="姓名、身份证号已删除")
        assert CatalogDataset(personal_info="yes", open_category="not_open", not_open_basis="x")

    def test_catalog_code_pattern_and_provider(self):
        department = Department(provider_code="11370400MB28531020")
        assert "连字符" in _errors(owner_org=department["id"],
                                  catalog_code="ABC-1")["catalog_code"][0]
        errors = _errors(owner_org=department["id"], catalog_code="11370400MB2853101W-00001")
        assert "11370400MB28531020" in errors["catalog_code"][0]
        assert CatalogDataset(owner_org=department["id"], catalog_code="11370400MB28531020-00001")

    def test_catalog_code_unique(self):
        department = Department(provider_code="11370400MB28531020")
        first = CatalogDataset(owner_org=department["id"], catalog_code="11370400MB28531020-00007")
        sysadmin = factories.Sysadmin()
        errors = _errors(owner_org=department["id"], catalog_code="11370400MB28531020-00007")
        assert first["name"] in errors["catalog_code"][0]
        # Updating the dataset that holds the code is fine.
        call_action("package_patch", {"user": sysadmin["name"]}, id=first["id"], title="新标题")

    def test_provider_code_of_department(self):
        with pytest.raises(ValidationError) as raised:
            Department(provider_code="11370400MB28531021")
        assert "provider_code" in raised.value.error_dict

    def test_data_dictionary(self):
        items = [{"name_zh": "线路编号", "name_en": "route_no", "type": "string"},
                 {"name_zh": "票价", "name_en": "fare", "type": "数值型", "description": "元"}]
        dataset = CatalogDataset(data_dictionary=items)
        assert [i["type"] for i in dataset["data_dictionary"]] == ["string", "decimal"]
        with pytest.raises(ValidationError) as raised:
            CatalogDataset(data_dictionary=[{"name_zh": "票价", "name_en": "2fare", "type": "float"}])
        errors = raised.value.error_dict["data_dictionary"][0]
        assert set(errors) == {"name_en", "type"}

    def test_resource_fields(self):
        dataset = CatalogDataset()
        context = {"user": factories.Sysadmin()["name"]}
        resource = call_action("resource_create", context, package_id=dataset["id"], name="接口",
                               url="https://api.example.org/bus", format="json",
                               resource_type="api", record_count="10", last_updated="2026-11-01")
        assert (resource["format"], resource["resource_type"], resource["record_count"]) == (
            "JSON", "api", 10)
        with pytest.raises(ValidationError) as raised:
            call_action("resource_create", context, package_id=dataset["id"], name="x",
                        url="https://example.org/x.bin", format="exe", resource_type="ftp")
        assert {"format", "resource_type"} <= set(raised.value.error_dict)

@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestApiErrors:
    def test_errors_through_the_api_are_409_with_field_names(self, app):
        sysadmin = factories.SysadminWithToken()
        department = Department()
        response = app.post("/api/3/action/package_create", headers={
            "Authorization": sysadmin["token"]}, json={
            "name": "bad-one", "title": "错误数据", "owner_org": department["id"],
            "contact_phone": "123"})
        assert response.status_code == 409
        error = response.json["error"]
        assert error["__type"] == "Validation Error"
        assert {"catalog_code", "contact_phone", "open_category", "notes"} <= set(error)
        assert "0632" in error["contact_phone"][0]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
class TestOpeningDowngrade:
    """Making the opening category more restrictive needs the big-data authority."""

    def _setup(self):
        editor = factories.User()
        department = Department(users=[{"name": editor["name"], "capacity": "admin"}])
        dataset = CatalogDataset(owner_org=department["id"], user=editor)
        return editor, dataset

    @pytest.mark.parametrize("new,extra", [
        ("conditional", {"open_conditions": "申请"}),
        ("not_open", {"not_open_basis": "依法"})])
    def test_department_staff_refused(self, new, extra):
        editor, dataset = self._setup()
        with pytest.raises(ValidationError) as raised:
            call_action("package_patch", {"user": editor["name"]}, id=dataset["id"],
                        open_category=new, **extra)
        assert "市大数据局" in raised.value.error_dict["open_category"][0]

    def test_opening_up_is_free(self):
        editor, dataset = self._setup()
        call_action("package_patch", {"user": factories.Sysadmin()["name"]}, id=dataset["id"],
                    open_category="conditional", open_conditions="申请")
        opened = call_action("package_patch", {"user": editor["name"]}, id=dataset["id"],
                             open_category="unconditional")
        assert opened["open_category"] == "unconditional"

    def test_authority_allowed_and_recorded(self):
        editor, dataset = self._setup()
        officer = factories.User()
        Department(name="zz-dsjj", users=[{"name": officer["name"], "capacity": "editor"}])
        updated = call_action("package_patch", {"user": officer["name"]}, id=dataset["id"],
                              open_category="not_open", not_open_basis="依法不予开放")
        assert updated["open_category"] == "not_open"
        entry = model.Session.query(AuditEntry).filter_by(
            dataset_id=dataset["id"], event="opening_change").one()
        assert (entry.user_name, entry.outcome) == (officer["name"], "recorded")
        assert entry.detail["old"] == "unconditional" and entry.detail["new"] == "not_open"
        assert json.dumps(entry.detail)
