"""The catalog's own RDF properties (<site>/ns/catalog#<name>) resolve to their description,
and the catalog names the concept schemes of its themes."""
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, RDFS, SKOS

from ckan.tests.helpers import call_action

from tests.factories import CatalogDataset

RDF_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}
API = {"name": "实时到站接口", "url": "http://example.com/api/arrivals", "format": "API",
       "resource_type": "api"}
ITEMS = [{"name_zh": "线路编号", "name_en": "route_id", "type": "string", "mandatory": "yes",
          "unique": "yes", "value_format": "phone", "codes": "1路、2路"},
         {"name_zh": "票价", "name_en": "fare", "type": "decimal", "minimum": "0",
          "maximum": "20"}]


def _graph(app, path, accept="text/turtle"):
    response = app.get(path, headers={"Accept": accept})
    assert response.status_code == 200, path
    return Graph().parse(data=response.get_data(as_text=True), format=RDF_FORMATS[accept])


def _site_url():
    return call_action("status_show")["site_url"].rstrip("/")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_every_own_property_of_the_rdf_resolves(app):
    dataset = CatalogDataset(data_level="important", record_count=12, share_method=["file"],
                             metadata_maintainer="市交通运输局信息中心", data_dictionary=ITEMS,
                             resources=[dict(API)])
    prefix = _site_url() + "/ns/catalog#"
    used = {p for p in _graph(app, f"/dataset/{dataset['name']}.ttl").predicates()
            if str(p).startswith(prefix)}
    assert {prefix + name for name in ("data_level", "record_count", "share_method",
                                       "mandatory", "unique", "value_format", "codes",
                                       "minimum", "maximum", "format")} <= {str(p) for p in used}
    page = app.get("/ns/catalog").get_data(as_text=True)
    for accept in RDF_FORMATS:
        described = _graph(app, "/ns/catalog", accept)
        for prop in used:
            assert (prop, RDF.type, RDF.Property) in described, (prop, accept)
            assert {label.language for label in described.objects(prop, RDFS.label)} == {
                "zh", "en"}
    for prop in used:
        assert f'id="{str(prop)[len(prefix):]}"' in page
    assert "目录属性" in page or "属性" in page
    listed = call_action("zaozhuang_property_list", {"user": None, "ignore_auth": False})
    value_format = next(p for p in listed if p["name"] == "value_format")
    assert value_format["label"] == {"zh_Hans_CN": "取值格式", "en": "Value format"}
    assert value_format["subjects"] == ["item"]
    assert value_format["scheme"].endswith("/vocabulary/value_format")
    assert app.get(value_format["scheme"]).status_code == 200


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_the_catalog_names_the_schemes_of_its_themes(app):
    CatalogDataset(theme=["public_services"], industry="G")
    catalog = _graph(app, "/catalog.ttl")
    [catalog_ref] = catalog.subjects(RDF.type, DCAT.Catalog)
    schemes = set(catalog.objects(catalog_ref, DCAT.themeTaxonomy))
    site = _site_url()
    assert {URIRef(f"{site}/vocabulary/{name}") for name in ("domain", "theme", "industry")} \
        | {URIRef("http://publications.europa.eu/resource/authority/data-theme")} == schemes
    for scheme in schemes:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in catalog
    for theme in catalog.objects(None, DCAT.theme):
        if str(theme).startswith(site):
            assert catalog.value(theme, SKOS.inScheme) in schemes
