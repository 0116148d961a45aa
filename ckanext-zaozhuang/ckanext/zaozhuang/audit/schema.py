"""navl schemas of the audit actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def audit_list_schema() -> dict:
    ignore_missing = tk.get_validator("ignore_missing")
    text = tk.get_validator("zaozhuang_text")
    natural = tk.get_validator("natural_number_validator")
    int_validator = tk.get_validator("int_validator")
    one_of = tk.get_validator("OneOf")
    isodate = tk.get_validator("isodate")
    default = tk.get_validator("default")
    limit_max = tk.get_validator("limit_to_configured_maximum")
    return {
        "dataset_id": [ignore_missing, text],
        "organization_id": [ignore_missing, text],
        "user": [ignore_missing, text],
        "event": [ignore_missing, text],
        "outcome": [ignore_missing, one_of(["allowed", "refused", "recorded"])],
        "since": [ignore_missing, isodate],
        "until": [ignore_missing, isodate],
        "limit": [default(100), int_validator, natural,
                  limit_max("ckanext.zaozhuang.audit.list_limit_max", 1000)],
        "offset": [default(0), int_validator, natural],
    }


def audit_export_schema() -> dict:
    schema = {k: v for k, v in audit_list_schema().items() if k not in ("limit", "offset")}
    schema["format"] = [tk.get_validator("default")("xlsx"),
                        tk.get_validator("OneOf")(["xlsx", "csv"])]
    return schema
