"""Two reviewers deciding the same application at once: exactly one decision, against the
real PostgreSQL (each thread has its own session and connection)."""
import threading
import time

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.agreements.model import Agreement
from ckanext.zaozhuang.applications.model import ApplicationEvent


def _decide(world, role, action, application_id, outcomes):
    try:
        world.act(role, f"application_{action}", id=application_id, reason="审核意见")
        outcomes[role] = "decided"
    except tk.ValidationError as error:
        outcomes[role] = error.error_dict
    finally:
        model.Session.remove()


def _waiting_on_locks(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'")).scalar()


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_reviewers_deciding_at_once_make_one_decision(world, second):
    app = world.in_state("submitted")
    engine = model.meta.engine
    outcomes = {}
    # Hold the row so both reviewers are surely in flight before either may proceed.
    blocker = engine.connect()
    transaction = blocker.begin()
    blocker.execute(sa.text("SELECT id FROM zaozhuang_application WHERE id = :id FOR UPDATE"),
                    {"id": app["id"]})
    threads = [
        threading.Thread(target=_decide, args=(world, "provider_admin", "approve", app["id"],
                                               outcomes)),
        threading.Thread(target=_decide, args=(world, "provider_editor", second, app["id"],
                                               outcomes)),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while _waiting_on_locks(engine) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_on_locks(engine) == 2
    transaction.rollback()
    blocker.close()
    for thread in threads:
        thread.join(30)

    assert sorted(map(str, outcomes.values())).count("decided") == 1
    loser = next(v for v in outcomes.values() if v != "decided")
    assert "state" in loser
    decisions = (model.Session.query(ApplicationEvent)
                 .filter(ApplicationEvent.application_id == app["id"],
                         ApplicationEvent.action.in_(("approve", "reject"))).all())
    assert len(decisions) == 1
    state = world.act("applicant", "application_show", id=app["id"])["state"]
    assert state == decisions[0].to_state
    agreements = model.Session.query(Agreement).filter(Agreement.application_id == app["id"])
    assert agreements.count() == (1 if state == "approved" else 0)
