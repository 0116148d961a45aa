"""Showcases through the real actions: review, the gallery, the datasets each viewer may
see, hiding, mail, hostile input."""
import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access.model import AuditEntry
from ckanext.zaozhuang.participation.figures import department_figures
from ckanext.zaozhuang.participation.showcases.model import Showcase
from tests.applications.mailbox import run_jobs
from tests.participation.showcases.helpers import (
    png_bytes, published, showcase_data, submit, upload)


def test_published_only_after_review(world):
    showcase = submit(world)
    assert showcase["state"] == "pending"
    assert world.act("anonymous", "showcase_list")["count"] == 0
    assert [s["id"] for s in world.act("authority", "showcase_list", scope="review")[
        "results"]] == [showcase["id"]]
    world.act("authority", "showcase_review", id=showcase["id"], decision="approve")
    gallery = world.act("anonymous", "showcase_list")
    assert [s["title"] for s in gallery["results"]] == ["枣庄空气质量地图"]
    assert "review_reason" not in gallery["results"][0]
    with pytest.raises(tk.ValidationError):
        world.act("authority", "showcase_review", id=showcase["id"], decision="reject",
                  reason="重复审核")


def test_a_rejection_needs_a_reason(world):
    showcase = submit(world)
    with pytest.raises(tk.ValidationError) as error:
        world.act("authority", "showcase_review", id=showcase["id"], decision="reject")
    assert "reason" in error.value.error_dict
    assert model.Session.get(Showcase, showcase["id"]).state == "pending"


def test_datasets_are_shown_only_to_those_who_may_see_them(world):
    both = [world.open_dataset["id"], world.closed_dataset["id"]]
    showcase = published(world, "provider_member", dataset_ids=both)
    public = world.act("anonymous", "showcase_show", id=showcase["id"])
    assert [d["id"] for d in public["datasets"]] == [world.open_dataset["id"]]
    assert world.closed_dataset["title"] not in str(public)
    assert world.closed_dataset["title"] not in str(world.act("citizen", "showcase_list"))
    inside = world.act("provider_member", "showcase_show", id=showcase["id"])
    assert sorted(d["id"] for d in inside["datasets"]) == sorted(both)
    # Which showcases use the closed dataset is not told to the public either.
    assert world.act("anonymous", "showcase_list",
                     dataset_id=world.closed_dataset["id"])["count"] == 0
    assert world.act("authority", "showcase_list",
                     dataset_id=world.closed_dataset["id"])["count"] == 1


def test_only_datasets_the_submitter_may_see_can_be_named(world):
    for dataset_ids in ([world.closed_dataset["id"]], ["no-such-dataset"]):
        with pytest.raises(tk.ValidationError) as error:
            submit(world, "citizen", dataset_ids=dataset_ids)
        assert "dataset_ids" in error.value.error_dict
    assert model.Session.query(Showcase).count() == 0


def test_a_deleted_dataset_cannot_be_named(world):
    call_action("package_delete", {"user": world.users["sysadmin"]["name"]},
                id=world.open_dataset["id"])
    with pytest.raises(tk.ValidationError):
        submit(world)


def test_gallery_filters_by_kind_and_words(world):
    published(world)
    published(world, title="公交线网优化研究", kind="study", description="客流分析")
    published(world, title="100%_特殊", kind="report")
    assert [s["kind"] for s in world.act("anonymous", "showcase_list", kind="study")[
        "results"]] == ["study"]
    assert [s["title"] for s in world.act("anonymous", "showcase_list", q="客流")[
        "results"]] == ["公交线网优化研究"]
    assert [s["title"] for s in world.act("anonymous", "showcase_list", q="%")[
        "results"]] == ["100%_特殊"]


def test_hiding_is_recorded_against_each_dataset(world):
    showcase = published(world)
    world.act("authority", "showcase_hide", id=showcase["id"], reason="链接指向违法内容")
    assert world.act("anonymous", "showcase_list")["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        world.act("citizen", "showcase_show", id=showcase["id"])
    entry = model.Session.query(AuditEntry).filter(AuditEntry.event == "showcase_hidden").one()
    assert (entry.dataset_id, entry.user_name) == (world.open_dataset["id"],
                                                   world.users["authority"]["name"])
    assert entry.detail["showcase_id"] == showcase["id"]


def test_the_submitter_is_mailed_the_review(world, mailbox):
    approved = submit(world)
    rejected = submit(world, title="无关的应用")
    world.act("authority", "showcase_review", id=approved["id"], decision="approve")
    world.act("authority", "showcase_review", id=rejected["id"], decision="reject",
              reason="未使用平台数据")
    assert mailbox.messages == []
    run_jobs()
    messages = mailbox.to("submitter@example.com")
    subjects = sorted(m["Subject"] for m in messages)
    assert len(subjects) == 2
    assert any("枣庄空气质量地图" in s for s in subjects)
    assert any("未使用平台数据" in mailbox.body(m) for m in messages)


def test_department_figures(world):
    published(world)
    published(world, "provider_member",
              dataset_ids=[world.open_dataset["id"], world.closed_dataset["id"]])
    submit(world)  # pending: not counted
    world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=4)
    world.act("authority", "rating_set", dataset_id=world.closed_dataset["id"], stars=1)
    row = department_figures([world.provider["id"]])[world.provider["id"]]
    assert (row["showcases"], row["rating_stars"], row["rating_count"]) == (2, 5, 2)
    assert (row["requests_received"], row["corrections_received"]) == (0, 0)


def test_an_image_is_stored_and_served(world, app):
    showcase = published(world, image_upload=upload(png_bytes(), "封面.png"))
    assert showcase["image_url"]
    response = app.get(showcase["image_url"])
    assert response.status_code == 200
    assert response.data == png_bytes()
    assert response.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize("data, name", [
    (b"<html><script>alert(1)</script></html>", "cover.png"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "cover.jpg"),
    (png_bytes(), "cover.svg"),
    (png_bytes(), "cover"),
])
def test_only_real_images_are_accepted(world, data, name):
    with pytest.raises(tk.ValidationError) as error:
        submit(world, image_upload=upload(data, name))
    assert "image_upload" in error.value.error_dict
    assert model.Session.query(Showcase).count() == 0


@pytest.mark.ckan_config("ckanext.zaozhuang.participation.showcase_image_max_kb", 1)
def test_an_oversize_image_is_refused(world):
    big = png_bytes() + b"\x00" * 2048
    with pytest.raises(tk.ValidationError) as error:
        submit(world, image_upload=upload(big, "big.png"))
    assert "image_upload" in error.value.error_dict


def test_an_image_given_as_text_is_refused(world):
    with pytest.raises(tk.ValidationError) as error:
        submit(world, image_upload="https://example.com/cover.png")
    assert "image_upload" in error.value.error_dict


@pytest.mark.parametrize("field, value", [
    ("link", "javascript:alert(1)"),
    ("link", "ftp://example.com/x"),
    ("link", "//example.com/x"),
    ("link", "https://"),
    ("link", ["https://example.com"]),
    ("kind", "game"),
    ("kind", 1),
    ("title", "长" * 201),
    ("title", ""),
    ("title", "<b></b>"),
    ("description", "长" * 5001),
    ("dataset_ids", []),
    ("dataset_ids", ""),
    ("dataset_ids", 5),
    ("dataset_ids", [5]),
    ("dataset_ids", [{"id": "x"}]),
])
def test_bad_input_names_the_field(world, field, value):
    with pytest.raises(tk.ValidationError) as error:
        submit(world, **{field: value})
    assert field in error.value.error_dict
    assert model.Session.query(Showcase).count() == 0


@pytest.mark.parametrize("missing", ["title", "kind", "description", "link", "dataset_ids"])
def test_missing_fields(world, missing):
    data = showcase_data(world)
    data.pop(missing)
    with pytest.raises(tk.ValidationError) as error:
        world.act("submitter", "showcase_create", **data)
    assert missing in error.value.error_dict


def test_markup_is_removed(world):
    showcase = submit(world, title="<b>地图</b>", description="<script>x()</script>说明")
    assert (showcase["title"], showcase["description"]) == ("地图", "x()说明")


def test_a_double_submission_makes_one_showcase(world):
    first = submit(world, link="https://example.com/air-map")
    with pytest.raises(tk.ValidationError) as error:
        submit(world, link="https://example.com/air-map")
    assert "link" in error.value.error_dict
    assert model.Session.query(Showcase).count() == 1
    # Once rejected, the same link may be submitted again, improved.
    world.act("authority", "showcase_review", id=first["id"], decision="reject",
              reason="描述不清")
    again = submit(world, link="https://example.com/air-map", description="补充了数据使用说明")
    assert again["state"] == "pending"
