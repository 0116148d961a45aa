"""Shared fixtures. The suite runs against the real PostgreSQL, Redis and Solr that
`make test` starts; nothing here replaces them."""
import contextlib
from typing import Any, Iterator

import pytest
import sqlalchemy as sa

import ckan.plugins
from ckan import model

# Plugins whose own tables or columns live in alembic migrations: CKAN's reset drops every
# table and recreates only core's, so these are migrated again after each reset.
MIGRATED_PLUGINS = ("activity", "zaozhuang")


def fresh_site(reset_db, migrate_db_for, reset_index):
    """An empty site for a module-wide fixture, which the per-test with_plugins and clean_db
    cannot serve: the plugins loaded, the database reset and migrated, the index emptied."""
    ckan.plugins.load_all()
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)
    reset_index()


@contextlib.contextmanager
def sql_statements() -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) sent to CKAN's database inside the block,
    as they are sent: what a path asks the database for, and how often."""
    sent: list[tuple[str, Any]] = []

    def note(conn, cursor, statement, parameters, *args):
        sent.append((statement, parameters))

    sa.event.listen(model.meta.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", note)


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    # Plugin migrations need the plugins loaded, whatever order a test lists its fixtures in.
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)


def pytest_terminal_summary(terminalreporter):
    """Say how large the access matrix that ran was (roles × tiers × paths)."""
    cells = sum(1 for outcome in ("passed", "failed")
                for report in terminalreporter.stats.get(outcome, [])
                if "access/test_matrix.py::test_cell" in report.nodeid and report.when == "call")
    if cells:
        from tests.access.test_matrix import COMBOS, PATHS, ROLES
        terminalreporter.write_line(
            f"access matrix: {cells} cells run of {len(ROLES)} roles x {len(COMBOS)} "
            f"opening/sharing tiers x {len(PATHS)} paths")


@pytest.fixture
def live_server(with_plugins, ckan_config):
    """The portal served over real HTTP on a free 127.0.0.1 port, for clients such as ckanapi
    and the browser. Yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    from ckan.config.middleware import make_app

    server = make_server("127.0.0.1", 0, make_app(ckan_config), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
