"""navl schemas of data requests; the error reports' schemas share the text validators."""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.zaozhuang.participation.demand.model import ANSWERS
from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.schema.validators import blank_text, zaozhuang_choice

_ = tk._
v = tk.get_validator

TITLE_LENGTH = 200
TEXT_LENGTH = 5000
_TAG = re.compile(r"<[^>]*>")
_NOT_WORD = re.compile(r"[\W_]+")


def plain_text(value: Any) -> Any:
    """Text without HTML tags and surrounding spaces: what the public pages show is what was
    meant, never markup."""
    if not isinstance(value, str):
        return value
    value = _TAG.sub("", value)
    return "" if blank_text(value) else value.strip()


def text(limit: int) -> Callable[[Any], Any]:
    def validator(value: Any) -> Any:
        if not isinstance(value, str):
            raise tk.Invalid(_("Expecting text"))
        if len(value) > limit:
            raise tk.Invalid(_("Is longer than {limit} characters").format(limit=limit))
        return value
    return validator


def required_text(limit: int) -> list[Any]:
    return [plain_text, v("not_empty"), text(limit), v("zaozhuang_text")]


def optional_text(limit: int) -> list[Any]:
    return [plain_text, v("ignore_empty"), text(limit), v("zaozhuang_text")]


def one_of_codes(codes: tuple[str, ...]) -> Callable[[Any], Any]:
    def validator(value: Any) -> Any:
        if value not in codes:
            raise tk.Invalid(_("Choose one of: {choices}").format(choices=", ".join(codes)))
        return value
    return validator


def title_key(title: str) -> str:
    """The title folded for duplicate detection: full-width forms, case, spaces and
    punctuation do not make a request new."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", title).casefold())


def formats(value: Any) -> Any:
    """Codes of the resource_format vocabulary (labels accepted): a list, or text separated
    by commas."""
    if value is missing or value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\uff0c、\s]+", value) if part]
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        raise tk.Invalid(_("Expecting a list of formats"))
    result = []
    for item in value:
        code = vocabularies.code_for("resource_format", item)
        if code is None:
            raise tk.Invalid(_("Choose one of: {choices}").format(
                choices=", ".join(vocabularies.codes("resource_format"))))
        if code not in result:
            result.append(code)
    return result


def request_schema() -> dict[str, Any]:
    return {
        "title": required_text(TITLE_LENGTH),
        "description": required_text(TEXT_LENGTH),
        "organization_id": [v("ignore_empty"), v("zaozhuang_text")],
        "formats": [formats],
        "update_frequency": [v("ignore_empty"),
                             zaozhuang_choice({"vocabulary": "update_frequency"}, {})],
        "contact_phone": [plain_text, v("ignore_empty"), v("zaozhuang_text"), v("zaozhuang_phone")],
    }


def id_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")]}


def route_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")],
            "organization_id": [v("not_empty"), v("zaozhuang_text")]}


def answer_schema() -> dict[str, Any]:
    return {
        "id": [v("not_empty"), v("zaozhuang_text")],
        "answer": [v("not_empty"), one_of_codes(ANSWERS)],
        "answer_text": optional_text(TEXT_LENGTH),
        "legal_basis": optional_text(TEXT_LENGTH),
        "planned_date": [v("ignore_empty"), v("zaozhuang_date")],
        "dataset_id": [v("ignore_empty"), v("zaozhuang_text")],
    }


def link_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")],
            "dataset_id": [v("not_empty"), v("zaozhuang_text")]}


def hide_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")],
            "reason": required_text(TEXT_LENGTH)}


def list_schema() -> dict[str, Any]:
    return {
        # all: the public list; mine: my own requests; queue: those I route or answer.
        "scope": [v("default")("all"), v("one_of")(["all", "mine", "queue"])],
        "state": [v("ignore_empty"), v("one_of")(["submitted", "routed", "answered",
                                                  "overdue"])],
        "q": optional_text(TITLE_LENGTH),
        "organization_id": [v("ignore_empty"), v("zaozhuang_text")],
        "limit": [v("default")(50), v("natural_number_validator"),
                  v("limit_to_configured_maximum")("ckan.search.rows_max", 1000)],
        "offset": [v("default")(0), v("natural_number_validator")],
    }


def export_schema() -> dict[str, Any]:
    return {"organization_id": [v("ignore_empty"), v("zaozhuang_text")],
            "format": [v("default")("xlsx"), v("one_of")(["xlsx", "csv"])]}
