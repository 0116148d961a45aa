"""The portal's input boundary: what no request may carry, whichever action or page it
reaches. A list or an object where one value is due, text with NUL or other control characters, lone surrogates (neither can be stored
in PostgreSQL), text longer than Solr indexes, nesting deeper than any dataset needs, and
page numbers or offsets no catalog has are refused with a message naming the field, before
any action runs, so they never reach the database as a 500 or a half-written record."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

_ = tk._

# Long free text (descriptions, agreement bodies); every other text is limited so that it
# stays within what Solr indexes as one term (32,766 bytes: 10,000 characters of Chinese).
LONG_TEXT_FIELDS = frozenset(("notes", "description", "body", "text", "usage", "results",
                              "purpose", "scenario", "security_measures", "expected_results",
                              "sql"))
MAX_TEXT = 10_000
# Solr's limit on one indexed term, in UTF-8 bytes: characters outside the basic plane take
# four bytes, so 10,000 of them would pass the character limit and still be refused.
MAX_TERM_BYTES = 32_766
MAX_LONG_TEXT = 200_000
MAX_DEPTH = 20
# Paging parameters, whose values go into SQL and Solr as integers.
PAGING_FIELDS = frozenset(("offset", "limit", "rows", "start", "page"))
MAX_PAGING = 1_000_000
# Flags of core and portal actions, which parse them with asbool.
BOOLEAN_FIELDS = frozenset((
    "all_fields", "include_datasets", "include_extras", "include_tags", "include_users",
    "include_groups", "include_followers", "include_private", "include_drafts",
    "include_deleted", "include_dataset_count", "include_member_count", "include_total",
    "include_hidden_activity", "include_plugin_data", "use_default_schema", "dry_run",
    "accept", "pledge_accepted", "private", "clear", "force"))
# What CKAN's asbool reads; anything else makes it raise.
_BOOLEAN_TEXT = frozenset(("true", "yes", "on", "y", "t", "1", "false", "no", "off", "n", "f",
                           "0"))
# Fields that name one thing or hold one value in every action: a list or an object there
# is a wrong type, not something to store as its text.
SCALAR_FIELDS = frozenset(("id", "name", "title", "owner_org", "url", "format", "role",
                           "email", "reason", "package_id", "resource_id", "dataset_id",
                           "application_id", "grant_id", "organization_id", "user_id",
                           "catalog_code", "identifier", "capacity", "notes", "description",
                           "password", "type"))
# Fields that name a record: text in JSON, never a flag or a number.
ID_FIELDS = frozenset(("id", "name", "package_id", "resource_id", "dataset_id",
                       "application_id", "grant_id", "organization_id", "user_id", "owner_org"))
# Core pages whose form handling reads fields without checking them (the login's
# authenticator calls a string method on an absent login; the sysadmin page parses its
# flag with asbool): page endpoint → required fields, and → flags.
PAGE_REQUIRED_FIELDS = {"user.login": ("login", "password"), "user.sysadmin": ("username",)}
PAGE_BOOLEAN_FIELDS = {"user.sysadmin": ("status",)}
# Core pages that fill their form in from the query: parameters they read as a list of
# records (`tags__0__name=…`), which a plain `tags=…` is not.
PAGE_QUERY_RECORD_LISTS = {"dataset.new": ("tags",)}
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _text_problem(field: str, value: str) -> str | None:
    if _FORBIDDEN.search(value):
        return _("Contains control characters or invalid text")
    limit = MAX_LONG_TEXT if field in LONG_TEXT_FIELDS else MAX_TEXT
    if len(value) > limit:
        return _("Is longer than {limit} characters").format(limit=limit)
    if field not in LONG_TEXT_FIELDS and len(value.encode("utf-8")) > MAX_TERM_BYTES:
        return _("Is too long to be indexed for search")
    return None


def _walk(field: str, value: Any, depth: int) -> str | None:
    if depth > MAX_DEPTH:
        return _("Is nested too deeply")
    if isinstance(value, str):
        return _text_problem(field, value)
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _walk(str(key), item, depth + 1)
            if problem:
                return problem
    elif isinstance(value, list):
        for item in value:
            problem = _walk(field, item, depth + 1)
            if problem:
                return problem
    return None


def _boolean_problem(value: Any) -> str | None:
    if value is None or isinstance(value, bool) or value in (0, 1) \
            or (isinstance(value, str) and value.strip().lower() in _BOOLEAN_TEXT):
        return None
    return _("Must be true or false")


def _paging_problem(value: Any, typed: bool) -> str | None:
    # A page's form may leave a number empty; an API call (JSON) means a number.
    if value is None or (value == "" and not typed):
        return None
    try:
        number = int(str(value))
    except ValueError:
        return _("Please enter an integer value")
    if not -1 <= number <= MAX_PAGING:
        return _("Must be between 0 and {limit}").format(limit=MAX_PAGING)
    return None


def problems(payload: dict[str, Any], typed: bool = False) -> dict[str, list[str]]:
    """Field → messages for everything in a request's parameters that crosses the boundary.
    `typed`: the payload is JSON, whose lists and objects are the caller's choice (form
    fields repeat by design, except those naming a record)."""
    errors: dict[str, list[str]] = {}
    for key, value in payload.items():
        field = str(key)
        problem = _text_problem("", field) if len(field) > 200 or _FORBIDDEN.search(field) \
            else None
        # A form repeats a field only where a list is meant, never one naming a record: a
        # repeated `id` would reach the action as a list.
        if not problem and field in (SCALAR_FIELDS if typed else ID_FIELDS) \
                and isinstance(value, (dict, list)):
            problem = _("Must be a single value, not a list or an object")
        if not problem and typed and field in ID_FIELDS and isinstance(value, (bool, int, float)):
            problem = _("Must be text")
        problem = problem or _walk(field, value, 1)
        if not problem and field in PAGING_FIELDS and not isinstance(value, (dict, list)):
            problem = _paging_problem(value, typed)
        if not problem and field in BOOLEAN_FIELDS:
            problem = _boolean_problem(value)
        if problem:
            errors[field[:200]] = [problem]
    return errors


def page_form_problems(endpoint: str, form: dict[str, Any]) -> dict[str, list[str]]:
    """Field → messages for a posted form of a core page that reads fields unchecked."""
    errors: dict[str, list[str]] = {}
    for field in PAGE_REQUIRED_FIELDS.get(endpoint, ()):
        if not isinstance(form.get(field), str):
            errors[field] = [_("Missing value")]
    for field in PAGE_BOOLEAN_FIELDS.get(endpoint, ()):
        problem = _boolean_problem(form.get(field))
        if problem:
            errors[field] = [problem]
    return errors


def page_query_problems(endpoint: str, args: dict[str, Any]) -> dict[str, list[str]]:
    """Field → messages for the query of a core page that fills its form in from it."""
    return {field: [_("Is not a value this function accepts")]
            for field in PAGE_QUERY_RECORD_LISTS.get(endpoint, ()) if field in args}
