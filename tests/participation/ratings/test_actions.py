"""Ratings and comments through the real actions: one rating per user, moderation, the
average and count, hostile input."""
import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access.model import AuditEntry
from ckanext.zaozhuang.participation.ratings.model import Rating
from tests.factories import CatalogDataset


def test_rating_again_replaces_the_rating(world):
    dataset_id = world.open_dataset["id"]
    world.act("citizen", "rating_set", dataset_id=dataset_id, stars=2)
    shown = world.act("citizen", "rating_set", dataset_id=world.open_dataset["name"], stars=5)
    world.act("submitter", "rating_set", dataset_id=dataset_id, stars=4)
    assert shown["own"]["stars"] == 5
    summary = world.act("anonymous", "rating_show", dataset_id=dataset_id)
    assert (summary["average"], summary["count"], summary["own"]) == (4.5, 2, None)
    assert model.Session.query(Rating).filter(Rating.dataset_id == dataset_id).count() == 2


def test_the_database_refuses_a_second_row_for_one_user(world):
    world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=3)
    user_id = world.users["citizen"]["id"]
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.add(Rating(dataset_id=world.open_dataset["id"], user_id=user_id,
                                 stars=1, comment_state="none"))
        model.Session.flush()
    model.Session.rollback()


def test_comments_are_shown_once_the_department_approves(world):
    dataset_id = world.open_dataset["id"]
    own = world.act("citizen", "rating_set", dataset_id=dataset_id, stars=4,
                    comment="<script>alert(1)</script><b>很有用</b>的数据")["own"]
    assert own["comment"] == "alert(1)很有用的数据"
    assert own["comment_state"] == "pending"
    assert world.act("anonymous", "rating_list", dataset_id=dataset_id)["count"] == 0
    queue = world.act("provider_member", "rating_list", dataset_id=dataset_id, state="pending")
    assert [c["id"] for c in queue["results"]] == [own["id"]]

    world.act("provider_member", "rating_moderate", id=own["id"], decision="approve")
    public = world.act("anonymous", "rating_list", dataset_id=dataset_id)
    assert [(c["comment"], c["stars"]) for c in public["results"]] == [("alert(1)很有用的数据", 4)]

    # Writing the comment again sends it back to the department.
    world.act("citizen", "rating_set", dataset_id=dataset_id, stars=4, comment="改过的评论")
    assert world.act("anonymous", "rating_list", dataset_id=dataset_id)["count"] == 0


def test_hiding_is_recorded_in_the_audit_log(world):
    dataset_id = world.open_dataset["id"]
    own = world.act("citizen", "rating_set", dataset_id=dataset_id, stars=1,
                    comment="广告内容")["own"]
    world.act("provider_member", "rating_moderate", id=own["id"], decision="approve")
    world.act("authority", "rating_moderate", id=own["id"], decision="hide", reason="广告")
    assert world.act("anonymous", "rating_list", dataset_id=dataset_id)["count"] == 0
    entry = model.Session.query(AuditEntry).filter(AuditEntry.event == "comment_hidden").one()
    assert (entry.user_name, entry.dataset_id, entry.organization_id) == (
        world.users["authority"]["name"], dataset_id, world.provider["id"])
    assert entry.detail == {"rating_id": own["id"], "reason": "广告"}


def test_comments_list_is_paged(world):
    dataset_id = world.open_dataset["id"]
    for role in ("citizen", "submitter", "other_department"):
        own = world.act(role, "rating_set", dataset_id=dataset_id, stars=3,
                        comment=f"{role} 的评论")["own"]
        world.act("provider_member", "rating_moderate", id=own["id"], decision="approve")
    page = world.act("anonymous", "rating_list", dataset_id=dataset_id, limit=2, offset=2)
    assert page["count"] == 3
    assert [c["comment"] for c in page["results"]] == ["citizen 的评论"]


@pytest.mark.ckan_config("ckanext.zaozhuang.participation.comments_per_hour", 2)
def test_comments_are_rate_limited_per_user(world):
    for dataset in (world.open_dataset, world.closed_dataset):
        world.act("provider_member", "rating_set", dataset_id=dataset["id"], stars=3,
                  comment="第一条")
    another = CatalogDataset(owner_org=world.provider["id"])
    with pytest.raises(tk.ValidationError) as error:
        world.act("provider_member", "rating_set", dataset_id=another["id"], stars=3,
                  comment="第三条")
    assert "comment" in error.value.error_dict
    # Stars alone are not limited.
    world.act("provider_member", "rating_set", dataset_id=another["id"], stars=3)


@pytest.mark.parametrize("stars", [0, 6, "5", [5], 5.0, True, None, {"v": 5}])
def test_stars_must_be_a_whole_number_from_1_to_5(world, stars):
    with pytest.raises(tk.ValidationError) as error:
        world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=stars)
    assert "stars" in error.value.error_dict
    assert model.Session.query(Rating).count() == 0


def test_missing_stars(world):
    with pytest.raises(tk.ValidationError) as error:
        world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"])
    assert "stars" in error.value.error_dict


@pytest.mark.parametrize("comment", ["长" * 1001, ["a"], 5])
def test_bad_comments_are_refused(world, comment):
    with pytest.raises(tk.ValidationError) as error:
        world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=3,
                  comment=comment)
    assert "comment" in error.value.error_dict
    assert model.Session.query(Rating).count() == 0


def test_deleted_and_unknown_datasets_cannot_be_rated(world):
    call_action("package_delete", {"user": world.users["sysadmin"]["name"]},
                id=world.open_dataset["id"])
    # The public no longer sees it; its department does, and still cannot rate it.
    with pytest.raises(tk.NotAuthorized):
        world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=3)
    with pytest.raises(tk.ObjectNotFound):
        world.act("provider_member", "rating_set", dataset_id=world.open_dataset["id"], stars=3)
    with pytest.raises(tk.ObjectNotFound):
        world.act("citizen", "rating_set", dataset_id="no-such-dataset", stars=3)


def test_another_users_comment_cannot_be_moderated_by_its_author(world):
    own = world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=5,
                    comment="自己批准自己")["own"]
    with pytest.raises(tk.NotAuthorized):
        world.act("citizen", "rating_moderate", id=own["id"], decision="approve")
    with pytest.raises(tk.ValidationError):
        world.act("provider_member", "rating_moderate", id=own["id"], decision="publish")
