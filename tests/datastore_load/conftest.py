"""A department's upload loaded by the real job worker: the portal served over HTTP (the loader's
jobs fetch the file and report back through it), an empty DataStore and empty queues."""
import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.datastore.tests.conftest import clean_datastore  # noqa: F401 (fixture)

from tests.applications.mailbox import fresh_queues  # noqa: F401 (fixture)
from tests.factories import Department


@pytest.fixture
def loader_site(clean_datastore, fresh_queues, live_server, ckan_config,  # noqa: F811
                monkeypatch):
    # Uploads are addressed by ckan.site_url; the jobs reach them at the served test portal,
    # as in production they reach the web container (ckanext.xloader.site_url).
    monkeypatch.setitem(ckan_config, "ckanext.xloader.site_url", live_server)
    return live_server


@pytest.fixture
def publisher(loader_site):
    return factories.User(name="zz-publisher")


@pytest.fixture
def department(publisher):
    return Department(users=[{"name": publisher["name"], "capacity": "editor"}])


@pytest.fixture
def stranger(loader_site):
    return factories.User(name="zz-stranger")


@pytest.fixture
def member(department):
    user = factories.User(name="zz-member")
    call_action("organization_member_create", id=department["id"], username=user["name"],
                role="member")
    return user
