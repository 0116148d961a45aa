"""Pages of showcases and of ratings on datasets: parse the request, call actions, render."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, send_file

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.participation.showcases import actions as showcase_actions
from ckanext.zaozhuang.participation.showcases.schema import KINDS, kind_labels
from ckanext.zaozhuang.views.applications import _context, _errors_summary, _guarded

blueprint = Blueprint("zaozhuang_showcases", __name__)
_ = tk._
PAGE_SIZE = 12


def _call(action: str, **data: Any) -> Any:
    return tk.get_action(f"zaozhuang_{action}")(_context(), data)


def _page_number() -> int:
    try:
        return max(1, int(tk.request.args.get("page", 1)))
    except ValueError:
        return 1


@blueprint.route("/showcases")
@_guarded
def index() -> Any:
    """The gallery: published showcases, filtered by kind and words."""
    kind = tk.request.args.get("kind") or None
    q = tk.request.args.get("q", "").strip() or None
    page = _page_number()
    filters = {"kind": kind if kind in KINDS else None, "q": q}
    try:
        found = _call("showcase_list", offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                      **{k: v for k, v in filters.items() if v})
    except tk.ValidationError:
        found = {"count": 0, "results": []}
    return tk.render("showcases/index.html", {
        "showcases": found["results"], "count": found["count"], "kind": filters["kind"],
        "q": q or "", "kinds": kind_labels(), "page": page,
        "pages": max(1, -(-found["count"] // PAGE_SIZE)),
    })


@blueprint.route("/showcases/new", methods=["GET", "POST"])
@_guarded
def new() -> Any:
    tk.check_access("zaozhuang_showcase_create", _context(), {})
    errors: dict[str, Any] = {}
    data: dict[str, Any] = {"dataset_ids": tk.request.args.get("dataset", "")}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {field: form.get(field, "") for field in (
            "title", "kind", "description", "link", "dataset_ids")}
        try:
            showcase = _call("showcase_create", image_upload=tk.request.files.get("image_upload"),
                             **data)
            tk.h.flash_success(_("Your showcase was submitted; it is published once the "
                                 "big-data authority has reviewed it."))
            return tk.redirect_to("zaozhuang_showcases.read", id=showcase["id"])
        except tk.ValidationError as error:
            errors = error.error_dict
    return tk.render("showcases/new.html", {
        "data": data, "errors": errors, "error_summary": _errors_summary(errors),
        "kinds": kind_labels()})


@blueprint.route("/showcases/review")
@_guarded
def queue() -> Any:
    found = _call("showcase_list", scope="review", limit=100)
    return tk.render("showcases/queue.html", {"showcases": found["results"]})


@blueprint.route("/showcases/<id>")
@_guarded
def read(id: str) -> Any:
    return tk.render("showcases/read.html", {"showcase": _call("showcase_show", id=id)})


@blueprint.route("/showcases/<id>/image")
@_guarded
def image(id: str) -> Any:
    path = showcase_actions.image_file(_call("showcase_show", id=id))
    if path is None:
        return tk.abort(404, _("Not found"))
    return send_file(path, max_age=3600)


@blueprint.route("/showcases/<id>/<any(review, hide):step>", methods=["POST"])
@_guarded
def step(id: str, step: str) -> Any:
    form = tk.request.form
    try:
        if step == "review":
            result = _call("showcase_review", id=id, decision=form.get("decision", ""),
                           reason=form.get("reason", ""))
        else:
            result = _call("showcase_hide", id=id, reason=form.get("reason", ""))
        tk.h.flash_success(_("The showcase is now: {state}").format(
            state=result["state_label"]))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_errors_summary(error.error_dict).values()))
    return tk.redirect_to("zaozhuang_showcases.read", id=id)


@blueprint.route("/dataset/<id>/rating", methods=["POST"])
@_guarded
def rate(id: str) -> Any:
    """The rating form of the dataset page; its star choice is text, the action takes a
    number."""
    form = tk.request.form
    stars = form.get("stars", "")
    data: dict[str, Any] = {"dataset_id": id,
                            "stars": int(stars) if stars.isdigit() else stars}
    if "comment" in form:
        data["comment"] = form["comment"]
    try:
        _call("rating_set", **data)
        tk.h.flash_success(_("Thank you for your rating. A comment is shown once the "
                             "providing department has approved it."))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_errors_summary(error.error_dict).values()))
    return tk.redirect_to("dataset.read", id=id)


@blueprint.route("/dataset/<id>/comments/<rating_id>/<any(approve, hide):decision>",
                 methods=["POST"])
@_guarded
def moderate(id: str, rating_id: str, decision: str) -> Any:
    _call("rating_moderate", id=rating_id, decision=decision,
          reason=tk.request.form.get("reason", ""))
    tk.h.flash_success(_("The comment was approved.") if decision == "approve"
                       else _("The comment was hidden."))
    return tk.redirect_to("dataset.read", id=id)
