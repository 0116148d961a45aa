"""The duplicate-collection check for the big-data authority: parse, call the actions,
render."""
from __future__ import annotations

from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

blueprint = Blueprint("zaozhuang_duplicates", __name__)
_ = tk._


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _refused(error: tk.NotAuthorized) -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    return tk.abort(403, str(error))


@blueprint.route("/supervision/duplicates")
def index() -> Any:
    include = tk.request.args.get("include_resolved") == "1"
    try:
        pairs = tk.get_action("zaozhuang_duplicate_list")(
            _context(), {"include_resolved": include})
    except tk.NotAuthorized as error:
        return _refused(error)
    return tk.render("zaozhuang/supervision/duplicates.html", {
        "pairs": pairs, "include_resolved": include,
        "threshold": tk.config.get("ckanext.zaozhuang.supervision.duplicate_threshold")})


@blueprint.route("/supervision/duplicates/resolve", methods=["POST"])
def resolve() -> Any:
    form = tk.request.form
    try:
        tk.get_action("zaozhuang_duplicate_resolve")(_context(), {
            k: form.get(k, "") for k in ("dataset_a", "dataset_b", "resolution", "note")})
        tk.h.flash_success(_("The pair is resolved."))
    except tk.NotAuthorized as error:
        return _refused(error)
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(" ".join(map(str, m)) if isinstance(m, list) else str(m)
                                  for m in error.error_dict.values()))
    return tk.redirect_to("zaozhuang_duplicates.index")
