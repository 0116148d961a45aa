"""Support and filing at the same moment, from threads with their own sessions and
connections against the real PostgreSQL: the unique indexes decide, never a 500."""
import threading

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.participation.demand.model import DataRequest, DataRequestSupport
from tests.participation.demand.helpers import routed


def _race(calls):
    """Run the calls at once; each outcome is "ok" or the ValidationError's fields."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(10)
            call()
            outcomes[index] = "ok"
        except tk.ValidationError as error:
            outcomes[index] = sorted(error.error_dict)
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_one_support_per_user_when_sent_twice_at_once(world):
    request = routed(world)
    outcomes = _race([lambda: world.act("citizen", "request_support", id=request["id"])] * 4)
    assert outcomes.count("ok") == 1
    assert outcomes.count(["id"]) == 3
    assert model.Session.query(DataRequestSupport).filter_by(
        request_id=request["id"]).count() == 1
    assert world.act("anonymous", "request_show", id=request["id"])["support_count"] == 1


def test_different_users_supporting_at_once_all_count(world):
    request = routed(world)
    roles = ("citizen", "dept_member", "dept_editor", "other_editor", "authority")
    outcomes = _race([lambda role=role: world.act(role, "request_support", id=request["id"])
                      for role in roles])
    assert outcomes == ["ok"] * len(roles)
    assert world.act("anonymous", "request_show", id=request["id"])["support_count"] == 5


def test_the_same_title_filed_at_once_makes_one_request(world):
    data = {"title": "枣庄市新能源汽车充电桩位置", "description": "开发充电导航"}
    outcomes = _race([lambda role=role: world.act(role, "request_create", **data)
                      for role in ("citizen", "requester", "dept_member")])
    assert outcomes.count("ok") == 1
    assert outcomes.count(["title"]) == 2
    assert model.Session.query(DataRequest).count() == 1
