"""Department aliases: kept by the big-data authority, searchable with every dataset."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset, Department


def _found(q):
    return [d["name"] for d in call_action("package_search", q=q)["results"]]


@pytest.fixture
def department():
    admin = factories.User()
    org = Department(name="zz-scjgj", title="枣庄市市场监督管理局", alias="市监局、市场监管局",
                     users=[{"name": admin["name"], "capacity": "admin"}])
    CatalogDataset(name="food-sampling", title="食品安全抽检信息", owner_org=org["id"])
    return {"org": org, "admin": admin}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAliases:
    def test_stored_one_name_each(self, department):
        assert department["org"]["alias"] == ["市监局", "市场监管局"]

    def test_alias_finds_the_departments_datasets(self, department):
        assert _found("市监局") == ["food-sampling"]
        assert _found("市场监管局") == ["food-sampling"]

    def test_authority_change_reaches_the_index_at_once(self, department):
        # 工商局, the department's former name, shares no character with its title.
        authority = factories.Sysadmin()
        assert _found("工商局") == []
        call_action("organization_patch", {"user": authority["name"]},
                    id=department["org"]["id"], alias=["市监局", "工商局"])
        assert _found("工商局") == ["food-sampling"]
        call_action("organization_patch", {"user": authority["name"]},
                    id=department["org"]["id"], alias=["市监局"])
        assert _found("工商局") == []

    def test_department_admin_may_not_change_aliases(self, department):
        with pytest.raises(tk.ValidationError) as error:
            call_action("organization_patch", {"user": department["admin"]["name"]},
                        id=department["org"]["id"], alias=["市监"])
        assert "alias" in error.value.error_dict

    def test_department_admin_update_keeps_aliases(self, department):
        org = department["org"]
        call_action("organization_update", {"user": department["admin"]["name"]},
                    id=org["id"], name=org["name"], title=org["title"],
                    provider_code=org["provider_code"], description="新的职责说明")
        shown = call_action("organization_show", id=org["id"])
        assert shown["alias"] == ["市监局", "市场监管局"]
        assert _found("市监局") == ["food-sampling"]
