"""Special audits (专项审计): the access log filtered by dataset, applicant, department and
period, on a page and exported, for the authority and, for its own datasets, a department."""
import csv
import io

import openpyxl
import pytest

from ckan import model
from ckan.logic import NotAuthorized, ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access import log as audit_log
from ckanext.zaozhuang.access import policy
from tests.factories import CatalogDataset, Department


@pytest.fixture
def audited(with_plugins, clean_db, clean_index):
    for name in ("officer", "admin-a", "visitor", "other-visitor"):
        factories.User(name=name)
    Department(name="zz-dsjj", users=[{"name": "officer", "capacity": "admin"}])
    a = Department(name="dept-a", users=[{"name": "admin-a", "capacity": "admin"}])
    b = Department(name="dept-b")
    datasets = {}
    for org, name in ((a, "credit-a"), (b, "credit-b")):
        datasets[name] = CatalogDataset(name=name, owner_org=org["id"],
                                        open_category="conditional", open_conditions="签署协议")
        package = model.Package.get(datasets[name]["id"])
        for user in ("visitor", "other-visitor"):
            audit_log.record_access("download", user, package, None,
                                    policy.Decision(False, "no_grant"))
    tokens = {name: call_action("api_token_create", {"user": name}, user=name,
                                name="audit")["token"] for name in ("officer", "admin-a")}
    return datasets, tokens


def _list(caller, **data):
    return call_action("zaozhuang_audit_list", {"user": caller, "ignore_auth": False}, **data)


def test_filters_by_dataset_applicant_department_and_period(audited):
    assert _list("officer")["count"] == 4
    assert _list("officer", dataset_id="credit-a")["count"] == 2
    assert _list("officer", organization_id="dept-b", user="visitor")["count"] == 1
    assert _list("officer", since="2000-01-01", until="2001-01-01")["count"] == 0
    with pytest.raises(ValidationError) as error:
        _list("officer", since="yesterday")
    assert "since" in error.value.error_dict
    # A department's admin audits its own datasets only, whatever the filters say.
    assert _list("admin-a", organization_id="dept-b")["count"] == 0
    assert _list("admin-a")["count"] == 2
    with pytest.raises(NotAuthorized):
        _list("visitor")


def test_the_page_and_its_export(audited, app):
    _datasets, tokens = audited
    headers = {"Authorization": tokens["officer"]}
    page = app.get("/supervision/audit", headers=headers,
                   query_string={"dataset_id": "credit-a", "user": "visitor"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1" in text and 'for="field-dataset_id"' in text and text.count("<tr>") == 2
    exported = app.get("/supervision/audit.csv", headers=headers,
                       query_string={"organization_id": "dept-a"})
    rows = list(csv.DictReader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert len(rows) == 2 and {r["user_name"] for r in rows} == {"visitor", "other-visitor"}
    book = openpyxl.load_workbook(io.BytesIO(
        app.get("/supervision/audit.xlsx", headers=headers).get_data()))
    assert book.active.max_row == 5
    mine = app.get("/supervision/audit.csv", headers={"Authorization": tokens["admin-a"]})
    assert len(list(csv.DictReader(io.StringIO(mine.get_data().decode("utf-8-sig"))))) == 2
    assert app.get("/supervision/audit.csv", query_string={"since": "x"},
                   headers=headers).status_code == 400
    assert app.get("/supervision/audit", follow_redirects=False).status_code == 302
    visitor = call_action("api_token_create", {"user": "visitor"}, user="visitor",
                          name="audit")["token"]
    assert app.get("/supervision/audit.csv",
                   headers={"Authorization": visitor}).status_code == 403
