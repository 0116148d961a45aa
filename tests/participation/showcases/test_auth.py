"""Each showcase action's auth for every role, through the real auth functions."""
import pytest

import ckan.plugins.toolkit as tk

from tests.participation.ratings.world import ROLES
from tests.participation.showcases.helpers import published, submit

AUTHORITY = {"authority", "sysadmin"}


def allowed(world, role, action, **data):
    try:
        world.act(role, action, **data)
    except tk.NotAuthorized:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_showcase_actions_by_role(world, role):
    pending = submit(world)
    shown = published(world, title="公交到站查询")
    assert allowed(world, role, "showcase_create", **{
        "title": "出行助手", "kind": "app", "description": "实时公交",
        "link": "https://example.com/bus", "dataset_ids": [world.open_dataset["id"]]}) is (
        role != "anonymous")
    assert allowed(world, role, "showcase_show", id=pending["id"]) is (
        role in AUTHORITY | {"submitter"})
    assert allowed(world, role, "showcase_show", id=shown["id"]) is True
    assert allowed(world, role, "showcase_list") is True
    assert allowed(world, role, "showcase_list", scope="mine") is (role != "anonymous")
    assert allowed(world, role, "showcase_list", scope="review") is (role in AUTHORITY)
    assert allowed(world, role, "showcase_review", id=pending["id"], decision="reject",
                   reason="内容与数据无关") is (role in AUTHORITY)
    assert allowed(world, role, "showcase_hide", id=shown["id"], reason="链接失效") is (
        role in AUTHORITY)
