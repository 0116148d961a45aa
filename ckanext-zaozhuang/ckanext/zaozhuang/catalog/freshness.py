"""Dynamic maintenance (动态维护): a dataset is overdue when its data was last updated longer
ago than its update frequency allows."""
from __future__ import annotations

import datetime
from typing import Any, Optional

from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.schema.validators import parse_date


def due_date(dataset: dict[str, Any]) -> Optional[datetime.date]:
    """The day by which the next update is due, or None for irregular or static data."""
    term = vocabularies.term("update_frequency", dataset.get("update_frequency") or "")
    if not term or "days" not in term:
        return None
    base = (parse_date(dataset.get("last_updated") or "")
            or parse_date(dataset.get("first_published") or "")
            or parse_date(dataset.get("metadata_created") or ""))
    if base is None:
        return None
    try:
        return base + datetime.timedelta(days=term["days"])
    except OverflowError:
        return None  # updated in the calendar's last days: no update is ever due


def _past(due: Optional[datetime.date], today: Optional[datetime.date] = None) -> bool:
    return due is not None and due < (today or datetime.date.today())


def is_overdue(dataset: dict[str, Any], today: Optional[datetime.date] = None) -> bool:
    return _past(due_date(dataset), today)


def annotate(dataset: dict[str, Any]) -> dict[str, Any]:
    """Add the live `update_due` and `overdue` values that package_show returns."""
    due = due_date(dataset)
    dataset["update_due"] = due.isoformat() if due else None
    dataset["overdue"] = _past(due)
    return dataset
