"""A resource's table loaded again when what it was loaded by changes: the dataset's data
dictionary (the names and types of its data items) or the resource's sheet.

xloader loads a file again only when its address changes. A table typed by yesterday's
dictionary, or holding the rows of another sheet, would stay as it is: so a change of either
submits the resource again (its old table stays readable until the new one is swapped in,
worker.py). Only a change that alters the table does: the dictionary is compared with the
types the table has, so an edit of a title or a description loads nothing."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.xloader.utils import XLoaderFormats

from ckanext.zaozhuang.datastore_load import actions, types

log = logging.getLogger(__name__)

# Context key: the resources whose sheet an update changes, from before to after the update.
SHEET_CHANGED = "zaozhuang_sheet_changed"


def _loadable(resource: model.Resource) -> bool:
    return (resource.state == "active" and actions.loads(resource.id)
            and bool(resource.size) and XLoaderFormats.is_it_an_xloader_format(resource.format))


def _submit(resource_id: str, why: str) -> None:
    log.info("Resource %s is loaded again: %s", resource_id, why)
    # As xloader submits a changed file: committed with the change that asks for it.
    tk.get_action("xloader_submit")({"ignore_auth": True, "defer_commit": True},
                                    {"resource_id": resource_id})


def out_of_step(resource_id: str, items: list[dict[str, Any]]) -> bool:
    """Whether the resource's table has other column types than the dictionary gives it. A
    column the dictionary types but whose values did not convert (types.UNCONVERTED) is in
    step: loading the same file again would leave it as text again."""
    try:
        fields = tk.get_action("datastore_info")({"ignore_auth": True},
                                                 {"id": resource_id})["fields"]
    except tk.ObjectNotFound:
        return False
    columns = {f["id"]: f for f in fields if not f["id"].startswith("_")}
    plan = types.planned_types(items, list(columns))
    for name, field in columns.items():
        wanted = plan.get(name)
        if field["type"] == types.SQL_TYPES.get(wanted or "", "text"):
            continue
        unconverted = (field.get("info") or {}).get(types.UNCONVERTED)
        if field["type"] == "text" and isinstance(unconverted, dict) \
                and unconverted.get("type") == wanted:
            continue
        return True
    return False


def after_dataset_update(dataset: dict[str, Any]) -> None:
    """Reload the dataset's loaded tables that its data dictionary now types otherwise."""
    package = model.Package.get(dataset.get("id") or "")
    if package is None or package.state != "active":
        return
    items = [item for item in (dataset.get("data_dictionary") or [])
             if isinstance(item, dict)]
    for resource in package.resources:
        if (resource.extras.get("datastore_active") and _loadable(resource)
                and out_of_step(resource.id, items)):
            _submit(resource.id, "the data dictionary changed")


def before_resource_update(context: dict[str, Any], current: dict[str, Any],
                           resource: dict[str, Any]) -> None:
    """Note a change of the sheet; the update may still fail validation."""
    def sheet(value: Any) -> str:
        return value.strip() if isinstance(value, str) else ""
    if sheet(current.get("sheet")) != sheet(resource.get("sheet")):
        context.setdefault(SHEET_CHANGED, set()).add(current["id"])


def after_resource_update(context: dict[str, Any], resource: dict[str, Any]) -> None:
    """Reload a workbook whose sheet to load changed."""
    if resource["id"] not in context.get(SHEET_CHANGED, ()):
        return
    context[SHEET_CHANGED].discard(resource["id"])
    stored = model.Resource.get(resource["id"])
    if stored is not None and _loadable(stored):
        _submit(stored.id, "its sheet changed")
