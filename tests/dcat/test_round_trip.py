"""A CKAN harvesting the portal with ckanext-dcat and our profile gets back every field of
the schema: each dataset's RDF as served, parsed with the profile, and the whole catalog,
page by page, created again in an empty site."""
import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser

from tests.factories import CatalogDataset, Department

# The harvesting site decides these: the dataset's department there, and the licence,
# which follows from the opening category.
DECIDED_BY_THE_HARVESTER = {"owner_org", "license_id", "tag_string"}

OPENINGS = {
    "unconditional": {"open_category": "unconditional", "personal_info": "yes",
                      "deidentification": "姓名和证件号码已删除"},
    "conditional": {"open_category": "conditional",
                    "open_conditions": "签订数据利用协议,仅用于交通研究",
                    "share_category": "conditional", "share_conditions": "仅供交通管理部门使用"},
    "not_open": {"open_category": "not_open", "not_open_basis": "涉及国家秘密",
                 "share_category": "none"},
}


def _full_dataset(name, owner_org, opening):
    return CatalogDataset(
        name=name, owner_org=owner_org, title="枣庄市公交线路信息",
        notes="全市城市公交线路的起讫站点和票价。",
        tags=[{"name": "公交"}, {"name": "交通出行"}], domain="transport",
        theme=["public_services", "base_geospatial"], industry="G", data_level="important",
        update_frequency="weekly", record_count=1520, share_method=["interface", "file"],
        secrecy="non_secret", metadata_maintainer="市交通运输局信息中心",
        related_codes="11370400MB28531020-00001,11370400MB28531020-00002",
        spatial_coverage=["370402", "370481", "370400-gxq"],
        temporal_start="2020-01-01", temporal_end="2024-12-31",
        first_published="2021-03-01", last_updated="2024-06-30", source_system="公交调度系统",
        contact_name="李四", contact_phone="13912345678", contact_email="lisi@zaozhuang.gov.cn",
        data_dictionary=[
            {"name_zh": "线路编号", "name_en": "route_id", "type": "string",
             "description": "公交公司编定的线路号", "mandatory": "yes", "unique": "yes"},
            {"name_zh": "票价", "name_en": "fare", "type": "decimal", "mandatory": "no",
             "minimum": "0", "maximum": "20"},
            {"name_zh": "线路类型", "name_en": "kind", "type": "string",
             "codes": "常规公交、快速公交、定制公交"},
            {"name_zh": "开通日期", "name_en": "opened", "type": "date",
             "minimum": "1990-01-01"},
            {"name_zh": "调度电话", "name_en": "phone", "type": "string",
             "value_format": "phone"},
        ],
        resources=[
            {"name": "公交线路表", "url": "http://example.com/bus-routes.csv", "format": "CSV",
             "description": "线路编号、起讫站点和票价", "resource_type": "file",
             "record_count": 1520, "last_updated": "2024-06-30"},
            {"name": "实时到站接口", "url": "http://example.com/api/arrivals", "format": "API",
             "resource_type": "api"},
        ],
        **OPENINGS[opening])


def _schema_fields(key):
    schema = call_action("scheming_dataset_schema_show", type="dataset")
    return [field["field_name"] for field in schema[key] if not field.get("unused")]


def _comparable(value):
    value = value or None
    return sorted(value) if isinstance(value, list) and all(
        isinstance(item, str) for item in value) else value


def _lost(served, harvested):
    """Each field of the schema whose value the harvest did not reproduce."""
    lost = {field: (served.get(field), harvested.get(field))
            for field in _schema_fields("dataset_fields")
            if field not in DECIDED_BY_THE_HARVESTER
            and _comparable(served.get(field)) != _comparable(harvested.get(field))}
    if sorted(t["name"] for t in served["tags"]) != sorted(t["name"] for t in harvested["tags"]):
        lost["tags"] = (served["tags"], harvested["tags"])
    for resource in served["resources"]:
        copy = next((r for r in harvested["resources"] if r["name"] == resource["name"]), {})
        lost.update({f"{resource['name']}.{field}": (resource.get(field), copy.get(field))
                     for field in _schema_fields("resource_fields")
                     if _comparable(resource.get(field)) != _comparable(copy.get(field))})
    return lost


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("opening", list(OPENINGS))
def test_every_schema_field_survives_the_parser(app, opening):
    dataset = _full_dataset("bus-routes", Department()["id"], opening)
    # Who may see every tier and get every resource: what another portal would be given.
    authority = factories.SysadminWithToken()
    served = call_action("package_show", {"user": authority["name"]}, id=dataset["id"])
    response = app.get("/dataset/bus-routes.ttl", headers={"Authorization": authority["token"]})
    parser = RDFParser(profiles=["zaozhuang"])
    parser.parse(response.get_data(as_text=True), _format="ttl")
    [harvested] = parser.datasets()
    assert not _lost(served, harvested)


def _harvest(app, token):
    """Every dataset of every page of the catalog, as a harvester follows hydra:next."""
    harvested, url = [], "/catalog.ttl"
    while url:
        parser = RDFParser(profiles=["zaozhuang"])
        parser.parse(app.get(url, headers={"Authorization": token}).get_data(as_text=True),
                     _format="ttl")
        harvested.extend(parser.datasets())
        url = parser.next_page()
    return harvested


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
def test_the_catalog_harvested_into_an_empty_site_loses_no_field(app):
    department = Department(name="jtj", title="枣庄市交通运输局")
    for n, opening in enumerate(OPENINGS):
        _full_dataset(f"bus-routes-{n}", department["id"], opening)
    authority = factories.SysadminWithToken()
    admin = {"user": authority["name"]}
    served = {d["name"]: d for d in call_action(
        "package_search", admin, q="*:*", include_private=True, rows=10)["results"]}
    harvested = _harvest(app, authority["token"])
    assert len(harvested) == len(served) == 3

    # The other site: the same department, none of the datasets.
    for name in served:
        call_action("dataset_purge", admin, id=name)
    call_action("organization_purge", admin, id=department["id"])
    there = Department(name="jtj", title="枣庄市交通运输局",
                       provider_code=department["provider_code"])
    lost = {}
    for dataset in harvested:
        created = call_action("package_create", admin, **dict(dataset, owner_org=there["id"]))
        lost.update({f"{created['name']}: {field}": values
                     for field, values in _lost(served[created["name"]], created).items()})
    assert not lost, lost
