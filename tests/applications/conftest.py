"""Fixtures of the applications tests (the agreements tests share them)."""
from tests.applications.mailbox import fresh_queues, mailbox  # noqa: F401 (fixtures)
from tests.applications.world import world  # noqa: F401 (fixture)
