"""The dashboard's sharing tiers, days overdue, working days to a decision, rejection reasons,
usage reports, ranking and month-by-month trends, checked against what the real actions did;
who sees which department, through real auth and on the page."""
import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access.model import Grant, now
from ckanext.zaozhuang.applications.model import Application
from ckanext.zaozhuang.schema import vocabularies
from tests.applications.world import world  # noqa: F401 (fixture)
from tests.factories import CatalogDataset


def _row(result, org):
    return next(row for row in result["departments"] if row["id"] == org["id"])


def _reject(world, reason):  # noqa: F811
    app = world.apply()
    world.act("applicant", "application_submit", id=app["id"])
    world.act("provider_admin", "application_reject", id=app["id"], reason=reason)
    return app


def _grant_of(world, app):  # noqa: F811
    return world.act("provider_admin", "grant_list", scope="review", application_id=app["id"])[0]


def _begun_days_ago(grant_id, days):
    grant = model.Session.get(Grant, grant_id)
    grant.valid_from = now() - datetime.timedelta(days=days)
    model.Session.commit()


@pytest.mark.usefixtures("with_request_context")
class TestFigures:
    def test_sharing_tiers_beside_the_opening_tiers(self, world):  # noqa: F811
        CatalogDataset(owner_org=world.provider["id"], share_category="none",
                       open_category="not_open", not_open_basis="涉及商业秘密")
        row = _row(world.act("authority", "supervision_figures"), world.provider)
        # The world's conditional dataset, its open one (shared unconditionally) and this one.
        assert (row["share_unconditional"], row["share_conditional"], row["share_none"]) == (
            1, 1, 1)
        assert row["share_rate"] == 0.6667
        assert (row["unconditional"], row["conditional"], row["not_open"]) == (1, 1, 1)

    def test_days_overdue(self, world):  # noqa: F811
        monthly = vocabularies.term("update_frequency", "monthly")["days"]
        today = datetime.date.today()
        expected = []
        for last in ("2020-01-01", "2024-06-30"):
            CatalogDataset(owner_org=world.provider["id"], last_updated=last)
            due = datetime.date.fromisoformat(last) + datetime.timedelta(days=monthly)
            expected.append((today - due).days)
        row = _row(world.act("authority", "supervision_figures"), world.provider)
        assert row["overdue"] == 2
        assert row["overdue_days"] == sum(expected)
        assert row["overdue_days_max"] == max(expected)
        assert row["overdue_days_average"] == round(sum(expected) / 2, 1)

    def test_working_days_to_a_decision(self, world):  # noqa: F811
        decided = [world.in_state("active"), world.in_state("rejected")]
        # Submitted on Monday 2 November 2026, decided a week later: five working days;
        # and a decision on the Friday after a Thursday submission: one.
        for app, (submitted, decision) in zip(decided, [
                ("2026-11-02", "2026-11-09"), ("2026-11-05", "2026-11-06")]):
            record = model.Session.get(Application, app["id"])
            record.submitted_at = datetime.datetime.fromisoformat(submitted + "T10:00:00+08:00")
            record.decided_at = datetime.datetime.fromisoformat(decision + "T10:00:00+08:00")
        model.Session.commit()
        row = _row(world.act("authority", "supervision_figures"), world.provider)
        assert (row["decisions_timed"], row["decision_working_days"]) == (2, 6)
        assert row["decision_working_days_average"] == 3.0

    def test_rejections_counted_by_reason(self, world):  # noqa: F811
        for reason in ("材料不全", " 材料不全 ", "用途与申请数据无关"):
            _reject(world, reason)
        result = world.act("authority", "supervision_figures")
        row = _row(result, world.provider)
        assert row["rejected"] == 3
        assert row["rejection_reasons"] == {"材料不全": 2, "用途与申请数据无关": 1}
        assert result["city"]["rejection_reasons"] == row["rejection_reasons"]

    def test_usage_reports_due_and_received(self, world):  # noqa: F811
        reported, silent, recent, revoked = (world.in_state(state) for state in (
            "active", "active", "active", "revoked"))
        for app in (reported, silent, revoked):
            _begun_days_ago(_grant_of(world, app)["id"], 120)
        world.act("applicant", "usage_report_create", grant_id=_grant_of(world, reported)["id"],
                  usage="信用模型训练", results="报告一份")
        world.act("applicant", "usage_report_create", grant_id=_grant_of(world, recent)["id"],
                  usage="试用", results="尚无")
        row = _row(world.act("authority", "supervision_figures"), world.provider)
        # Owed by the two grants begun 120 days ago and not revoked; the recent one owes
        # none yet, though its report counts among those received.
        assert (row["usage_reports_due"], row["usage_reports_received"],
                row["usage_reports"]) == (2, 1, 2)
        assert row["usage_report_rate"] == 0.5

    def test_ranking(self, world):  # noqa: F811
        # The other department: one entry, with data, open, shared, fresh: 100 on all rates.
        CatalogDataset(owner_org=world.other_department["id"], last_updated=str(
            datetime.date.today()), resources=[{"url": "http://example.com/a.csv",
                                                "name": "表", "format": "CSV"}])
        CatalogDataset(owner_org=world.provider["id"], last_updated="2020-01-01")
        ranking = world.act("authority", "supervision_figures")["ranking"]
        assert [(r["id"], r["rank"]) for r in ranking] == [
            (world.other_department["id"], 1), (world.provider["id"], 2)]
        assert ranking[0]["score"] == 100.0
        provider = ranking[1]
        rates = [provider[key] for key in ("with_data_rate", "open_rate", "share_rate",
                                           "on_time_rate") if provider[key] is not None]
        assert provider["score"] == round(100 * sum(rates) / len(rates), 1)

    def test_a_department_admin_sees_their_own_department(self, world):  # noqa: F811
        CatalogDataset(owner_org=world.other_department["id"])
        result = world.act("provider_admin", "supervision_figures")
        assert [r["id"] for r in result["departments"]] == [world.provider["id"]]
        assert [r["id"] for r in result["ranking"]] == [world.provider["id"]]
        assert "city" not in result


@pytest.mark.usefixtures("with_request_context")
class TestTrends:
    def test_this_months_activity(self, world):  # noqa: F811
        world.in_state("active")
        world.in_state("rejected")
        world.in_state("submitted")
        result = world.act("authority", "supervision_trends", months=3)
        month = datetime.date.today().strftime("%Y-%m")
        assert len(result["months"]) == 3 and result["months"][-1] == month
        series = {key: values[-1] for key, values in result["series"].items()}
        # The world's two entries; three applications submitted, two decided, one rejected.
        assert (series["datasets_created"], series["applications_received"],
                series["applications_decided"], series["applications_rejected"],
                series["grants_given"]) == (2, 3, 2, 1, 1)
        assert all(values[0] == 0 for values in result["series"].values())

    def test_a_department_admin_counts_their_own_department_only(self, world):  # noqa: F811
        CatalogDataset(owner_org=world.other_department["id"])
        own = world.act("provider_admin", "supervision_trends")
        assert own["series"]["datasets_created"][-1] == 2
        city = world.act("authority", "supervision_trends")
        assert city["series"]["datasets_created"][-1] == 3
        other = world.act("other_department", "supervision_trends")
        assert other["series"]["datasets_created"][-1] == 1
        with pytest.raises(tk.NotAuthorized):
            world.act("provider_admin", "supervision_trends",
                      organization_id=world.other_department["id"])

    @pytest.mark.parametrize("role", ["anonymous", "applicant", "provider_member",
                                      "provider_editor"])
    def test_no_one_else(self, world, role):  # noqa: F811
        with pytest.raises(tk.NotAuthorized):
            world.act(role, "supervision_trends")

    @pytest.mark.parametrize("months", [0, 37, -1, "x", ["3"], {"a": 1}, "9" * 400])
    def test_bad_months(self, world, months):  # noqa: F811
        with pytest.raises(tk.ValidationError) as raised:
            world.act("authority", "supervision_trends", months=months)
        assert "months" in raised.value.error_dict

    def test_a_deleted_dataset_is_no_new_entry(self, world):  # noqa: F811
        removed = CatalogDataset(owner_org=world.provider["id"])
        call_action("package_delete", world.context("provider_admin"), id=removed["id"])
        result = world.act("provider_admin", "supervision_trends", months=1)
        assert result["series"]["datasets_created"] == [2]


class TestPage:
    def _page(self, world, app, role):  # noqa: F811
        token = call_action("api_token_create", user=world.name(role), name="监督")["token"]
        response = app.get("/supervision", headers={"Authorization": token})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def test_the_authority_sees_every_table(self, world, app):  # noqa: F811
        _reject(world, "材料不全")
        CatalogDataset(owner_org=world.other_department["id"])
        body = self._page(world, app, "authority")
        for heading in ("部门排名", "更新及时性", "驳回原因", "利用情况反馈", "按月统计",
                        "无条件共享", "平均决定用时"):
            assert heading in body, heading
        assert "材料不全" in body
        assert world.other_department["title"] in body
        assert datetime.date.today().strftime("%Y-%m") in body
        assert 'data-module="zz-supervision-trend"' in body

    def test_a_department_admin_sees_only_their_own(self, world, app):  # noqa: F811
        CatalogDataset(owner_org=world.other_department["id"])
        body = self._page(world, app, "provider_admin")
        assert world.provider["title"] in body
        assert world.other_department["title"] not in body
        assert "全市合计" not in body
