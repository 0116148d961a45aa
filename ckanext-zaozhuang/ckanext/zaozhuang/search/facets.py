"""Dataset facets of the catalog search, with labels in the user's language."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema import vocabularies

# Facet field → the vocabulary whose labels its codes show.
VOCABULARY_FACETS = {
    "open_category": "open_category",
    "domain": "domain",
    "update_frequency": "update_frequency",
    "spatial_coverage": "spatial",
    "theme": "theme",
    "res_format": "resource_format",
}


def dataset_facets() -> "OrderedDict[str, Any]":
    _ = tk._
    return OrderedDict([
        ("open_category", _("Opening category")),
        ("domain", _("Domain")),
        ("organization", _("Providing department")),
        ("update_frequency", _("Update frequency")),
        ("res_format", _("Formats")),
        ("spatial_coverage", _("Spatial coverage")),
        ("theme", _("Themes")),
        ("tags", _("Tags")),
    ])


def label_facet_items(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show each vocabulary facet value by its label rather than its stored code."""
    for field, vocabulary in VOCABULARY_FACETS.items():
        facet = search_results.get("search_facets", {}).get(field)
        if not facet:
            continue
        for item in facet["items"]:
            item["display_name"] = vocabularies.label(vocabulary, item["name"])
    return search_results
