"""The pages of data requests through the test app: the whole flow from the public form to
the department's answer and back to the requester's mail; reading without logging in;
personal data kept off the pages of others."""
import pytest

import ckan.plugins.toolkit as tk

from tests.applications.mailbox import run_jobs
from tests.participation.demand.helpers import routed


def _url(endpoint, **kw):
    return tk.url_for(f"zaozhuang_participation.{endpoint}", **kw)


def test_the_whole_flow(web, mailbox):
    page = web.get("requester", _url("request_new"))
    assert page.status_code == 200 and 'for="field-title"' in page.body

    # A mistake comes back with what was typed.
    bad = web.post("requester", _url("request_new"), {
        "title": "", "description": "公交到站时间", "formats": ["CSV"]})
    assert bad.status_code == 200 and "公交到站时间" in bad.body
    assert web.act("requester", "request_list", scope="mine")["count"] == 0

    filed = web.post("requester", _url("request_new"), {
        "title": "枣庄市公交车辆实时到站数据", "description": "用于开发候车提醒应用",
        "organization_id": web.department["id"], "formats": ["CSV", "API"],
        "update_frequency": "realtime", "contact_phone": "13806320001"},
        follow_redirects=False)
    assert filed.status_code == 302
    request = web.act("requester", "request_list", scope="mine")["results"][0]
    assert request["proposed_organization_id"] == web.department["id"]

    routing = web.get("authority", _url("request_read", id=request["id"]))
    assert "zz-route-form" in routing.body
    web.post("authority", _url("request_step", id=request["id"], step="route"),
             {"organization_id": web.department["id"]})
    run_jobs()
    assert mailbox.to(web.users["dept_editor"]["email"])

    queue = web.get("dept_editor", _url("queue"))
    assert request["title"] in queue.body
    answering = web.get("dept_editor", _url("request_read", id=request["id"]))
    assert "zz-answer-form" in answering.body
    web.post("dept_editor", _url("request_step", id=request["id"], step="answer"),
             {"answer": "exists", "dataset_id": web.dataset["name"],
              "answer_text": "该数据已在目录中"})
    run_jobs()
    mail = mailbox.to(web.users["requester"]["email"])
    assert len(mail) == 1 and web.dataset["name"] in mailbox.body(mail[0])

    seen = web.get("requester", _url("request_read", id=request["id"]))
    assert "该数据已在目录中" in seen.body and web.dataset["title"] in seen.body


def test_anonymous_reads_but_is_sent_to_log_in_to_write(web):
    request = routed(web)
    listing = web.get("anonymous", _url("request_index"))
    assert listing.status_code == 200 and request["title"] in listing.body
    assert web.get("anonymous", _url("request_read", id=request["id"])).status_code == 200
    for response in (
            web.get("anonymous", _url("request_new"), follow_redirects=False),
            web.post("anonymous", _url("request_step", id=request["id"], step="support"), {},
                     follow_redirects=False)):
        assert response.status_code == 302 and "/user/login" in response.headers["Location"]
    assert web.act("anonymous", "request_show", id=request["id"])["support_count"] == 0


@pytest.mark.parametrize("role", ["anonymous", "citizen", "dept_member", "other_editor"])
def test_personal_data_stays_off_the_pages_of_others(web, role):
    request = routed(web)
    for url in (_url("request_read", id=request["id"]), _url("request_index")):
        body = web.get(role, url).body
        assert "13806320001" not in body
        assert web.users["requester"]["email"] not in body
        assert web.users["requester"]["fullname"] not in body
    assert "13806320001" in web.get("dept_admin", _url("request_read", id=request["id"])).body


def test_filters_search_and_overdue_mark(web):
    first = routed(web, title="枣庄市学校分布数据")
    routed(web, title="枣庄市景区客流量")
    found = web.get("anonymous", _url("request_index", q="学校")).body
    assert first["title"] in found and "景区客流量" not in found
    none = web.get("anonymous", _url("request_index", state="answered")).body
    assert first["title"] not in none
    # An unknown status is told, not a 500.
    assert web.get("anonymous", _url("request_index", state="lost")).status_code == 200


def test_the_export_page_is_the_authoritys(web):
    routed(web)
    assert "zz-export-form" in web.get("authority", _url("request_index")).body
    assert "zz-export-form" not in web.get("dept_admin", _url("request_index")).body
    response = web.get("authority", _url("request_export", fmt="xlsx",
                                          organization_id=web.department["id"]))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(
        f"data-requests-{web.department['name']}.xlsx")
    assert web.get("dept_admin", _url("request_export", fmt="csv")).status_code == 403


def test_a_hidden_request_is_gone_from_the_public_pages(web):
    request = routed(web)
    web.post("authority", _url("request_step", id=request["id"], step="hide"),
             {"reason": "广告"})
    assert web.get("citizen", _url("request_read", id=request["id"])).status_code == 404
    assert request["title"] not in web.get("anonymous", _url("request_index")).body
