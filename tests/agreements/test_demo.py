"""The demo's agreement template and enterprise applicant."""
import pytest

from ckan.tests.helpers import call_action

from ckanext.zaozhuang.agreements import demo


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_demo_template_and_applicant_are_created_once(ckan_config, tmp_path, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    demo.load_templates()
    demo.load_templates()
    templates = call_action("zaozhuang_agreement_template_list", all_versions=True)
    assert [(t["title"], t["version"]) for t in templates] == [(demo.SAMPLE_TITLE, 1)]
    profile = call_action("zaozhuang_applicant_profile_show", {"user": demo.DEMO_APPLICANT})
    assert profile["applicant_type"] == "enterprise"
    assert (tmp_path / "demo_enterprise_password").stat().st_mode & 0o777 == 0o600
