"""A CKAN harvesting the portal with ckanext-dcat and our profile gets back every field of
the schema: each dataset's RDF, as served, parsed with the profile."""
import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser

from tests.factories import CatalogDataset

# The harvesting site decides these: the dataset's department there, and the licence,
# which follows from the opening category.
DECIDED_BY_THE_HARVESTER = {"owner_org", "license_id", "tag_string"}


def _schema_fields(key):
    schema = call_action("scheming_dataset_schema_show", type="dataset")
    return [field["field_name"] for field in schema[key]]


def _comparable(value):
    return sorted(value) if isinstance(value, list) and all(
        isinstance(item, str) for item in value) else value


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("opening", [
    {"open_category": "unconditional", "personal_info": "yes",
     "deidentification": "姓名和证件号码已删除"},
    {"open_category": "conditional", "open_conditions": "签订数据利用协议,仅用于交通研究",
     "share_category": "conditional", "share_conditions": "仅供交通管理部门使用"},
    {"open_category": "not_open", "not_open_basis": "涉及国家秘密", "share_category": "none"},
], ids=["unconditional", "conditional", "not_open"])
def test_every_schema_field_survives_the_harvest(app, opening):
    dataset = CatalogDataset(
        name="bus-routes", title="枣庄市公交线路信息", notes="全市城市公交线路的起讫站点和票价。",
        tags=[{"name": "公交"}, {"name": "交通出行"}], domain="transport",
        theme=["public_services", "base_geospatial"], industry="G", data_level="important",
        update_frequency="weekly", record_count=1520,
        spatial_coverage=["370402", "370481", "370400-gxq"],
        temporal_start="2020-01-01", temporal_end="2024-12-31",
        first_published="2021-03-01", last_updated="2024-06-30", source_system="公交调度系统",
        contact_name="李四", contact_phone="13912345678", contact_email="lisi@zaozhuang.gov.cn",
        data_dictionary=[
            {"name_zh": "线路编号", "name_en": "route_id", "type": "string",
             "description": "公交公司编定的线路号"},
            {"name_zh": "票价", "name_en": "fare", "type": "decimal"},
        ],
        resources=[
            {"name": "公交线路表", "url": "http://example.com/bus-routes.csv", "format": "CSV",
             "description": "线路编号、起讫站点和票价", "resource_type": "file",
             "record_count": 1520, "last_updated": "2024-06-30"},
            {"name": "实时到站接口", "url": "http://example.com/api/arrivals", "format": "API",
             "resource_type": "api"},
        ],
        **opening)
    # Who may see every tier and get every resource: what another portal would be given.
    authority = factories.SysadminWithToken()
    served = call_action("package_show", {"user": authority["name"]}, id=dataset["id"])
    response = app.get("/dataset/bus-routes.ttl", headers={"Authorization": authority["token"]})
    parser = RDFParser(profiles=["zaozhuang"])
    parser.parse(response.get_data(as_text=True), _format="ttl")
    [harvested] = parser.datasets()

    lost = {field: (served.get(field), harvested.get(field))
            for field in _schema_fields("dataset_fields")
            if field not in DECIDED_BY_THE_HARVESTER
            and _comparable(served.get(field) or None) != _comparable(
                harvested.get(field) or None)}
    assert sorted(t["name"] for t in harvested["tags"]) == ["交通出行", "公交"]
    for resource in served["resources"]:
        copy = next(r for r in harvested["resources"] if r["name"] == resource["name"])
        lost.update({f"{resource['name']}.{field}": (resource.get(field), copy.get(field))
                     for field in _schema_fields("resource_fields")
                     if (resource.get(field) or None) != (copy.get(field) or None)})
    assert not lost, lost
