"""The big-data authority's supervision dashboard (and a department admin's own figures)."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.access.model import now

blueprint = Blueprint("zaozhuang_supervision", __name__)


@blueprint.route("/supervision")
def index() -> str:
    context = {"user": tk.current_user.name}
    try:
        figures = tk.get_action("zaozhuang_supervision_figures")(context, {})
        trends = tk.get_action("zaozhuang_supervision_trends")(dict(context), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the big-data authority and a department's admins may "
                                  "see its supervision figures"))
    return tk.render("zaozhuang/supervision/index.html",
                     {"figures": figures, "trends": trends, "moment": now()})
