"""The big-data authority's incident register: parse the request, call actions, render."""
from __future__ import annotations

import base64
import io
from typing import Any, Callable

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.supervision.incidents.model import STATES
from ckanext.zaozhuang.supervision.incidents.schema import (
    SEVERITIES, severity_label, state_label)

blueprint = Blueprint("zaozhuang_incidents", __name__)
_ = tk._
FORM_FIELDS = ("subject", "dataset_id", "user_id", "severity", "description")


def _call(action: str, **data: Any) -> Any:
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    return tk.get_action(f"zaozhuang_{action}")({"user": user}, data)


def _summary(errors: dict[str, Any]) -> dict[str, str]:
    return {field: " ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
            for field, messages in errors.items()}


def _guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """Who may not, gets 403 (anonymous users the login page); what does not exist, 404."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except tk.NotAuthorized as error:
            if not tk.current_user.is_authenticated:
                return tk.redirect_to("user.login", came_from=tk.request.full_path)
            return tk.abort(403, str(error))
        except tk.ObjectNotFound as error:
            return tk.abort(404, str(error))
    wrapper.__name__ = view.__name__
    return wrapper


def _labels() -> dict[str, Any]:
    return {"severities": [(code, severity_label(code)) for code in SEVERITIES],
            "states": [(code, state_label(code)) for code in STATES]}


@blueprint.route("/supervision/incidents")
@_guarded
def index() -> str:
    state = tk.request.args.get("state") or None
    params = {"state": state} if state else {}
    try:
        incidents = _call("incident_list", **params)
    except tk.ValidationError:
        return tk.abort(400, _("Unknown state"))
    return tk.render("zaozhuang/supervision/incidents.html",
                     dict(_labels(), incidents=incidents, state=state))


@blueprint.route("/supervision/incidents.<any(xlsx, csv):fmt>")
@_guarded
def export(fmt: str) -> Response:
    result = _call("incident_export", format=fmt)
    return send_file(io.BytesIO(base64.b64decode(result["content"])),
                     mimetype=result["mimetype"], as_attachment=True,
                     download_name=result["filename"])


@blueprint.route("/supervision/incidents/new", methods=["GET", "POST"])
@_guarded
def new() -> Any:
    errors: dict[str, Any] = {}
    data: dict[str, Any] = {"subject": tk.request.args.get("subject", "dataset"),
                            "dataset_id": tk.request.args.get("dataset_id", ""),
                            "freeze": True}
    if tk.request.method == "POST":
        data = {field: tk.request.form.get(field, "") for field in FORM_FIELDS}
        data["freeze"] = bool(tk.request.form.get("freeze"))
        # The form has both subject fields; only the chosen one is sent on.
        other = "user_id" if data["subject"] == "dataset" else "dataset_id"
        try:
            incident = _call("incident_create", **{k: v for k, v in data.items()
                                                    if k != other})
            tk.h.flash_success(_("The incident is registered."))
            return tk.redirect_to("zaozhuang_incidents.read", id=incident["id"])
        except tk.ValidationError as error:
            errors = error.error_dict
    else:
        # Only the authority gets the form.
        tk.check_access("zaozhuang_incident_create", {"user": tk.current_user.name}, {})
    return tk.render("zaozhuang/supervision/incident_new.html", dict(
        _labels(), data=data, errors=errors, error_summary=_summary(errors)))


@blueprint.route("/supervision/incidents/<id>")
@_guarded
def read(id: str) -> str:
    return tk.render("zaozhuang/supervision/incident.html", dict(
        _labels(), incident=_call("incident_show", id=id)))


def _act(id: str, action: str, success: str, **data: Any) -> Any:
    try:
        _call(action, id=id, **data)
        tk.h.flash_success(success)
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(_summary(error.error_dict).values()))
    return tk.redirect_to("zaozhuang_incidents.read", id=id)


@blueprint.route("/supervision/incidents/<id>/note", methods=["POST"])
@_guarded
def note(id: str) -> Any:
    return _act(id, "incident_note_add", _("The note was added."),
                body=tk.request.form.get("body", ""))


@blueprint.route("/supervision/incidents/<id>/freeze", methods=["POST"])
@_guarded
def freeze(id: str) -> Any:
    return _act(id, "incident_freeze", _("Access is suspended."))


@blueprint.route("/supervision/incidents/<id>/close", methods=["POST"])
@_guarded
def close(id: str) -> Any:
    return _act(id, "incident_close", _("The incident is closed."),
                outcome=tk.request.form.get("outcome", ""),
                reason=tk.request.form.get("reason", ""))
