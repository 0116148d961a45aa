"""Pages of the catalog domain: parse the request, call actions, render."""
from __future__ import annotations

import base64
import io
from typing import Any

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

blueprint = Blueprint("zaozhuang_catalog", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name}


def _download(result: dict[str, Any]) -> Response:
    return send_file(io.BytesIO(base64.b64decode(result["content"])),
                     mimetype=result["mimetype"], as_attachment=True,
                     download_name=result["filename"])


@blueprint.route("/catalog/template.<any(xlsx, csv):fmt>")
def template(fmt: str) -> Response:
    """The empty catalog spreadsheet departments fill in and import."""
    return _download(tk.get_action("zaozhuang_catalog_template")(_context(), {"format": fmt}))


@blueprint.route("/organization/<id>/catalog.<any(xlsx, csv):fmt>")
def export(id: str, fmt: str) -> Response:
    """A department's catalog as the user may see it, in the import's format."""
    try:
        result = tk.get_action("zaozhuang_catalog_export")(
            _context(), {"owner_org": id, "format": fmt})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not authorized to see this page"))
    return _download(result)


@blueprint.route("/dashboard/overdue")
def overdue() -> str:
    """A publisher's datasets that are overdue for an update (动态维护)."""
    try:
        page = max(int(tk.request.args.get("page", 1)), 1)
    except ValueError:
        page = 1
    try:
        result = tk.get_action("zaozhuang_overdue_list")(
            _context(), {"rows": 50, "start": (page - 1) * 50})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only publishers and the big-data authority may list "
                                  "overdue datasets"))
    return tk.render("zaozhuang/catalog/overdue.html", {"result": result, "page": page})
