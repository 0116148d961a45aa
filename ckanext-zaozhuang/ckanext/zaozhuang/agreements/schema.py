"""navl schemas of the agreements domain."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.agreements import text
from ckanext.zaozhuang.applications.schema import strip

_ = tk._
v = tk.get_validator


def placeholders_known(value: Any) -> Any:
    unknown = text.unknown_placeholders(value)
    if unknown:
        raise tk.Invalid(_("Unknown placeholders: {names}. Use ${{name}} with one of: {known}")
                         .format(names=", ".join(unknown), known=", ".join(text.PLACEHOLDERS)))
    return value


def template_schema() -> dict[str, Any]:
    return {
        "organization_id": [v("ignore_empty"), v("zaozhuang_text")],
        "title": [strip, v("not_empty"), v("zaozhuang_text")],
        "body": [v("not_empty"), v("zaozhuang_text"), placeholders_known],
    }


def template_update_schema() -> dict[str, Any]:
    return dict(template_schema(), id=[v("not_empty"), v("zaozhuang_text")],
                organization_id=[v("ignore")])


def sign_schema() -> dict[str, Any]:
    return {
        "application_id": [v("not_empty"), v("zaozhuang_text")],
        "text_sha256": [v("not_empty"), v("zaozhuang_text")],
        "accept": [v("not_missing"), v("boolean_validator")],
    }


def revoke_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")],
            "reason": [strip, v("not_empty"), v("zaozhuang_text")]}


def usage_report_schema() -> dict[str, Any]:
    required = [strip, v("not_empty"), v("zaozhuang_text")]
    optional = [strip, v("ignore_empty"), v("zaozhuang_text")]
    return {"grant_id": [v("not_empty"), v("zaozhuang_text")], "usage": required,
            "results": required, "benefits": optional, "problems": optional,
            "showcase_id": optional}


def list_schema() -> dict[str, Any]:
    optional = [v("ignore_missing"), v("zaozhuang_text")]
    return {
        # mine: held by me (or my department); review: of the departments I review.
        "scope": [v("default")("mine"), v("one_of")(["mine", "review"])],
        "organization_id": optional,
        "dataset_id": optional,
        "grant_id": optional,
        "application_id": optional,
    }
