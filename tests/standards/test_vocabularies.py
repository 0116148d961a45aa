"""The vocabularies through the API, and every term URI of the RDF resolving to a page and to
SKOS by content negotiation."""
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckan.tests.helpers import call_action

from ckanext.zaozhuang.schema import vocabularies
from tests.factories import CatalogDataset

SKOS_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                "application/rdf+xml": "xml"}


@pytest.mark.usefixtures("with_plugins")
class TestVocabularyList:
    def test_every_published_vocabulary_with_its_codes_and_labels(self, app):
        response = app.get("/api/3/action/zaozhuang_vocabulary_list")
        assert response.status_code == 200
        listed = response.json["result"]
        assert [v["name"] for v in listed] == list(vocabularies.schemes())
        assert {"domain", "theme", "industry", "spatial", "update_frequency",
                "open_category"} <= {v["name"] for v in listed}
        for vocabulary in listed:
            assert vocabulary["title"]["zh_Hans_CN"] and vocabulary["title"]["en"]
            assert [t["code"] for t in vocabulary["terms"]] == vocabularies.codes(
                vocabulary["name"])
            assert all(t["label"]["zh_Hans_CN"] and t["label"]["en"]
                       for t in vocabulary["terms"])

    def test_one_vocabulary_by_name(self):
        [domain] = call_action("zaozhuang_vocabulary_list", name="domain")
        transport = next(t for t in domain["terms"] if t["code"] == "transport")
        assert transport["label"] == {"zh_Hans_CN": "交通运输", "en": "Transport"}
        assert transport["uri"].endswith("/vocabulary/domain/transport")
        assert transport["matches"] == [{
            "match": "exactMatch",
            "uri": "http://publications.europa.eu/resource/authority/data-theme/TRAN"}]

    @pytest.mark.parametrize("name", ["nonsense", ["domain"], {"a": 1}, 3, ""])
    def test_an_unknown_vocabulary_is_a_field_error(self, app, name):
        response = app.post("/api/3/action/zaozhuang_vocabulary_list", json={"name": name})
        assert response.status_code == 409, response.json
        assert "name" in response.json["error"]


def _term_uris(graph, site_url):
    prefix = site_url.rstrip("/") + "/vocabulary/"
    return {node for triple in graph for node in triple
            if isinstance(node, URIRef) and node.startswith(prefix)}


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_every_term_uri_of_the_rdf_resolves(app):
    dataset = CatalogDataset(theme=["public_services"], industry="G",
                             spatial_coverage=["370402", "370400-gxq"])
    site_url = call_action("status_show")["site_url"]
    graph = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").get_data(
        as_text=True), format="turtle")
    uris = _term_uris(graph, site_url)
    assert len(uris) >= 4, uris
    for uri in uris:
        path = uri[len(site_url.rstrip("/")):]
        # A concept's scheme (/vocabulary/<name>) is named by the concept's skos:inScheme.
        is_scheme = path.count("/") == 2
        page = app.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"], uri
        for media_type, rdflib_format in SKOS_FORMATS.items():
            response = app.get(path, headers={"Accept": media_type})
            assert response.status_code == 200, (uri, media_type)
            assert response.headers["Content-Type"].startswith(media_type)
            assert "Accept" in response.headers["Vary"]
            skos = Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
            if is_scheme:
                assert (uri, RDF.type, SKOS.ConceptScheme) in skos, (uri, media_type)
                continue
            assert (uri, RDF.type, SKOS.Concept) in skos, (uri, media_type)
            assert {label.language for label in skos.objects(uri, SKOS.prefLabel)} == {
                "zh", "en"}
            scheme = skos.value(uri, SKOS.inScheme)
            assert (scheme, RDF.type, SKOS.ConceptScheme) in skos


@pytest.mark.usefixtures("with_plugins")
class TestPages:
    def test_the_page_is_in_chinese_first(self, app):
        page = app.get("/vocabulary/domain/transport").get_data(as_text=True)
        assert "<h1 class=\"page-heading\">交通运输</h1>" in page and "数据领域" in page
        english = app.get("/en/vocabulary/domain/transport").get_data(as_text=True)
        assert "<h1 class=\"page-heading\">Transport</h1>" in english

    def test_a_scheme_lists_its_terms(self, app):
        page = app.get("/vocabulary/spatial").get_data(as_text=True)
        assert "枣庄高新区" in page and "370400-gxq" in page
        g = Graph().parse(data=app.get("/vocabulary/spatial?format=ttl").get_data(
            as_text=True), format="turtle")
        scheme = URIRef(call_action("status_show")["site_url"].rstrip("/")
                        + "/vocabulary/spatial")
        assert len(list(g.objects(scheme, SKOS.hasTopConcept))) == len(
            vocabularies.codes("spatial"))
        assert g.value(scheme, SKOS.prefLabel, any=True) is not None
        assert (None, SKOS.prefLabel, Literal("滕州市", lang="zh")) in g

    def test_the_index_lists_every_vocabulary(self, app):
        document = json.loads(app.get("/vocabulary", headers={
            "Accept": "application/ld+json"}).get_data(as_text=True))
        assert document
        page = app.get("/vocabulary").get_data(as_text=True)
        assert all(f"/vocabulary/{name}\"" in page for name in vocabularies.schemes())

    @pytest.mark.parametrize("accept", ["application/pdf", "*/*", "text/turtle;q=x",
                                        "\x7f;;,,", "text/*"])
    def test_odd_accept_headers_get_the_page(self, app, accept):
        response = app.get("/vocabulary/domain", headers={"Accept": accept})
        assert response.status_code == 200
        assert "text/html" in response.headers["Content-Type"]

    @pytest.mark.parametrize("path, status", [
        ("/vocabulary/nonsense", 404), ("/vocabulary/domain/nonsense", 404),
        ("/vocabulary/domain?format=pdf", 400), ("/vocabulary/nonsense/transport", 404)])
    def test_mistakes_are_not_server_errors(self, app, path, status):
        assert app.get(path).status_code == status
