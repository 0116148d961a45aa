"""The front door: the home page and the portal's own information pages. Registered before
CKAN's blueprints, so its "/" answers in place of CKAN's home page."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.views import api

from ckanext.zaozhuang.schema import vocabularies

blueprint = Blueprint("zaozhuang_front", __name__)

LATEST = 6
# Data requests and showcases on the home page.
PARTICIPATION = 4


def _browse(facets: dict[str, Any], field: str, vocabulary: str) -> list[dict[str, Any]]:
    """Every term of the vocabulary, so a visitor sees the whole range, with its count."""
    counts = {i["name"]: i["count"] for i in facets.get(field, {}).get("items", [])}
    return [{"code": code, "label": vocabularies.label(vocabulary, code),
             "count": counts.get(code, 0)} for code in vocabularies.codes(vocabulary)]


@blueprint.route("/api/i18n/<lang>")
def js_translations(lang: str) -> Any:
    """CKAN's script asks for its messages as zh_Hans-CN (it turns only the first hyphen of
    the page's lang="zh-Hans-CN" back into "_"), which CKAN refuses as an unknown locale; its
    modules start only once the messages arrive, so on a Chinese page none would start."""
    return api.i18n_js_translations(lang.replace("-", "_"))


@blueprint.route("/")
def index() -> str:
    """Search, the figures, browsing, the latest and the most downloaded datasets, the
    latest data requests and showcases. The lists are the visitor's
    own package_search, so they hold only what the access policy lets the visitor see."""
    context = {"user": tk.current_user.name}
    figures = tk.get_action("zaozhuang_portal_figures")(dict(context), {})
    found = tk.get_action("package_search")(dict(context), {
        "q": "*:*", "rows": LATEST, "sort": "metadata_modified desc", "facet.limit": -1,
        "facet.field": ["domain", "organization", "spatial_coverage"]})
    facets = found["search_facets"]
    most_downloaded = tk.get_action("package_search")(dict(context), {
        "q": "*:*", "fq": "resources_accessed_total:[1 TO *]", "rows": LATEST,
        "sort": "resources_accessed_total desc, metadata_modified desc"})
    requests = tk.get_action("zaozhuang_request_list")(dict(context), {"limit": PARTICIPATION})
    showcases = tk.get_action("zaozhuang_showcase_list")(dict(context), {"limit": PARTICIPATION})
    return tk.render("home/index.html", {
        "requests": requests["results"],
        "showcases": showcases["results"],
        "figures": figures,
        "latest": found["results"],
        "most_downloaded": most_downloaded["results"],
        "domains": _browse(facets, "domain", "domain"),
        "districts": _browse(facets, "spatial_coverage", "spatial"),
        "departments": sorted(facets.get("organization", {}).get("items", []),
                              key=lambda i: -i["count"]),
    })


def _page(template: str) -> Any:
    return lambda: tk.render(f"zaozhuang/front/{template}.html")


for _name in ("policy", "terms", "privacy"):
    blueprint.add_url_rule(f"/{_name}", _name, _page(_name))
