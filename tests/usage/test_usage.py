"""Usage figures: counted from real requests (pages, downloads, the API) in the real Redis,
folded by the real scheduler into PostgreSQL, indexed in Solr for the search sorts, and read
through real auth."""
import datetime
import time

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.schedule import scheduler
from ckanext.zaozhuang.schedule.tasks import TASKS
from ckanext.zaozhuang.usage import counter
from tests.applications.world import world  # noqa: F401 (fixture)
from tests.factories import CatalogDataset

LINK = "http://example.com/stops.csv"
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"}


@pytest.fixture(autouse=True)
def no_counts(with_plugins):
    counter.flush()  # an earlier test's uses, not this one's
    redis = connect_to_redis()
    keys = redis.keys(counter.prefix() + "*")
    if keys:
        redis.delete(*keys)


@pytest.fixture
def opened(world):  # noqa: F811
    """The world's open dataset with a link to download."""
    dataset = CatalogDataset(owner_org=world.provider["id"], title="滕州市公交站点信息",
                             resources=[{"name": "站点", "url": LINK, "format": "CSV"}])
    return world, dataset


def _fold():
    return call_action("zaozhuang_usage_fold", {"ignore_auth": True})


def _usage(world, role, dataset_id):
    return world.act(role, "usage_show", id=dataset_id)


def _token(world, role):
    return factories.APIToken(user=world.name(role))["token"]


def _use(app, dataset, **headers):
    """A visitor reads the dataset page and its resource page, downloads the file and calls
    the API twice."""
    resource = dataset["resources"][0]
    headers = dict(BROWSER, **headers)
    app.get(f"/dataset/{dataset['name']}", headers=headers)
    app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}", headers=headers)
    download = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download",
                       headers=headers, follow_redirects=False)
    assert download.status_code == 302 and download.location == LINK
    for _ in range(2):
        app.post("/api/3/action/package_show",
                 json={"id": dataset["name"]}, headers=headers)


class TestCounting:
    def test_each_visitor_counts_once_a_day_and_each_api_call_counts(self, app, opened):
        world, dataset = opened
        _use(app, dataset)
        _use(app, dataset)  # the same visitor again the same day
        _use(app, dataset, Authorization=_token(world, "applicant"))
        _fold()
        figures = _usage(world, "anonymous", dataset["id"])
        assert (figures["views"], figures["downloads"], figures["api_calls"]) == (2, 2, 6)
        assert figures["recent"] == {"views": 2, "downloads": 2, "api_calls": 6}
        resource = figures["resources"][dataset["resources"][0]["id"]]
        assert (resource["downloads"], resource["views"]) == (2, 0)

    def test_refusals_crawlers_and_heads_count_nothing(self, app, opened):
        world, dataset = opened
        conditional = world.dataset
        refused = app.get(f"/dataset/{conditional['id']}/resource/"
                          f"{conditional['resources'][0]['id']}/download", headers=BROWSER)
        assert refused.status_code == 403
        app.get(f"/dataset/{dataset['name']}",
                headers={"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0)"})
        app.test_client().head(f"/dataset/{dataset['name']}", headers=BROWSER)
        app.get("/dataset/no-such-dataset", headers=BROWSER)
        _fold()
        for shown in (dataset, conditional):
            figures = _usage(world, "provider_admin", shown["id"])
            assert (figures["views"], figures["downloads"], figures["api_calls"]) == (0, 0, 0)

    def test_a_thread_of_the_process_writes_the_uses_to_redis(self, app, opened):
        """Requests only note their use: the process's flushing thread writes them, with no
        fold or flush asked for."""
        world, dataset = opened
        app.get(f"/dataset/{dataset['name']}", headers=BROWSER)
        app.post("/api/3/action/package_show", json={"id": dataset["name"]}, headers=BROWSER)
        views = counter.key(counter.today(), "view", dataset["id"], "")
        calls = counter.key(counter.today(), "api", dataset["id"], "")
        redis = connect_to_redis()
        deadline = time.monotonic() + 20 * counter.FLUSH_SECONDS
        while not (redis.exists(views) and redis.exists(calls)):
            assert time.monotonic() < deadline, "the uses never reached Redis"
            time.sleep(0.05)
        assert (redis.scard(views), int(redis.get(calls))) == (1, 1)
        assert 0 < redis.ttl(views) <= counter.KEY_SECONDS

    def test_folding_again_adds_nothing(self, app, opened):
        world, dataset = opened
        _use(app, dataset)
        first = _fold()["message"]
        assert "1 datasets indexed again" in first
        assert "0 datasets indexed again" in _fold()["message"]
        assert _usage(world, "anonymous", dataset["id"])["views"] == 1

    def test_the_scheduler_folds_every_few_minutes(self, app, opened):
        world, dataset = opened
        _use(app, dataset)
        now = datetime.datetime.now(datetime.timezone.utc)
        for name in TASKS:  # only the fold is due
            scheduler.set_last_run(name, now + datetime.timedelta(days=365))
        scheduler.set_last_run("fold-usage", now - datetime.timedelta(minutes=6))
        assert list(scheduler.tick(app.flask_app, now)) == ["fold-usage"]
        assert _usage(world, "anonymous", dataset["id"])["downloads"] == 1


class TestShown:
    def test_search_sorts_by_downloads_and_views_and_the_home_page_lists_them(self, app,
                                                                               opened):
        world, dataset = opened
        quiet = CatalogDataset(owner_org=world.provider["id"], title="滕州市公交线路信息",
                               resources=[{"name": "线路", "url": LINK, "format": "CSV"}])
        _use(app, dataset)
        _fold()
        for sort in ("resources_accessed_total desc", "views_total desc"):
            found = call_action("package_search", {"user": None, "ignore_auth": False},
                                q="*:*", sort=sort, rows=100)
            names = [d["name"] for d in found["results"]]
            assert names.index(dataset["name"]) < names.index(quiet["name"])
        home = app.get("/", headers=BROWSER).get_data(as_text=True)
        most = home[home.index("最多下载"):]
        assert dataset["title"] in most and quiet["title"] not in most
        search = app.get("/dataset/", headers=BROWSER).get_data(as_text=True)
        assert "最多下载" in search and "最多浏览" in search

    def test_the_dataset_page_and_the_home_page_show_the_figures(self, app, opened):
        world, dataset = opened
        _use(app, dataset)
        _fold()
        page = app.get(f"/dataset/{dataset['name']}", headers=BROWSER).get_data(as_text=True)
        assert "接口调用 <strong>2</strong>" in page and "下载 <strong>1</strong>" in page
        figures = call_action("zaozhuang_portal_figures", {"user": None, "ignore_auth": False})
        assert (figures["downloads"], figures["api_calls"], figures["views"]) == (1, 2, 1)

    def test_supervision_counts_the_use_of_each_departments_data(self, app, opened):
        world, dataset = opened
        _use(app, dataset)
        _fold()
        result = world.act("authority", "supervision_figures")
        row = next(r for r in result["departments"] if r["id"] == world.provider["id"])
        assert (row["views"], row["downloads"], row["api_calls"]) == (1, 1, 2)
        assert result["city"]["downloads"] == 1
        other = next(r for r in result["departments"] if r["id"] == world.other_department["id"])
        assert other["downloads"] == 0


class TestAuth:
    def test_figures_of_a_dataset_only_for_those_who_may_see_it(self, world):  # noqa: F811
        hidden = CatalogDataset(owner_org=world.provider["id"], open_category="not_open",
                                not_open_basis="依法不予开放")
        for role in ("anonymous", "applicant"):
            with pytest.raises(tk.NotAuthorized):
                _usage(world, role, hidden["id"])
        assert _usage(world, "provider_member", hidden["id"])["views"] == 0
        # Conditionally open data is described to everyone, its use too.
        assert _usage(world, "anonymous", world.dataset["id"])["downloads"] == 0

    @pytest.mark.parametrize("role", ["anonymous", "applicant", "provider_admin", "authority"])
    def test_only_the_scheduler_folds(self, world, role):  # noqa: F811
        with pytest.raises(tk.NotAuthorized):
            world.act(role, "usage_fold")
        assert "usage:" in world.act("sysadmin", "usage_fold")["message"]

    @pytest.mark.parametrize("value, error", [
        (None, tk.ValidationError), ("", tk.ValidationError), ("no-such-dataset", tk.ObjectNotFound)])
    def test_bad_dataset(self, world, value, error):  # noqa: F811
        with pytest.raises(error):
            _usage(world, "applicant", value)

    @pytest.mark.parametrize("value", [["x"], {"id": "x"}, "x\x00"])
    def test_bad_dataset_over_http(self, app, value):
        answer = app.post("/api/3/action/zaozhuang_usage_show", json={"id": value}, status=409)
        assert "id" in answer.json["error"]
