"""Fixtures of the ratings tests."""
from tests.participation.ratings.world import world  # noqa: F401 (fixture)
