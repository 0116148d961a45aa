"""A report's findings in the reader's language."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

_ = tk._


def kind_label(kind: str) -> str:
    return {
        "type": _("Not of the declared type"),
        "required": _("Required value missing"),
        "duplicate": _("Repeated unique value"),
        "range": _("Outside the declared range"),
        "codes": _("Not an allowed value"),
        "format": _("Wrong format (ID number, phone, credit code...)"),
        "missing_cell": _("Missing cell"),
        "extra_cell": _("Cell beyond the declared columns"),
        "blank_row": _("Blank row"),
        "header": _("Column not as in the data dictionary"),
        "no_rows": _("No rows"),
        "row_count": _("Row count differs from the declared one"),
        "unreadable": _("Not readable as a table"),
    }.get(kind, kind)


def status_label(status: str) -> str:
    return {"passed": _("Verified"), "failed": _("Problems found"),
            "unreadable": _("Not readable")}.get(status, status)


def message(finding: dict[str, Any]) -> str:
    kind, row, column = finding.get("kind"), finding.get("row"), finding.get("column")
    value = finding.get("value") or ""
    if kind == "row_count":
        rows, _slash, declared = value.partition("/")
        return _("The file holds {rows} rows; the dataset declares {declared}").format(
            rows=rows, declared=declared)
    if kind == "unreadable":
        return _("The file could not be read as a table; check its format and encoding")
    if kind == "no_rows":
        return _("The file holds no rows")
    if kind == "header":
        return _("Column “{column}” is not where the data dictionary puts it, or is missing "
                 "from it").format(column=column or "")
    if kind == "blank_row":
        return _("Row {row} is blank").format(row=row)
    where = _("Row {row}, column “{column}”").format(row=row, column=column or "")
    return _("{where}: {what}").format(where=where, what={
        "type": _("“{value}” is not of the declared type"),
        "required": _("a value is required"),
        "duplicate": _("“{value}” repeats a value that must be unique"),
        "range": _("“{value}” is outside the declared range"),
        "codes": _("“{value}” is not one of the allowed values"),
        "format": _("“{value}” does not have the declared format"),
        "missing_cell": _("the cell is missing"),
        "extra_cell": _("“{value}” is beyond the declared columns"),
    }.get(kind, kind_label(kind or "")).format(value=value))
