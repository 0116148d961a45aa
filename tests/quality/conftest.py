"""The department, its publisher and the served portal of the DataStore loading tests: the
quality check runs on the same uploads, by the same real job worker."""
from ckanext.datastore.tests.conftest import clean_datastore  # noqa: F401 (fixture)

from tests.applications.mailbox import fresh_queues  # noqa: F401 (fixture)
from tests.datastore_load.conftest import (  # noqa: F401 (fixtures)
    department, loader_site, member, publisher, stranger)
