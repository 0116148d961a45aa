"""The catalog's facets, through package_search and on the /dataset page, with labels."""
import json

import pytest

from ckan.lib import helpers as h
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang import helpers

from tests.factories import CatalogDataset, Department

FACETS = ["open_category", "domain", "organization", "update_frequency", "res_format",
          "spatial_coverage", "theme"]


@pytest.fixture
def catalog():
    transport = Department(name="jtj", title="枣庄市交通运输局")
    health = Department(name="wjw", title="枣庄市卫生健康委员会")
    sysadmin = {"user": factories.Sysadmin()["name"]}
    bus = CatalogDataset(owner_org=transport["id"], domain="transport", theme=["public_services"],
                         spatial_coverage=["370402", "370481"], update_frequency="daily")
    CatalogDataset(owner_org=transport["id"], domain="transport", open_category="conditional",
                   open_conditions="签署协议", spatial_coverage=["370402"],
                   update_frequency="monthly", theme=["public_services", "credit_system"])
    CatalogDataset(owner_org=health["id"], domain="health", spatial_coverage=["370400"],
                   update_frequency="monthly")
    call_action("resource_create", sysadmin, package_id=bus["id"], name="线路",
                url="https://example.org/bus.csv", format="CSV")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
def test_facets_count_codes_and_show_labels(catalog):
    result = call_action("package_search", **{"facet.field": json.dumps(FACETS)})
    facets = {name: {i["name"]: (i["count"], i["display_name"]) for i in facet["items"]}
              for name, facet in result["search_facets"].items()}
    assert facets["open_category"] == {"unconditional": (2, "无条件开放"),
                                       "conditional": (1, "有条件开放")}
    assert facets["domain"] == {"transport": (2, "交通运输"), "health": (1, "医疗卫生")}
    assert facets["organization"] == {"jtj": (2, "枣庄市交通运输局"),
                                      "wjw": (1, "枣庄市卫生健康委员会")}
    assert facets["update_frequency"] == {"daily": (1, "每日"), "monthly": (2, "每月")}
    assert facets["res_format"] == {"CSV": (1, "CSV(电子表格)")}
    assert facets["spatial_coverage"] == {"370402": (2, "市中区"), "370481": (1, "滕州市"),
                                          "370400": (1, "枣庄市")}
    assert facets["theme"] == {"public_services": (2, "公共服务"), "credit_system": (1, "信用体系")}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_request_context")
def test_filtering_by_a_facet(catalog):
    assert call_action("package_search", fq='spatial_coverage:"370402"')["count"] == 2
    assert call_action("package_search", fq="open_category:conditional")["count"] == 1
    assert call_action("package_search", fq="theme:credit_system")["count"] == 1


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_search_page_shows_facets_in_chinese_and_english(catalog, app):
    page = app.get("/dataset/").get_data(as_text=True)
    for text in ("开放属性", "数据领域", "提供单位", "更新频率", "空间范围", "主题分类",
                 "无条件开放", "有条件开放", "市中区", "交通运输"):
        assert text in page, text
    page = app.get("/en/dataset/").get_data(as_text=True)
    for text in ("Opening category", "Conditionally open", "Shizhong District", "Transport"):
        assert text in page, text
    filtered = app.get("/dataset/", query_string={"open_category": "conditional"})
    assert filtered.get_data(as_text=True).count('class="dataset-item') == 1


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("path, extras", [
    ("/dataset/?q=公交&domain=transport&page=3&sort=score+desc", None),
    ("/dataset/?domain=transport&domain=health", None),
    ("/dataset/", None),
    ("/organization/jtj?q=线路&res_format=CSV", {"id": "jtj"}),
])
def test_facet_links_are_the_ones_ckan_builds(app, path, extras):
    """The facet list builds its links itself (the page's address once per list): each is
    exactly the link of CKAN's add_url_param, or remove_url_param for an active item."""
    items = [{"name": "transport", "active": "domain=transport" in path},
             {"name": "health", "active": "domain=health" in path},
             {"name": "公共 服务&=", "active": False}]
    with app.flask_app.test_request_context(path):
        ours = helpers.zaozhuang_facet_links("domain", items, extras=extras)
        core = [h.remove_url_param("domain", i["name"], extras=extras) if i["active"]
                else h.add_url_param(new_params={"domain": i["name"]}, extras=extras)
                for i in items]
        assert ours == core
        assert helpers.zaozhuang_facet_links("domain", items, alternative_url="/x") == [
            h.remove_url_param("domain", i["name"], alternative_url="/x") if i["active"]
            else h.add_url_param(new_params={"domain": i["name"]}, alternative_url="/x")
            for i in items]
