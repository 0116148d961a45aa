"""The catalog's DCAT output, fetched from ckanext-dcat's endpoints and read back with rdflib."""
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.dcat.profiles import ADMS, DCAT, DCT, FOAF, VCARD
from ckanext.dcat.utils import dataset_uri

from ckanext.zaozhuang.dcat import authorities, profiles
from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.standards import skos
from tests.conftest import sql_statements
from tests.factories import CatalogDataset, Department

ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
RDFLIB_FORMATS = {"rdf": "xml", "ttl": "turtle", "jsonld": "json-ld"}


def _graph(app, path, user=None):
    headers = {"Authorization": user["token"]} if user else {}
    response = app.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Graph().parse(data=response.get_data(as_text=True),
                         format=RDFLIB_FORMATS[path.rsplit(".", 1)[1]])


def _zh(graph, node):
    labels = [label for label in graph.objects(node, SKOS.prefLabel) if label.language == "zh"]
    assert len(labels) == 1, labels
    return str(labels[0])


def _by_identifier(graph, nodes):
    return {str(graph.value(node, DCT.identifier)): node for node in nodes}


def _own_themes(graph, ref):
    return [node for node in graph.objects(ref, DCAT.theme) if not node.startswith(DATA_THEME)]


def _eu_themes(graph, ref):
    return {node for node in graph.objects(ref, DCAT.theme) if node.startswith(DATA_THEME)}


@pytest.fixture
def department():
    return Department(name="jtj", title="枣庄市交通运输局",
                      contact_email="jtj@zaozhuang.gov.cn")


@pytest.fixture
def bus_routes(department):
    return CatalogDataset(
        name="bus-routes", title="枣庄市公交线路信息", owner_org=department["id"],
        notes="全市城市公交线路的起讫站点和票价。",
        tags=[{"name": "公交"}, {"name": "交通出行"}],
        domain="transport", theme=["public_services", "base_geospatial"],
        update_frequency="weekly",
        spatial_coverage=["370402", "370481"],
        temporal_start="2020-01-01", temporal_end="2024-12-31",
        first_published="2021-03-01", last_updated="2024-06-30",
        contact_name="李四", contact_phone="0632-3230100", contact_email="lisi@zaozhuang.gov.cn",
        resources=[{"name": "公交线路表", "url": "http://example.com/bus-routes.csv",
                    "format": "CSV", "description": "线路编号、起讫站点和票价",
                    "last_updated": "2024-06-30"}])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestDatasetGraph:
    @pytest.mark.parametrize("path", [
        "/dataset/bus-routes.rdf", "/dataset/bus-routes.ttl", "/dataset/bus-routes.jsonld",
        "/catalog.ttl"])
    def test_endpoint_carries_the_catalog_fields(self, app, bus_routes, department, path):
        g = _graph(app, path)
        ref = URIRef(dataset_uri(bus_routes))
        assert (ref, RDF.type, DCAT.Dataset) in g

        # The identifier that never changes; the catalog code is the dataset's other one.
        assert g.value(ref, DCT.identifier) == Literal(bus_routes["identifier"])
        [other] = g.objects(ref, ADMS.identifier)
        assert (other, RDF.type, ADMS.Identifier) in g
        assert g.value(other, SKOS.notation) == Literal(bus_routes["catalog_code"])
        assert g.value(ref, DCT.title) == Literal("枣庄市公交线路信息", lang="zh")
        assert g.value(ref, DCT.description) == Literal(
            "全市城市公交线路的起讫站点和票价。", lang="zh")
        assert set(g.objects(ref, DCAT.keyword)) == {Literal("公交"), Literal("交通出行")}
        assert g.value(ref, DCT.issued) == Literal("2021-03-01", datatype=XSD.date)
        assert g.value(ref, DCT.modified) == Literal("2024-06-30", datatype=XSD.date)

        rights = g.value(ref, DCT.accessRights)
        assert rights == URIRef(ACCESS_RIGHT + "PUBLIC")
        assert _zh(g, rights) == "无条件开放"
        frequency = g.value(ref, DCT.accrualPeriodicity)
        assert frequency == URIRef(FREQUENCY + "WEEKLY")
        assert _zh(g, frequency) == "每周"

        places = _by_identifier(g, g.objects(ref, DCT.spatial))
        assert set(places) == {"370402", "370481"}
        assert all((node, RDF.type, DCT.Location) in g for node in places.values())
        assert _zh(g, places["370402"]) == "市中区"
        assert _zh(g, places["370481"]) == "滕州市"
        assert places["370481"] == skos.term_uri("spatial", "370481")

        period = g.value(ref, DCT.temporal)
        assert (period, RDF.type, DCT.PeriodOfTime) in g
        assert g.value(period, DCAT.startDate) == Literal("2020-01-01", datatype=XSD.date)
        assert g.value(period, DCAT.endDate) == Literal("2024-12-31", datatype=XSD.date)

        contact = g.value(ref, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Kind) in g
        assert g.value(contact, VCARD.fn) == Literal("李四")
        assert g.value(contact, VCARD.hasTelephone) == URIRef("tel:+86-6323230100")
        assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:lisi@zaozhuang.gov.cn")

        themes = _by_identifier(g, _own_themes(g, ref))
        assert {code: _zh(g, node) for code, node in themes.items()} == {
            "transport": "交通运输", "public_services": "公共服务",
            "base_geospatial": "自然资源和空间地理(基础)"}
        assert themes["transport"] == skos.term_uri("domain", "transport")
        assert themes["public_services"] == skos.term_uri("theme", "public_services")
        # Each of ours matches an EU data theme, which the dataset carries too.
        assert (themes["transport"], SKOS.exactMatch, URIRef(DATA_THEME + "TRAN")) in g
        assert (themes["public_services"], SKOS.closeMatch, URIRef(DATA_THEME + "GOVE")) in g
        assert _eu_themes(g, ref) == {
            URIRef(DATA_THEME + code) for code in ("TRAN", "GOVE", "REGI")}
        assert g.value(URIRef(DATA_THEME + "TRAN"), SKOS.prefLabel) == Literal(
            "Transport", lang="en")
        assert g.value(ref, DCT.language) == URIRef(
            "http://publications.europa.eu/resource/authority/language/ZHO")

        publisher = g.value(ref, DCT.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in g
        assert g.value(publisher, FOAF.name) == Literal("枣庄市交通运输局", lang="zh")
        assert g.value(publisher, DCT.identifier) == Literal(department["provider_code"])

        distribution = g.value(ref, DCAT.distribution)
        resource = bus_routes["resources"][0]
        assert (distribution, RDF.type, DCAT.Distribution) in g
        assert g.value(distribution, DCT.title) == Literal("公交线路表", lang="zh")
        assert g.value(distribution, DCT.description) == Literal(
            "线路编号、起讫站点和票价", lang="zh")
        assert g.value(distribution, DCT["format"]) == URIRef(
            "http://publications.europa.eu/resource/authority/file-type/CSV")
        assert g.value(distribution, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/csv")
        assert g.value(distribution, DCT.license) == URIRef(
            "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
        assert g.value(distribution, DCT.modified) == Literal("2024-06-30", datatype=XSD.date)
        assert g.value(distribution, DCAT.accessURL) == URIRef(resource["url"])

    def test_access_rights_of_each_opening_category(self, app, department):
        # Not-open metadata is for the authority's eyes (access policy).
        authority = factories.SysadminWithToken()
        datasets = {
            "unconditional": CatalogDataset(owner_org=department["id"]),
            "conditional": CatalogDataset(owner_org=department["id"],
                                          open_category="conditional",
                                          open_conditions="签订数据利用协议"),
            "not_open": CatalogDataset(owner_org=department["id"], open_category="not_open",
                                       not_open_basis="涉及国家秘密"),
        }
        g = _graph(app, "/catalog.ttl", authority)
        rights = {category: g.value(URIRef(dataset_uri(d)), DCT.accessRights)
                  for category, d in datasets.items()}
        assert rights == {
            "unconditional": URIRef(ACCESS_RIGHT + "PUBLIC"),
            "conditional": URIRef(ACCESS_RIGHT + "RESTRICTED"),
            "not_open": URIRef(ACCESS_RIGHT + "NON_PUBLIC"),
        }
        assert {category: _zh(g, uri) for category, uri in rights.items()} == {
            "unconditional": "无条件开放", "conditional": "有条件开放", "not_open": "不予开放"}

    def test_periodicity_of_each_update_frequency(self, app, department):
        expected = {
            "realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY",
            "monthly": "MONTHLY", "quarterly": "QUARTERLY", "semiannual": "ANNUAL_2",
            "annual": "ANNUAL", "irregular": "IRREG", "never": "NEVER",
        }
        datasets = {code: CatalogDataset(owner_org=department["id"], update_frequency=code)
                    for code in expected}
        g = _graph(app, "/catalog.ttl")
        assert {code: g.value(URIRef(dataset_uri(d)), DCT.accrualPeriodicity)
                for code, d in datasets.items()} == {
            code: URIRef(FREQUENCY + name) for code, name in expected.items()}

    def test_each_entry_names_its_department_read_once_per_catalog(self, app, department):
        """A catalog page reads each department once, however many of its datasets it lists;
        a department renamed since is named anew in the next catalog."""
        culture = Department(name="wlj", title="枣庄市文化和旅游局")
        datasets = [CatalogDataset(owner_org=department["id"]) for _ in range(3)]
        datasets.append(CatalogDataset(owner_org=culture["id"]))
        with sql_statements() as statements:
            g = _graph(app, "/catalog.ttl")
        reads = [value for statement, parameters in statements
                 if statement.startswith('SELECT "group".id')
                 for value in parameters.values() if value in (department["id"], culture["id"])]
        assert sorted(reads) == sorted([department["id"], culture["id"]])

        def publishers(g):
            return [(str(g.value(g.value(URIRef(dataset_uri(d)), DCT.publisher), FOAF.name)),
                     str(g.value(g.value(URIRef(dataset_uri(d)), DCT.publisher),
                                 DCT.identifier)))
                    for d in datasets]

        assert publishers(g) == [("枣庄市交通运输局", department["provider_code"])] * 3 + [
            ("枣庄市文化和旅游局", culture["provider_code"])]
        call_action("organization_patch", {"user": factories.Sysadmin()["name"]},
                    id=department["id"], title="枣庄市交通运输局（新）")
        assert publishers(_graph(app, "/catalog.ttl"))[:3] == [
            ("枣庄市交通运输局（新）", department["provider_code"])] * 3

    def test_missing_optional_fields_leave_no_empty_nodes(self, app):
        dataset = CatalogDataset(theme=[], spatial_coverage=[])
        g = _graph(app, "/dataset/{}.ttl".format(dataset["name"]))
        ref = URIRef(dataset_uri(dataset))
        assert g.value(ref, DCT.spatial) is None
        assert g.value(ref, DCT.temporal) is None
        # Only the domain is a theme, with its EU data theme.
        assert set(g.objects(ref, DCAT.theme)) == {
            skos.term_uri("domain", "transport"), URIRef(DATA_THEME + "TRAN")}
        contact = g.value(ref, DCAT.contactPoint)
        assert g.value(contact, VCARD.hasEmail) is None
        assert g.value(contact, VCARD.fn) == Literal("张三")
        # Without a first publication date the record's creation stands in, as in DCAT-AP.
        assert g.value(ref, DCT.issued).datatype == XSD.dateTime

    def test_an_entry_without_its_optional_lists_is_described(self, app):
        # A stored dict may lack an optional multiple choice altogether (indexed before the
        # field existed, or harvested): the entry is described all the same, and one such
        # entry never stops the whole catalog.
        dataset = call_action("package_show", id=CatalogDataset()["id"])
        for field in ("share_method", "theme", "spatial_coverage"):
            dataset.pop(field, None)
        g = Graph().parse(data=RDFSerializer().serialize_dataset(dataset, _format="turtle"),
                          format="turtle")
        assert g.value(URIRef(dataset_uri(dataset)), DCT.title) == Literal(
            dataset["title"], lang="zh")

    def test_a_domain_and_a_theme_of_the_same_code_stay_apart(self, app):
        dataset = CatalogDataset(domain="work_safety", theme=["work_safety"])
        g = _graph(app, "/dataset/{}.ttl".format(dataset["name"]))
        assert set(_own_themes(g, URIRef(dataset_uri(dataset)))) == {
            skos.term_uri("domain", "work_safety"),
            skos.term_uri("theme", "work_safety")}

    def test_private_dataset_is_not_exposed(self, app, department):
        dataset = CatalogDataset(owner_org=department["id"], private=True)
        assert app.get("/dataset/{}.ttl".format(dataset["name"])).status_code in (403, 404)
        g = _graph(app, "/catalog.ttl")
        assert (URIRef(dataset_uri(dataset)), None, None) not in g


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_parsed_graph_gives_back_the_catalog_fields(app, bus_routes):
    # Making data less open is the authority's decision (no-downgrade rule).
    authority = factories.Sysadmin()
    dataset = call_action("package_patch", {"user": authority["name"]}, id=bus_routes["id"],
                          open_category="conditional",
                          open_conditions="签订数据利用协议", domain="work_safety",
                          theme=["work_safety", "public_services"])
    parser = RDFParser()
    parser.parse(app.get("/dataset/bus-routes.ttl").get_data(as_text=True), _format="ttl")
    [parsed] = parser.datasets()

    for field in ("identifier", "catalog_code", "title", "notes", "open_category", "update_frequency",
                  "domain", "temporal_start", "temporal_end", "first_published",
                  "last_updated", "contact_name", "contact_email"):
        assert parsed[field] == dataset[field], field
    # The telephone comes back without its separator, in a form the schema accepts.
    assert parsed["contact_phone"] == "06323230100"
    assert sorted(parsed["theme"]) == ["public_services", "work_safety"]
    assert sorted(parsed["spatial_coverage"]) == ["370402", "370481"]
    assert not {"identifier", "alternate_identifier", "access_rights", "frequency",
                "spatial_uri"} & {
        extra["key"] for extra in parsed["extras"]}


def test_the_profile_list_is_ours_alone(ckan_config):
    # Ours extends the DCAT-AP 3 profile; listed on its own before ours, that profile reads
    # our spatial_coverage and theme codes as its own fields and fails.
    assert ckan_config["ckanext.dcat.rdf.profiles"].split() == ["zaozhuang"]


@pytest.mark.parametrize("phone", ["13912345678", "0632-3230100", "06323230100"])
def test_telephone_uri_round_trip(phone):
    uri = profiles.telephone_uri(phone)
    assert uri.startswith("tel:+86-")
    assert profiles.phone_from_uri(uri) == phone.replace("-", "")


@pytest.mark.parametrize("vocabulary, mapping", [
    ("open_category", authorities.ACCESS_RIGHTS),
    ("update_frequency", authorities.FREQUENCIES),
    ("resource_format", {**authorities.FORMATS, **dict.fromkeys(authorities.NOT_A_FILE)}),
])
def test_every_vocabulary_term_has_a_dcat_term(vocabulary, mapping):
    assert set(mapping) == set(vocabularies.codes(vocabulary))


@pytest.mark.parametrize("vocabulary", ["domain", "theme"])
def test_every_theme_matches_an_eu_data_theme(vocabulary):
    matched = authorities.THEME_MATCHES[vocabulary]
    # 其他 (other) is nothing in particular.
    assert set(matched) == set(vocabularies.codes(vocabulary)) - {"other"}
    assert {match for match, _ in matched.values()} <= {authorities.EXACT, authorities.CLOSE}
    assert {theme for _, theme in matched.values()} <= set(authorities.DATA_THEMES)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestConditionalDataset:
    @pytest.fixture
    def roads(self, department):
        return CatalogDataset(
            name="roads", owner_org=department["id"], open_category="conditional",
            open_conditions="签订数据利用协议,仅用于交通研究",
            resources=[{"name": "道路表", "url": "http://example.com/secret-roads.csv",
                        "format": "CSV"}])

    def test_the_public_gets_the_conditions_and_the_application_page(self, app, roads):
        response = app.get("/dataset/roads.ttl")
        assert "secret-roads" not in response.get_data(as_text=True)
        g = Graph().parse(data=response.get_data(as_text=True), format="turtle")
        ref = URIRef(dataset_uri(roads))
        apply_page = URIRef("http://127.0.0.1:5011/dataset/roads/apply".replace(
            "http://127.0.0.1:5011", call_action("status_show")["site_url"]))
        assert g.value(ref, DCT.accessRights) == URIRef(ACCESS_RIGHT + "RESTRICTED")
        conditions = g.value(ref, DCT.rights)
        assert (conditions, RDF.type, DCT.RightsStatement) in g
        assert g.value(conditions, RDFS.label) == Literal("签订数据利用协议,仅用于交通研究",
                                                          lang="zh")
        distribution = g.value(ref, DCAT.distribution)
        assert g.value(distribution, DCAT.accessURL) == apply_page
        assert g.value(distribution, DCAT.downloadURL) is None
        # The data use agreement, read and signed on the application page.
        assert g.value(distribution, DCT.license) == apply_page
        assert (apply_page, RDF.type, DCT.LicenseDocument) in g

    def test_who_may_get_the_data_gets_its_location(self, app, roads):
        g = _graph(app, "/dataset/roads.ttl", factories.SysadminWithToken())
        distribution = g.value(URIRef(dataset_uri(roads)), DCAT.distribution)
        assert g.value(distribution, DCAT.accessURL) == URIRef(
            "http://example.com/secret-roads.csv")


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.parametrize("profiles, status", [
    ("euro_dcat_ap_3", 200), ("euro_dcat_ap_2,zaozhuang", 200), ("schemaorg", 200),
    ("no_such_profile", 409)])
def test_a_named_profile_never_fails(app, bus_routes, profiles, status):
    # The DCAT-AP profiles would read our spatial coverage and themes as their own fields.
    for path, query in (("/catalog.ttl", {}), ("/dataset/bus-routes.ttl", {}),
                        ("/api/3/action/dcat_dataset_show", {"id": "bus-routes"})):
        response = app.get(path, query_string=dict(query, profiles=profiles))
        assert response.status_code == status, (path, response.get_data(as_text=True))
