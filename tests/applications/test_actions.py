"""Application input, applicant profiles, renewals and lists through the real actions."""
import datetime

import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.agreements.model import AgreementTemplate
from ckanext.zaozhuang.applications.model import Application
from tests.applications.world import credit_code, today
from tests.factories import CatalogDataset


def _errors(world, role="applicant", **overrides):
    with pytest.raises(tk.ValidationError) as error:
        world.apply(role, **overrides)
    return error.value.error_dict


class TestInput:
    def test_only_conditional_datasets_accept_applications(self, world):
        errors = _errors(world, dataset_id=world.open_dataset["id"])
        assert list(errors) == ["dataset_id"]
        assert _errors(world, dataset_id="no-such-dataset") == {
            "dataset_id": ["Dataset not found"]}

    def test_department_applications_need_conditional_sharing(self, world):
        shared_openly = CatalogDataset(owner_org=world.provider["id"], open_category="conditional",
                                       open_conditions="签署协议")
        errors = _errors(world, "other_department", dataset_id=shared_openly["id"],
                         applicant_type="department",
                         organization_id=world.other_department["id"])
        assert list(errors) == ["dataset_id"]

    def test_department_applicant_must_be_a_member(self, world):
        errors = _errors(world, "applicant", applicant_type="department",
                         organization_id=world.other_department["id"])
        assert list(errors) == ["organization_id"]

    def test_the_provider_itself_need_not_apply(self, world):
        errors = _errors(world, "provider_admin", applicant_type="department",
                         organization_id=world.provider["id"])
        assert list(errors) == ["organization_id"]

    def test_credit_code_check_character(self, world):
        good = credit_code()
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        assert list(_errors(world, credit_code=bad)) == ["credit_code"]

    def test_identity_fields_of_each_applicant_type(self, world):
        errors = _errors(world, applicant_type="individual", real_name="", phone="")
        assert set(errors) == {"real_name", "phone"}
        errors = _errors(world, applicant_type="enterprise", entity_name="", contact_phone="123")
        assert set(errors) == {"entity_name", "contact_phone"}
        assert set(_errors(world, applicant_type="robot")) == {"applicant_type"}

    def test_a_period_in_year_9999_is_refused_and_lists_stay_readable(self, world):
        errors = _errors(world, period_start="9999-12-30", period_end="9999-12-31")
        assert {"period_start", "period_end"} & set(errors)
        assert world.act("applicant", "application_list", scope="mine") is not None

    def test_period_rules(self, world):
        start = today()
        assert set(_errors(world, period_start=(start - datetime.timedelta(days=1)).isoformat(),
                           period_end=start.isoformat())) == {"period_start"}
        assert set(_errors(world, period_end=(start - datetime.timedelta(days=1)).isoformat())
                   ) == {"period_end"}
        assert set(_errors(world, period_end=(start + datetime.timedelta(days=365)).isoformat())
                   ) == {"period_end"}
        assert set(_errors(world, period_start="2026-13-01")) == {"period_start"}

    @pytest.mark.ckan_config("ckanext.zaozhuang.applications.max_grant_days", 30)
    def test_longest_period_is_configurable(self, world):
        start = today()
        errors = _errors(world, period_end=(start + datetime.timedelta(days=30)).isoformat())
        assert errors == {"period_end": ["The period may last at most 30 days"]}

    def test_pledge_must_be_accepted(self, world):
        assert set(_errors(world, pledge_accepted=False)) == {"pledge_accepted"}
        data = world.application_data()
        del data["pledge_accepted"]
        with pytest.raises(tk.ValidationError) as error:
            world.act("applicant", "application_create", **data)
        assert set(error.value.error_dict) == {"pledge_accepted"}

    def test_required_texts(self, world):
        errors = _errors(world, purpose="", scenario=" ", security_measures="",
                         expected_results="")
        assert set(errors) == {"purpose", "scenario", "security_measures", "expected_results"}

    def test_bad_input_leaves_nothing_written(self, world):
        _errors(world, purpose="")
        _errors(world, dataset_id=world.open_dataset["id"])
        assert model.Session.query(Application).count() == 0

    def test_some_resources_only(self, world):
        first, second = (r["id"] for r in world.dataset["resources"])
        assert set(_errors(world, resource_ids=[first, "other"])) == {"resource_ids"}
        app = world.in_state("active", resource_ids=[first])
        assert app["resource_ids"] == [first]
        dataset = model.Package.get(world.dataset["id"])
        assert policy.data_decision(world.name("applicant"), dataset, first).allowed
        assert not policy.data_decision(world.name("applicant"), dataset, second).allowed
        agreement = world.act("applicant", "agreement_show", application_id=app["id"])
        assert "信用评价结果" in agreement["text"] and "失信记录" not in agreement["text"]

    def test_approval_without_any_template_is_refused(self, world):
        model.Session.query(AgreementTemplate).delete()
        model.repo.commit()
        app = world.in_state("submitted")
        with pytest.raises(tk.ValidationError) as error:
            world.act("provider_admin", "application_approve", id=app["id"])
        assert "template" in error.value.error_dict
        assert world.act("applicant", "application_show", id=app["id"])["state"] == "submitted"


class TestProfiles:
    def test_profile_is_kept_and_reused(self, world):
        world.apply()
        profile = world.act("applicant", "applicant_profile_show")
        assert profile["applicant_type"] == "enterprise"
        assert profile["credit_code"] == credit_code()
        data = world.application_data()
        for field in ("applicant_type", "entity_name", "credit_code", "contact_name",
                      "contact_phone", "contact_email"):
            del data[field]
        app = world.act("applicant", "application_create", **data)
        assert app["applicant_type"] == "enterprise"
        assert app["applicant"]["entity_name"] == "枣庄示例科技有限公司"

    def test_profile_update_validates(self, world):
        with pytest.raises(tk.ValidationError) as error:
            world.act("applicant", "applicant_profile_update", applicant_type="individual",
                      real_name="李雷", phone="12345")
        assert set(error.value.error_dict) == {"phone"}
        profile = world.act("applicant", "applicant_profile_update",
                            applicant_type="individual", real_name="李雷", phone="13906321234")
        assert profile["real_name"] == "李雷"
        assert world.act("applicant", "applicant_profile_show")["phone"] == "13906321234"

    def test_a_new_user_has_no_profile_yet(self, world):
        assert world.act("other_user", "applicant_profile_show")["applicant_type"] is None

    def test_submitted_application_keeps_its_identity(self, world):
        app = world.in_state("submitted")
        world.act("applicant", "applicant_profile_update", applicant_type="individual",
                  real_name="李雷", phone="13906321234")
        shown = world.act("applicant", "application_show", id=app["id"])
        assert shown["applicant_type"] == "enterprise"


class TestRenewal:
    def test_renewal_is_a_prefilled_draft_for_the_next_period(self, world):
        previous = world.in_state("active")
        renewal = world.act("applicant", "application_renew", id=previous["id"])
        assert renewal["state"] == "draft"
        assert renewal["renewal_of"] == previous["id"]
        assert renewal["purpose"] == previous["purpose"]
        end = datetime.date.fromisoformat(previous["period_end"])
        assert renewal["period_start"] == (end + datetime.timedelta(days=1)).isoformat()
        assert renewal["events"][0]["action"] == "renew"

    def test_only_active_or_expired_grants_are_renewed(self, world):
        app = world.in_state("rejected")
        with pytest.raises(tk.ValidationError):
            world.act("applicant", "application_renew", id=app["id"])

    def test_expired_grant_renews_from_today(self, world):
        previous = world.in_state("active")
        later = today() + datetime.timedelta(days=200)
        with freeze_time(later.isoformat() + " 04:00:00"):
            renewal = world.act("applicant", "application_renew", id=previous["id"])
        assert renewal["period_start"] == later.isoformat()


class TestLists:
    def test_scopes(self, world):
        mine = world.in_state("submitted")
        world.in_state("draft")
        other = world.apply("other_user")
        assert world.act("applicant", "application_list")["count"] == 2
        assert [a["id"] for a in world.act("other_user", "application_list")["results"]] == [
            other["id"]]
        queue = world.act("provider_editor", "application_list", scope="review")
        assert [a["id"] for a in queue["results"]] == [mine["id"]]  # drafts stay private
        assert world.act("other_department", "application_list", scope="review")["count"] == 0
        pending = world.act("authority", "application_list", scope="review", filter="pending")
        assert [a["id"] for a in pending["results"]] == [mine["id"]]
        world.act("provider_editor", "application_return", id=mine["id"], reason="补充")
        returned = world.act("provider_admin", "application_list", scope="review",
                             filter="returned")
        assert [a["id"] for a in returned["results"]] == [mine["id"]]
