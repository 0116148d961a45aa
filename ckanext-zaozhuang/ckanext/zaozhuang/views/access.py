"""The gate in front of every request, before CKAN's own views answer it:

1. the inventory (access/inventory.py): an action or page that is not classified, or is
   disabled, is closed to all but sysadmins; staff-only ones to all but department members
   and the authority;
2. the input boundary (schema/boundary.py): control characters, invalid or oversize text,
   deep nesting and absurd paging are refused with the field named, before any action;
3. cross-site requests: a change made with the login cookie must carry the page's CSRF
   token, whichever view or API action it reaches (API tokens in a header need none);
4. the routes into data — downloads (uploads and the redirect of links), DataStore dumps,
   previews and the table views' data — are decided by the access gate, logged, and refused
   with a page that explains the conditions and how to apply.

After them, a file uploaded to the portal is served as a download unless its type runs no
script in a browser, never content-sniffed, and under its own name in any script (RFC 5987
`filename*`, with an ASCII `filename` for older clients). And a refusal, absence or invalid
input that a core view leaves uncaught is answered 403, 404 or 400 with CKAN's error page, in
words that name no id, never as a 500.

A guard rather than copies of CKAN's views: the core views keep serving what is allowed."""
from __future__ import annotations

from typing import Any, Optional

from flask import Blueprint, current_app, g, jsonify, request
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import BadRequest, Forbidden, NotFound
from werkzeug.http import parse_options_header
from wtforms.validators import ValidationError as WTFValidationError

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search.common import SearchError

from ckanext.zaozhuang.access import gate, inventory, policy
from ckanext.zaozhuang.access.activity import activity_of
from ckanext.zaozhuang.schema import boundary
from ckanext.zaozhuang.uploads import names

blueprint = Blueprint("zaozhuang_access", __name__)

# Endpoint suffix → the event logged. Dataset types register their own resource blueprints
# ("dataset_resource", ...), hence suffixes.
GUARDED = {
    "resource.download": "download",
    "resource.view": "preview",
    "datastore.dump": "datastore_dump",
    "datastore.api_info": "datastore_api_info",
    "datatablesview.ajax": "preview",
    "datatablesview.filtered_download": "datastore_dump",
    # An old version of a resource, read by CKAN straight from the activity: its location.
    "activity.resource_history": "resource_history",
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _event(endpoint: Optional[str]) -> Optional[str]:
    for suffix, event in GUARDED.items():
        if endpoint and (endpoint == suffix or endpoint.endswith("_" + suffix)):
            return event
    return None


def _current_user() -> Optional[model.User]:
    user = tk.current_user
    return user._get_current_object() if user and user.is_authenticated else None


def _api_error(status: int, kind: str, message: str):
    return jsonify({"success": False, "error": {"__type": kind, "message": message}}), status


def _refuse(endpoint: str, status: int, message: str):
    if endpoint == "api.action":
        return _api_error(status, "Authorization Error" if status == 403 else "Not Found Error",
                          message)
    return tk.abort(status, message)


def _inventory_check(user: Optional[model.User]):
    endpoint = request.endpoint or ""
    if endpoint == "api.action":
        access = inventory.action_class(str((request.view_args or {}).get("logic_function")))
    else:
        access = inventory.route_class(endpoint)
    if user is not None and user.sysadmin:
        return None
    if access is None or access == inventory.DISABLED:
        return _refuse(endpoint, 403 if endpoint == "api.action" else 404,
                       tk._("This function is not offered by the portal"))
    if access == inventory.STAFF and not policy.is_staff(user):
        return _refuse(endpoint, 403, tk._("Only department staff and the big-data authority "
                                           "may use this function"))
    return None


def _csrf_check(user: Optional[model.User]):
    if (request.method in SAFE_METHODS or user is None or g.get("login_via_auth_header")
            or not current_app.config.get("WTF_CSRF_ENABLED", True)):
        return None
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "_csrf_token")
    # The headers Flask-WTF reads (the DataStore preview's script sends X-CSRF-Token).
    headers = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[h] for h in headers if request.headers.get(h)),
                 request.form.get(field))
    try:
        validate_csrf(token)
    except (WTFValidationError, CSRFError):
        return _refuse(request.endpoint or "", 403,
                       tk._("The form has expired or did not come from this portal; "
                            "reload the page and try again"))
    return None


def _request_parameters() -> tuple[dict[str, Any], dict[str, Any]]:
    """The query and form parameters, and the JSON body (deep nesting is refused by the JSON
    parser with a RecursionError)."""
    fields: dict[str, Any] = {}
    for source in (request.args, request.form):
        for key in source:
            values = source.getlist(key)
            fields[key] = values[0] if len(values) == 1 else values
    body = request.get_json(silent=True) if request.is_json else None
    return fields, body if isinstance(body, dict) else {}


def _input_check(user: Optional[model.User]):
    """The input boundary (schema/boundary.py), for every action and page alike: the path's
    parameters, the query, the form and the JSON body."""
    try:
        fields, body = _request_parameters()
        errors = dict(boundary.problems(request.view_args or {}), **boundary.problems(fields),
                      **boundary.problems(body, typed=True))
        if request.method == "POST":
            errors.update(boundary.page_form_problems(request.endpoint or "", fields))
        else:
            errors.update(boundary.page_query_problems(request.endpoint or "", request.args))
    except RecursionError:
        errors = {"body": [tk._("Is nested too deeply")]}
    if not errors:
        return None
    if request.endpoint == "api.action":
        return jsonify({"success": False, "error": dict(
            errors, __type="Validation Error")}), 409
    field, messages = next(iter(errors.items()))
    return tk.abort(400, f"{field}: {messages[0]}")


def _resource_id_of_request() -> Optional[str]:
    args: dict[str, Any] = request.view_args or {}
    if "resource_view_id" in args:
        view = model.ResourceView.get(str(args["resource_view_id"]))
        return view.resource_id if view is not None else None
    return args.get("resource_id")


# The DataStore's dump formats: its own check of the parameter fails on anything else
# (it formats its message with a tuple) and would answer 500.
DUMP_FORMATS = ("csv", "tsv", "json", "xml")


def _data_check(user: Optional[model.User]):
    event = _event(request.endpoint)
    if event is None:
        return None
    if (request.endpoint or "").endswith("datastore.dump") and request.args.get(
            "format", "csv").lower() not in DUMP_FORMATS:
        return tk.abort(400, tk._("Unknown format: use csv, tsv, json or xml"))
    resource, dataset = gate.resource_and_dataset(_resource_id_of_request())
    if dataset is None:
        return tk.abort(404, tk._("Resource not found"))
    decision = gate.decide(event, user, dataset, resource.id)
    if decision.allowed:
        return None
    if decision.reason == "not_visible":
        # As for a dataset that does not exist: the refusal tells nothing about it.
        return tk.abort(404, tk._("Resource not found"))
    dataset_dict = tk.get_action("package_show")(
        {"user": user.name if user else ""}, {"id": dataset.id})
    return tk.render("zaozhuang/access/refused.html", {
        "pkg": dataset_dict, "resource_id": resource.id, "decision": decision,
    }), 403


def _history_check(user: Optional[model.User]):
    """CKAN's history pages read the activity named in the URL without checking that it is
    a version of that dataset: anything else is absent."""
    endpoint = request.endpoint or ""
    if endpoint not in ("activity.package_history", "activity.resource_history"):
        return None
    args: dict[str, Any] = request.view_args or {}
    dataset = model.Package.get(str(args.get("id")))
    activity = activity_of(str(args.get("activity_id")))
    data = getattr(activity, "data", None)
    if (dataset is None or activity is None or activity.object_id != dataset.id
            or not isinstance(data, dict) or not isinstance(data.get("package"), dict)):
        return tk.abort(404, tk._("Dataset not found"))
    return None


@blueprint.before_app_request
def gate_request():
    user = _current_user()
    for check in (_inventory_check, _input_check, _csrf_check, _history_check, _data_check):
        answer = check(user)
        if answer is not None:
            return answer
    return None


# What a browser may show inline from the portal's own origin: types that run no script.
# Anything else a department uploads (HTML, SVG, ...) is offered as a download only.
INLINE_TYPES = frozenset(("text/csv", "text/plain", "application/json", "application/pdf",
                          "image/png", "image/jpeg", "image/gif", "image/webp"))
FILE_ENDPOINTS = ("file.download", "file.public_download", "file.trusted_download")


@blueprint.after_app_request
def uploads_never_run_in_the_portal(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    endpoint = request.endpoint or ""
    if ((_event(endpoint) == "download" or endpoint in FILE_ENDPOINTS)
            and response.status_code == 200):
        disposition, params = parse_options_header(
            response.headers.get("Content-Disposition", ""))
        if response.mimetype not in INLINE_TYPES:
            disposition = "attachment"
        if disposition:
            filename = params.get("filename")
            response.headers.set("Content-Disposition", disposition,
                                 **(names.content_disposition(filename) if filename else {}))
    return response


def _error_page(error: Exception):
    if isinstance(error, tk.NotAuthorized):
        http = Forbidden(tk._("You are not allowed to see this page"))
    elif isinstance(error, tk.ObjectNotFound):
        http = NotFound(tk._("The page or item was not found"))
    else:
        http = BadRequest(tk._("The request is not valid"))
    return current_app.handle_http_exception(http)


# KeyError: a core form view reading a field its form always carries (the resource form's
# hidden id) from a request that left it out.
for _exception in (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError, SearchError,
                   KeyError):
    blueprint.app_errorhandler(_exception)(_error_page)
