"""Changes around catalog entries: a department's new provider code carries its catalog codes
along, and deleted datasets take no new resources."""
import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset, Department, credit_code


@pytest.fixture
def department_admin():
    return factories.User()


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_new_provider_code_renumbers_the_departments_catalog_codes(department_admin):
    department = Department(users=[{"name": department_admin["name"], "capacity": "admin"}])
    old = department["provider_code"]
    datasets = [CatalogDataset(owner_org=department["id"]) for _ in range(3)]
    new = credit_code(9001)
    context = {"user": department_admin["name"], "ignore_auth": False}
    call_action("organization_patch", context, id=department["id"], provider_code=new)

    for dataset in datasets:
        shown = call_action("package_show", context, id=dataset["id"])
        assert shown["catalog_code"] == new + dataset["catalog_code"][len(old):]
        # Still editable: the code matches its department again.
        call_action("package_patch", context, id=dataset["id"], title="改名后仍可编辑")
    # The search index serves the new codes too.
    found = call_action("package_search", context, fq=f"owner_org:{department['id']}")
    assert sorted(d["catalog_code"][:18] for d in found["results"]) == [new] * 3


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("code, field_message", [
    ("000000000000000000", "统一社会信用代码"),
    (credit_code(1)[:2] + "999999" + credit_code(1)[8:], None),
    ("１１３７０４００ＭＢ２８５３１０２０", None),
])
def test_provider_codes_that_cannot_be_a_zaozhuang_department(code, field_message):
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"], "ignore_auth": False}
    if code.startswith("１"):
        # Full-width, as a Chinese input method types it: stored in ASCII.
        made = call_action("organization_create", context, name="full-width",
                           title="全角代码部门", provider_code=code)
        assert made["provider_code"] == "11370400MB28531020"
        return
    with pytest.raises(tk.ValidationError) as raised:
        call_action("organization_create", context, name="bad-code", title="代码有误的部门",
                    provider_code=code)
    assert "provider_code" in raised.value.error_dict


@pytest.mark.usefixtures("clean_db")
def test_another_departments_provider_code_is_refused():
    first = Department()
    with pytest.raises(tk.ValidationError) as raised:
        Department(provider_code=first["provider_code"])
    assert "provider_code" in raised.value.error_dict
    # A department keeps its own code when saved again.
    call_action("organization_patch", {"user": factories.Sysadmin()["name"]}, id=first["id"],
                provider_code=first["provider_code"])


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_a_deleted_dataset_takes_no_resources(department_admin):
    department = Department(users=[{"name": department_admin["name"], "capacity": "admin"}])
    dataset = CatalogDataset(owner_org=department["id"],
                             resources=[{"name": "数据", "url": "http://example.com/a.csv"}])
    context = {"user": department_admin["name"], "ignore_auth": False}
    call_action("package_delete", context, id=dataset["id"])
    before = model.Session.query(model.Resource).count()
    with pytest.raises(tk.ValidationError) as raised:
        call_action("resource_create", context, package_id=dataset["id"], name="新资源",
                    url="http://example.com/b.csv")
    assert "package_id" in raised.value.error_dict
    with pytest.raises(tk.ValidationError):
        call_action("resource_patch", context, id=dataset["resources"][0]["id"], name="改")
    assert model.Session.query(model.Resource).count() == before
