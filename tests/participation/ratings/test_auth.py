"""Each rating action's auth for every role, through the real auth functions, on a dataset
open to everyone and on one only its department and the authority may see."""
import pytest

import ckan.plugins.toolkit as tk

from tests.participation.ratings.world import MODERATORS, ROLES, SEE_CLOSED


def allowed(world, role, action, **data):
    try:
        world.act(role, action, **data)
    except tk.NotAuthorized:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_rating_actions_by_role(world, role):
    open_id, closed_id = world.open_dataset["id"], world.closed_dataset["id"]
    sees_closed = role in SEE_CLOSED
    assert allowed(world, role, "rating_set", dataset_id=open_id, stars=4) is (
        role != "anonymous")
    assert allowed(world, role, "rating_set", dataset_id=closed_id, stars=4) is sees_closed
    assert allowed(world, role, "rating_show", dataset_id=open_id) is True
    assert allowed(world, role, "rating_show", dataset_id=closed_id) is sees_closed
    assert allowed(world, role, "rating_list", dataset_id=open_id) is True
    assert allowed(world, role, "rating_list", dataset_id=closed_id) is sees_closed
    assert allowed(world, role, "rating_list", dataset_id=open_id, state="pending") is (
        role in MODERATORS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("decision", ["approve", "hide"])
def test_moderation_by_role(world, role, decision):
    own = world.act("citizen", "rating_set", dataset_id=world.open_dataset["id"], stars=2,
                    comment="数据更新不及时")["own"]
    assert allowed(world, role, "rating_moderate", id=own["id"], decision=decision) is (
        role in MODERATORS)


def test_the_closed_dataset_is_not_found_by_those_who_may_not_see_it(world):
    # Auth refuses first; with auth passed by name the action still does not reveal it.
    with pytest.raises(tk.NotAuthorized):
        world.act("citizen", "rating_show", dataset_id=world.closed_dataset["name"])
