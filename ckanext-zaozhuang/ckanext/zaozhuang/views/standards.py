"""The portal's vocabularies and its own RDF properties at their URIs: a page in the user's
language, or SKOS (the properties: RDF Schema) in Turtle, JSON-LD or RDF/XML by content
negotiation (Accept) or ?format=."""
from __future__ import annotations

from typing import Any, Callable, Optional

from flask import Blueprint, Response, make_response
from rdflib import Graph

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.standards import properties, skos

blueprint = Blueprint("zaozhuang_vocabulary", __name__)

HTML = "text/html"
# ?format= value: (rdflib serializer, media type).
RDF_FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}
BY_MEDIA_TYPE = {media_type: name for name, (_, media_type) in RDF_FORMATS.items()}


def _rdf_format() -> Optional[str]:
    """The RDF format asked for, or None for the page."""
    named = tk.request.args.get("format")
    if named is not None:
        if named not in RDF_FORMATS:
            return tk.abort(400, tk._("Unknown format: use ttl, jsonld or rdf"))
        return named
    # A browser asks for HTML first; */* or an Accept header naming nothing we have gets the
    # page too.
    best = tk.request.accept_mimetypes.best_match([HTML, *BY_MEDIA_TYPE], default=HTML)
    return BY_MEDIA_TYPE.get(best)


def _vocabularies(name: Optional[str]) -> list[dict[str, Any]]:
    try:
        return tk.get_action("zaozhuang_vocabulary_list")(
            {"user": tk.current_user.name}, {"name": name} if name else {})
    except tk.ValidationError:
        return tk.abort(404, tk._("Vocabulary not found"))


def _answer(graph: Callable[[], Graph], template: str, **extra: Any) -> Response:
    """The page, or the graph in the RDF format asked for."""
    rdf_format = _rdf_format()
    if rdf_format:
        serializer, media_type = RDF_FORMATS[rdf_format]
        response = make_response(graph().serialize(format=serializer))
        response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    else:
        response = make_response(tk.render(template, dict(
            extra, lang=vocabularies.current_language(), formats=RDF_FORMATS)))
    # The same URI answers in several formats: caches must tell them apart.
    response.vary.add("Accept")
    return response


@blueprint.route("/vocabulary")
def index() -> Response:
    schemes = _vocabularies(None)
    return _answer(lambda: skos.graph(schemes), "zaozhuang/vocabulary/index.html",
                   schemes=schemes, term=None)


@blueprint.route("/vocabulary/<name>")
def scheme(name: str) -> Response:
    schemes = _vocabularies(name)
    return _answer(lambda: skos.graph(schemes), "zaozhuang/vocabulary/scheme.html",
                   schemes=schemes, term=None)


@blueprint.route("/vocabulary/<name>/<code>")
def term(name: str, code: str) -> Response:
    [vocabulary] = _vocabularies(name)
    found = next((t for t in vocabulary["terms"] if t["code"] == code), None)
    if found is None:
        return tk.abort(404, tk._("Term not found"))
    return _answer(lambda: skos.graph([vocabulary], found), "zaozhuang/vocabulary/term.html",
                   schemes=[vocabulary], term=found)


@blueprint.route("/ns/catalog")
def catalog_properties() -> Response:
    """The document of the catalog's own properties: each <site>/ns/catalog#<name> is its
    row (the page) or its rdf:Property (Turtle, JSON-LD, RDF/XML)."""
    found = tk.get_action("zaozhuang_property_list")({"user": tk.current_user.name}, {})
    return _answer(lambda: properties.graph(found), "zaozhuang/vocabulary/properties.html",
                   properties=found, document=properties.document_uri())
