"""A loaded table's data API page: its columns and examples that run as they are, for those
who may read the table; for others, how to get access."""
import html
import json
import re

from ckan.tests.helpers import call_action

from tests.datastore_load.test_access import CONDITIONAL, loaded, token
from tests.factories import CatalogDataset


def _page(app, resource, headers=None):
    answer = app.get(f"/dataset/{resource['package_id']}/resource/{resource['id']}/api",
                     headers=headers or {})
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_examples_of_an_open_table_run_as_they_are(app, publisher, department):
    resource = loaded(publisher, department)
    page = _page(app, resource)
    assert "数据接口" in page and "<code>区县</code>" in page and "<code>身份证号</code>" in page
    assert "Authorization" not in page  # open data needs no token
    examples = [html.unescape(code) for code in re.findall(r"<pre><code>(.*?)</code></pre>",
                                                           page, re.S)]
    assert len(examples) == 4 and "RemoteCKAN" in examples[3]
    url = re.search(r'curl "(\S+)"', examples[0]).group(1)
    rows = app.get(url[url.index("/api/"):]).json["result"]
    assert rows["total"] == 2 and len(rows["records"]) == 2
    body = json.loads(re.search(r"-d '(.*)'", examples[1]).group(1))
    body["filters"] = {"区县": "滕州市"}
    found = app.post("/api/3/action/datastore_search", json=body).json["result"]["records"]
    assert [r["身份证号"] for r in found] == ["370481200012310021"]
    resource_page = app.get(f"/dataset/{resource['package_id']}/resource/{resource['id']}")
    assert f"/resource/{resource['id']}/api" in resource_page.get_data(as_text=True)


def test_conditional_data_the_grant_holders_and_the_provider(app, publisher, department,
                                                             stranger):
    resource = loaded(publisher, department, **CONDITIONAL)
    for headers in ({}, token(stranger)):
        page = _page(app, resource, headers)
        assert "没有下载权限" in page or "无权" in page
        assert "<code>身份证号</code>" not in page and "datastore_search" not in page
    page = _page(app, resource, token(publisher))
    assert "<code>身份证号</code>" in page and "Authorization: 您的API令牌" in page


def test_a_link_has_no_table(app, publisher, department, loader_site):
    dataset = CatalogDataset(owner_org=department["id"])
    link = call_action("resource_create", {"user": publisher["name"]}, package_id=dataset["id"],
                       name="链接", url="http://example.com/a.csv", format="CSV")
    assert "尚无可查询的数据表" in _page(app, link)
    assert app.get(f"/dataset/{dataset['id']}/resource/no-such-resource/api").status_code == 404
