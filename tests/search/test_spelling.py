"""Did-you-mean: a corrected query for a search that found little because of a typo, offered
in package_search's answer (zaozhuang_did_you_mean) and on the search page; never a word that
only datasets the searcher may not see contain."""
import re
from urllib.parse import parse_qs, urlparse

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset, Department
from tests.search.test_judged import QUERIES, judged_catalog  # noqa: F401 (module fixture)

KEY = "zaozhuang_did_you_mean"

# Typed, meant: single-character slips inside Chinese words (most of them homophones, as a
# pinyin keyboard makes them), a look-alike character, and English misspellings.
TYPOS = [
    ("空汽质量", "空气质量"),
    ("公交线录", "公交线路"),
    ("滕洲", "滕州"),
    ("养老机够", "养老机构"),
    ("幼儿圆", "幼儿园"),
    # 停车位 is a synonym of 停车场 (synonyms.yaml): either finds the parking lots.
    ("停车厂", ("停车场", "停车位")),
    ("加油占", "加油站"),
    ("图书官", "图书馆"),
    ("派出锁", "派出所"),
    ("旅游景去", "旅游景区"),
    ("不动产登级", "不动产登记"),
    ("医宝局", "医保局"),
    ("台尔庄", "台儿庄"),
    ("石留种植", "石榴种植"),
    ("降雨亮", "降雨量"),
    ("bus stpo", "bus stops"),
    ("air qualty", "air quality"),
    ("wether", "weather"),
    ("hospitl", "hospitals"),
]


def _search(q, user="", **params):
    return tk.get_action("package_search")({"user": user}, {"q": q, **params})


def _api(app, q, token=None, **params):
    headers = {"Authorization": token} if token else {}
    response = app.get("/api/3/action/package_search", query_string={"q": q, **params},
                       headers=headers)
    return response.status_code, response.json


@pytest.mark.usefixtures("judged_catalog")
class TestOverTheJudgedCatalog:
    @pytest.mark.parametrize("typed, meant", TYPOS)
    def test_a_typo_gets_the_query_that_finds_its_datasets(self, typed, meant):
        meant = meant if isinstance(meant, tuple) else (meant,)
        found = _search(typed, rows=1000)
        assert found.get(KEY) in meant
        corrected = {d["name"] for d in _search(found[KEY], rows=1000)["results"]}
        assert found["count"] == 0
        assert corrected >= {d["name"] for d in _search(meant[0], rows=1000)["results"]} != set()

    @pytest.mark.parametrize("query", [q for q in QUERIES if q["relevant"]],
                             ids=lambda q: str(q["q"]))
    def test_a_query_that_finds_its_datasets_gets_no_suggestion(self, query):
        assert _search(str(query["q"])).get(KEY) is None

    def test_a_threshold_of_zero_turns_it_off(self, monkeypatch):
        # 空汽质量 finds nothing; at 0 not even that search asks for a spellcheck.
        monkeypatch.setitem(tk.config, "ckanext.zaozhuang.search.did_you_mean_below", 0)
        assert KEY not in _search("空汽质量")

    def test_field_queries_are_not_corrected(self):
        assert KEY not in _search("tags:buss")

    def test_the_page_offers_a_link_that_keeps_the_filters(self, app):
        body = app.get("/dataset/", query_string={
            "q": "空汽质量", "domain": "ecology_environment", "page": "1"}).get_data(as_text=True)
        assert "您是不是要找：" in body
        href = re.search(r'class="zz-did-you-mean".*?<a href="([^"]+)"', body, re.S)[1]
        params = parse_qs(urlparse(href.replace("&amp;", "&")).query)
        assert params == {"q": ["空气质量"], "domain": ["ecology_environment"]}
        followed = app.get(href.replace("&amp;", "&")).get_data(as_text=True)
        assert "/dataset/air-quality-daily" in followed

    def test_the_page_in_english(self, app):
        body = app.get("/en/dataset/", query_string={"q": "滕洲"}).get_data(as_text=True)
        assert "Did you mean:" in body and ">滕州</a>" in body

    def test_no_suggestion_no_line(self, app):
        body = app.get("/dataset/", query_string={"q": "公交"}).get_data(as_text=True)
        assert "zz-did-you-mean" not in body

    @pytest.mark.parametrize("q", [
        "空汽质量" * 300, "空汽质量 AND (", "空汽:质量", "{!lucene}空汽质量", "空汽质量~2",
        "空汽*", "\\空汽质量", '"空汽质量', "空汽质量 OR title:*", "!!!", "？？？",
        "spellcheck.q=x", "air qualty) OR (*:*",
    ])
    def test_hostile_text_never_fails_nor_becomes_syntax(self, app, q):
        status, body = _api(app, q)
        assert status in (200, 409)
        suggestion = (body.get("result") or {}).get(KEY)
        # A suggestion is words and spaces only: it cannot be query syntax.
        assert suggestion is None or re.fullmatch(r"[\w ]+", suggestion)

    @pytest.mark.parametrize("value", [["空汽质量"], {"q": "空汽"}, 7, None])
    def test_a_q_of_the_wrong_type_never_fails(self, app, value):
        response = app.post("/api/3/action/package_search", json={"q": value})
        assert response.status_code in (200, 400, 409)
        suggestion = (response.json.get("result") or {}).get(KEY)
        assert suggestion is None or re.fullmatch(r"[\w ]+", suggestion)


HIDDEN_TITLE = "枣庄市矿山救援预案"  # 救援 appears in no dataset the public may see
TYPED = "矿山救缓"
MEANT = "矿山救援"


def _token(user):
    return call_action("api_token_create", {"user": user["name"]}, user=user["name"],
                       name="t")["token"]


@pytest.fixture
def hidden_world():
    publisher, other_editor = factories.User(), factories.User()
    provider = Department(users=[{"name": publisher["name"], "capacity": "editor"}])
    Department(users=[{"name": other_editor["name"], "capacity": "editor"}])
    # A visible dataset with 矿山, so the typo's other word exists for everyone.
    CatalogDataset(title="枣庄市矿山地质环境信息", owner_org=provider["id"])
    return {"publisher": publisher, "other": other_editor, "provider": provider}


HIDDEN = {
    "not_open": {"open_category": "not_open", "share_category": "none",
                 "not_open_basis": "依据《安全生产法》不予开放"},
    "private": {"private": True},
}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestNoLeak:
    @pytest.mark.parametrize("kind", sorted(HIDDEN))
    def test_only_who_may_see_the_dataset_is_offered_its_word(self, app, hidden_world, kind):
        CatalogDataset(title=HIDDEN_TITLE, owner_org=hidden_world["provider"]["id"],
                       **HIDDEN[kind])
        for token in (None, _token(hidden_world["other"])):
            status, body = _api(app, TYPED, token)
            assert status == 200 and KEY not in body["result"]
            page = app.get("/dataset/", query_string={"q": TYPED},
                           headers={"Authorization": token} if token else {})
            assert MEANT not in page.get_data(as_text=True)
        status, body = _api(app, TYPED, _token(hidden_world["publisher"]),
                            include_private="true")
        assert body["result"][KEY] == MEANT
        page = app.get("/dataset/", query_string={"q": TYPED},
                       headers={"Authorization": _token(hidden_world["publisher"])})
        assert f">{MEANT}</a>" in page.get_data(as_text=True)

    def test_a_draft_is_never_a_suggestion_in_search(self, app, hidden_world):
        CatalogDataset(title=HIDDEN_TITLE, owner_org=hidden_world["provider"]["id"],
                       state="draft")
        for token in (None, _token(hidden_world["other"]), _token(hidden_world["publisher"])):
            status, body = _api(app, TYPED, token)
            assert status == 200 and KEY not in body["result"]

    def test_a_deleted_dataset_is_never_a_suggestion(self, app, hidden_world):
        dataset = CatalogDataset(title=HIDDEN_TITLE, owner_org=hidden_world["provider"]["id"])
        assert _api(app, TYPED)[1]["result"][KEY] == MEANT
        call_action("package_delete", {"user": hidden_world["publisher"]["name"]},
                    id=dataset["id"])
        assert KEY not in _api(app, TYPED)[1]["result"]

    def test_a_word_of_a_hidden_dataset_does_not_ride_along(self, app, hidden_world):
        # Two typos: 矿山 is visible, 救援 hidden; a collation needs every word visible.
        CatalogDataset(title=HIDDEN_TITLE, owner_org=hidden_world["provider"]["id"],
                       **HIDDEN["not_open"])
        status, body = _api(app, "矿三救缓 地质环镜")
        assert status == 200 and MEANT not in str(body["result"].get(KEY))
