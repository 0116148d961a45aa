"""Resource identifiers (信息资源标识符): assigned once by the portal, never changed by an edit,
an import, a new provider code or a ckanapi load, unique in the database, shown and found."""
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy.exc import IntegrityError

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.schema import identifiers
from tests.factories import CatalogDataset, Department, credit_code

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CKANAPI = os.path.join(os.path.dirname(sys.executable), "ckanapi")


@pytest.fixture
def publisher():
    return factories.User()


@pytest.fixture
def department(publisher):
    return Department(users=[{"name": publisher["name"], "capacity": "admin"}])


def _as(user):
    return {"user": user["name"], "ignore_auth": False}


def _errors(raised):
    return raised.value.error_dict


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestAssignment:
    def test_each_new_dataset_gets_its_own(self, department):
        first, second = (CatalogDataset(owner_org=department["id"]) for _ in range(2))
        assert identifiers.PATTERN.match(first["identifier"])
        assert first["identifier"].startswith("370400-")
        assert first["identifier"] != second["identifier"]

    def test_an_edit_keeps_it_and_another_value_is_refused(self, publisher, department):
        dataset = CatalogDataset(owner_org=department["id"])
        context = _as(publisher)
        updated = call_action("package_update", context,
                              **dict(dataset, identifier=None, title="新标题"))
        assert updated["identifier"] == dataset["identifier"]
        patched = call_action("package_patch", context, id=dataset["id"],
                              identifier=dataset["identifier"], title="再改")
        assert patched["identifier"] == dataset["identifier"]
        with pytest.raises(tk.ValidationError) as raised:
            call_action("package_patch", context, id=dataset["id"], identifier="370400-99999999")
        assert dataset["identifier"] in _errors(raised)["identifier"][0]
        assert call_action("package_show", id=dataset["id"])["title"] == "再改"

    def test_a_publisher_cannot_choose_one(self, publisher, department):
        with pytest.raises(tk.ValidationError) as raised:
            CatalogDataset(owner_org=department["id"], identifier="370400-00000042",
                           user=publisher)
        assert "identifier" in _errors(raised)

    @pytest.mark.parametrize("wrong", ["x" * 101, "含中文", "a b", "<script>"])
    def test_an_administrator_brings_only_identifiers(self, wrong):
        sysadmin = factories.Sysadmin()
        with pytest.raises(tk.ValidationError) as raised:
            CatalogDataset(identifier=wrong, user=sysadmin)
        assert "identifier" in _errors(raised)

    @pytest.mark.parametrize("wrong", [["370400-00000001"], {"a": 1}, 5])
    def test_wrong_types_are_field_errors(self, publisher, department, wrong):
        dataset = CatalogDataset(owner_org=department["id"])
        with pytest.raises(tk.ValidationError) as raised:
            call_action("package_patch", _as(publisher), id=dataset["id"], identifier=wrong)
        assert "identifier" in _errors(raised)

    def test_a_deleted_datasets_identifier_is_never_given_again(self, department):
        sysadmin = factories.Sysadmin()
        removed = CatalogDataset(owner_org=department["id"])
        call_action("package_delete", {"user": sysadmin["name"]}, id=removed["id"])
        with pytest.raises(tk.ValidationError) as raised:
            CatalogDataset(owner_org=department["id"], identifier=removed["identifier"],
                           user=sysadmin)
        assert "identifier" in _errors(raised)
        assert CatalogDataset(owner_org=department["id"])["identifier"] != removed["identifier"]

    def test_the_database_refuses_a_second_holder(self, department):
        first, second = (CatalogDataset(owner_org=department["id"]) for _ in range(2))
        package = model.Package.get(second["id"])
        package.extras = dict(package.extras, identifier=first["identifier"])
        with pytest.raises(IntegrityError) as raised:
            model.Session.commit()
        model.Session.rollback()
        assert raised.value.orig.diag.constraint_name == "zaozhuang_package_identifier"

    def test_a_dataset_without_one_gets_it_when_next_saved(self, publisher, department):
        dataset = CatalogDataset(owner_org=department["id"])
        package = model.Package.get(dataset["id"])
        package.extras = {k: v for k, v in package.extras.items() if k != "identifier"}
        model.Session.commit()
        search.rebuild(dataset["id"])
        saved = call_action("package_patch", _as(publisher), id=dataset["id"], title="补号")
        assert identifiers.PATTERN.match(saved["identifier"])
        assert saved["identifier"] != dataset["identifier"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_new_provider_code_leaves_it_alone(publisher, department):
    dataset = CatalogDataset(owner_org=department["id"])
    call_action("organization_patch", _as(publisher), id=department["id"],
                provider_code=credit_code(9002))
    shown = call_action("package_show", _as(publisher), id=dataset["id"])
    assert shown["catalog_code"] != dataset["catalog_code"]
    assert shown["identifier"] == dataset["identifier"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestShownAndFound:
    def test_on_the_dataset_page(self, app, department):
        dataset = CatalogDataset(owner_org=department["id"])
        page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
        assert "信息资源标识符" in page
        assert dataset["identifier"] in page

    def test_on_the_edit_form_read_only(self, app, publisher, department):
        dataset = CatalogDataset(owner_org=department["id"])
        token = call_action("api_token_create", {"user": publisher["name"]},
                            user=publisher["name"], name="form")["token"]
        page = app.get(f"/dataset/edit/{dataset['name']}",
                       headers={"Authorization": token}).get_data(as_text=True)
        assert f'value="{dataset["identifier"]}"' in page
        assert 'readonly="readonly"' in page

    def test_found_by_search(self, department):
        dataset = CatalogDataset(owner_org=department["id"])
        CatalogDataset(owner_org=department["id"])
        for q in (dataset["identifier"], f"identifier:{dataset['identifier']}"):
            found = call_action("package_search", q=q)["results"]
            assert [d["id"] for d in found] == [dataset["id"]], q


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestCatalogSpreadsheet:
    def _import(self, user, rows):
        return call_action("zaozhuang_catalog_import", _as(user), rows=rows)

    def _exported_row(self, dataset):
        row = spreadsheet.to_row(call_action("package_show", id=dataset["id"]))
        return {column.header: row[column.name] for column in spreadsheet.columns()}

    def test_exported_and_imported_unchanged(self, publisher, department):
        dataset = CatalogDataset(owner_org=department["id"])
        row = self._exported_row(dataset)
        assert row["信息资源标识符"] == dataset["identifier"]
        result = self._import(publisher, [row])
        assert (result["updated"], result["unchanged"]) == (0, 1)

    def test_another_identifier_in_a_row_is_refused(self, publisher, department):
        dataset = CatalogDataset(owner_org=department["id"])
        row = dict(self._exported_row(dataset), 信息资源标识符="370400-99999999")
        with pytest.raises(tk.ValidationError) as raised:
            self._import(publisher, [row])
        assert any("信息资源标识符" in key for key in _errors(raised))
        assert call_action("package_show", id=dataset["id"])["identifier"] == \
            dataset["identifier"]

    def test_a_sheet_from_before_a_new_provider_code_updates_its_datasets(
            self, publisher, department):
        dataset = CatalogDataset(owner_org=department["id"])
        row = self._exported_row(dataset)
        call_action("organization_patch", _as(publisher), id=department["id"],
                    provider_code=credit_code(9003))
        renumbered = call_action("package_show", id=dataset["id"])["catalog_code"]
        result = self._import(publisher, [dict(row, 资源名称="改名", 资源代码=renumbered)])
        assert result["updated"] == 1
        shown = call_action("package_show", id=dataset["id"])
        assert (shown["title"], shown["identifier"]) == ("改名", dataset["identifier"])

    def test_a_new_row_with_an_identifier_is_refused(self, publisher, department):
        row = {"资源代码": f"{department['provider_code']}-00777", "资源名称": "新数据",
               "信息资源标识符": "370400-00000777", "资源摘要": "摘要",
               "提供单位": department["title"], "数据领域": "交通运输", "数据分级": "一般数据",
               "开放属性": "无条件开放", "共享属性": "无条件共享", "是否涉及个人信息": "否",
               "更新频率": "每月", "联系人": "王静", "联系电话": "0632-3317001"}
        with pytest.raises(tk.ValidationError):
            self._import(publisher, [row])
        del row["信息资源标识符"]
        assert self._import(publisher, [row])["created"] == 1


def _ckanapi(url, token, *args):
    return subprocess.run([CKANAPI, *args, "-r", url, "-a", token], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_ckanapi_dump_and_load_keep_it(live_server, publisher, department, tmp_path):
    dataset = CatalogDataset(owner_org=department["id"])
    token = call_action("api_token_create", {"user": publisher["name"]},
                        user=publisher["name"], name="ckanapi")["token"]
    dump = tmp_path / "datasets.jsonl"
    dumped = _ckanapi(live_server, token, "dump", "datasets", dataset["name"], "-O", str(dump))
    assert dumped.returncode == 0, dumped.stderr
    assert json.loads(dump.read_text())["identifier"] == dataset["identifier"]

    loaded = _ckanapi(live_server, token, "load", "datasets", "-I", str(dump))
    assert loaded.returncode == 0, loaded.stderr + loaded.stdout
    assert call_action("package_show", id=dataset["id"])["identifier"] == dataset["identifier"]

    # Restored by an administrator after the dataset was purged: the same identifier.
    sysadmin = factories.SysadminWithToken()
    call_action("dataset_purge", {"user": sysadmin["name"]}, id=dataset["id"])
    restored = _ckanapi(live_server, sysadmin["token"], "load", "datasets", "-I", str(dump))
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert call_action("package_show", id=dataset["name"])["identifier"] == dataset["identifier"]
