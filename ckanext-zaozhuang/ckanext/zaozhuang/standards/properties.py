"""The portal's own RDF properties, <site>/ns/catalog#<field>: the schema's fields that
DCAT-AP has no property for. Described here, with their labels from the schema, so that every
property URI in the catalog's RDF resolves to what it means."""
from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import DCAT
from ckanext.dcat.utils import catalog_uri
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.zaozhuang.dcat import profiles
from ckanext.zaozhuang.standards import skos

# What each property describes: the key of the schema's fields, and the RDF class.
SUBJECTS = {"dataset": DCAT.Dataset, "resource": DCAT.Distribution,
            "item": profiles.CSVW.Column}
RANGES = {profiles.TEXT: XSD.string, profiles.INTEGER: XSD.nonNegativeInteger}


def document_uri() -> URIRef:
    return URIRef(catalog_uri().rstrip("/") + profiles.OWN_NAMESPACE.rstrip("#"))


def _fields() -> dict[str, dict[str, dict[str, Any]]]:
    schema = scheming_get_dataset_schema("dataset")
    dataset = {f["field_name"]: f for f in schema["dataset_fields"]}
    items = {f["field_name"]: f for f in dataset["data_dictionary"]["repeating_subfields"]}
    return {"dataset": dataset, "resource": {f["field_name"]: f for f in
                                             schema["resource_fields"]}, "item": items}


def properties() -> list[dict[str, Any]]:
    """Each own property: its name, URI, labels, what it describes and its values (a
    vocabulary of the portal, text or a whole number)."""
    fields = _fields()
    tables = (("dataset", profiles.OWN_DATASET_PROPERTIES),
              ("resource", profiles.OWN_RESOURCE_PROPERTIES),
              ("item", dict(profiles.ITEM_TERMS,
                            **dict.fromkeys(profiles.ITEM_TEXTS, profiles.TEXT))))
    found: dict[str, dict[str, Any]] = {}
    for subject, table in tables:
        for name, values in table.items():
            entry = found.setdefault(name, {
                "name": name, "uri": str(profiles.own_property(name)),
                "label": dict(fields[subject][name]["label"]), "subjects": [],
                "values": values,
                "scheme": None if values in RANGES else str(skos.scheme_uri(values))})
            entry["subjects"].append(subject)
    return sorted(found.values(), key=lambda p: p["name"])


def graph(found: list[dict[str, Any]]) -> Graph:
    g = Graph()
    g.bind("rdfs", RDFS)
    g.bind("owl", OWL)
    document = document_uri()
    g.add((document, RDF.type, OWL.Ontology))
    g.add((document, RDFS.label, Literal("枣庄市公共数据开放平台目录属性", lang="zh")))
    g.add((document, RDFS.label, Literal("Zaozhuang Public Data Portal catalog properties",
                                         lang="en")))
    for prop in found:
        node = URIRef(prop["uri"])
        g.add((node, RDF.type, RDF.Property))
        g.add((node, RDFS.isDefinedBy, document))
        for locale, text in prop["label"].items():
            g.add((node, RDFS.label, Literal(text, lang=skos.rdf_language(locale))))
        for subject in prop["subjects"]:
            g.add((node, RDFS.domain, SUBJECTS[subject]))
        if prop["scheme"]:
            g.add((node, RDFS.range, SKOS.Concept))
            g.add((node, RDFS.seeAlso, URIRef(prop["scheme"])))
        else:
            g.add((node, RDFS.range, RANGES[prop["values"]]))
    return g
