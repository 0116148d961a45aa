"""Decisions on the catalog that the access log keeps."""
from __future__ import annotations

from typing import Any

from ckanext.zaozhuang.audit import log as audit_log


def record_opening_changes(context: Any, dataset: dict[str, Any]) -> None:
    """A more restrictive opening category, which the schema let only the authority set
    (validators.zaozhuang_open_category), is written to the log with the update."""
    change = context.get("zaozhuang_downgrades", {}).pop(dataset["id"], None)
    if change:
        old, new = change
        audit_log.record_decision("opening_change", context.get("user"), dataset["id"],
                                  dataset.get("owner_org"), old=old, new=new)
