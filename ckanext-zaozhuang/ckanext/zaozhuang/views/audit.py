"""Special audits (专项审计): the access log filtered by dataset, applicant, department and
period, with its export. Parse the request, call the actions, render."""
from __future__ import annotations

import base64
import io
from typing import Any

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

blueprint = Blueprint("zaozhuang_audit", __name__)
_ = tk._
FILTERS = ("dataset_id", "user", "organization_id", "event", "outcome", "since", "until")
PAGE = 100


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _filters() -> dict[str, str]:
    return {k: tk.request.args[k].strip() for k in FILTERS if tk.request.args.get(k, "").strip()}


def _refused() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    return tk.abort(403, _("Only the big-data authority and departments' admins and editors "
                           "may read the access log"))


@blueprint.route("/supervision/audit")
def index() -> Any:
    filters = _filters()
    try:
        page = max(int(tk.request.args.get("page", 1)), 1)
    except ValueError:
        page = 1
    errors: dict[str, Any] = {}
    result: dict[str, Any] = {"count": 0, "results": []}
    try:
        result = tk.get_action("zaozhuang_audit_list")(
            _context(), dict(filters, limit=PAGE, offset=(page - 1) * PAGE))
    except tk.NotAuthorized:
        return _refused()
    except tk.ValidationError as error:
        errors = error.error_dict
    return tk.render("zaozhuang/supervision/audit.html", {
        "filters": filters, "result": result, "errors": errors, "page": page,
        "pages": max((result["count"] + PAGE - 1) // PAGE, 1)})


@blueprint.route("/supervision/audit.<any(xlsx, csv):fmt>")
def export(fmt: str) -> Any:
    try:
        result = tk.get_action("zaozhuang_audit_export")(
            _context(), dict(_filters(), format=fmt))
    except tk.NotAuthorized:
        return _refused()
    except tk.ValidationError as error:
        return tk.abort(400, " ".join(
            " ".join(map(str, m)) for m in error.error_dict.values()))
    response: Response = send_file(io.BytesIO(base64.b64decode(result["content"])),
                                   mimetype=result["mimetype"], as_attachment=True,
                                   download_name=result["filename"])
    return response
