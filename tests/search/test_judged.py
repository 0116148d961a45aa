"""The judged query set (judged/): recall, P@10 and MRR of the portal's search beside stock
CKAN's query handling on the same Solr index. `make search-quality` prints the figures."""
import unicodedata
from pathlib import Path

import pytest
import yaml

import ckan.plugins
import ckan.plugins.toolkit as tk
from ckan.lib import search

from ckanext.zaozhuang.schema import vocabularies
from tests.conftest import fresh_site
from tests.factories import CatalogDataset, Department

JUDGED = Path(__file__).parent / "judged"
ROWS = 1000


def _load(name):
    with open(JUDGED / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


CATALOG = _load("catalog.yaml")
DEPARTMENTS = {d["name"]: d for d in CATALOG["departments"]}


def _fold(text):
    return unicodedata.normalize("NFKC", text).casefold()


def _places(dataset):
    return [vocabularies.label("spatial", code, "zh_Hans_CN") for code in _codes(dataset)]


def _codes(dataset):
    return [str(code) for code in dataset["places"]]


def _department_names(dataset):
    department = DEPARTMENTS[dataset["org"]]
    return [department["title"], *department["alias"]]


def _named(word):
    """Datasets whose title, department (title or alias) or place holds the word."""
    return [d["name"] for d in CATALOG["datasets"]
            if any(_fold(word) in _fold(text)
                   for text in (d["title"], *_department_names(d), *_places(d)))]


def _slugs(*words):
    """Datasets whose name holds every word."""
    return {d["name"] for d in CATALOG["datasets"]
            if all(w in d["name"].split("-") for w in words)}


def _queries():
    """The hand-judged queries, then every department name and alias and every place: their
    relevant datasets are those the name belongs to."""
    judged = _load("queries.yaml")["queries"]
    names = sorted({n for d in CATALOG["departments"] for n in (d["title"], *d["alias"])})
    places = [t["zh_Hans_CN"] for t in vocabularies.terms("spatial")]
    return judged + [{"q": name, "relevant": _named(name)} for name in names + places]


QUERIES = _queries()


def _words_found_together(query):
    """The datasets each of whose query words is in its title, department or place."""
    words = str(query.get("words", query["q"])).split()
    found = [set(_named(w)) for w in words]
    return set.intersection(*found) if found else set()


def portal_search(q):
    # As an anonymous citizen, through the action and the portal's query handling.
    result = tk.get_action("package_search")({"user": ""}, {"q": q, "rows": ROWS})
    return [d["name"] for d in result["results"]]


def stock_search(q):
    # CKAN's own query building (dismax, its default qf and mm) on the same index, without
    # any plugin's before_dataset_search.
    return search.query_for("package").run(
        {"q": q, "rows": ROWS, "fl": "name", "fq": "+dataset_type:dataset"},
        permission_labels=None)["results"]


def measure(search):
    """Recall over all judged (query, dataset) pairs; P@10 (relevant among the first ten,
    out of at most ten) and reciprocal rank of the first relevant, averaged over queries."""
    found = relevant = 0
    precision = reciprocal = 0.0
    misses = []
    for query in QUERIES:
        wanted = set(query["relevant"])
        names = search(str(query["q"]))
        hits = wanted & set(names)
        found += len(hits)
        relevant += len(wanted)
        precision += len(wanted & set(names[:10])) / min(10, len(wanted))
        ranks = [i for i, n in enumerate(names, 1) if n in wanted]
        reciprocal += 1 / ranks[0] if ranks else 0
        if hits != wanted:
            misses.append((query["q"], sorted(wanted - hits)))
    n = len(QUERIES)
    return {"recall": found / relevant, "p@10": precision / n, "mrr": reciprocal / n,
            "misses": misses}


@pytest.fixture(scope="module")
def judged_catalog(reset_db, migrate_db_for, reset_index):
    # Module-wide: the catalog is built once for every query.
    fresh_site(reset_db, migrate_db_for, reset_index)
    # Created as the site user, a sysadmin: the authority that maintains aliases.
    orgs = {d["name"]: Department(name=d["name"], title=d["title"], alias=d["alias"])
            for d in CATALOG["departments"]}
    for d in CATALOG["datasets"]:
        fields = {k: d[k] for k in ("title", "notes", "domain", "theme", "temporal_start",
                                    "temporal_end") if k in d}
        CatalogDataset(name=d["name"], owner_org=orgs[d["org"]]["id"],
                       spatial_coverage=_codes(d),
                       tags=[{"name": t} for t in d.get("tags", [])], **fields)
    yield CATALOG
    search.clear_all()
    ckan.plugins.unload_all()


def test_judged_set_size():
    assert len(_load("queries.yaml")["queries"]) >= 150
    assert len(CATALOG["datasets"]) >= 120 and len(DEPARTMENTS) >= 20


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: str(q["q"]))
def test_judgments_include_every_dataset_named_by_the_words(query):
    # The judged answers themselves obey the rule the portal is held to.
    assert _words_found_together(query) <= set(query["relevant"])


@pytest.mark.usefixtures("judged_catalog")
def test_words_in_title_department_or_place_find_the_dataset():
    missed = {query["q"]: sorted(_words_found_together(query) - set(portal_search(query["q"])))
              for query in QUERIES}
    assert {q: m for q, m in missed.items() if m} == {}


@pytest.mark.usefixtures("judged_catalog")
def test_search_quality(capsys):
    portal, stock = measure(portal_search), measure(stock_search)
    with capsys.disabled():
        print(f"\njudged search: {len(QUERIES)} queries, {len(CATALOG['datasets'])} datasets, "
              f"{len(DEPARTMENTS)} departments")
        print(f"{'':10}{'recall':>8}{'P@10':>8}{'MRR':>8}")
        for label, figures in (("portal", portal), ("stock CKAN", stock)):
            print(f"{label:10}{figures['recall']:8.3f}{figures['p@10']:8.3f}"
                  f"{figures['mrr']:8.3f}")
        for q, missing in portal["misses"]:
            print(f"  portal misses for {q!r}: {', '.join(missing)}")
    assert portal["recall"] >= 0.95


def _department(name):
    return {d["name"] for d in CATALOG["datasets"] if d["org"] == name}


@pytest.mark.usefixtures("judged_catalog")
class TestWhatCitizensType:
    @pytest.mark.parametrize("q, first", [
        ("滕州公交", "tengzhou-bus-routes"),
        ("枣庄空气质量", "air-quality-daily"),
        ("台儿庄古城客流", "taierzhuang-old-town-visitors"),
        ("枣庄市有哪些养老机构", "elderly-care-institutions"),
        ("二级医院", "secondary-hospitals"),
        ("滕州学校", "tengzhou-schools"),
    ])
    def test_unspaced_words_and_questions(self, q, first):
        assert portal_search(q)[0] == first

    @pytest.mark.parametrize("alias, department", [
        ("市监局", "zz-scjgj"), ("卫健委", "zz-wsjkw"), ("人社局", "zz-rsj"),
        ("住建局", "zz-zjj"), ("文旅局", "zz-wlj"), ("发改委", "zz-fgw"), ("医保局", "zz-ybj"),
        ("自然资源局", "zz-zrzyj"),
    ])
    def test_department_aliases(self, alias, department):
        names = portal_search(alias)
        # The department's datasets first; 文旅局 also names 台儿庄文旅局.
        assert set(names[:len(_department(department))]) == _department(department)
        assert set(_named(alias)) <= set(names)

    def test_place_name_finds_the_datasets_covering_it(self):
        names = portal_search("滕州市")
        # 370481 in their coverage, no 滕州 in their titles.
        assert {"coal-mines", "gdp-by-district"} <= set(names)
        assert "bus-routes" not in names

    def test_title_and_department_rank_first(self):
        # 公交 is in five titles and in no other dataset's department.
        assert set(portal_search("公交")[:5]) == {
            "bus-routes", "bus-stops", "bus-card-outlets", "bus-ridership-2023",
            "tengzhou-bus-routes"}

    @pytest.mark.parametrize("typed, meant", [
        ("空气质量(小时)", "空气质量 小时"),
        ("公交?", "公交"),
        ("公交:线路", "公交 线路"),
        ("公交 -滕州", "公交 滕州"),
        ("ＰＭ２．５", "PM2.5"),
        ("公交 AND 滕州", "公交 滕州"),
        ("\"公交线路\"", "公交线路"),
    ])
    def test_punctuation_and_width_are_not_syntax(self, typed, meant):
        assert portal_search(typed) == portal_search(meant) != []

    def test_a_year_is_not_every_dataset_of_that_year(self):
        # Five datasets cover 2023; two have it in their titles.
        assert set(portal_search("2023")) == {"bus-ridership-2023", "statistical-bulletin-2023"}

    def test_field_queries_on_allowed_fields(self):
        assert portal_search("tags:bus") == ["bus-routes"]
        assert set(portal_search("organization:tz-jtysj")) == _department("tz-jtysj")
        # Fields outside the list are words: a link is never searchable.
        assert portal_search("res_url:http") == []

    @pytest.mark.parametrize("q, expected", [
        # English text (bus-routes has some) and the words of dataset names.
        ("bus", {"bus-routes", *_slugs("bus")}),
        ("air quality", _slugs("air", "quality")),
        ("meteorology", {"rainfall", "weather-stations", "weather-warnings", "climate-bulletin"}),
        ("Tengzhou", set(_named("滕州市"))),
    ])
    def test_english_words(self, q, expected):
        assert set(portal_search(q)) == expected

    def test_the_dataset_page_searches_alike(self, app):
        body = app.get("/dataset/", query_string={"q": "市监局"}).get_data(as_text=True)
        assert "/dataset/food-sampling" in body
