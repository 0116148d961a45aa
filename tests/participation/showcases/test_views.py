"""The pages: a citizen submits a showcase, the authority publishes it, and it is in the
gallery and on the dataset page; a rating through the dataset page's form."""
import io

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests.helpers import call_action

from tests.participation.showcases.helpers import png_bytes, published


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

    world.get = lambda role, url, **kw: app.get(url, headers=headers(role), **kw)
    world.post = lambda role, url, **kw: app.post(url, headers=headers(role), **kw)
    return world


def _url(endpoint, **kw):
    return tk.url_for(f"zaozhuang_showcases.{endpoint}", **kw)


def test_submit_publish_and_find_it(web):
    dataset = web.open_dataset["name"]
    form = web.get("citizen", _url("new", dataset=dataset))
    assert form.status_code == 200
    assert 'name="image_upload"' in form.body

    bad = web.post("citizen", _url("new"), data={
        "title": "公交到站提醒", "kind": "app", "description": "到站前提醒乘客",
        "link": "javascript:alert(1)", "dataset_ids": dataset}, follow_redirects=False)
    assert bad.status_code == 200
    assert "公交到站提醒" in bad.body
    assert web.act("citizen", "showcase_list", scope="mine")["count"] == 0

    done = web.post("citizen", _url("new"), data={
        "title": "公交到站提醒", "kind": "app", "description": "到站前提醒乘客",
        "link": "https://example.com/bus", "dataset_ids": dataset,
        "image_upload": (io.BytesIO(png_bytes()), "cover.png")},
        follow_redirects=False)
    assert done.status_code == 302
    showcase = web.act("citizen", "showcase_list", scope="mine")["results"][0]
    assert showcase["state"] == "pending"
    assert web.get("anonymous", _url("read", id=showcase["id"]),
                   follow_redirects=False).status_code == 302  # to the login page
    assert "公交到站提醒" not in web.get("anonymous", _url("index")).body

    queue = web.get("authority", _url("queue"))
    assert "公交到站提醒" in queue.body
    assert web.get("citizen", _url("queue")).status_code == 403
    web.post("authority", _url("step", id=showcase["id"], step="review"),
             data={"decision": "approve", "reason": ""})

    gallery = web.get("anonymous", _url("index"))
    assert "公交到站提醒" in gallery.body
    assert "公交到站提醒" in web.get("anonymous", _url("index", kind="app")).body
    assert "公交到站提醒" not in web.get("anonymous", _url("index", kind="study")).body
    assert "公交到站提醒" not in web.get("anonymous", _url("index", q="天气")).body
    detail = web.get("anonymous", _url("read", id=showcase["id"]))
    assert web.open_dataset["title"] in detail.body
    assert web.get("anonymous", _url("image", id=showcase["id"])).data == png_bytes()
    page = web.get("anonymous", tk.url_for("dataset.read", id=dataset))
    assert "公交到站提醒" in page.body


def test_a_hidden_showcase_leaves_the_pages(web):
    showcase = published(web, title="待下线的应用")
    web.post("authority", _url("step", id=showcase["id"], step="hide"),
             data={"reason": "链接失效"})
    assert "待下线的应用" not in web.get("anonymous", _url("index")).body
    assert "待下线的应用" not in web.get(
        "anonymous", tk.url_for("dataset.read", id=web.open_dataset["name"])).body


def test_rate_and_moderate_through_the_dataset_page(web):
    dataset = web.open_dataset["name"]
    web.post("citizen", tk.url_for("zaozhuang_showcases.rate", id=dataset),
             data={"stars": "4", "comment": "<i>很及时</i>"})
    own = web.act("citizen", "rating_show", dataset_id=dataset)["own"]
    assert (own["stars"], own["comment"]) == (4, "很及时")
    assert "很及时" not in web.get("anonymous", tk.url_for("dataset.read", id=dataset)).body
    assert "很及时" in web.get("provider_member", tk.url_for("dataset.read", id=dataset)).body
    assert web.post("citizen", tk.url_for("zaozhuang_showcases.moderate", id=dataset,
                                          rating_id=own["id"], decision="approve"),
                    follow_redirects=False).status_code == 403
    web.post("provider_member", tk.url_for("zaozhuang_showcases.moderate", id=dataset,
                                           rating_id=own["id"], decision="approve"))
    page = web.get("anonymous", tk.url_for("dataset.read", id=dataset))
    assert "很及时" in page.body
    assert "4.0" in page.body
    # A bad choice comes back as a message, not an error page.
    bad = web.post("citizen", tk.url_for("zaozhuang_showcases.rate", id=dataset),
                   data={"stars": "9"})
    assert bad.status_code == 200
    assert web.act("citizen", "rating_show", dataset_id=dataset)["own"]["stars"] == 4
