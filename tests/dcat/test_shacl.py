"""The DCAT output checked as a harvester checks it: the official DCAT-AP 3.0.1 SHACL shapes
run with pyshacl over the portal's real HTTP answers, for every opening tier and role."""
import functools
import os
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from ckan.tests import factories
from tests.factories import CatalogDataset, Department

# The shapes as published (SEMICeu/DCAT-AP releases/3.0.1/shacl/dcat-ap-SHACL.ttl, unchanged),
# kept in the repository so the test runs offline on any checkout; it holds every constraint,
# the class ranges included. DCAT_AP_SHACL names another copy.
SHAPES = Path(os.environ.get("DCAT_AP_SHACL",
                             Path(__file__).resolve().parent / "shapes" / "dcat-ap-SHACL.ttl"))


@functools.cache
def _shapes() -> Graph:
    assert SHAPES.is_file(), f"no DCAT-AP 3.0.1 SHACL shapes at {SHAPES} (set DCAT_AP_SHACL)"
    return Graph().parse(SHAPES, format="turtle")


RDFLIB_FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


def _violations(app, path, headers):
    response = app.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    extension = path.split("?")[0].rsplit(".", 1)[1]
    data = Graph().parse(data=response.get_data(as_text=True),
                         format=RDFLIB_FORMATS[extension])
    _, results, text = validate(data, shacl_graph=_shapes(), inference="none")
    count = len(list(results.subjects(SH.resultSeverity, SH.Violation)))
    return [f"{path}: {count} violations\n{text}"] if count else []


@pytest.fixture
def tiers():
    department = Department(name="jtj", title="枣庄市交通运输局",
                            contact_email="jtj@zaozhuang.gov.cn")
    resources = [
        {"name": "公交线路表", "url": "http://example.com/bus-routes.csv", "format": "CSV",
         "description": "线路编号、起讫站点和票价", "last_updated": "2024-06-30"},
        {"name": "实时到站接口", "url": "http://example.com/api/arrivals", "format": "API",
         "resource_type": "api"},
        {"name": "站点分布", "url": "http://example.com/stops.geojson", "format": "GeoJSON"},
    ]
    full = dict(owner_org=department["id"], theme=["public_services", "base_geospatial"],
                industry="G", spatial_coverage=["370402", "370400-gxq"],
                temporal_start="2020-01-01", temporal_end="2024-12-31",
                first_published="2021-03-01", last_updated="2024-06-30",
                contact_email="lisi@zaozhuang.gov.cn", tags=[{"name": "公交"}],
                resources=resources)
    return {
        "unconditional": CatalogDataset(**full),
        "unconditional, no resources": CatalogDataset(owner_org=department["id"]),
        "conditional": CatalogDataset(open_category="conditional",
                                      open_conditions="签订数据利用协议,仅用于交通研究",
                                      **full),
        "not_open": CatalogDataset(open_category="not_open",
                                   not_open_basis="涉及国家秘密", **full),
    }


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "3")
@pytest.mark.parametrize("role", ["anonymous", "sysadmin"])
def test_every_answer_conforms_to_dcat_ap_3(app, tiers, role):
    headers = ({"Authorization": factories.SysadminWithToken()["token"]}
               if role == "sysadmin" else {})
    visible = [d for tier, d in tiers.items() if role == "sysadmin" or tier != "not_open"]
    pages = -(-len(visible) // 3)
    paths = ["/catalog.ttl", "/catalog.rdf", "/catalog.jsonld"]
    paths += [f"/catalog.ttl?page={n}" for n in range(1, pages + 1)]
    paths += [f"/dataset/{d['name']}.ttl" for d in visible]

    violations = [v for path in paths for v in _violations(app, path, headers)]
    assert not violations, "\n".join(violations)
