"""navl schemas of the applications domain."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl.dictization_functions import missing

from ckanext.zaozhuang.applications import calendar, lifecycle
from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.schema.validators import blank_text, parse_date

_ = tk._
v = tk.get_validator

APPLICANT_TYPES = ("individual", "enterprise", "organization", "department")
# The identity fields each kind of applicant fills in.
IDENTITY_FIELDS = {
    "individual": ("real_name", "phone"),
    "enterprise": ("entity_name", "credit_code", "contact_name", "contact_phone"),
    "organization": ("entity_name", "credit_code", "contact_name", "contact_phone"),
    "department": ("organization_id",),
}
PROFILE_FIELDS = ("applicant_type", "real_name", "phone", "entity_name", "credit_code",
                  "contact_name", "contact_phone", "contact_email", "organization_id")
APPLICATION_FIELDS = ("purpose", "scenario", "security_measures", "expected_results",
                      "period_start", "period_end", "resource_ids", "pledge_accepted")


def _blank(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and blank_text(value))


def strip(value: Any) -> Any:
    """Surrounding spaces removed first, so a blank answer counts as missing."""
    if not isinstance(value, str):
        return value
    return "" if blank_text(value) else value.strip()


def applicant_type(value: Any) -> Any:
    if value not in APPLICANT_TYPES:
        raise tk.Invalid(_("Choose one of: {choices}").format(choices=", ".join(APPLICANT_TYPES)))
    return value


def identity_complete(key, data, errors, context):
    """Each kind of applicant fills in its own identity fields; a department applicant must
    be a member of the department it applies for."""
    kind = data.get(("applicant_type",))
    for field in IDENTITY_FIELDS.get(kind, ()):
        if _blank(data.get((field,))) and not errors.get((field,)):
            errors[(field,)].append(_("Missing value"))
    if kind == "department" and not errors.get(("organization_id",)):
        user = model.User.get(context.get("user") or "")
        org = model.Group.get(data[("organization_id",)])
        if org is None or not lifecycle.is_member(user, org.id):
            errors[("organization_id",)].append(
                _("You can apply only for a department you are a member of"))
        else:
            data[("organization_id",)] = org.id


def resource_id_list(value: Any) -> Any:
    """A list of resource ids (a JSON-ish list, or ids separated by commas); empty: all."""
    if isinstance(value, str):
        value = [part for part in re.split(r"[\s,]+", value) if part]
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        raise tk.Invalid(_("Expecting a list of resource ids"))
    return value or None


def accepted(value: Any) -> Any:
    if not tk.asbool(value):
        raise tk.Invalid(_("You must accept the data-security pledge"))
    return True


def period_valid(key, data, errors, context):
    """The period starts today at the earliest and lasts at most the configured longest grant."""
    start = parse_date(data.get(("period_start",)))
    end = parse_date(data.get(("period_end",)))
    if start is None or end is None:
        return
    if end < start:
        errors[("period_end",)].append(_("May not be earlier than {field}").format(
            field="period_start"))
        return
    if start < calendar.local_date(now()):
        errors[("period_start",)].append(_("The period cannot start in the past"))
    longest = tk.config.get("ckanext.zaozhuang.applications.max_grant_days")
    if (end - start).days + 1 > longest:
        errors[("period_end",)].append(
            _("The period may last at most {days} days").format(days=longest))


def _profile_fields() -> dict[str, list[Any]]:
    optional = [strip, v("ignore_empty"), v("zaozhuang_text")]
    return {
        "applicant_type": [v("not_empty"), v("zaozhuang_text"), applicant_type],
        "real_name": optional,
        "phone": optional + [v("zaozhuang_phone")],
        "entity_name": optional,
        "credit_code": optional + [v("zaozhuang_credit_code")],
        "contact_name": optional,
        "contact_phone": optional + [v("zaozhuang_phone")],
        "contact_email": optional + [v("zaozhuang_email")],
        "organization_id": optional,
    }


def applicant_profile_schema() -> dict[str, Any]:
    return dict(_profile_fields(), __after=[identity_complete])


def application_schema() -> dict[str, Any]:
    required_text = [strip, v("not_empty"), v("zaozhuang_text")]
    return dict(
        _profile_fields(),
        dataset_id=[v("not_empty"), v("zaozhuang_text")],
        resource_ids=[v("ignore_empty"), resource_id_list],
        purpose=required_text,
        scenario=required_text,
        security_measures=required_text,
        expected_results=required_text,
        period_start=[v("not_empty"), v("zaozhuang_date")],
        period_end=[v("not_empty"), v("zaozhuang_date")],
        pledge_accepted=[v("not_missing"), accepted],
        renewal_of=[v("ignore_missing"), v("zaozhuang_text")],
        __after=[identity_complete, period_valid],
    )


def application_update_schema() -> dict[str, Any]:
    schema = application_schema()
    schema["dataset_id"] = [v("ignore")]
    return schema


def reason_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")],
            "reason": [v("ignore_missing"), v("zaozhuang_text")]}


def id_schema() -> dict[str, Any]:
    return {"id": [v("not_empty"), v("zaozhuang_text")]}


def application_list_schema() -> dict[str, Any]:
    optional = [v("ignore_missing"), v("zaozhuang_text")]
    return {
        # mine: my own applications; review: those I review (a department's or, for the
        # authority, all).
        "scope": [v("default")("mine"), v("one_of")(["mine", "review"])],
        "organization_id": optional,
        "dataset_id": optional,
        "state": optional,
        "filter": [v("ignore_missing"), v("one_of")(["pending", "returned", "overdue"])],
        "limit": [v("default")(50), v("natural_number_validator"), v("limit_to_configured_maximum")("ckan.search.rows_max", 1000)],
        "offset": [v("default")(0), v("natural_number_validator")],
    }
