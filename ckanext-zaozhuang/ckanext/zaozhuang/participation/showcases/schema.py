"""navl schemas of showcases."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema.validators import blank_text

_ = tk._
v = tk.get_validator

# Stable codes; their labels in both languages are in KIND_LABELS.
KINDS = ("app", "report", "study", "visualisation")
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_LINK = 2000
MAX_DATASETS = 50


def kind_labels() -> dict[str, str]:
    """The kinds' labels in the user's language."""
    return {"app": _("App"), "report": _("Report"), "study": _("Study"),
            "visualisation": _("Visualisation")}


def state_labels() -> dict[str, str]:
    return {"pending": _("Awaiting review"), "published": _("Published"),
            "rejected": _("Not published"), "hidden": _("Hidden")}


def plain_text(limit: int):
    """Markup removed (shown as text), surrounding spaces too; at most `limit` characters."""
    def validator(value: Any) -> Any:
        if not isinstance(value, str):
            raise tk.Invalid(_("Expecting text"))
        text = Markup(value).striptags() if "<" in value else value
        text = "" if blank_text(text) else text.strip()
        if len(text) > limit:
            raise tk.Invalid(_("At most {max} characters").format(max=limit))
        return text
    return validator


def web_link(value: Any) -> Any:
    """An http or https address with a host: no javascript:, data: or relative links."""
    if not isinstance(value, str):
        raise tk.Invalid(_("Expecting text"))
    value = value.strip()
    parts = urlsplit(value)
    if (parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or len(value) > MAX_LINK or re.search(r"\s", value)):
        raise tk.Invalid(_("Give a web address starting with http:// or https://"))
    return value


def kind(value: Any) -> Any:
    if value not in KINDS:
        raise tk.Invalid(_("Choose one of: {choices}").format(choices=", ".join(KINDS)))
    return value


def dataset_id_list(value: Any) -> Any:
    """At least one dataset: a list of ids or names, or one text of them separated by commas
    or spaces (the page's form)."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[\s,]+", value) if part]
    if not isinstance(value, list) or not all(isinstance(i, str) and i for i in value):
        raise tk.Invalid(_("Expecting a list of dataset ids"))
    value = list(dict.fromkeys(value))
    if not value:
        raise tk.Invalid(_("Name at least one dataset the showcase uses"))
    if len(value) > MAX_DATASETS:
        raise tk.Invalid(_("At most {max} datasets").format(max=MAX_DATASETS))
    return value


def showcase_create_schema() -> dict[str, Any]:
    return {
        "title": [v("not_empty"), plain_text(MAX_TITLE), v("not_empty")],
        "kind": [v("not_empty"), kind],
        "description": [v("not_empty"), plain_text(MAX_DESCRIPTION), v("not_empty")],
        "link": [v("not_empty"), web_link],
        "dataset_ids": [v("not_missing"), dataset_id_list],
    }


def id_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")]}


def review_schema() -> dict[str, Any]:
    return {
        "id": [v("not_empty"), v("zaozhuang_text")],
        "decision": [v("not_empty"), v("one_of")(["approve", "reject"])],
        "reason": [v("ignore_missing"), plain_text(1000)],
    }


def hide_schema() -> dict[str, Any]:
    return {
        "id": [v("not_empty"), v("zaozhuang_text")],
        "reason": [v("not_empty"), plain_text(1000), v("not_empty")],
    }


def list_schema() -> dict[str, Any]:
    return {
        # published: the gallery; mine: the caller's own; review: the authority's queue.
        "scope": [v("default")("published"), v("one_of")(["published", "mine", "review"])],
        "kind": [v("ignore_missing"), kind],
        "q": [v("ignore_missing"), plain_text(100)],
        "dataset_id": [v("ignore_missing"), v("zaozhuang_text")],
        "limit": [v("default")(20), v("natural_number_validator"),
                  v("limit_to_configured_maximum")("ckan.search.rows_max", 1000)],
        "offset": [v("default")(0), v("natural_number_validator")],
    }
