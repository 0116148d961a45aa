"""navl schemas of the incident register."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.zaozhuang.applications.schema import strip
from ckanext.zaozhuang.supervision.incidents.model import STATES, SUBJECTS

_ = tk._
v = tk.get_validator

# Severity codes of the national classification of network-security incidents, mildest first.
SEVERITIES = ("general", "serious", "major", "critical")
OUTCOMES = ("lifted", "revoked")
DESCRIPTION_MAX = 4000
NOTE_MAX = 4000
REASON_MAX = 1000


def severity_label(code: str) -> str:
    return {"general": _("General incident"), "serious": _("Serious incident"),
            "major": _("Major incident"), "critical": _("Critical incident")}.get(code, code)


def state_label(code: str) -> str:
    return {"open": _("open"), "frozen": _("frozen"), "lifted": _("closed, access restored"),
            "revoked": _("closed, grants revoked")}.get(code, code)


def text(limit: int) -> Callable[[Any], Any]:
    """A string of at most `limit` characters."""
    def validator(value: Any) -> Any:
        if value is missing or value is None:
            return value
        if not isinstance(value, str):
            raise tk.Invalid(_("Must be text"))
        if len(value) > limit:
            raise tk.Invalid(_("At most {limit} characters").format(limit=limit))
        return value
    return validator


def one_of(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    def validator(value: Any) -> Any:
        if value not in choices:
            raise tk.Invalid(_("Choose one of: {choices}").format(choices=", ".join(choices)))
        return value
    return validator


def subject_named(key, data, errors, context):
    """A dataset incident names a dataset, an applicant incident a user: exactly one."""
    subject = data.get(("subject",))
    wanted = {"dataset": "dataset_id", "user": "user_id"}.get(subject)
    if wanted is None or errors.get((wanted,)):
        return
    for field in ("dataset_id", "user_id"):
        value = data.get((field,))
        given = value not in (missing, None, "")
        if field == wanted and not given:
            errors[(field,)].append(_("Missing value"))
        elif field != wanted and given:
            errors[(field,)].append(_("Only for an incident on a {subject}").format(
                subject=_("dataset") if field == "dataset_id" else _("applicant")))


def create_schema() -> dict[str, Any]:
    optional_id = [v("ignore_missing"), text(100), strip]
    return {
        "subject": [v("not_missing"), one_of(SUBJECTS)],
        "dataset_id": optional_id,
        "user_id": optional_id,
        "severity": [v("not_missing"), one_of(SEVERITIES)],
        "description": [text(DESCRIPTION_MAX), strip, v("not_empty")],
        "freeze": [v("default")(True), v("boolean_validator")],
        "__after": [subject_named],
    }


def id_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), text(100)]}


def note_schema() -> dict[str, Any]:
    return dict(id_schema(), body=[text(NOTE_MAX), strip, v("not_empty")])


def close_schema() -> dict[str, Any]:
    return dict(id_schema(), outcome=[v("not_missing"), one_of(OUTCOMES)],
                reason=[text(REASON_MAX), strip, v("not_empty")])


def list_schema() -> dict[str, Any]:
    return {"state": [v("ignore_missing"), one_of(STATES)]}


def export_schema() -> dict[str, Any]:
    return {"format": [v("default")("xlsx"), one_of(("xlsx", "csv"))]}
