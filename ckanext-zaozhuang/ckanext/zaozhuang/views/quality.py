"""The quality check asked for again from a resource page: parse, call the action, go back."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import flash_success

blueprint = Blueprint("zaozhuang_quality", __name__)


@blueprint.route("/dataset/<id>/resource/<resource_id>/quality", methods=["POST"])
def check(id: str, resource_id: str):
    tk.get_action("zaozhuang_quality_check")(
        {"user": tk.current_user.name}, {"resource_id": resource_id})
    flash_success(tk._("The file will be checked again in a moment."))
    return tk.redirect_to("resource.read", id=id, resource_id=resource_id)
