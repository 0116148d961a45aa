"""Fixtures of the showcases tests."""
from tests.applications.mailbox import fresh_queues, mailbox  # noqa: F401 (fixtures)
from tests.participation.ratings.world import world  # noqa: F401 (fixture)
