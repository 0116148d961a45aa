"""navl schemas of error reports."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.participation.corrections.model import ANSWERS, KINDS
from ckanext.zaozhuang.participation.demand.schema import (
    TEXT_LENGTH, TITLE_LENGTH, one_of_codes, optional_text, required_text)

v = tk.get_validator


def report_schema() -> dict[str, Any]:
    return {
        "dataset_id": [v("not_empty"), v("zaozhuang_text")],
        "resource_id": [v("ignore_empty"), v("zaozhuang_text")],
        "kind": [v("not_empty"), one_of_codes(KINDS)],
        "description": required_text(TEXT_LENGTH),
    }


def answer_schema() -> dict[str, Any]:
    return {
        "id": [v("not_empty"), v("zaozhuang_text")],
        "answer": [v("not_empty"), one_of_codes(ANSWERS)],
        "answer_text": optional_text(TEXT_LENGTH),
        "fix_date": [v("ignore_empty"), v("zaozhuang_date")],
    }


def hide_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")],
            "reason": required_text(TEXT_LENGTH)}


def list_schema() -> dict[str, Any]:
    return {
        # all: the public list; mine: my own reports; queue: those I answer.
        "scope": [v("default")("all"), v("one_of")(["all", "mine", "queue"])],
        "state": [v("ignore_empty"), v("one_of")(["open", "answered", "overdue"])],
        "dataset_id": [v("ignore_empty"), v("zaozhuang_text")],
        "q": optional_text(TITLE_LENGTH),
        "limit": [v("default")(50), v("natural_number_validator"),
                  v("limit_to_configured_maximum")("ckan.search.rows_max", 1000)],
        "offset": [v("default")(0), v("natural_number_validator")],
    }
