"""Error reports through the real actions: the deadline, answers, the urgent kind and its
mail to the authority, personal data, visibility, hiding, bad input, the rate limit."""
import datetime

import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access.model import AuditEntry
from ckanext.zaozhuang.participation.corrections import model as report_model
from tests.applications.mailbox import run_jobs
from tests.participation.corrections.helpers import private_dataset, report
from tests.participation.demand.helpers import today

PERSONAL = ("user_name", "user_fullname", "user_email", "user_id")


def _errors(call, *args, **kwargs):
    with pytest.raises(tk.ValidationError) as error:
        call(*args, **kwargs)
    return error.value.error_dict


@pytest.mark.ckan_config("ckanext.zaozhuang.participation.answer_working_days", 3)
def test_the_deadline_and_overdue(world):
    with freeze_time("2026-12-04 02:00:00"):  # a Friday
        filed = report(world)
    assert filed["due"] == "2026-12-09"
    assert filed["organization_id"] == world.department["id"]
    with freeze_time("2026-12-10 02:00:00"):
        shown = world.act("anonymous", "correction_show", id=filed["id"])
        assert shown["overdue"] is True and shown["state_label"] == "overdue"
        assert [r["id"] for r in world.act("anonymous", "correction_list",
                                           state="overdue")["results"]] == [filed["id"]]
        figures = report_model.figures([world.department["id"]])
        assert figures[world.department["id"]] == {"received": 1, "answered_in_time": 0,
                                                   "overdue": 1}
        world.act("dept_editor", "correction_answer", id=filed["id"], answer="fixed")
        figures = report_model.figures([world.department["id"]])
        assert figures[world.department["id"]] == {"received": 1, "answered_in_time": 0,
                                                   "overdue": 0}


def test_answers_and_their_parts(world):
    filed = report(world)
    act = world.act
    assert "fix_date" in _errors(act, "dept_editor", "correction_answer", id=filed["id"],
                                 answer="will_fix")
    past = (today() - datetime.timedelta(days=2)).isoformat()
    assert "fix_date" in _errors(act, "dept_editor", "correction_answer", id=filed["id"],
                                 answer="will_fix", fix_date=past)
    assert "answer_text" in _errors(act, "dept_editor", "correction_answer", id=filed["id"],
                                    answer="not_error")
    assert "answer" in _errors(act, "dept_editor", "correction_answer", id=filed["id"],
                               answer="ignored")
    later = (today() + datetime.timedelta(days=5)).isoformat()
    done = act("dept_admin", "correction_answer", id=filed["id"], answer="will_fix",
               fix_date=later, answer_text="下周更新")
    assert done["state"] == "answered" and done["fix_date"] == later
    assert "state" in _errors(act, "dept_editor", "correction_answer", id=filed["id"],
                              answer="fixed")
    public = act("anonymous", "correction_list", dataset_id=world.dataset["name"])
    assert public["results"][0]["answer_label"] == "will be fixed"


@pytest.mark.parametrize("field,value", [
    ("kind", "typo"), ("kind", ""), ("kind", ["wrong_value"]), ("description", ""),
    ("description", "错" * 5001), ("description", "<i></i>"), ("resource_id", "not-mine"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, field, value):
    assert field in _errors(report, world, **{field: value})
    assert model.Session.query(report_model.ErrorReport).count() == 0


def test_unknown_deleted_and_other_datasets(world):
    with pytest.raises(tk.ObjectNotFound):
        report(world, dataset_id="no-such-dataset")
    tk.get_action("package_delete")({"user": world.name("sysadmin")},
                                    {"id": world.other_dataset["id"]})
    with pytest.raises(tk.ObjectNotFound):
        report(world, dataset=world.other_dataset)
    other_resource = world.dataset["resources"][0]["id"]
    fresh = private_dataset(world)
    assert "resource_id" in _errors(report, world, "dept_editor", dataset=fresh,
                                    resource_id=other_resource)
    on_resource = report(world, resource_id=other_resource)
    assert on_resource["resource_name"] == "线路表"
    assert "dataset_id" in _errors(world.act, "citizen", "correction_create",
                                   kind="outdated", description="过时")


def test_html_is_stripped(world):
    filed = report(world, description="<a href='http://x'>链接</a>失效<br>")
    assert filed["description"] == "链接失效"


@pytest.mark.ckan_config("ckanext.zaozhuang.participation.daily_limit", 1)
def test_the_rate_limit(world):
    report(world)
    assert "description" in _errors(report, world)
    report(world, "citizen")


def test_personal_data_and_visibility_of_the_list(world):
    filed = report(world)
    hidden_from_public = report(world, "dept_member", dataset=private_dataset(world))
    for role in ("anonymous", "citizen", "other_editor", "dept_member"):
        shown = world.act(role, "correction_show", id=filed["id"])
        assert not set(PERSONAL) & set(shown), role
    for role in ("requester", "dept_editor", "authority"):
        assert world.act(role, "correction_show", id=filed["id"])["user_email"] == \
            world.users["requester"]["email"]
    public = world.act("anonymous", "correction_list")
    assert [r["id"] for r in public["results"]] == [filed["id"]] and public["count"] == 1
    staff = world.act("dept_editor", "correction_list", scope="queue")
    assert {r["id"] for r in staff["results"]} == {filed["id"], hidden_from_public["id"]}


def test_hiding_is_audited(world):
    filed = report(world)
    world.act("sysadmin", "correction_hide", id=filed["id"], reason="垃圾信息")
    entry = model.Session.query(AuditEntry).filter_by(event="error_report_hide").one()
    assert entry.dataset_id == world.dataset["id"]
    assert entry.detail == {"report_id": filed["id"], "reason": "垃圾信息"}
    assert world.act("anonymous", "correction_list")["count"] == 0


class TestMail:
    def test_exposed_personal_data_is_urgent_and_mailed_to_the_authority(self, world,
                                                                         mailbox):
        filed = report(world, kind="personal_data", description="表中含有身份证号")
        assert filed["urgent"] is True
        row = model.Session.get(report_model.ErrorReport, filed["id"])
        assert report_model.is_urgent(row)
        run_jobs()
        assert world.users["authority"]["email"] in mailbox.recipients()
        assert world.users["dept_editor"]["email"] in mailbox.recipients()
        message = mailbox.to(world.users["authority"]["email"])[0]
        # Outside a request the mail is in the source language.
        assert message["Subject"].startswith("URGENT")
        assert "表中含有身份证号" in mailbox.body(message) and filed["id"] in mailbox.body(message)

    def test_an_ordinary_report_goes_to_the_department_and_the_answer_to_the_reporter(
            self, world, mailbox):
        filed = report(world)
        assert filed["urgent"] is False
        run_jobs()
        assert mailbox.recipients() == sorted([world.users["dept_editor"]["email"],
                                               world.users["dept_admin"]["email"]])
        world.act("dept_editor", "correction_answer", id=filed["id"], answer="not_error",
                  answer_text="首班车时间已于本月调整为7:00")
        run_jobs()
        mail = mailbox.to(world.users["requester"]["email"])
        assert len(mail) == 1 and "已于本月调整" in mailbox.body(mail[0])
