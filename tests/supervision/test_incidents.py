"""The incident register through real auth and the real actions: an application taken to an
active grant, an incident opened on its dataset or its applicant, the holder told by page and
mail, notes, closing by lifting or revoking, the register exported; hostile input answered
as field errors, never half-written."""
import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.supervision.incidents.model import Incident
from tests.applications.mailbox import fresh_queues, mailbox, run_jobs  # noqa: F401
from tests.applications.world import world  # noqa: F401 (fixture)

FROZEN_TEXT = "该数据因安全事件已暂停访问"


def _open(world, role="authority", **data):
    fields = {"subject": "dataset", "dataset_id": world.dataset["id"], "severity": "serious",
              "description": "接口日志显示异常批量下载"}
    fields.update(data)
    return world.act(role, "incident_create", **fields)


def _token(world, role):
    return call_action("api_token_create", {"user": world.name(role)}, user=world.name(role),
                       name="incident")["token"]


@pytest.fixture
def granted(world):  # noqa: F811
    """An application of the applicant taken to an active grant by the real actions."""
    return world.in_state("active")


def test_freezing_tells_the_holder_on_the_page_and_by_mail(world, granted, mailbox, app):  # noqa: F811
    # In a request, as from the page: the mail is in the portal's language.
    with app.flask_app.test_request_context():
        incident = _open(world)
    assert incident["state"] == "frozen" and incident["severity_label"]
    run_jobs()
    told = mailbox.to(world.users["applicant"]["email"])
    assert len(told) == 1 and FROZEN_TEXT in mailbox.body(told[0])
    headers = {"Authorization": _token(world, "applicant")}
    page = app.get(f"/applications/{granted['id']}", headers=headers)
    assert FROZEN_TEXT in page.get_data(as_text=True)
    assert world.act("applicant", "application_show", id=granted["id"])["suspended"] is True

    mailbox.messages.clear()
    world.act("authority", "incident_close", id=incident["id"], outcome="lifted",
              reason="误报，已核实")
    run_jobs()
    assert [m["Subject"] for m in mailbox.to(world.users["applicant"]["email"])]
    assert world.act("applicant", "application_show", id=granted["id"])["suspended"] is False


def test_revoking_for_good_revokes_the_applicants_application(world, granted, mailbox):  # noqa: F811
    incident = _open(world, subject="user", dataset_id=None,
                     user_id=world.users["applicant"]["name"])
    world.act("authority", "incident_note_add", id=incident["id"], body="已约谈申请人")
    world.act("authority", "incident_close", id=incident["id"], outcome="revoked",
              reason="违规向第三方提供数据")
    assert world.act("applicant", "application_show", id=granted["id"])["state"] == "revoked"
    shown = world.act("authority", "incident_show", id=incident["id"])
    assert [n["body"] for n in shown["notes"]] == ["已约谈申请人"]
    assert shown["state"] == "revoked" and shown["closing_reason"] == "违规向第三方提供数据"
    run_jobs()
    assert any("违规向第三方提供数据" in mailbox.body(m)
               for m in mailbox.to(world.users["applicant"]["email"]))


def test_an_incident_can_be_opened_without_freezing_and_frozen_later(world, granted):  # noqa: F811
    incident = _open(world, freeze=False)
    assert incident["state"] == "open"
    assert world.act("applicant", "application_show", id=granted["id"])["suspended"] is False
    assert world.act("authority", "incident_freeze", id=incident["id"])["state"] == "frozen"
    assert world.act("applicant", "application_show", id=granted["id"])["suspended"] is True
    with pytest.raises(tk.ValidationError) as error:
        world.act("authority", "incident_freeze", id=incident["id"])
    assert "state" in error.value.error_dict


@pytest.mark.parametrize("role", ["anonymous", "applicant", "provider_admin",
                                  "provider_editor", "other_department"])
def test_only_the_authority(world, role):  # noqa: F811
    incident = _open(world, freeze=False)
    for action, data in (("incident_create", {"subject": "dataset",
                                              "dataset_id": world.open_dataset["id"],
                                              "severity": "general", "description": "x"}),
                         ("incident_list", {}), ("incident_show", {"id": incident["id"]}),
                         ("incident_freeze", {"id": incident["id"]}),
                         ("incident_note_add", {"id": incident["id"], "body": "x"}),
                         ("incident_close", {"id": incident["id"], "outcome": "lifted",
                                             "reason": "x"}),
                         ("incident_export", {})):
        with pytest.raises(tk.NotAuthorized):
            world.act(role, action, **data)
    assert world.act("authority", "incident_show", id=incident["id"])["state"] == "open"


@pytest.mark.parametrize("data, field", [
    ({"severity": ["major"]}, "severity"),
    ({"severity": "catastrophic"}, "severity"),
    ({"description": {"a": 1}}, "description"),
    ({"description": "   "}, "description"),
    ({"description": "长" * 4001}, "description"),
    ({"subject": "department"}, "subject"),
    ({"dataset_id": None}, "dataset_id"),
    ({"dataset_id": "no-such-dataset"}, "dataset_id"),
    ({"user_id": "someone"}, "user_id"),
    ({"subject": "user", "dataset_id": None}, "user_id"),
])
def test_bad_input_is_a_field_error_and_writes_nothing(world, data, field):  # noqa: F811
    fields = {k: v for k, v in data.items() if v is not None}
    removed = [k for k, v in data.items() if v is None]
    base = {"subject": "dataset", "dataset_id": world.dataset["id"], "severity": "serious",
            "description": "说明"}
    base = {k: v for k, v in dict(base, **fields).items() if k not in removed}
    with pytest.raises(tk.ValidationError) as error:
        world.act("authority", "incident_create", **base)
    assert field in error.value.error_dict
    assert model.Session.query(Incident).count() == 0


def test_missing_fields_and_deleted_datasets(world):  # noqa: F811
    with pytest.raises(tk.ValidationError) as error:
        world.act("authority", "incident_create")
    assert {"subject", "severity", "description"} <= set(error.value.error_dict)
    call_action("package_delete", {"user": world.name("provider_admin")},
                id=world.open_dataset["id"])
    with pytest.raises(tk.ValidationError) as error:
        _open(world, dataset_id=world.open_dataset["id"])
    assert "dataset_id" in error.value.error_dict
    with pytest.raises(tk.ValidationError) as error:
        _open(world, subject="user", dataset_id=None, user_id=world.name("authority"))
    assert "user_id" in error.value.error_dict


def test_one_unclosed_incident_per_subject_enforced_by_the_database(world):  # noqa: F811
    first = _open(world)
    with pytest.raises(tk.ValidationError) as error:
        _open(world)
    assert "dataset_id" in error.value.error_dict
    model.Session.add(Incident(subject="dataset", dataset_id=world.dataset["id"],
                               severity="general", description="x", state="open",
                               created_by=world.users["authority"]["id"]))
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.flush()
    model.Session.rollback()
    world.act("authority", "incident_close", id=first["id"], outcome="lifted", reason="完毕")
    with pytest.raises(tk.ValidationError) as error:
        world.act("authority", "incident_close", id=first["id"], outcome="lifted",
                  reason="完毕")
    assert "state" in error.value.error_dict
    # Once closed, the dataset may have a new incident.
    assert _open(world)["state"] == "frozen"


def test_notes_and_closing_validate_their_fields(world):  # noqa: F811
    incident = _open(world)
    for data, field in (({"body": ""}, "body"), ({"body": ["x"]}, "body"),
                        ({"body": "长" * 4001}, "body")):
        with pytest.raises(tk.ValidationError) as error:
            world.act("authority", "incident_note_add", id=incident["id"], **data)
        assert field in error.value.error_dict
    for data, field in (({"outcome": "forgotten", "reason": "x"}, "outcome"),
                        ({"outcome": "lifted"}, "reason")):
        with pytest.raises(tk.ValidationError) as error:
            world.act("authority", "incident_close", id=incident["id"], **data)
        assert field in error.value.error_dict
    with pytest.raises(tk.ObjectNotFound):
        world.act("authority", "incident_show", id="no-such-incident")
    assert world.act("authority", "incident_show", id=incident["id"])["state"] == "frozen"


def test_the_register_exports_with_formulas_kept_as_text(world, app):  # noqa: F811
    _open(world, description="=HYPERLINK(\"http://evil.example\")")
    headers = {"Authorization": _token(world, "authority")}
    response = app.get("/supervision/incidents.csv", headers=headers)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 2 and "'=HYPERLINK" in rows[1][6]
    book = openpyxl.load_workbook(io.BytesIO(
        app.get("/supervision/incidents.xlsx", headers=headers).get_data()))
    cell = book.active.cell(row=2, column=7)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_pages_work_without_javascript(world, app):  # noqa: F811
    headers = {"Authorization": _token(world, "authority")}
    dashboard = app.get("/supervision", headers=headers).get_data(as_text=True)
    assert 'href="/supervision/incidents"' in dashboard
    admin = app.get("/supervision", headers={"Authorization": _token(world, "provider_admin")})
    assert 'href="/supervision/incidents"' not in admin.get_data(as_text=True)
    form = app.get("/supervision/incidents/new", headers=headers)
    assert form.status_code == 200 and 'for="field-description"' in form.get_data(as_text=True)
    created = app.post("/supervision/incidents/new", headers=headers, data={
        "subject": "dataset", "dataset_id": world.dataset["name"], "user_id": "",
        "severity": "major", "description": "页面登记的事件", "freeze": "1"},
        follow_redirects=False)
    assert created.status_code == 302
    incident = model.Session.query(Incident).one()
    assert incident.state == "frozen"
    page = app.get(f"/supervision/incidents/{incident.id}", headers=headers)
    assert "页面登记的事件" in page.get_data(as_text=True)
    app.post(f"/supervision/incidents/{incident.id}/note", headers=headers,
             data={"body": "已通知提供部门"})
    app.post(f"/supervision/incidents/{incident.id}/close", headers=headers,
             data={"outcome": "lifted", "reason": "处理完毕"})
    listed = app.get("/supervision/incidents", headers=headers).get_data(as_text=True)
    assert "<h1" in listed and world.dataset["title"] in listed
    shown = world.act("authority", "incident_show", id=incident.id)
    assert shown["state"] == "lifted" and shown["notes"][0]["body"] == "已通知提供部门"
    bad = app.post("/supervision/incidents/new", headers=headers, data={
        "subject": "dataset", "dataset_id": "", "severity": "major", "description": ""})
    assert bad.status_code == 200 and "error" in bad.get_data(as_text=True)
