"""The application lifecycle through the real actions, from draft to grant and back."""
import datetime

import pytest
from freezegun import freeze_time

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.applications import lifecycle


def _decision(world, role="applicant", resource_id=None):
    return policy.data_decision(world.name(role), model.Package.get(world.dataset["id"]),
                                resource_id)


class TestWholeLifecycle:
    def test_from_draft_to_revoked_grant(self, world):
        app = world.apply()
        assert app["state"] == "draft"
        assert app["kind"] == "open"
        assert app["provider_id"] == world.provider["id"]
        assert app["applicant"]["entity_name"] == "枣庄示例科技有限公司"

        app = world.act("applicant", "application_submit", id=app["id"])
        assert app["state"] == "submitted"
        assert app["form_check_due"] and app["decision_due"]

        app = world.act("provider_editor", "application_return", id=app["id"],
                        reason="请补充安全保障措施的具体说明")
        assert app["state"] == "returned"

        app = world.act("applicant", "application_update", id=app["id"],
                        **world.application_data(security_measures="等保三级机房,双人审批"))
        assert app["security_measures"] == "等保三级机房,双人审批"
        app = world.act("applicant", "application_submit", id=app["id"])
        assert app["state"] == "submitted"

        assert not _decision(world).allowed
        app = world.act("provider_admin", "application_approve", id=app["id"])
        assert app["state"] == "approved"
        # Approval alone gives no access: only the signed agreement does.
        assert _decision(world).reason == "no_grant"

        agreement = world.act("applicant", "agreement_show", application_id=app["id"])
        assert "枣庄示例科技有限公司" in agreement["text"]
        assert "企业信用风险评估模型训练" in agreement["text"]
        assert agreement["signed_at"] is None
        signed = world.sign(app["id"])
        assert signed["signed_by"] == world.users["applicant"]["id"]
        assert signed["template_version"] == 1
        assert signed["grant_id"]

        decision = _decision(world)
        assert decision.allowed and decision.reason == "open_grant"
        assert decision.grant_id == signed["grant_id"]
        assert not _decision(world, "other_user").allowed

        app = world.act("applicant", "application_show", id=app["id"])
        assert app["state"] == "active"
        assert [(e["action"], e["from_state"], e["to_state"]) for e in app["events"]] == [
            ("create", None, "draft"),
            ("submit", "draft", "submitted"),
            ("return", "submitted", "returned"),
            ("update", "returned", "returned"),
            ("resubmit", "returned", "submitted"),
            ("approve", "submitted", "approved"),
            ("sign", "approved", "active"),
        ]
        returned = app["events"][2]
        assert returned["actor_name"] == world.name("provider_editor")
        assert returned["reason"] == "请补充安全保障措施的具体说明"
        assert returned["created"]

        world.act("applicant", "usage_report_create", grant_id=signed["grant_id"],
                  usage="用于模型训练", results="完成评估报告")
        reports = world.act("provider_editor", "usage_report_list", scope="review")
        assert [r["usage"] for r in reports] == ["用于模型训练"]

        grant = world.act("authority", "grant_revoke", id=signed["grant_id"], reason="违规转让数据")
        assert grant["status"] == "revoked"
        assert grant["revoke_reason"] == "违规转让数据"
        assert not _decision(world).allowed
        app = world.act("applicant", "application_show", id=app["id"])
        assert app["state"] == "revoked"
        assert app["events"][-1]["reason"] == "违规转让数据"
        assert app["events"][-1]["actor_name"] == world.name("authority")

    def test_rejection_needs_a_reason(self, world):
        app = world.in_state("submitted")
        with pytest.raises(tk.ValidationError) as error:
            world.act("provider_admin", "application_reject", id=app["id"], reason="  ")
        assert "reason" in error.value.error_dict
        assert world.act("applicant", "application_show", id=app["id"])["state"] == "submitted"
        app = world.act("provider_admin", "application_reject", id=app["id"], reason="用途不明确")
        assert app["state"] == "rejected"
        assert app["decision_reason"] == "用途不明确"

    def test_withdraw_before_a_decision(self, world):
        app = world.in_state("submitted")
        app = world.act("applicant", "application_withdraw", id=app["id"])
        assert app["state"] == "withdrawn"

    def test_share_application_of_a_department_grants_the_department(self, world):
        app = world.apply("other_department", applicant_type="department",
                          organization_id=world.other_department["name"])
        assert app["kind"] == "share"
        assert app["organization_id"] == world.other_department["id"]
        world.act("other_department", "application_submit", id=app["id"])
        world.act("provider_admin", "application_approve", id=app["id"])
        signed = world.sign(app["id"], role="other_department")
        grant = world.act("other_department", "grant_list", application_id=app["id"])[0]
        assert grant["kind"] == "share"
        assert grant["organization_id"] == world.other_department["id"]
        assert grant["user_id"] is None
        decision = _decision(world, "other_department")
        assert decision.allowed and decision.reason == "share_grant"
        assert decision.grant_id == signed["grant_id"]


class TestIllegalTransitions:
    ACTIONS = ("submit", "withdraw", "return", "approve", "reject", "sign", "revoke")
    ALLOWED = {
        "draft": {"submit", "withdraw"},
        "submitted": {"withdraw", "return", "approve", "reject"},
        "returned": {"submit", "withdraw"},
        "withdrawn": set(),
        "approved": {"sign"},
        "rejected": set(),
        "active": {"revoke"},
        "revoked": set(),
    }

    def _attempt(self, world, app, action):
        if action == "sign":
            return world.act("applicant", "agreement_sign", application_id=app["id"],
                             text_sha256="0" * 64, accept=True)
        if action == "revoke":
            grant = world.act("provider_admin", "grant_list", scope="review",
                              application_id=app["id"])[0]
            return world.act("provider_admin", "grant_revoke", id=grant["id"], reason="x")
        role = "applicant" if lifecycle.TRANSITIONS[action].by == "applicant" else "provider_admin"
        return world.act(role, f"application_{action}", id=app["id"], reason="理由")

    @pytest.mark.parametrize("state", list(ALLOWED))
    def test_every_action_not_allowed_is_refused_with_409(self, world, state):
        app = world.in_state(state)
        for action in self.ACTIONS:
            if action in self.ALLOWED[state]:
                continue
            if action == "revoke" and state != "revoked":
                continue  # grants exist only once signed: before that there is nothing to revoke
            with pytest.raises(tk.ValidationError):
                self._attempt(world, app, action)
            after = world.act("applicant", "application_show", id=app["id"])
            assert after["state"] == state, action

    def test_expired_grant_can_no_longer_be_signed_or_revoked(self, world):
        app = world.in_state("active")
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=120)
        with freeze_time(later):
            shown = world.act("applicant", "application_show", id=app["id"])
            assert shown["effective_state"] == "expired"
            grant = world.act("provider_admin", "grant_list", scope="review")[0]
            assert grant["status"] == "expired"
            with pytest.raises(tk.ValidationError):
                world.act("provider_admin", "grant_revoke", id=grant["id"], reason="x")
            with pytest.raises(tk.ValidationError):
                world.act("applicant", "usage_report_create", grant_id=grant["id"],
                          usage="u", results="r")
            assert not _decision(world).allowed

    def test_editing_after_submission_is_refused(self, world):
        app = world.in_state("submitted")
        with pytest.raises(tk.ValidationError) as error:
            world.act("applicant", "application_update", id=app["id"],
                      **world.application_data())
        assert "state" in error.value.error_dict

    def test_a_changed_text_cannot_be_signed(self, world):
        app = world.in_state("approved")
        with pytest.raises(tk.ValidationError) as error:
            world.act("applicant", "agreement_sign", application_id=app["id"],
                      text_sha256="0" * 64, accept=True)
        assert "text_sha256" in error.value.error_dict
        assert world.act("applicant", "application_show", id=app["id"])["state"] == "approved"
