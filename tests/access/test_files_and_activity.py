"""Two paths outside the matrix: CKAN 2.12's file API for files owned by a resource, and the
activity detail and diff of a conditional dataset."""
import io

import pytest

from ckan.logic import NotAuthorized
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset, Department


@pytest.fixture
def conditional():
    admin = factories.User()
    department = Department(users=[{"name": admin["name"], "capacity": "admin"}])
    dataset = CatalogDataset(owner_org=department["id"], open_category="conditional",
                             open_conditions="签署协议", user=admin)
    resource = call_action("resource_create", {"user": admin["name"]}, package_id=dataset["id"],
                           name="接口", url="https://data.example.org/secret-one.csv",
                           format="CSV")
    return admin, dataset, resource


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_file_api_follows_the_resource(conditional, ckan_config, monkeypatch, tmp_path,
                                       reset_storages, app):
    admin, dataset, resource = conditional
    monkeypatch.setitem(ckan_config, "ckan.files.storage.zzfiles.type", "ckan:fs")
    monkeypatch.setitem(ckan_config, "ckan.files.storage.zzfiles.path", str(tmp_path))
    reset_storages()
    sysadmin = factories.Sysadmin()
    stored = call_action("file_create", {"user": sysadmin["name"]}, storage="zzfiles",
                         name="credit.csv", upload=io.BytesIO("企业,等级\n".encode()))
    call_action("file_ownership_transfer", {"user": sysadmin["name"]}, id=stored["id"],
                owner_type="resource", owner_id=resource["id"], force=True)

    visitor = factories.User()
    for user, allowed in ((visitor["name"], False), (admin["name"], True)):
        if allowed:
            assert call_action("file_show", {"user": user, "ignore_auth": False},
                               id=stored["id"])["id"] == stored["id"]
        else:
            with pytest.raises(NotAuthorized):
                call_action("file_show", {"user": user, "ignore_auth": False}, id=stored["id"])
    assert app.get(f"/file/download/{stored['id']}").status_code == 404  # anonymous
    token = call_action("api_token_create", {"user": admin["name"]}, user=admin["name"],
                        name="t")["token"]
    download = app.get(f"/file/download/{stored['id']}", headers={"Authorization": token})
    assert download.status_code == 200
    assert "企业" in download.get_data(as_text=True)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_activity_detail_and_diff_hide_links(conditional):
    admin, dataset, resource = conditional
    call_action("resource_patch", {"user": admin["name"]}, id=resource["id"],
                url="https://data.example.org/secret-two.csv")
    latest = call_action("package_activity_list", {"user": admin["name"]},
                         id=dataset["id"])[0]

    def seen(user):
        """What the three activity actions show the user; CKAN itself refuses some of them
        to users who may not edit the dataset."""
        text = ""
        for action, extra in (("activity_diff", {"object_type": "package"}),
                              ("activity_show", {"include_data": True}),
                              ("activity_data_show", {"object_type": "package"})):
            try:
                text += repr(call_action(action, {"user": user, "ignore_auth": False},
                                         id=latest["id"], **extra))
            except NotAuthorized:
                pass
        return text

    # CKAN shows activity details only to those who may edit the dataset, who may also get
    # its data; the redaction of these actions (access/actions.py) guards the rest.
    assert seen(factories.User()["name"]) == ""
    text = seen(admin["name"])
    assert "secret-one" in text and "secret-two" in text
