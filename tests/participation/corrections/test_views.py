"""The pages of error reports: the 纠错 button and form on the dataset page, the public list,
the provider's answer, and what anonymous visitors and others may see."""
import ckan.plugins.toolkit as tk

from tests.applications.mailbox import run_jobs
from tests.participation.corrections.helpers import private_dataset, report


def _url(endpoint, **kw):
    return tk.url_for(f"zaozhuang_participation.{endpoint}", **kw)


def test_from_the_dataset_page_to_the_answer(web, mailbox):
    dataset_page = web.get("requester", tk.url_for("dataset.read", id=web.dataset["name"]))
    form_url = _url("correction_new", id=web.dataset["name"])
    assert form_url in dataset_page.body
    form = web.get("requester", form_url)
    assert form.status_code == 200 and 'for="field-kind"' in form.body
    bad = web.post("requester", form_url, {"kind": "outdated", "description": ""})
    assert bad.status_code == 200 and "field-description" in bad.body
    sent = web.post("requester", form_url, {"kind": "outdated", "description": "数据停更半年"},
                    follow_redirects=False)
    assert sent.status_code == 302
    filed = web.act("requester", "correction_list", scope="mine")["results"][0]

    answering = web.get("dept_admin", _url("correction_read", id=filed["id"]))
    assert "zz-answer-form" in answering.body
    web.post("dept_admin", _url("correction_step", id=filed["id"], step="answer"),
             {"answer": "fixed", "answer_text": "已补充最新数据"})
    run_jobs()
    assert mailbox.to(web.users["requester"]["email"])

    public = web.get("anonymous", tk.url_for("dataset.read", id=web.dataset["name"])).body
    assert "已修正" in public or "fixed" in public
    listing = web.get("anonymous", _url("correction_index")).body
    assert web.dataset["title"] in listing
    assert web.users["requester"]["email"] not in listing


def test_anonymous_reads_but_is_sent_to_log_in(web):
    filed = report(web)
    assert web.get("anonymous", _url("correction_read", id=filed["id"])).status_code == 200
    response = web.get("anonymous", _url("correction_new", id=web.dataset["name"]),
                       follow_redirects=False)
    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_reports_on_a_dataset_one_may_not_see_are_not_found(web):
    dataset = private_dataset(web)
    filed = report(web, "dept_member", dataset=dataset)
    assert web.get("citizen", _url("correction_read", id=filed["id"])).status_code == 404
    assert web.get("citizen", _url("correction_new", id=dataset["name"])).status_code == 404
    assert dataset["title"] not in web.get("citizen", _url("correction_index")).body
    queue = web.get("dept_editor", _url("queue")).body
    assert dataset["title"] in queue
