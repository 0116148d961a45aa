"""Template helpers."""
from __future__ import annotations

import functools
import json
import weakref
from typing import Any, Callable, Optional
from urllib.parse import urlencode

import flask
import jinja2
import segno
from jinja2.runtime import BlockReference, Context
from markupsafe import Markup

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.quality import jobs as quality_jobs
from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.search import spelling


def zaozhuang_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """ckanext-scheming `choices_helper`: the choices of the field's vocabulary."""
    return vocabularies.choices(field["vocabulary"])


def zaozhuang_label(vocabulary: str, code: str) -> str:
    """A stored code's label in the user's language."""
    return vocabularies.label(vocabulary, code)


def zaozhuang_sort_options() -> list[tuple[str, str]]:
    """The dataset search's sort menu: CKAN's, with the most downloaded, viewed and the
    highest rated."""
    return [(tk._("Relevance"), "score desc, metadata_modified desc"),
            (tk._("Last Modified"), "metadata_modified desc"),
            (tk._("Most downloaded"), "resources_accessed_total desc, metadata_modified desc"),
            (tk._("Most viewed"), "views_total desc, metadata_modified desc"),
            (tk._("Highest rated"),
             "rating_average desc, rating_count desc, metadata_modified desc"),
            (tk._("Name Ascending"), "title_string asc"),
            (tk._("Name Descending"), "title_string desc")]


def zaozhuang_facet_links(name: str, items: list[dict[str, Any]],
                          extras: Optional[dict[str, Any]] = None,
                          alternative_url: Optional[str] = None) -> list[str]:
    """Each facet item's link, as CKAN's add_url_param gives it (filter by the item) or its
    remove_url_param for an active item, with the page's own address built once for the
    list instead of once per item (the portal's search page lists three times as many)."""
    current = [(k, v) for k, v in tk.request.args.items(multi=True) if k != "page"]
    base = alternative_url or _page_address(extras)
    links = []
    for item in items:
        params = list(current)
        if not item.get("active"):
            params.append((name, item["name"]))
        elif (name, item["name"]) in params:
            params.remove((name, item["name"]))
        links.append(base + "?" + urlencode(params) if params else base)
    return links


def _page_address(extras: Optional[dict[str, Any]]) -> str:
    """The current page's address without parameters, as CKAN's URL helpers build it; once
    per request for the facet lists."""
    known = flask.g.setdefault("zaozhuang_page_address", {})
    key = repr(sorted((extras or {}).items()))
    if key not in known:
        known[key] = tk.h.remove_url_param(list(tk.request.args) or ["page"], extras=extras)
    return known[key]


def zaozhuang_did_you_mean(q: Any) -> Optional[dict[str, str]]:
    """The search page's did-you-mean: the corrected words and the link that searches them
    with the page's other filters (the result page starts again at 1)."""
    suggestion = spelling.suggestion_for(q)
    if suggestion is None:
        return None
    params = [(k, v) for k, v in tk.request.args.items(multi=True) if k not in ("q", "page")]
    return {"q": suggestion,
            "url": tk.h.url_for("dataset.search") + "?" + urlencode([("q", suggestion), *params])}


def zaozhuang_usage(dataset_id: str) -> Optional[dict[str, Any]]:
    """A dataset's usage figures for the visitor, None if they may not see them."""
    try:
        return tk.get_action("zaozhuang_usage_show")(
            {"user": tk.current_user.name}, {"id": dataset_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def zaozhuang_quality(resource: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The quality report of an uploaded table for the visitor (the cells at fault for its
    publishers and the authority); None for other resources."""
    if not quality_jobs.checked_format(resource):
        return None
    try:
        return tk.get_action("zaozhuang_quality_show")(
            {"user": tk.current_user.name}, {"resource_id": resource.get("id")})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None


def zaozhuang_quality_summary(dataset_id: str) -> Optional[dict[str, Any]]:
    """The quality of a dataset's uploaded tables for the visitor; None without any."""
    try:
        summary = tk.get_action("zaozhuang_quality_summary")(
            {"user": tk.current_user.name}, {"id": dataset_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    return summary if summary["score"] is not None else None


def zaozhuang_shell_json(value: Any) -> str:
    """JSON to paste as a shell's single-quoted argument: Chinese as it is written (not as
    \\u escapes), a single quote escaped so that it cannot end the argument."""
    return json.dumps(value, ensure_ascii=False).replace("'", "\\u0027")


def zaozhuang_contact_phone() -> str:
    """The big-data authority's policy enquiry telephone."""
    return tk.config.get("ckanext.zaozhuang.contact_phone")


def zaozhuang_qr_svg(url: str, title: str) -> Markup:
    """The QR code of `url` as inline SVG, drawn here: a QR service elsewhere would learn
    every page shared, and many are unreachable from mainland China."""
    return _qr_svg(url, title)


@functools.lru_cache(maxsize=2048)
def _qr_svg(url: str, title: str) -> Markup:
    # Drawing a code takes longer than the rest of a dataset page: each process keeps the
    # codes it drew.
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=4, border=2, title=title, svgclass="zz-qr", lineclass=None)
    # An image to assistive technology, named by its title.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


_rendered: "weakref.WeakKeyDictionary[Context, dict[str, Markup]]" = weakref.WeakKeyDictionary()


@jinja2.pass_context
def zaozhuang_render_once(context: Context, block: BlockReference) -> Markup:
    """A block's markup, rendered once per page render: CKAN's page.html renders the sidebar
    a second time only to see whether it is empty, which on the dataset and search pages
    means every sidebar action and facet twice."""
    done = _rendered.setdefault(context, {})
    if block.name not in done:
        done[block.name] = Markup(block())
    return done[block.name]


@tk.chained_helper
def user_image(next_helper: Callable[..., Any], user_id: str, size: int = 100) -> Any:
    """A picture uploaded to the portal, otherwise the user's initial: a picture linked from
    another site would make every page that shows it call that site."""
    user = model.User.get(user_id) if user_id else None
    if user is not None and "://" in (user.image_url or ""):
        return tk.render_snippet("user/snippets/placeholder.html",
                                 {"size": size, "user_name": user.display_name})
    return next_helper(user_id, size)


def zaozhuang_datastore_load_status(resource: dict[str, Any]) -> Optional[dict[str, Any]]:
    """How the loading of the resource's file into the DataStore stands, for those who may
    see it (the providing department); None for everyone else and for files never loaded."""
    try:
        status = tk.get_action("zaozhuang_datastore_load_status")(
            {}, {"resource_id": resource.get("id")})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return None
    return status if status["state"] != "none" else None


def zaozhuang_dataset_corrections(dataset_id: str) -> list[dict[str, Any]]:
    """The error reports on a dataset with their status, as the visitor may see them."""
    try:
        return tk.get_action("zaozhuang_correction_list")(
            {}, {"dataset_id": dataset_id, "limit": 20})["results"]
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return []


def zaozhuang_dataset_participation(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the dataset page shows of ratings and showcases, each through its action so that
    the viewer's rights decide: the rating summary with the viewer's own rating, approved
    comments, the comments awaiting moderation (for the providing department and the
    authority) and the published showcases that use the dataset."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else None}
    found: dict[str, Any] = {"rating": None, "comments": [], "pending": [], "showcases": []}
    try:
        found["rating"] = tk.get_action("zaozhuang_rating_show")(
            dict(context), {"dataset_id": pkg["id"]})
        found["comments"] = tk.get_action("zaozhuang_rating_list")(
            dict(context), {"dataset_id": pkg["id"]})["results"]
        found["showcases"] = tk.get_action("zaozhuang_showcase_list")(
            dict(context), {"dataset_id": pkg["id"], "limit": 12})["results"]
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return found
    if context["user"] is None:
        return found  # awaiting moderation: for staff only, never asked for a visitor
    try:
        found["pending"] = tk.get_action("zaozhuang_rating_list")(
            dict(context), {"dataset_id": pkg["id"], "state": "pending"})["results"]
    except tk.NotAuthorized:
        pass
    return found
