"""Suggestions as the user types: zaozhuang_dataset_suggest."""
import pytest

from tests.factories import CatalogDataset, Department


def _suggest(app, **params):
    response = app.get("/api/3/action/zaozhuang_dataset_suggest", query_string=params)
    return response.status_code, response.json


@pytest.fixture
def catalog():
    transport = Department(name="tz-jtysj", title="滕州市交通运输局")
    CatalogDataset(name="tengzhou-bus-routes", title="滕州市公交线路站点信息",
                   owner_org=transport["id"])
    CatalogDataset(name="tengzhou-bus-plans", title="滕州市公交线网规划草案",
                   owner_org=transport["id"], private=True)
    CatalogDataset(name="tengzhou-taxi", title="滕州市巡游出租汽车信息", owner_org=transport["id"])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "catalog")
class TestSuggest:
    def test_unfinished_words_suggest_titles(self, app):
        status, body = _suggest(app, q="滕州公")
        assert status == 200
        assert body["result"][0] == {"name": "tengzhou-bus-routes", "title": "滕州市公交线路站点信息"}

    def test_only_what_the_user_may_see(self, app):
        _, body = _suggest(app, q="公交")
        assert [s["name"] for s in body["result"]] == ["tengzhou-bus-routes"]

    def test_limit(self, app):
        _, body = _suggest(app, q="滕州", limit=1)
        assert len(body["result"]) == 1

    @pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "公交", "limit": "many"}])
    def test_bad_input_names_the_field(self, app, params):
        status, body = _suggest(app, **params)
        assert status == 409
        assert set(body["error"]) - {"__type", "message"} <= {"q", "limit"}
