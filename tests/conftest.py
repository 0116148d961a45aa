"""Shared fixtures. The suite runs against the real PostgreSQL, Redis and Solr that
`make test` starts; nothing here replaces them."""
import pytest

# Plugins whose own tables or columns live in alembic migrations: CKAN's reset drops every
# table and recreates only core's, so these are migrated again after each reset.
MIGRATED_PLUGINS = ("activity", "zaozhuang")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)
