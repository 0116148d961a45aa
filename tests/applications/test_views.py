"""The pages of the whole flow, through the test app; and the API's answers to illegal or
unauthorised steps (409 / 403, never 500)."""
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_action



@pytest.fixture
def web(world, app):
    tokens = {}

    def headers(role):
        if role == "anonymous":
            return {}
        if role not in tokens:
            name = world.name(role)
            tokens[role] = call_action("api_token_create", {"user": name}, user=name,
                                       name="test")["token"]
        return {"Authorization": tokens[role]}

    def get(role, url, **kw):
        return app.get(url, headers=headers(role), **kw)

    def post(role, url, data, **kw):
        return app.post(url, data=data, headers=headers(role), **kw)

    world.get, world.post = get, post
    return world


def _form(world, **overrides):
    data = world.application_data(**overrides)
    data["pledge_accepted"] = "true" if data.pop("pledge_accepted") else ""
    data.pop("dataset_id")
    return data


def _url(endpoint, **kw):
    return tk.url_for(f"zaozhuang_applications.{endpoint}", **kw)


class TestPages:
    def test_the_whole_flow(self, web):
        dataset = web.dataset["name"]
        page = web.get("applicant", _url("apply", id=dataset))
        assert page.status_code == 200
        assert 'id="zz-apply-form"' in page.body

        # A mistake: what was typed comes back with the messages.
        bad = web.post("applicant", _url("apply", id=dataset),
                       _form(web, credit_code="91370400MA3C123450", purpose="",
                             scenario="给小微企业授信的场景"), follow_redirects=False)
        assert bad.status_code == 200
        assert "给小微企业授信的场景" in bad.body
        assert "91370400MA3C123450" in bad.body
        assert "GB 32100-2015" in bad.body
        assert web.act("applicant", "application_list")["count"] == 0

        sent = web.post("applicant", _url("apply", id=dataset),
                        dict(_form(web), submit="submit"), follow_redirects=False)
        assert sent.status_code == 302
        application = web.act("applicant", "application_list")["results"][0]
        assert application["state"] == "submitted"

        mine = web.get("applicant", _url("mine"))
        assert application["id"] in mine.body
        read = web.get("applicant", _url("read", id=application["id"]))
        assert 'data-action="submit"' in read.body

        queue = web.get("provider_editor", _url("queue"))
        assert application["id"] in queue.body
        assert application["id"] not in web.get("provider_editor",
                                                 _url("queue") + "?filter=overdue").body
        assert web.get("other_user", _url("read", id=application["id"])).status_code == 403
        assert web.get("applicant", _url("decide", id=application["id"])).status_code == 403

        # A return needs a reason: the page says so and nothing changes.
        no_reason = web.post("provider_admin", _url("decide", id=application["id"]),
                             {"decision": "return", "reason": ""})
        assert no_reason.status_code == 200
        assert web.act("applicant", "application_show", id=application["id"])["state"] == "submitted"
        decided = web.post("provider_admin", _url("decide", id=application["id"]),
                           {"decision": "approve", "reason": "同意"}, follow_redirects=False)
        assert decided.status_code == 302

        agreement_page = web.get("applicant", _url("agreement", id=application["id"]))
        assert 'id="zz-sign-form"' in agreement_page.body
        assert "枣庄示例科技有限公司" in agreement_page.body
        agreement = web.act("applicant", "agreement_show", application_id=application["id"])
        signed = web.post("applicant", _url("agreement", id=application["id"]),
                          {"text_sha256": agreement["text_sha256"], "accept": "true"},
                          follow_redirects=False)
        assert signed.status_code == 302
        agreement = web.act("applicant", "agreement_show", application_id=application["id"])
        assert agreement["signed_at"] and agreement["client_address"] == "127.0.0.1"

        printable = web.get("applicant", _url("agreement_print", id=application["id"]))
        assert agreement["text_sha256"] in printable.body
        assert 'class="zz-signature"' in printable.body

        grants = web.get("applicant", _url("grants"))
        grant = web.act("applicant", "grant_list")[0]
        assert grant["id"] in grants.body
        report = web.post("applicant", _url("reports", id=grant["id"]),
                          {"usage": "建模分析", "results": "完成报告"}, follow_redirects=False)
        assert report.status_code == 302
        assert "建模分析" in web.get("provider_admin", _url("reports", id=grant["id"])).body
        assert web.get("other_user", _url("reports", id=grant["id"])).status_code == 403

        revoked = web.post("provider_admin", _url("revoke", id=grant["id"]),
                           {"reason": "违反协议"}, follow_redirects=False)
        assert revoked.status_code == 302
        assert web.act("applicant", "application_show", id=application["id"])["state"] == "revoked"

    def test_anonymous_visitors_are_asked_to_log_in(self, web):
        page = web.get("anonymous", _url("apply", id=web.dataset["name"]),
                       follow_redirects=False)
        assert page.status_code == 302
        assert "/user/login" in page.headers["Location"]

    def test_non_conditional_dataset_form_says_why(self, web):
        page = web.post("applicant", _url("apply", id=web.open_dataset["name"]), _form(web))
        assert page.status_code == 200
        assert 'id="zz-apply-form"' in page.body
        # In whichever language the catalog gives.
        assert ("Only conditionally open datasets accept applications" in page.body
                or "只有有条件开放的数据资源可以申请" in page.body)
        assert web.act("applicant", "application_list")["count"] == 0

    def test_draft_edit_and_withdraw(self, web):
        draft = web.apply()
        page = web.get("applicant", _url("edit", id=draft["id"]))
        assert draft["purpose"] in page.body
        web.post("applicant", _url("edit", id=draft["id"]), _form(web, purpose="新的用途"))
        assert web.act("applicant", "application_show", id=draft["id"])["purpose"] == "新的用途"
        web.post("applicant", _url("step", id=draft["id"], step="withdraw"), {})
        assert web.act("applicant", "application_show", id=draft["id"])["state"] == "withdrawn"
        # Withdrawing twice is refused with a message, not an error page.
        again = web.post("applicant", _url("step", id=draft["id"], step="withdraw"), {},
                         follow_redirects=False)
        assert again.status_code == 302


class TestSnippets:
    def test_apply_button_only_on_conditional_datasets(self, web, test_request_context):
        with test_request_context():
            conditional = tk.render_snippet("zaozhuang/snippets/apply_button.html",
                                            {"pkg": web.dataset})
            unconditional = tk.render_snippet("zaozhuang/snippets/apply_button.html",
                                              {"pkg": web.open_dataset})
        assert _url("apply", id=web.dataset["name"]) in conditional
        assert "zz-apply" not in unconditional


class TestApiStatus:
    def test_illegal_and_unauthorised_steps(self, web, app):
        application = web.in_state("approved")
        api = "/api/3/action/zaozhuang_application_approve"
        assert web.post("provider_admin", api, {"id": application["id"]}).status_code == 409
        assert web.post("applicant", api, {"id": application["id"]}).status_code == 403
        assert web.post("other_user", "/api/3/action/zaozhuang_agreement_sign",
                        {"application_id": application["id"]}).status_code == 403
        missing = web.post("provider_admin", api, {"id": "nope"})
        assert missing.status_code == 404
        assert web.post("applicant", "/api/3/action/zaozhuang_application_create",
                        {"dataset_id": web.open_dataset["id"]}).status_code == 409
