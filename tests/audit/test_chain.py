"""The access log's hash chain: entries written by the real paths (and in parallel) chain;
altering or removing one row with SQL makes the verification, action and command, fail and
name that row."""
import threading

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.logic import NotAuthorized
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access import log as audit_log
from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access.model import AuditEntry
from tests.factories import CatalogDataset, Department


@pytest.fixture
def logged(with_plugins, clean_db, clean_index):
    factories.User(name="officer")
    factories.User(name="dept-admin")
    factories.User(name="visitor")
    Department(name="zz-dsjj", users=[{"name": "officer", "capacity": "admin"}])
    org = Department(name="dept-a", users=[{"name": "dept-admin", "capacity": "admin"}])
    dataset = CatalogDataset(owner_org=org["id"], open_category="conditional",
                             open_conditions="签署协议")
    package = model.Package.get(dataset["id"])
    for n in range(5):
        audit_log.record_access(f"download-{n}", "visitor", package, None,
                                policy.Decision(False, "no_grant"), note={"第": n, "x": 1.5})
    return package


def _verify(user="officer"):
    return call_action("zaozhuang_audit_verify", {"user": user, "ignore_auth": False})


def _entries():
    return model.Session.query(AuditEntry).order_by(AuditEntry.seq).all()


def test_an_untouched_log_verifies(logged):
    result = _verify()
    assert result == {"valid": True, "checked": len(_entries()), "first_broken": None}
    entries = _entries()
    assert all(b.previous_hash == a.hash for a, b in zip(entries, entries[1:]))


def test_only_the_authority_verifies(logged):
    for user in ("dept-admin", "visitor"):
        with pytest.raises(NotAuthorized):
            _verify(user)


def test_altering_one_row_is_found_and_named(logged, cli):
    from ckan.cli.cli import ckan
    victim = _entries()[2]
    model.Session.execute(sa.text(
        "UPDATE zaozhuang_audit_log SET user_name = 'someone-else' WHERE id = :id"),
        {"id": victim.id})
    model.Session.commit()
    result = _verify()
    assert result["valid"] is False
    assert result["first_broken"] == {"id": victim.id, "seq": victim.seq, "problem": "content"}
    assert result["checked"] == 2
    command = cli.invoke(ckan, ["zaozhuang", "audit", "verify"])
    assert command.exit_code != 0
    assert victim.id in command.output and "altered" in command.output


def test_removing_a_row_breaks_the_link_of_the_next(logged):
    entries = _entries()
    model.Session.execute(sa.text("DELETE FROM zaozhuang_audit_log WHERE id = :id"),
                          {"id": entries[1].id})
    model.Session.commit()
    broken = _verify()["first_broken"]
    assert (broken["id"], broken["problem"]) == (entries[2].id, "link")


def test_parallel_writers_keep_one_chain(logged):
    """Writers in separate sessions at the same moment: the lock makes each link to the
    entry committed before it."""
    package_id = logged.id
    errors = []

    def write(n):
        # model.Session is thread-local: each thread writes in a session of its own.
        try:
            package = model.Package.get(package_id)
            audit_log.record_access(f"parallel-{n}", "visitor", package, None,
                                    policy.Decision(False, "no_grant"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            model.Session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([e for e in _entries() if e.event.startswith("parallel-")]) == 6
    assert _verify()["valid"] is True
