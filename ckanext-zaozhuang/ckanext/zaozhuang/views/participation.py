"""Pages of public participation: data requests (需求征集) and error reports (纠错).
Parse the request, call actions, render."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.participation.corrections.model import KINDS, kind_label
from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.views.applications import _context, _errors_summary, _guarded
from ckanext.zaozhuang.views.catalog import _download

blueprint = Blueprint("zaozhuang_participation", __name__)
_ = tk._

REQUEST_FIELDS = ("title", "description", "organization_id", "update_frequency",
                  "contact_phone")
PAGE_SIZE = 20


def _call(action: str, **data: Any) -> Any:
    return tk.get_action(f"zaozhuang_{action}")(_context(), data)


def _page() -> int:
    try:
        return max(int(tk.request.args.get("page", 1)), 1)
    except ValueError:
        return 1


def _departments() -> list[dict[str, Any]]:
    return tk.get_action("organization_list")(_context(), {"all_fields": True})


def _flash_errors(error: tk.ValidationError) -> None:
    tk.h.flash_error(" ".join(_errors_summary(error.error_dict).values()))


@blueprint.route("/requests")
@_guarded
def request_index() -> Any:
    """The public list of data requests: search by word, filter by status."""
    args = tk.request.args
    filters = {k: args[k] for k in ("state", "q") if args.get(k)}
    page = _page()
    try:
        result = _call("request_list", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                       **filters)
    except tk.ValidationError as error:
        _flash_errors(error)
        result = {"count": 0, "results": []}
    exporter = tk.h.check_access("zaozhuang_request_export", {})
    return tk.render("participation/requests/index.html", {
        "result": result, "filters": filters, "page": page, "page_size": PAGE_SIZE,
        "departments": _departments() if exporter else []})


def _request_form(data: dict[str, Any], errors: dict[str, Any]) -> str:
    return tk.render("participation/requests/new.html", {
        "data": data, "errors": errors, "error_summary": _errors_summary(errors),
        "departments": _departments(),
        "formats": vocabularies.terms("resource_format"),
        "frequencies": vocabularies.terms("update_frequency"),
        "lang": vocabularies.current_language()})


@blueprint.route("/requests/new", methods=["GET", "POST"])
@_guarded
def request_new() -> Any:
    tk.check_access("zaozhuang_request_create", _context(), {})
    if tk.request.method == "GET":
        return _request_form({"formats": []}, {})
    form = tk.request.form
    data: dict[str, Any] = {field: form.get(field, "") for field in REQUEST_FIELDS}
    data["formats"] = form.getlist("formats")
    try:
        saved = _call("request_create", **data)
    except tk.ValidationError as error:
        return _request_form(data, error.error_dict)
    tk.h.flash_success(_("Your data request was filed."))
    return tk.redirect_to("zaozhuang_participation.request_read", id=saved["id"])


@blueprint.route("/requests/<id>")
@_guarded
def request_read(id: str) -> Any:
    """A request, its answer, the support button, and the forms of those who act on it."""
    request = _call("request_show", id=id)
    return tk.render("participation/requests/read.html", {
        "request": request, "departments": _departments() if request["may_route"] else [],
        "may_hide": tk.h.check_access("zaozhuang_request_hide", {"id": id}),
        "may_support": (tk.current_user.is_authenticated and not request["supported"]
                        and tk.h.check_access("zaozhuang_request_support", {"id": id}))})


@blueprint.route("/requests/<id>/<any(support, route, answer, link, hide):step>",
                 methods=["POST"])
@_guarded
def request_step(id: str, step: str) -> Any:
    form = tk.request.form
    fields = {"support": (), "route": ("organization_id",),
              "answer": ("answer", "answer_text", "legal_basis", "planned_date", "dataset_id"),
              "link": ("dataset_id",), "hide": ("reason",)}[step]
    try:
        _call(f"request_{step}", id=id, **{f: form.get(f, "") for f in fields})
        tk.h.flash_success(_("Saved."))
    except tk.ValidationError as error:
        _flash_errors(error)
    if step == "hide":
        return tk.redirect_to("zaozhuang_participation.request_index")
    return tk.redirect_to("zaozhuang_participation.request_read", id=id)


@blueprint.route("/requests/export.<any(xlsx, csv):fmt>")
@_guarded
def request_export(fmt: str) -> Response:
    """The requests by department, for the supply-demand meetings (authority only)."""
    return _download(_call("request_export", format=fmt,
                           organization_id=tk.request.args.get("organization_id", "")))


@blueprint.route("/corrections")
@_guarded
def correction_index() -> Any:
    """The public list of error reports, on the datasets the visitor may see."""
    args = tk.request.args
    filters = {k: args[k] for k in ("state", "q", "dataset_id") if args.get(k)}
    page = _page()
    try:
        result = _call("correction_list", limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                       **filters)
    except tk.ValidationError as error:
        _flash_errors(error)
        result = {"count": 0, "results": []}
    return tk.render("participation/corrections/index.html", {
        "result": result, "filters": filters, "page": page, "page_size": PAGE_SIZE})


def _kinds() -> list[tuple[str, str]]:
    return [(kind, kind_label(kind)) for kind in KINDS]


@blueprint.route("/dataset/<id>/correction", methods=["GET", "POST"])
@_guarded
def correction_new(id: str) -> Any:
    """The 纠错 form of a dataset."""
    # Asked first: a dataset the user may not see is "not found", as the action answers.
    tk.check_access("zaozhuang_correction_create", _context(), {"dataset_id": id})
    dataset = tk.get_action("package_show")(_context(), {"id": id})
    data: dict[str, Any] = {"resource_id": tk.request.args.get("resource_id", "")}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {f: form.get(f, "") for f in ("kind", "description", "resource_id")}
        try:
            saved = _call("correction_create", dataset_id=dataset["id"], **data)
            tk.h.flash_success(_("Thank you: your error report was sent to the provider."))
            return tk.redirect_to("zaozhuang_participation.correction_read", id=saved["id"])
        except tk.ValidationError as error:
            errors = error.error_dict
    return tk.render("participation/corrections/new.html", {
        "pkg": dataset, "data": data, "errors": errors,
        "error_summary": _errors_summary(errors), "kinds": _kinds()})


@blueprint.route("/corrections/<id>")
@_guarded
def correction_read(id: str) -> Any:
    return tk.render("participation/corrections/read.html", {
        "report": _call("correction_show", id=id),
        "may_hide": tk.h.check_access("zaozhuang_correction_hide", {"id": id})})


@blueprint.route("/corrections/<id>/<any(answer, hide):step>", methods=["POST"])
@_guarded
def correction_step(id: str, step: str) -> Any:
    form = tk.request.form
    fields = {"answer": ("answer", "answer_text", "fix_date"), "hide": ("reason",)}[step]
    try:
        _call(f"correction_{step}", id=id, **{f: form.get(f, "") for f in fields})
        tk.h.flash_success(_("Saved."))
    except tk.ValidationError as error:
        _flash_errors(error)
    if step == "hide":
        return tk.redirect_to("zaozhuang_participation.correction_index")
    return tk.redirect_to("zaozhuang_participation.correction_read", id=id)


@blueprint.route("/participation/queue")
@_guarded
def queue() -> Any:
    """What the user's departments have to answer (for the authority: to route and answer)."""
    return tk.render("participation/queue.html", {
        "requests": _call("request_list", scope="queue", limit=200),
        "reports": _call("correction_list", scope="queue", limit=200)})
