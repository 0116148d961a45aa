"""Chinese and English free-text search against the real Solr configset."""
import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset, Department


def _search(**params):
    return call_action("package_search", **params)


def _names(result):
    return [d["name"] for d in result["results"]]


@pytest.fixture
def catalog():
    transport = Department(name="jtj", title="枣庄市交通运输局")
    environment = Department(name="sthjj", title="枣庄市生态环境局")
    return {
        "bus": CatalogDataset(
            name="bus-routes", title="枣庄市公交线路信息", owner_org=transport["id"],
            notes="全市城市公交线路的起讫站点和票价。Bus routes of the city.",
            tags=[{"name": "交通出行"}]),
        "bike": CatalogDataset(
            name="public-bikes", title="枣庄市公共自行车站点", owner_org=transport["id"],
            notes="公共自行车租赁点位置和车桩数量。"),
        "air": CatalogDataset(
            name="air-quality", title="滕州市空气质量监测", owner_org=environment["id"],
            notes="各监测站点每日空气质量指数。可换乘公交前往站点。"),
    }


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestChineseSearch:
    def test_word_inside_title(self, catalog):
        assert _names(_search(q="公交")) == ["bus-routes", "air-quality"]

    def test_title_matches_rank_before_description_matches(self, catalog):
        # 公交 is in the bus dataset's title, only in the air dataset's description.
        names = _names(_search(q="公交"))
        assert names.index("bus-routes") < names.index("air-quality")

    def test_word_inside_description(self, catalog):
        assert _names(_search(q="车桩")) == ["public-bikes"]

    def test_words_are_matched_as_written(self, catalog):
        # Only the bike dataset holds 公共 as written; the two with 公交 hold it only through
        # their synonym 公共交通 (search/synonyms.yaml), in the description's field.
        assert _names(_search(q="公共"))[0] == "public-bikes"
        assert _names(_search(q="自行车")) == ["public-bikes"]
        assert _names(_search(q="公交线路")) == ["bus-routes"]

    def test_district_name(self, catalog):
        assert _names(_search(q="滕州")) == ["air-quality"]

    def test_tag_and_organization(self, catalog):
        assert _names(_search(q="交通出行")) == ["bus-routes"]
        assert set(_names(_search(q="生态环境局"))) == {"air-quality"}

    def test_english_word(self, catalog):
        assert _names(_search(q="bus")) == ["bus-routes"]
        assert _names(_search(q="routes")) == ["bus-routes"]

    def test_no_match(self, catalog):
        assert _search(q="医院")["count"] == 0

    def test_deleted_dataset_leaves_the_index(self, catalog):
        admin = factories.Sysadmin()
        call_action("package_delete", {"user": admin["name"]}, id=catalog["bus"]["id"])
        assert _names(_search(q="公交线路")) == []

    def test_facets(self, catalog):
        result = _search(q="枣庄", **{"facet.field": '["organization", "tags"]'})
        # 枣庄 is in two titles and in the third dataset's department, 枣庄市生态环境局.
        assert result["count"] == 3
        orgs = {i["name"]: i["count"] for i in result["search_facets"]["organization"]["items"]}
        assert orgs == {"jtj": 2, "sthjj": 1}
        tags = {i["name"]: i["count"] for i in result["search_facets"]["tags"]["items"]}
        assert tags == {"交通出行": 1}

    def test_field_queries_keep_ckan_syntax(self, catalog):
        assert _names(_search(q="name:air-quality")) == ["air-quality"]
        assert _search(q="*:*")["count"] == 3
