"""Data requests through the real actions: deadlines in working days, overdue, answers and
their required parts, duplicates, the rate limit, personal data, hiding, export, bad input."""
import base64
import csv
import datetime
import io

import openpyxl
import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access.model import AuditEntry
from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.participation.demand import model as demand_model
from tests.factories import CatalogDataset
from tests.participation.demand.helpers import answered, file, routed, today

PERSONAL = ("user_name", "user_fullname", "user_email", "user_id", "contact_phone")


def _errors(call, *args, **kwargs):
    with pytest.raises(tk.ValidationError) as error:
        call(*args, **kwargs)
    return error.value.error_dict


class TestDeadlines:
    def test_the_deadline_is_counted_in_working_days_from_the_routing(self, world):
        # Friday 2026-09-25: the National Day holiday (10-01..10-08) and the worked Sunday
        # 09-28 of the shipped calendar lie within the next ten working days.
        with freeze_time("2026-09-25 02:00:00"):
            request = routed(world)
        expected = calendar.calendar().add_working_days(datetime.date(2026, 9, 25), 10)
        assert request["due"] == expected.isoformat()
        assert expected > datetime.date(2026, 10, 9)
        assert request["state"] == "routed" and request["overdue"] is False

    @pytest.mark.ckan_config("ckanext.zaozhuang.participation.answer_working_days", 2)
    def test_overdue_from_the_day_after_the_due_date(self, world):
        with freeze_time("2026-12-07 02:00:00"):  # a Monday
            request = routed(world)
        assert request["due"] == "2026-12-09"
        with freeze_time("2026-12-09 15:00:00"):  # 23:00 local, still the due day
            assert world.act("anonymous", "request_show", id=request["id"])["overdue"] is False
        with freeze_time("2026-12-09 16:30:00"):  # 00:30 local on the 10th
            shown = world.act("anonymous", "request_show", id=request["id"])
            assert shown["overdue"] is True
            assert shown["state_label"] == "overdue"
            listed = world.act("anonymous", "request_list", state="overdue")
            assert [r["id"] for r in listed["results"]] == [request["id"]]
            figures = demand_model.figures([world.department["id"]])[world.department["id"]]
            assert figures == {"received": 1, "answered_in_time": 0, "overdue": 1}

    def test_an_answer_ends_the_wait_and_counts_in_time(self, world):
        request = answered(world)
        assert request["state"] == "answered" and request["overdue"] is False
        figures = demand_model.figures([world.department["id"], world.other_department["id"]])
        assert figures[world.department["id"]] == {"received": 1, "answered_in_time": 1,
                                                   "overdue": 0}
        assert figures[world.other_department["id"]]["received"] == 0


class TestAnswers:
    def test_each_answer_needs_its_part(self, world):
        request = routed(world)
        act = world.act
        assert "planned_date" in _errors(act, "dept_editor", "request_answer",
                                         id=request["id"], answer="will_publish")
        assert "legal_basis" in _errors(act, "dept_editor", "request_answer",
                                        id=request["id"], answer="cannot", legal_basis="  ")
        assert "dataset_id" in _errors(act, "dept_editor", "request_answer",
                                       id=request["id"], answer="exists")
        assert "answer" in _errors(act, "dept_editor", "request_answer", id=request["id"],
                                   answer="maybe")
        past = (today() - datetime.timedelta(days=1)).isoformat()
        assert "planned_date" in _errors(act, "dept_editor", "request_answer",
                                         id=request["id"], answer="will_publish",
                                         planned_date=past)
        assert "planned_date" in _errors(act, "dept_editor", "request_answer",
                                         id=request["id"], answer="will_publish",
                                         planned_date="明天")
        assert world.act("anonymous", "request_show", id=request["id"])["state"] == "routed"

    def test_exists_links_a_public_dataset(self, world):
        request = routed(world)
        private = CatalogDataset(owner_org=world.department["id"], private=True)
        assert "dataset_id" in _errors(world.act, "dept_editor", "request_answer",
                                       id=request["id"], answer="exists",
                                       dataset_id=private["id"])
        deleted = CatalogDataset(owner_org=world.department["id"])
        tk.get_action("package_delete")({"user": world.name("sysadmin")}, {"id": deleted["id"]})
        assert "dataset_id" in _errors(world.act, "dept_editor", "request_answer",
                                       id=request["id"], answer="exists",
                                       dataset_id=deleted["id"])
        done = world.act("dept_editor", "request_answer", id=request["id"], answer="exists",
                         dataset_id=world.other_dataset["name"])
        assert done["dataset_name"] == world.other_dataset["name"]
        assert "state" in _errors(world.act, "dept_admin", "request_answer", id=request["id"],
                                  answer="cannot", legal_basis="重复回复")

    def test_will_publish_is_linked_later_to_a_dataset_the_department_owns(self, world):
        request = routed(world)
        planned = (today() + datetime.timedelta(days=30)).isoformat()
        done = world.act("dept_admin", "request_answer", id=request["id"],
                         answer="will_publish", planned_date=planned, answer_text="下月发布")
        assert done["planned_date"] == planned and done["dataset_id"] is None
        assert "dataset_id" in _errors(world.act, "dept_admin", "request_link",
                                       id=request["id"], dataset_id=world.other_dataset["id"])
        assert "dataset_id" in _errors(world.act, "dept_admin", "request_link",
                                       id=request["id"], dataset_id="no-such-dataset")
        linked = world.act("dept_admin", "request_link", id=request["id"],
                           dataset_id=world.dataset["id"])
        assert linked["dataset_name"] == world.dataset["name"]

    def test_a_cannot_answer_is_not_linked(self, world):
        request = answered(world)
        assert "state" in _errors(world.act, "dept_editor", "request_link", id=request["id"],
                                  dataset_id=world.dataset["id"])

    def test_routing_needs_a_department_and_an_open_request(self, world):
        request = file(world)
        for bad in ("", "no-such-department", world.dataset["id"]):
            assert "organization_id" in _errors(world.act, "authority", "request_route",
                                                id=request["id"], organization_id=bad)
        done = answered(world)
        assert "state" in _errors(world.act, "authority", "request_route", id=done["id"],
                                  organization_id=world.department["id"])


class TestFiling:
    def test_the_proposed_department_and_vocabulary_codes(self, world):
        request = file(world, organization_id=world.department["name"],
                       formats="CSV(电子表格), json", update_frequency="每日")
        assert request["proposed_organization_id"] == world.department["id"]
        assert request["organization_id"] is None and request["state"] == "submitted"
        assert request["formats"] == ["CSV", "JSON"]
        assert request["update_frequency"] == "daily"

    @pytest.mark.parametrize("field,value", [
        ("title", ""), ("title", "x" * 201), ("title", ["a", "b"]), ("title", 12),
        ("title", "<b></b>"), ("description", ""), ("description", "长" * 5001),
        ("formats", ["CSV", "DOC2000"]), ("formats", {"a": 1}), ("update_frequency", "hourly"),
        ("contact_phone", "12345"), ("organization_id", "no-such-department"),
    ])
    def test_bad_input_names_the_field_and_writes_nothing(self, world, field, value):
        assert field in _errors(file, world, **{field: value})
        assert model.Session.query(demand_model.DataRequest).count() == 0

    def test_missing_fields(self, world):
        errors = _errors(world.act, "citizen", "request_create")
        assert set(errors) >= {"title", "description"}

    def test_html_is_stripped(self, world):
        request = file(world, title="<script>alert(1)</script>地铁客流数据",
                       description="<p>需要<b>每日</b>客流</p>")
        assert request["title"] == "alert(1)地铁客流数据"
        assert request["description"] == "需要每日客流"

    def test_a_near_duplicate_of_an_open_request_is_refused_with_a_link(self, world):
        first = file(world, title="枣庄市公共停车场实时泊位数据")
        errors = _errors(file, world, "citizen", title="枣庄市 公共停车场 实时泊位数据!")
        assert first["id"] in " ".join(errors["title"])
        errors = _errors(file, world, "citizen", title="枣庄市公共停车场实时泊位数据集")
        assert first["id"] in " ".join(errors["title"])
        # Once answered, the same need may be asked again.
        world.act("authority", "request_route", id=first["id"],
                  organization_id=world.department["id"])
        world.act("dept_editor", "request_answer", id=first["id"], answer="cannot",
                  legal_basis="涉及商业秘密")
        again = file(world, "citizen", title="枣庄市公共停车场实时泊位数据")
        assert again["id"] != first["id"]

    @pytest.mark.ckan_config("ckanext.zaozhuang.participation.daily_limit", 2)
    def test_the_rate_limit(self, world):
        file(world)
        file(world)
        errors = _errors(file, world)
        assert "title" in errors
        file(world, "citizen")
        with freeze_time(datetime.datetime.now(datetime.timezone.utc)
                         + datetime.timedelta(days=1, minutes=1)):
            file(world)


class TestPersonalData:
    def test_shown_to_the_requester_the_routed_department_and_the_authority(self, world):
        request = routed(world)
        email = world.users["requester"]["email"]
        for role in ("requester", "dept_editor", "dept_admin", "authority", "sysadmin"):
            shown = world.act(role, "request_show", id=request["id"])
            assert shown["user_email"] == email and shown["contact_phone"] == "13806320001"
        for role in ("anonymous", "citizen", "dept_member", "other_editor"):
            shown = world.act(role, "request_show", id=request["id"])
            assert not set(PERSONAL) & set(shown), role
            listed = world.act(role, "request_list")["results"][0]
            assert not set(PERSONAL) & set(listed), role
            assert "13806320001" not in str(listed) and email not in str(listed)

    def test_before_routing_only_the_requester_and_the_authority(self, world):
        request = file(world, organization_id=world.department["id"])
        assert "user_email" not in world.act("dept_editor", "request_show", id=request["id"])
        assert "user_email" in world.act("authority", "request_show", id=request["id"])


class TestSupport:
    def test_one_support_per_user_and_the_count(self, world):
        request = routed(world)
        assert world.act("citizen", "request_support", id=request["id"])["support_count"] == 1
        assert "id" in _errors(world.act, "citizen", "request_support", id=request["id"])
        shown = world.act("dept_member", "request_support", id=request["id"])
        assert shown["support_count"] == 2 and shown["supported"] is True
        assert world.act("anonymous", "request_show", id=request["id"])["support_count"] == 2

    def test_the_requester_cannot_support_even_as_sysadmin(self, world):
        request = file(world, "sysadmin")
        assert "id" in _errors(world.act, "sysadmin", "request_support", id=request["id"])


class TestHidingAndExport:
    def test_hiding_is_audited(self, world):
        request = routed(world)
        assert "reason" in _errors(world.act, "authority", "request_hide", id=request["id"],
                                   reason="")
        world.act("authority", "request_hide", id=request["id"], reason="广告内容")
        entry = model.Session.query(AuditEntry).filter_by(event="data_request_hide").one()
        assert entry.user_name == world.name("authority")
        assert entry.organization_id == world.department["id"]
        assert entry.detail == {"request_id": request["id"], "reason": "广告内容"}

    def test_export_by_department_keeps_formulas_as_text_and_names_nobody(self, world):
        routed(world, title="=HYPERLINK(\"http://evil\")停车数据")
        file(world, "citizen", title="另一个未分派的需求")
        result = world.act("authority", "request_export", format="csv",
                           organization_id=world.department["id"])
        assert result["count"] == 1
        text = base64.b64decode(result["content"]).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[1][0] == "'=HYPERLINK(\"http://evil\")停车数据"
        assert world.users["requester"]["email"] not in text
        assert "13806320001" not in text
        xlsx = world.act("authority", "request_export", format="xlsx")
        assert xlsx["count"] == 2 and xlsx["filename"] == "data-requests.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active
        titles = [sheet.cell(row=r, column=1) for r in (2, 3)]
        assert all(cell.data_type == "s" for cell in titles)
        assert "format" in _errors(world.act, "authority", "request_export", format="pdf")

