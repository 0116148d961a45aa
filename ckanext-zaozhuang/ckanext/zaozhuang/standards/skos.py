"""The portal's vocabularies as SKOS: each published vocabulary is a concept scheme at
<site>/vocabulary/<name>, each of its terms a concept at <site>/vocabulary/<name>/<code>,
matched to the EU authority table that DCAT-AP uses for the same property."""
from __future__ import annotations

from typing import Any, Iterable, Optional

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from ckanext.dcat.utils import catalog_uri

from ckanext.zaozhuang.dcat import authorities
from ckanext.zaozhuang.schema import vocabularies


def scheme_uri(vocabulary: str) -> URIRef:
    return URIRef("{}/vocabulary/{}".format(catalog_uri().rstrip("/"), vocabulary))


def term_uri(vocabulary: str, code: str) -> URIRef:
    """The portal's stable URI of a term of one of its vocabularies."""
    return URIRef("{}/{}".format(scheme_uri(vocabulary), code))


def term_code(node: Node, vocabulary: str) -> Optional[str]:
    """The code a term URI of `vocabulary` stands for, whichever portal's base URI it has."""
    path, _, code = str(node).rpartition("/")
    if path.endswith("/vocabulary/" + vocabulary) and vocabularies.term(vocabulary, code):
        return code
    return None


def rdf_language(locale: str) -> str:
    return locale.split("_")[0]


def matches(vocabulary: str, code: str) -> list[tuple[str, URIRef]]:
    """The EU terms a term of ours is: (SKOS mapping property, term)."""
    if vocabulary in authorities.THEME_MATCHES:
        found = authorities.THEME_MATCHES[vocabulary].get(code)
        return [(found[0], authorities.DATA_THEME[found[1]])] if found else []
    # Our opening categories say more than the EU's access rights (who decides, on what).
    eu = {
        "open_category": (authorities.CLOSE, authorities.ACCESS_RIGHTS.get(code)),
        "update_frequency": (authorities.EXACT, authorities.FREQUENCIES.get(code)),
        "resource_format": (authorities.EXACT, authorities.file_type(code)),
    }.get(vocabulary)
    return [eu] if eu and eu[1] else []


def graph(schemes: Iterable[dict[str, Any]], term: Optional[dict[str, Any]] = None) -> Graph:
    """Concept schemes as zaozhuang_vocabulary_list gives them, with all their concepts, or
    with only `term` of the one scheme."""
    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    for scheme in schemes:
        ref = URIRef(scheme["uri"])
        g.add((ref, RDF.type, SKOS.ConceptScheme))
        _add_labels(g, ref, scheme["title"], (DCTERMS.title, SKOS.prefLabel))
        for concept in [term] if term else scheme["terms"]:
            node = URIRef(concept["uri"])
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.notation, Literal(concept["code"])))
            g.add((node, SKOS.inScheme, ref))
            g.add((node, SKOS.topConceptOf, ref))
            g.add((ref, SKOS.hasTopConcept, node))
            _add_labels(g, node, concept["label"], (SKOS.prefLabel,))
            for match in concept["matches"]:
                g.add((node, SKOS[match["match"]], URIRef(match["uri"])))
    return g


def _add_labels(g: Graph, node: URIRef, labels: dict[str, str],
                predicates: tuple[URIRef, ...]) -> None:
    for locale, text in labels.items():
        for predicate in predicates:
            g.add((node, predicate, Literal(text, lang=rdf_language(locale))))
