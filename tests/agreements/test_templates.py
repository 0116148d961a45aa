"""Agreement templates: versions, department templates, placeholders, and signed texts that
never change."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.agreements import text


def _templates(world, **data):
    return world.act("anonymous", "agreement_template_list", **data)


class TestTemplates:
    def test_update_adds_a_version(self, world):
        portal = _templates(world)[0]
        assert portal["version"] == 1 and portal["organization_id"] is None
        second = world.act("authority", "agreement_template_update", id=portal["id"],
                           title="数据利用协议(2027版)", body="${provider}与${applicant}:${purpose}")
        assert second["version"] == 2
        assert [t["version"] for t in _templates(world)] == [2]
        assert [t["version"] for t in _templates(world, all_versions=True)] == [2, 1]

    def test_a_second_create_in_the_same_scope_is_refused(self, world):
        with pytest.raises(tk.ValidationError) as error:
            world.act("authority", "agreement_template_create", title="x", body="y")
        assert "organization_id" in error.value.error_dict

    def test_unknown_placeholders_are_refused(self, world):
        with pytest.raises(tk.ValidationError) as error:
            world.act("provider_admin", "agreement_template_create",
                      organization_id=world.provider["id"], title="部门协议",
                      body="${provider} ${nonsense}")
        assert "nonsense" in error.value.error_dict["body"][0]
        with pytest.raises(tk.ValidationError):
            world.act("provider_admin", "agreement_template_create",
                      organization_id=world.provider["id"], title="部门协议", body="费用 $ 100")

    def test_every_placeholder_renders(self, world):
        body = "\n".join(f"{name}=${{{name}}}" for name in text.PLACEHOLDERS)
        world.act("provider_admin", "agreement_template_create",
                  organization_id=world.provider["id"], title="全部占位符", body=body)
        app = world.in_state("approved")
        rendered = world.act("applicant", "agreement_show", application_id=app["id"])["text"]
        assert "$" not in rendered
        assert f"application_id={app['id']}" in rendered
        assert "provider=枣庄市市场监督管理局" in rendered
        assert "applicant=枣庄示例科技有限公司" in rendered

    def test_department_template_is_preferred(self, world):
        world.act("provider_admin", "agreement_template_create",
                  organization_id=world.provider["id"], title="市场监管局数据利用协议",
                  body="甲方${provider},乙方${applicant}")
        app = world.in_state("approved")
        agreement = world.act("applicant", "agreement_show", application_id=app["id"])
        assert agreement["title"] == "市场监管局数据利用协议"
        assert agreement["text"] == "甲方枣庄市市场监督管理局,乙方枣庄示例科技有限公司"

    def test_changing_a_template_never_changes_a_signed_agreement(self, world):
        app = world.in_state("active")
        before = world.act("applicant", "agreement_show", application_id=app["id"])
        portal = _templates(world)[0]
        world.act("authority", "agreement_template_update", id=portal["id"], title="新版",
                  body="全新的文本 ${applicant}")
        after = world.act("applicant", "agreement_show", application_id=app["id"])
        assert after["text"] == before["text"]
        assert after["text_sha256"] == text.sha256(before["text"])
        assert after["template_version"] == 1
        # A new approval uses the new version.
        later = world.in_state("approved")
        assert world.act("applicant", "agreement_show",
                         application_id=later["id"])["template_version"] == 2
