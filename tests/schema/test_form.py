"""The web form of a dataset obeys the same rules as the API, and answers in Chinese."""
import re

import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import Department


def _csrf(page: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_form_shows_field_errors_in_chinese_and_keeps_the_input(app):
    editor = factories.User()
    department = Department(name="zz-jtysj", provider_code="11370400MB28531020",
                            users=[{"name": editor["name"], "capacity": "editor"}])
    token = call_action("api_token_create", {"user": editor["name"]}, user=editor["name"],
                        name="form")["token"]
    headers = {"Authorization": token}
    form = app.get("/dataset/new", headers=headers)
    assert form.status_code == 200
    fields = {
        "_csrf_token": _csrf(form.get_data(as_text=True)), "save": "continue",
        "title": "市中区公交站点", "name": "zz-form-test", "owner_org": department["id"],
        "catalog_code": "11370400MB28531020-00300", "notes": "站点位置",
        "domain": "transport", "data_level": "core", "open_category": "conditional",
        "share_category": "unconditional", "personal_info": "no",
        "update_frequency": "monthly", "contact_name": "王静", "contact_phone": "12345",
        "temporal_start": "2026-06-01", "temporal_end": "2026-01-01",
    }
    response = app.post("/dataset/new", data=fields, headers=headers)
    assert response.status_code == 200  # the form again, never a 500
    page = response.get_data(as_text=True)
    for message in ("0632", "核心数据", "开放属性为“有条件开放”时必填", "不得早于时间范围起"):
        assert message in page, message
    assert "市中区公交站点" in page  # what was typed is kept
    assert call_action("package_search", q="公交")["count"] == 0  # nothing half-written

    fields.update(data_level="general", contact_phone="0632-3317001", temporal_end="2026-12-31",
                  open_conditions="签署数据利用协议")
    response = app.post("/dataset/new", data=fields, headers=headers, follow_redirects=False)
    assert response.status_code == 302
    assert call_action("package_show", id="zz-form-test")["open_category"] == "conditional"
