from tests.applications.conftest import *  # noqa: F401,F403 (fixtures)
