"""Grants created by signing: the access policy honours them only inside their period and
until revoked; usage reports during the grant."""
import datetime

import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import AuditEntry
from tests.applications.world import today


def _decision(world, role="applicant"):
    return policy.data_decision(world.name(role), model.Package.get(world.dataset["id"]))


def _utc(day: datetime.date, hour: int) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00"


class TestPeriod:
    def test_a_grant_refuses_access_outside_its_period(self, world):
        start = today() + datetime.timedelta(days=10)
        end = start + datetime.timedelta(days=29)
        app = world.in_state("active", period_start=start.isoformat(),
                             period_end=end.isoformat())
        grant = world.act("applicant", "grant_list", application_id=app["id"])[0]
        assert grant["status"] == "pending"
        assert _decision(world).reason == "no_grant"  # not yet
        # Local (Beijing) days: the grant runs from 00:00 on the first to 24:00 on the last.
        day_before = start - datetime.timedelta(days=1)
        with freeze_time(_utc(day_before, 15)):  # 23:00 Beijing time, the day before
            assert not _decision(world).allowed
        with freeze_time(_utc(day_before, 16)):  # 00:00 Beijing time on the first day
            assert _decision(world).allowed
        with freeze_time(_utc(end, 15)):  # 23:00 on the last day
            assert _decision(world).allowed
        with freeze_time(_utc(end, 16)):  # the next day: expired without any job
            assert not _decision(world).allowed
            shown = world.act("applicant", "application_show", id=app["id"])
            assert shown["effective_state"] == "expired"

    def test_revocation_refuses_at_once(self, world):
        app = world.in_state("active")
        assert _decision(world).allowed
        grant = world.act("applicant", "grant_list", application_id=app["id"])[0]
        world.act("provider_editor", "grant_revoke", id=grant["id"], reason="超范围使用")
        assert _decision(world).reason == "no_grant"
        with pytest.raises(tk.ValidationError):
            world.act("provider_admin", "grant_revoke", id=grant["id"], reason="再次撤销")

    def test_revocation_needs_a_reason(self, world):
        app = world.in_state("active")
        grant = world.act("applicant", "grant_list", application_id=app["id"])[0]
        with pytest.raises(tk.ValidationError) as error:
            world.act("provider_admin", "grant_revoke", id=grant["id"], reason=" ")
        assert "reason" in error.value.error_dict
        assert _decision(world).allowed

    def test_decisions_are_in_the_audit_log(self, world):
        app = world.in_state("revoked")
        events = [e.event for e in model.Session.query(AuditEntry)
                  .filter(AuditEntry.dataset_id == world.dataset["id"])
                  .order_by(AuditEntry.created)]
        assert events == ["application_approve", "agreement_sign", "grant_revoke"]
        assert all(e.detail["application_id"] == app["id"]
                   for e in model.Session.query(AuditEntry))


class TestLists:
    def test_grant_lists_by_scope(self, world):
        app = world.in_state("active")
        assert [g["application_id"] for g in world.act("applicant", "grant_list")] == [app["id"]]
        assert world.act("other_user", "grant_list") == []
        assert len(world.act("provider_editor", "grant_list", scope="review")) == 1
        assert world.act("other_department", "grant_list", scope="review") == []
        assert len(world.act("authority", "grant_list", scope="review")) == 1


class TestUsageReports:
    def test_holder_reports_and_provider_reads(self, world):
        app = world.in_state("active")
        grant = world.act("applicant", "grant_list", application_id=app["id"])[0]
        with pytest.raises(tk.ValidationError) as error:
            world.act("applicant", "usage_report_create", grant_id=grant["id"], usage="",
                      results="r")
        assert set(error.value.error_dict) == {"usage"}
        world.act("applicant", "usage_report_create", grant_id=grant["id"],
                  usage="信用模型训练", results="报告一份", benefits="降低坏账率",
                  problems="部分记录缺少统一社会信用代码")
        for role, scope in (("applicant", "mine"), ("provider_admin", "review"),
                            ("authority", "review")):
            reports = world.act(role, "usage_report_list", grant_id=grant["id"], scope=scope)
            assert [r["problems"] for r in reports] == ["部分记录缺少统一社会信用代码"], role
        assert world.act("other_department", "usage_report_list", scope="review") == []


@pytest.mark.ckan_config("ckanext.zaozhuang.applications.reviewer_roles", "admin")
def test_reviewer_roles_are_configurable(world):
    app = world.in_state("submitted")
    with pytest.raises(tk.NotAuthorized):
        world.act("provider_editor", "application_approve", id=app["id"])
    assert world.act("provider_admin", "application_approve", id=app["id"])["state"] == "approved"
