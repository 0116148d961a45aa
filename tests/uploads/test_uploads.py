"""Uploads over HTTP, as a department editor with an API token and through the web form:
what the bytes are must agree with the declared format, a refusal names `upload` and writes
nothing, and a file keeps its Chinese name up to the download."""
import io
import json
import os
from urllib.parse import quote, urlsplit

import pytest

from ckan import model
from ckan.logic import get_action
from ckan.tests import factories

from tests.catalog.test_ckanapi import ckanapi
from tests.conftest import sql_statements
from tests.factories import CatalogDataset, Department
from tests.uploads import samples

NAME = "公交线路.csv"


@pytest.fixture
def editor(clean_db, clean_index):
    user = factories.User()
    department = Department(users=[{"name": user["name"], "capacity": "editor"}])
    dataset = CatalogDataset(owner_org=department["id"])
    token = factories.APIToken(user=user["name"])["token"]
    return {"user": user, "dataset": dataset, "headers": {"Authorization": token}}


def _create(app, editor, filename, data, fmt, **fields):
    return app.post("/api/3/action/resource_create", headers=editor["headers"], data=dict(
        package_id=editor["dataset"]["id"], name="公交线路", format=fmt,
        upload=(io.BytesIO(data), filename), **fields))


def _stored_files(ckan_config):
    root = os.path.join(ckan_config["ckan.storage_path"], "resources")
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)


def _state(ckan_config):
    model.Session.remove()
    return model.Session.query(model.Resource).count(), _stored_files(ckan_config)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_chinese_named_csv_keeps_its_name_to_the_download(app, editor, encoding):
    data = samples.CSV_TEXT.encode(encoding)
    response = _create(app, editor, NAME, data, "CSV")
    assert response.status_code == 200, response.json
    resource = response.json["result"]
    assert resource["url"].endswith("/download/" + quote(NAME))
    assert resource["url_type"] == "upload" and resource["mimetype"] == "text/csv"

    shown = app.get("/api/3/action/package_show", headers=editor["headers"],
                    query_string={"id": editor["dataset"]["id"]}).json["result"]
    assert shown["resources"][0]["url"] == resource["url"]
    found = app.get("/api/3/action/package_search", headers=editor["headers"],
                    query_string={"q": "id:" + editor["dataset"]["id"]}).json["result"]
    assert found["results"][0]["resources"][0]["url"] == resource["url"]

    download = app.get(urlsplit(resource["url"]).path, headers=editor["headers"])
    assert download.status_code == 200
    assert download.data == data
    disposition = download.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote(NAME) in disposition
    assert 'filename=download.csv' in disposition or 'filename="download.csv"' in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_name_is_the_same_from_the_index_and_from_the_database(app, editor):
    """package_show answers from the search index's dict without looking the upload up, and
    from the database rows (use_cache false) with one look-up; both show the stored name,
    and neither answer nor a search result carries the index's internal mark."""
    url = _create(app, editor, NAME, samples.CSV_TEXT.encode(), "CSV").json["result"]["url"]
    # get_action, unlike the test helper call_action, checks auth: the editor's own rights.
    name = editor["user"]["name"]
    with sql_statements() as statements:
        cached = get_action("package_show")({"user": name}, {"id": editor["dataset"]["id"]})
        from_index = [statement for statement, _ in statements]
        fresh = get_action("package_show")({"user": name, "use_cache": False},
                                           {"id": editor["dataset"]["id"]})
    found = get_action("package_search")({"user": name}, {"q": "id:" + editor["dataset"]["id"]})
    for answer in (cached, fresh, found["results"][0]):
        assert answer["resources"][0]["url"] == url
        assert not [k for k in answer["resources"][0] if k.startswith("_")]
    assert not [s for s in from_index if "FROM resource" in s]


def test_the_name_survives_a_change_of_the_resource(app, editor):
    resource = _create(app, editor, NAME, samples.CSV_TEXT.encode(), "CSV").json["result"]
    patched = app.post("/api/3/action/resource_patch", headers=editor["headers"],
                       json={"id": resource["id"], "description": "每月更新"})
    assert patched.status_code == 200, patched.json
    assert patched.json["result"]["url"] == resource["url"]
    model.Session.remove()
    assert model.Resource.get(resource["id"]).url == NAME


def test_a_real_workbook_declared_xlsx_is_accepted(app, editor):
    response = _create(app, editor, "公交线路.xlsx", samples.xlsx(), "XLSX")
    assert response.status_code == 200, response.json
    assert response.json["result"]["url"].endswith(quote("公交线路.xlsx"))


@pytest.mark.parametrize("filename,data,fmt", [
    ("data.csv", samples.ELF, "CSV"),
    ("data.csv", samples.PE, ""),
    ("data.csv", samples.HTML, "CSV"),
    ("data.csv", samples.PNG, "CSV"),
    ("data.csv", samples.ZIP, "CSV"),
    ("公交线路.xlsx", samples.CSV_TEXT.encode(), "XLSX"),
    ("公交线路.xlsx", samples.xlsx(), "CSV"),
])
def test_bytes_that_disagree_are_refused_naming_upload_and_nothing_is_written(
        app, editor, ckan_config, filename, data, fmt):
    before = _state(ckan_config)
    response = _create(app, editor, filename, data, fmt)
    assert response.status_code == 409
    assert set(response.json["error"]) == {"upload", "__type"}
    assert _state(ckan_config) == before


def test_a_refusal_is_in_the_users_language(app, editor):
    refused = _create(app, editor, "data.csv", samples.ELF, "CSV").json["error"]["upload"]
    assert refused == ["不能上传程序"]


def test_a_replacement_that_disagrees_keeps_the_old_file(app, editor, ckan_config):
    data = samples.CSV_TEXT.encode()
    resource = _create(app, editor, NAME, data, "CSV").json["result"]
    before = _state(ckan_config)
    response = app.post("/api/3/action/resource_update", headers=editor["headers"], data={
        "id": resource["id"], "format": "CSV", "upload": (io.BytesIO(samples.ELF), NAME)})
    assert response.status_code == 409 and "upload" in response.json["error"]
    assert _state(ckan_config) == before
    assert app.get(urlsplit(resource["url"]).path, headers=editor["headers"]).data == data


@pytest.mark.parametrize("prefix,message", [("", "不能上传程序"),
                                            ("/en", "Programs cannot be uploaded")])
def test_the_web_form_refuses_a_program_in_the_users_language(app, editor, ckan_config,
                                                              prefix, message):
    before = _state(ckan_config)
    response = app.post(f"{prefix}/dataset/{editor['dataset']['name']}/resource/new",
                        headers=editor["headers"], data={
                            "id": "", "name": "公交线路", "format": "CSV",
                            "save": "go-metadata",
                            "upload": (io.BytesIO(samples.ELF), "data.csv")})
    assert message in response.get_data(as_text=True)
    assert _state(ckan_config) == before


def test_the_web_form_keeps_the_chinese_name(app, editor):
    response = app.post(f"/dataset/{editor['dataset']['name']}/resource/new",
                        headers=editor["headers"], follow_redirects=False, data={
                            "id": "", "name": "公交线路", "format": "CSV",
                            "save": "go-metadata",
                            "upload": (io.BytesIO(samples.CSV_TEXT.encode("gbk")), NAME)})
    assert response.status_code == 302
    model.Session.remove()
    [resource] = model.Session.query(model.Resource).filter_by(
        package_id=editor["dataset"]["id"]).all()
    assert resource.url == NAME


@pytest.mark.parametrize("blank", ["", " ", "\u3000"])
def test_the_web_form_as_a_browser_sends_it_with_its_empty_fields(app, editor, blank):
    # A browser sends every field of the form, those left empty included: an empty date or
    # number must leave the resource without it (it was a 500).
    response = app.post(f"/dataset/{editor['dataset']['name']}/resource/new",
                        headers=editor["headers"], follow_redirects=False, data={
                            "id": "", "url": "", "name": "公交线路", "description": blank,
                            "format": blank, "sheet": blank, "resource_type": blank,
                            "record_count": blank, "last_updated": blank,
                            "save": "go-metadata",
                            "upload": (io.BytesIO(samples.CSV_TEXT.encode()), NAME)})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    model.Session.remove()
    [resource] = model.Session.query(model.Resource).filter_by(
        package_id=editor["dataset"]["id"]).all()
    assert "last_updated" not in resource.extras and "record_count" not in resource.extras
    assert resource.resource_type == "file"
    assert resource.format == "CSV"


def test_ckanapi_keeps_the_name_and_refuses_a_program(live_server, editor, tmp_path):
    token = editor["headers"]["Authorization"]
    good, bad = tmp_path / NAME, tmp_path / "data.csv"
    good.write_bytes(samples.CSV_TEXT.encode("gbk"))
    bad.write_bytes(samples.ELF)
    created = ckanapi(live_server, token, "action", "resource_create",
                      f"package_id={editor['dataset']['id']}", "name=公交线路", "format=CSV",
                      f"upload@{good}")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["url"].endswith(quote(NAME))
    refused = ckanapi(live_server, token, "action", "resource_create",
                      f"package_id={editor['dataset']['id']}", "name=程序", "format=CSV",
                      f"upload@{bad}")
    assert refused.returncode != 0
    assert "upload" in refused.stderr + refused.stdout
