"""A security incident's freeze, enforced by the access gate itself: after the authority
freezes a dataset or an applicant, no data path serves what is frozen (downloads, the
preview, the DataStore's search, SQL and dump), the metadata stays visible, and lifting the
freeze restores access. Every call is made through real auth, as the role concerned."""
import datetime

import pytest

from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.logic import NotAuthorized
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access import freezes
from ckanext.zaozhuang.access.model import AuditEntry, Freeze, Grant, now

CONDITIONAL = ("conditional", "none")
OPEN = ("unconditional", "unconditional")
SHARED = ("not_open", "conditional")
FROZEN_TEXT = "该数据因安全事件已暂停访问"


def _as(world, role, action, **data):
    return call_action(action, {"user": world["users"][role]["name"], "ignore_auth": False},
                       **data)


def _http(world, role, url):
    headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
    return world["app"].get(url, headers=headers)


def _paths(entry):
    dataset, upload, view = entry["dataset"], entry["upload"], entry["view"]
    base = f"/dataset/{dataset['id']}/resource/{upload['id']}"
    return {"download": f"{base}/download/data.csv", "preview": f"{base}/view/{view['id']}",
            "dump": f"/datastore/dump/{upload['id']}"}


def _data_reads(world, role, entry):
    """Which data paths serve the role: each HTTP path's status and each DataStore action."""
    got = {name: _http(world, role, url).status_code for name, url in _paths(entry).items()}
    upload = entry["upload"]["id"]
    for action, data in (("datastore_search", {"resource_id": upload}),
                         ("datastore_search_sql", {"sql": f'SELECT * FROM "{upload}"'})):
        try:
            _as(world, role, action, **data)
            got[action] = 200
        except NotAuthorized:
            got[action] = 403
    return got


def _incident(world, **data):
    return _as(world, "authority", "zaozhuang_incident_create", severity="major",
               description="数据疑似泄露，正在调查", **data)


def _close(world, incident, outcome="lifted"):
    return _as(world, "authority", "zaozhuang_incident_close", id=incident["id"],
               outcome=outcome, reason="调查结束")


def test_a_frozen_dataset_serves_no_data_and_lifting_restores_it(world):
    entry = world["datasets"][CONDITIONAL]
    before = _data_reads(world, "open_grant_active", entry)
    assert {before[k] for k in ("download", "preview", "dump", "datastore_search",
                                "datastore_search_sql")} == {200}

    incident = _incident(world, subject="dataset", dataset_id=entry["dataset"]["name"])
    assert incident["state"] == "frozen"
    after = _data_reads(world, "open_grant_active", entry)
    for path in ("download", "preview", "dump", "datastore_search", "datastore_search_sql"):
        assert after[path] == 403, path
    page = _http(world, "open_grant_active", _paths(entry)["download"]).get_data(as_text=True)
    assert FROZEN_TEXT in page
    # The description stays public; the resource page explains instead of previewing.
    assert _http(world, "anonymous", f"/dataset/{entry['dataset']['name']}").status_code == 200
    resource_page = _http(world, "open_grant_active",
                          f"/dataset/{entry['dataset']['id']}/resource/{entry['upload']['id']}")
    assert resource_page.status_code == 200
    assert FROZEN_TEXT in resource_page.get_data(as_text=True)
    # The provider's own staff are refused too; the authority, who investigates, is not.
    assert _data_reads(world, "provider_admin", entry)["download"] == 403
    assert _data_reads(world, "authority", entry)["download"] == 200
    # The holder is told on the grants page.
    grants = _http(world, "open_grant_active", "/grants").get_data(as_text=True)
    assert FROZEN_TEXT in grants

    refused = model.Session.query(AuditEntry).filter(
        AuditEntry.dataset_id == entry["dataset"]["id"], AuditEntry.outcome == "refused",
        AuditEntry.user_name == "open-grant-active").all()
    assert {e.detail["reason"] for e in refused} == {"frozen"}
    assert model.Session.query(AuditEntry).filter(
        AuditEntry.event == "incident_freeze",
        AuditEntry.detail["incident_id"].astext == incident["id"]).count() == 1

    _close(world, incident)
    restored = _data_reads(world, "open_grant_active", entry)
    assert {restored[k] for k in ("download", "preview", "dump", "datastore_search",
                                  "datastore_search_sql")} == {200}


def test_a_frozen_open_dataset_is_refused_to_everyone_but_stays_listed(world):
    entry = world["datasets"][OPEN]
    incident = _incident(world, subject="dataset", dataset_id=entry["dataset"]["id"])
    response = _http(world, "anonymous", _paths(entry)["download"])
    assert response.status_code == 403
    assert FROZEN_TEXT in response.get_data(as_text=True)
    api = world["app"].get("/api/3/action/datastore_search",
                           query_string={"resource_id": entry["upload"]["id"]})
    assert api.status_code == 403
    shown = call_action("package_show", {"user": "", "ignore_auth": False},
                        id=entry["dataset"]["id"])
    assert shown["name"] == entry["dataset"]["name"]
    assert all(r["url"] == "" for r in shown["resources"])
    _close(world, incident)
    assert _http(world, "anonymous", _paths(entry)["download"]).status_code == 200


class TestEveryProcess:
    """Each web worker keeps the freezes it read, with the version Redis gave them; a commit
    that adds or lifts a freeze raises the version, so a worker that read the freezes before
    reads them again on its next request. A worker is simulated by keeping the sets this
    process read, as another process would still hold them."""

    def test_a_freeze_reaches_a_worker_that_read_the_freezes_before(self, world):
        entry = world["datasets"][OPEN]
        dataset_id = entry["dataset"]["id"]
        assert dataset_id not in freezes.in_force()[0]
        held = freezes._known
        incident = _incident(world, subject="dataset", dataset_id=dataset_id)
        freezes._known = held
        assert dataset_id in freezes.in_force()[0]
        assert _http(world, "anonymous", _paths(entry)["download"]).status_code == 403
        held = freezes._known
        _close(world, incident)
        freezes._known = held
        assert dataset_id not in freezes.in_force()[0]
        assert _http(world, "anonymous", _paths(entry)["download"]).status_code == 200

    def test_any_commit_that_writes_a_freeze_raises_the_version(self, world):
        key, user_id = freezes._key(), world["users"]["open_grant_active"]["id"]
        freezes.in_force()
        version = connect_to_redis().get(key)
        assert version is not None
        # Written directly, not through the incident actions.
        freeze = Freeze(user_id=user_id, reference="direct",
                        created_by=world["users"]["authority"]["id"])
        model.Session.add(freeze)
        model.Session.flush()
        assert connect_to_redis().get(key) == version  # not before the commit
        model.Session.commit()
        raised = connect_to_redis().get(key)
        assert raised != version
        assert user_id in freezes.in_force()[1]
        freeze.lifted_at, freeze.lifted_by = now(), world["users"]["authority"]["id"]
        model.Session.commit()
        assert connect_to_redis().get(key) != raised
        assert user_id not in freezes.in_force()[1]

    def test_without_the_version_the_freezes_are_read_from_the_database(self, world):
        connect_to_redis().delete(freezes._key())
        entry = world["datasets"][OPEN]
        incident = _incident(world, subject="dataset", dataset_id=entry["dataset"]["id"])
        connect_to_redis().delete(freezes._key())  # lost, as after a restart of Redis
        freezes._known = (freezes._known[0], (frozenset(), frozenset()))  # stale
        assert entry["dataset"]["id"] in freezes.in_force()[0]
        assert 0 < connect_to_redis().ttl(freezes._key()) <= freezes.VERSION_SECONDS
        _close(world, incident)


def test_a_frozen_applicant_loses_every_grant_and_nothing_else(world):
    conditional, shared = world["datasets"][CONDITIONAL], world["datasets"][SHARED]
    user_id = world["users"]["open_grant_active"]["id"]
    incident = _incident(world, subject="user", user_id="open-grant-active")
    assert _data_reads(world, "open_grant_active", conditional)["download"] == 403
    api = _http(world, "open_grant_active", "/api/3/action/datastore_search?resource_id="
                + conditional["upload"]["id"])
    assert api.status_code == 403 and FROZEN_TEXT in api.json["error"]["message"]
    # Open data stays open to them, as to anyone; other holders keep their grants.
    assert _data_reads(world, "open_grant_active", world["datasets"][OPEN])["download"] == 200
    assert _data_reads(world, "share_grant_department", shared)["download"] == 200
    assert model.Session.query(Freeze).filter(Freeze.user_id == user_id,
                                              Freeze.lifted_at.is_(None)).count() == 1
    _close(world, incident)
    assert _data_reads(world, "open_grant_active", conditional)["download"] == 200


def test_revoking_for_good_ends_the_grants_concerned(world):
    conditional = world["datasets"][CONDITIONAL]
    now = datetime.datetime.now(datetime.timezone.utc)
    grant = Grant(kind="open", dataset_id=conditional["dataset"]["id"],
                  user_id=world["users"]["registered"]["id"],
                  valid_from=now - datetime.timedelta(days=1),
                  valid_until=now + datetime.timedelta(days=30))
    model.Session.add(grant)
    model.Session.commit()
    grant_id = grant.id
    assert _data_reads(world, "registered", conditional)["download"] == 200
    incident = _incident(world, subject="user", user_id="registered")
    closed = _close(world, incident, outcome="revoked")
    assert closed["state"] == "revoked"
    model.Session.expire_all()
    ended = model.Session.get(Grant, grant_id)
    assert ended.revoked_at is not None and ended.revoke_reason == "调查结束"
    assert _data_reads(world, "registered", conditional)["download"] == 403
    # The freeze is over: what remains is the revocation, under the usual refusal.
    assert FROZEN_TEXT not in _http(world, "registered", _paths(conditional)["download"]
                                    ).get_data(as_text=True)
    assert _data_reads(world, "open_grant_active", conditional)["download"] == 200


@pytest.mark.parametrize("role", ["provider_admin", "registered", "open_grant_active",
                                  "other_department"])
def test_only_the_authority_handles_incidents(world, role):
    entry = world["datasets"][CONDITIONAL]
    with pytest.raises(NotAuthorized):
        _as(world, role, "zaozhuang_incident_create", subject="dataset",
            dataset_id=entry["dataset"]["id"], severity="general", description="x")
    with pytest.raises(NotAuthorized):
        _as(world, role, "zaozhuang_incident_list")
    assert _http(world, role, "/supervision/incidents").status_code == 403
    assert _http(world, role, "/supervision/incidents.csv").status_code == 403
    assert model.Session.query(Freeze).filter(Freeze.lifted_at.is_(None)).count() == 0
