"""Fixtures of the participation tests."""
from tests.applications.mailbox import fresh_queues, mailbox  # noqa: F401 (fixtures)
from tests.participation.world import web, world  # noqa: F401 (fixtures)
