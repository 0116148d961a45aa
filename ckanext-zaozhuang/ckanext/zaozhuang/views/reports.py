"""Evaluation reports: the archive, a printable page per report, its spreadsheet. Parse,
call the actions, render."""
from __future__ import annotations

import base64
import io
from typing import Any

from flask import Blueprint, send_file

import ckan.plugins.toolkit as tk

blueprint = Blueprint("zaozhuang_reports", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _call(action: str, **data: Any) -> Any:
    return tk.get_action(f"zaozhuang_{action}")(_context(), data)


def _refused(error: tk.NotAuthorized) -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    return tk.abort(403, str(error))


@blueprint.route("/supervision/reports")
def index() -> Any:
    try:
        return tk.render("zaozhuang/supervision/reports.html",
                         {"reports": _call("evaluation_report_list")})
    except tk.NotAuthorized as error:
        return _refused(error)


@blueprint.route("/supervision/reports/<id>")
def read(id: str) -> Any:
    try:
        return tk.render("zaozhuang/supervision/report.html",
                         {"report": _call("evaluation_report_show", id=id)})
    except tk.NotAuthorized as error:
        return _refused(error)
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))


@blueprint.route("/supervision/reports/<id>.<any(xlsx, csv):fmt>")
def export(id: str, fmt: str) -> Any:
    try:
        result = _call("evaluation_report_export", id=id, format=fmt)
    except tk.NotAuthorized as error:
        return _refused(error)
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))
    return send_file(io.BytesIO(base64.b64decode(result["content"])),
                     mimetype=result["mimetype"], as_attachment=True,
                     download_name=result["filename"])
