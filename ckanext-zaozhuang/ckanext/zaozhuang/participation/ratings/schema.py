"""navl schemas of ratings and comments."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema.validators import blank_text

_ = tk._
v = tk.get_validator

MAX_COMMENT = 1000


def stars(value: Any) -> int:
    """A whole number of stars from 1 to 5. The API takes a JSON number only: "5", 5.0 or
    [5] are the wrong type (the page's form converts its choice itself)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise tk.Invalid(_("Expecting a whole number from 1 to 5"))
    if not 1 <= value <= 5:
        raise tk.Invalid(_("Rate from 1 to 5 stars"))
    return value


def plain_comment(value: Any) -> Any:
    """Markup is removed (comments are shown as text), then blank means no comment."""
    if not isinstance(value, str):
        raise tk.Invalid(_("Expecting text"))
    text = Markup(value).striptags().strip()
    if len(text) > MAX_COMMENT:
        raise tk.Invalid(_("At most {max} characters").format(max=MAX_COMMENT))
    return None if blank_text(text) else text


def rating_set_schema() -> dict[str, Any]:
    return {
        "dataset_id": [v("not_empty"), v("zaozhuang_text")],
        "stars": [v("not_missing"), stars],
        "comment": [v("ignore_missing"), plain_comment],
    }


def dataset_schema() -> dict[str, Any]:
    return {"dataset_id": [v("not_empty"), v("zaozhuang_text")]}


def rating_list_schema() -> dict[str, Any]:
    return {
        "dataset_id": [v("not_empty"), v("zaozhuang_text")],
        # approved: what everyone sees; pending / hidden: the moderators' queue.
        "state": [v("default")("approved"), v("one_of")(["approved", "pending", "hidden"])],
        "limit": [v("default")(20), v("natural_number_validator"),
                  v("limit_to_configured_maximum")("ckan.search.rows_max", 1000)],
        "offset": [v("default")(0), v("natural_number_validator")],
    }


def moderate_schema() -> dict[str, Any]:
    return {
        "id": [v("not_empty"), v("zaozhuang_text")],
        "decision": [v("not_empty"), v("one_of")(["approve", "hide"])],
        "reason": [v("ignore_missing"), v("zaozhuang_text")],
    }
