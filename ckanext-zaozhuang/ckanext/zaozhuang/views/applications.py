"""Pages of the applications domain: parse the request, call actions, render."""
from __future__ import annotations

from typing import Any, Callable, Optional

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.applications.schema import APPLICANT_TYPES

blueprint = Blueprint("zaozhuang_applications", __name__)
_ = tk._

FORM_FIELDS = ("applicant_type", "real_name", "phone", "entity_name", "credit_code",
               "contact_name", "contact_phone", "contact_email", "organization_id",
               "purpose", "scenario", "security_measures", "expected_results",
               "period_start", "period_end")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def _call(action: str, **data: Any) -> Any:
    return tk.get_action(f"zaozhuang_{action}")(_context(), data)


def _errors_summary(errors: dict[str, Any]) -> dict[str, str]:
    return {field: " ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
            for field, messages in errors.items()}


def _guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """Who may not, gets 403; what does not exist, 404 (the actions decide both)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except tk.NotAuthorized as error:
            if not tk.current_user.is_authenticated:
                return tk.redirect_to("user.login", came_from=tk.request.full_path)
            return tk.abort(403, str(error) or _("Not authorized to see this page"))
        except tk.ObjectNotFound as error:
            return tk.abort(404, str(error) or _("Not found"))
    wrapper.__name__ = view.__name__
    return wrapper


def _application_from_form(dataset: dict[str, Any]) -> dict[str, Any]:
    form = tk.request.form
    data = {field: form.get(field, "") for field in FORM_FIELDS}
    if form.get("resource_scope") == "some":
        data["resource_ids"] = form.getlist("resource_ids")
    data["pledge_accepted"] = bool(form.get("pledge_accepted"))
    data["dataset_id"] = dataset["id"]
    return data


def _form_page(dataset: dict[str, Any], data: dict[str, Any], errors: dict[str, Any],
               application: Optional[dict[str, Any]] = None) -> str:
    user_orgs = tk.get_action("organization_list_for_user")(
        _context(), {"permission": "read"})
    return tk.render("zaozhuang/applications/apply.html", {
        "pkg": dataset, "data": data, "errors": errors,
        "error_summary": _errors_summary(errors), "application": application,
        "applicant_types": APPLICANT_TYPES, "user_orgs": user_orgs,
        "pledge_text": tk.config.get("ckanext.zaozhuang.applications.pledge_text"),
        "max_days": tk.config.get("ckanext.zaozhuang.applications.max_grant_days"),
    })


def _save(dataset: dict[str, Any], application: Optional[dict[str, Any]]) -> Any:
    data = _application_from_form(dataset)
    saved = None
    try:
        if application is None:
            saved = _call("application_create", **data)
        else:
            saved = _call("application_update", id=application["id"], **data)
        if "submit" in tk.request.form:
            _call("application_submit", id=saved["id"])
            tk.h.flash_success(_("Your application was submitted."))
        else:
            tk.h.flash_success(_("Your application was saved as a draft."))
    except tk.ValidationError as error:
        # What was typed is shown again, with the messages beside the fields.
        return _form_page(dataset, data, error.error_dict, saved or application)
    return tk.redirect_to("zaozhuang_applications.read", id=saved["id"])


@blueprint.route("/dataset/<id>/apply", methods=["GET", "POST"])
@_guarded
def apply(id: str) -> Any:
    """The application form for a conditional dataset, prefilled from the kept profile."""
    dataset = tk.get_action("package_show")(_context(), {"id": id})
    tk.check_access("zaozhuang_application_create", _context(), {"dataset_id": dataset["id"]})
    if tk.request.method == "POST":
        return _save(dataset, None)
    profile = _call("applicant_profile_show")
    data = {k: v for k, v in profile.items() if k in FORM_FIELDS and v}
    data.setdefault("applicant_type", "enterprise")
    return _form_page(dataset, data, {})


@blueprint.route("/applications/<id>/edit", methods=["GET", "POST"])
@_guarded
def edit(id: str) -> Any:
    application = _call("application_show", id=id)
    tk.check_access("zaozhuang_application_update", _context(), {"id": id})
    dataset = tk.get_action("package_show")(_context(), {"id": application["dataset_id"]})
    if tk.request.method == "POST":
        return _save(dataset, application)
    data = dict(application["applicant"], **{
        k: application[k] for k in FORM_FIELDS if application.get(k) is not None})
    data["resource_ids"] = application["resource_ids"]
    data["pledge_accepted"] = application["pledge_accepted"]
    return _form_page(dataset, data, {}, application)


@blueprint.route("/applications")
@_guarded
def mine() -> Any:
    """我的申请: the user's applications and the grants they hold."""
    result = _call("application_list", scope="mine", state=tk.request.args.get("state"))
    return tk.render("zaozhuang/applications/mine.html", {
        "applications": result["results"], "count": result["count"]})


@blueprint.route("/applications/<id>")
@_guarded
def read(id: str) -> Any:
    """One application with its timeline, its agreement and grant, and the next steps."""
    application = _call("application_show", id=id)
    is_applicant = application["user_id"] == tk.current_user.id
    return tk.render("zaozhuang/applications/read.html", {
        "application": application, "is_applicant": is_applicant,
        "is_reviewer": tk.h.check_access("zaozhuang_application_approve", {"id": id}),
        "grants": _call("grant_list", application_id=id,
                        scope="mine" if is_applicant else "review"),
    })


@blueprint.route("/applications/<id>/<any(submit, withdraw, renew):step>", methods=["POST"])
@_guarded
def step(id: str, step: str) -> Any:
    try:
        result = _call(f"application_{step}", id=id, reason=tk.request.form.get("reason"))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_errors_summary(error.error_dict).values()))
        return tk.redirect_to("zaozhuang_applications.read", id=id)
    if step == "renew":
        tk.h.flash_success(_("A renewal was prefilled from your application: check it and "
                             "submit it."))
        return tk.redirect_to("zaozhuang_applications.edit", id=result["id"])
    tk.h.flash_success(_("The application is now: {state}").format(
        state=result["state_label"]))
    return tk.redirect_to("zaozhuang_applications.read", id=id)


@blueprint.route("/applications/review")
@_guarded
def queue() -> Any:
    """The reviewer queue, per department, with filters: pending, returned, overdue."""
    args = tk.request.args
    filters = {k: args[k] for k in ("organization_id", "filter") if args.get(k)}
    result = _call("application_list", scope="review", **filters)
    departments = [org for org in tk.get_action("organization_list_for_user")(
        _context(), {"permission": "read"})
        if tk.h.check_access("zaozhuang_application_list",
                             {"scope": "review", "organization_id": org["id"]})]
    return tk.render("zaozhuang/applications/queue.html", {
        "applications": result["results"], "count": result["count"], "filters": filters,
        "departments": departments,
    })


@blueprint.route("/applications/<id>/decide", methods=["GET", "POST"])
@_guarded
def decide(id: str) -> Any:
    """The decision page: approve, return for more material, or reject with a reason."""
    tk.check_access("zaozhuang_application_approve", _context(), {"id": id})
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        decision = tk.request.form.get("decision")
        if decision in ("approve", "return", "reject"):
            try:
                result = _call(f"application_{decision}", id=id,
                               reason=tk.request.form.get("reason"))
                tk.h.flash_success(_("The application is now: {state}").format(
                    state=result["state_label"]))
                return tk.redirect_to("zaozhuang_applications.read", id=id)
            except tk.ValidationError as error:
                errors = error.error_dict
    application = _call("application_show", id=id)
    return tk.render("zaozhuang/applications/decide.html", {
        "application": application, "errors": errors,
        "error_summary": _errors_summary(errors),
        "reason": tk.request.form.get("reason", ""),
    })


@blueprint.route("/applications/<id>/agreement", methods=["GET", "POST"])
@_guarded
def agreement(id: str) -> Any:
    """Read the agreement and sign it."""
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        try:
            _call("agreement_sign", application_id=id,
                  text_sha256=tk.request.form.get("text_sha256", ""),
                  accept=bool(tk.request.form.get("accept")))
            tk.h.flash_success(_("The agreement is signed: you can now get the data."))
            return tk.redirect_to("zaozhuang_applications.read", id=id)
        except tk.ValidationError as error:
            errors = error.error_dict
    shown = _call("agreement_show", application_id=id)
    return tk.render("zaozhuang/applications/agreement.html", {
        "agreement": shown, "errors": errors, "error_summary": _errors_summary(errors),
        "may_sign": shown["signed_at"] is None
        and shown["application"]["state"] == "approved"
        and tk.h.check_access("zaozhuang_agreement_sign", {"application_id": id}),
    })


@blueprint.route("/applications/<id>/agreement/print")
@_guarded
def agreement_print(id: str) -> Any:
    return tk.render("zaozhuang/applications/agreement_print.html", {
        "agreement": _call("agreement_show", application_id=id)})


@blueprint.route("/grants")
@_guarded
def grants() -> Any:
    """Grants held by the user, and for reviewers those on their departments' datasets."""
    reviews = tk.h.check_access("zaozhuang_grant_list", {"scope": "review"})
    return tk.render("zaozhuang/applications/grants.html", {
        "held": _call("grant_list", scope="mine"),
        "reviewed": _call("grant_list", scope="review") if reviews else [],
    })


@blueprint.route("/grants/<id>/revoke", methods=["POST"])
@_guarded
def revoke(id: str) -> Any:
    try:
        _call("grant_revoke", id=id, reason=tk.request.form.get("reason", ""))
        tk.h.flash_success(_("The grant was revoked."))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_errors_summary(error.error_dict).values()))
    return tk.redirect_to("zaozhuang_applications.grants")


@blueprint.route("/grants/<id>/reports", methods=["GET", "POST"])
@_guarded
def reports(id: str) -> Any:
    """利用情况反馈: the holder reports; the holder and the provider read the reports."""
    errors: dict[str, Any] = {}
    data: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = {k: tk.request.form.get(k, "") for k in ("usage", "results", "benefits",
                                                         "problems", "showcase_id")}
        try:
            _call("usage_report_create", grant_id=id, **data)
            tk.h.flash_success(_("Thank you: your report was recorded."))
            return tk.redirect_to("zaozhuang_applications.reports", id=id)
        except tk.ValidationError as error:
            errors = error.error_dict
    held = {g["id"]: g for g in _call("grant_list", scope="mine")}
    listed = _call("usage_report_list", grant_id=id,
                   scope="mine" if id in held else "review")
    grant = held.get(id) or next(
        (g for g in _call("grant_list", scope="review") if g["id"] == id), None)
    return tk.render("zaozhuang/applications/reports.html", {
        "grant": grant, "reports": listed, "data": data, "errors": errors,
        "error_summary": _errors_summary(errors),
        "may_report": id in held and held[id]["status"] == "active",
        "showcases": _call("showcase_list", scope="mine", limit=100)["results"]
        if id in held else [],
    })
