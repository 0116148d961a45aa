"""A resource's data API page: how to query its DataStore table, with examples that run as
they are (curl and Python with ckanapi), for those who may read the table."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

blueprint = Blueprint("zaozhuang_data_api", __name__)

DUMP_FORMATS = ("csv", "tsv", "json", "xml")


@blueprint.route("/dataset/<id>/resource/<resource_id>/api")
def read(id: str, resource_id: str) -> Any:
    context = {"user": tk.current_user.name}
    dataset = tk.get_action("package_show")(dict(context), {"id": id})
    resource = next((r for r in dataset["resources"] if r["id"] == resource_id), None)
    if resource is None:
        return tk.abort(404, tk._("Resource not found"))
    may_read = True
    try:
        info = tk.get_action("datastore_info")(dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        info = None  # not loaded (yet): the page says so
    except tk.NotAuthorized:
        info, may_read = None, False  # the page says how to get access
    fields = [f for f in (info or {}).get("fields", []) if not f["id"].startswith("_")]
    return tk.render("zaozhuang/data_api/read.html", {
        "pkg": dataset, "res": resource, "fields": fields, "loaded": info is not None,
        "may_read": may_read,
        "total": (info or {}).get("meta", {}).get("count"),
        "needs_token": dataset.get("open_category") != "unconditional" or dataset.get(
            "private"),
        "site_url": tk.config.get("ckan.site_url").rstrip("/"), "dump_formats": DUMP_FORMATS,
    })
