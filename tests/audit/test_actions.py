"""The access log: who reads which entries, filters, the CSV export, and that nothing edits it."""
import csv
import io

import pytest

from ckan import model
from ckan.logic import NotAuthorized, ValidationError
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.access import log as audit_log
from tests.factories import CatalogDataset, Department


@pytest.fixture
def logged():
    """Two departments' conditional datasets, each with one refused download in the log."""
    users = {name: factories.User(name=name) for name in
             ("admin-a", "editor-a", "member-a", "admin-b", "officer", "visitor")}
    a = Department(name="dept-a", users=[{"name": "admin-a", "capacity": "admin"},
                                         {"name": "editor-a", "capacity": "editor"},
                                         {"name": "member-a", "capacity": "member"}])
    b = Department(name="dept-b", users=[{"name": "admin-b", "capacity": "admin"}])
    Department(name="zz-dsjj", users=[{"name": "officer", "capacity": "member"}])
    datasets = {}
    for org in (a, b):
        dataset = CatalogDataset(owner_org=org["id"], open_category="conditional",
                                 open_conditions="签署协议")
        datasets[org["name"]] = dataset
        package = model.Package.get(dataset["id"])
        audit_log.record_access("download", users["visitor"]["name"], package, None,
                                policy.Decision(False, "no_grant"))
    return users, datasets


def _list(caller, **data):
    return call_action("zaozhuang_audit_list", {"user": caller, "ignore_auth": False}, **data)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestAuditList:
    def test_authority_reads_everything(self, logged):
        result = _list("officer")
        assert result["count"] == 2
        assert {e["user_name"] for e in result["results"]} == {"visitor"}
        assert {e["outcome"] for e in result["results"]} == {"refused"}

    @pytest.mark.parametrize("user", ["admin-a", "editor-a"])
    def test_department_reads_its_own(self, logged, user):
        users, datasets = logged
        result = _list(user)
        assert [e["dataset_id"] for e in result["results"]] == [datasets["dept-a"]["id"]]

    @pytest.mark.parametrize("user", ["", "visitor", "member-a"])
    def test_others_refused(self, logged, user):
        with pytest.raises(NotAuthorized):
            _list(user)

    def test_filters(self, logged):
        users, datasets = logged
        assert _list("officer", dataset_id=datasets["dept-b"]["id"])["count"] == 1
        assert _list("officer", outcome="allowed")["count"] == 0
        assert _list("officer", user="visitor")["count"] == 2
        assert _list("officer", limit=1)["results"][0]["event"] == "download"
        with pytest.raises(ValidationError):
            _list("officer", outcome="maybe")

    def test_no_action_edits_the_log(self):
        from ckan.logic import _actions  # noqa: the registry of every action
        call_action("status_show")
        # Reading, verifying and exporting only: each one a read-only action.
        audit_actions = {name for name in _actions if name.startswith("zaozhuang_audit")}
        assert audit_actions == {"zaozhuang_audit_list", "zaozhuang_audit_verify",
                                 "zaozhuang_audit_export"}
        assert all(getattr(_actions[name], "side_effect_free", False) for name in audit_actions)

    def test_cli_export(self, logged, cli):
        from ckan.cli.cli import ckan as ckan_command
        result = cli.invoke(ckan_command, ["zaozhuang", "audit", "export"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert len(rows) == 2
        assert {r["outcome"] for r in rows} == {"refused"}
