"""Validators of the Zaozhuang schema. Messages are English msgids translated by the
extension's catalogs, so a ValidationError reaches each user in their language.

navl runs top-level fields in alphabetical order, not schema order, so a cross-field rule
reads the other field's raw value and parses it itself; an invalid other value is left to
that field's own validator."""
from __future__ import annotations

import datetime
import json
import re
import unicodedata
import urllib.parse
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckanext.scheming.validation import scheming_validator

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.schema import identifiers, licences, vocabularies

_ = tk._
Invalid = tk.Invalid

# GB 32100-2015: 统一社会信用代码.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CATALOG_CODE = re.compile(r"^(?P<provider>[0-9A-Z]{18})-(?P<seq>\d{5})$")
PHONE = re.compile(r"^(1[3-9]\d{9}|0632-?\d{7,8})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
ALIAS_SEPARATORS = re.compile(r"[\s,，、;；/]+")
# Allowed values of a data item: separated as a Chinese list is (、) or by commas, semicolons
# and line breaks; spaces belong to the values.
CODE_SEPARATORS = re.compile(r"[\n,，、;；]+")
# GB 32100-2015 appendix: registration authority (1st character) → organisation types (2nd).
CREDIT_CODE_TYPES = {"1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129",
                     "7": "129", "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1"}
# Opening categories from the most open to the most closed.
OPENNESS = ("unconditional", "conditional", "not_open")


def credit_code_check_character(body: str) -> str:
    """The 18th character of a unified social credit code from its first 17."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        return False
    return credit_code_check_character(code[:17]) == code[17]


def blank_text(value: str) -> bool:
    """Text that shows nothing: spaces of any kind (the ideographic space among them) and
    invisible format characters (zero-width spaces and joiners, the byte-order mark,
    direction marks), which a form or a paste can carry without the user seeing them."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in value)


def _blank(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and blank_text(value))


def zaozhuang_not_blank(key, data, errors, context):
    """A required value: CKAN's not_empty lets a space (or an ideographic space) through,
    which the next validators strip to nothing."""
    if _blank(data.get(key)):
        errors[key].append(_("Missing value"))
        raise StopOnError


def zaozhuang_default(default_value: Any):
    """CKAN's `default`, for which text that shows nothing is also unanswered: a select sent
    as a space would otherwise skip the default and be stored empty."""
    def validator(value: Any) -> Any:
        return default_value if _blank(value) else value
    return validator


def zaozhuang_text(key, data, errors, context):
    """Text stays text. CKAN's unicode_safe would store a list or an object as its JSON and
    a flag as "true"; a number is taken as its digits (a spreadsheet's cells are numbers).
    Text that shows nothing is stored as empty: an optional field typed as spaces is
    unanswered, and a required one has been refused by zaozhuang_not_blank before.
    A refusal ends the field's checks: the next ones expect text."""
    value = data.get(key)
    if value is missing or value is None or (isinstance(value, str) and blank_text(value)):
        data[key] = ""
    elif isinstance(value, (bool, list, dict)):
        errors[key].append(_("Must be text"))
        raise StopOnError
    elif not isinstance(value, str):
        data[key] = str(value)


# Where a link may lead: a page or file on the web. Anything else (javascript:, data:,
# file:) would run or open something in the visitor's browser from the portal's page.
LINK_SCHEMES = ("http", "https", "ftp")


def zaozhuang_link(key, data, errors, context):
    """A web address (http, https, ftp). A resource whose address CKAN sets itself (an
    upload: its file name; a DataStore table) has a url_type and is left as it is."""
    value = data.get(key)
    if _blank(value) or data.get(key[:-1] + ("url_type",)):
        return
    parsed = urllib.parse.urlsplit(str(value).strip())
    if parsed.scheme.lower() not in LINK_SCHEMES or not parsed.netloc:
        errors[key].append(_("Enter a web address beginning with http:// or https://"))


def parse_date(value: Any) -> datetime.date | None:
    """A date from an ISO string, a date or a datetime (spreadsheets give the latter)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is missing or value is None:
        return None
    try:  # blank text is no date either: it fails here
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


# Dates of catalog entries and applications: anything outside is a typing error, and dates
# near year 9999 would overflow the deadline and expiry arithmetic.
EARLIEST_DATE, LATEST_DATE = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def _absent_when_blank(convert):
    """The validator of a value conversion that drops a blank field rather than keeping
    the `missing` the conversion gives it: CKAN writes a resource's fields into its extras
    as they come, and a `missing` there is a 500 (the resource form always sends its date
    and number fields, empty when not filled in)."""
    def validator(key, data, errors, context):
        value = convert(data.get(key))
        if value is missing:
            data.pop(key, None)
            raise StopOnError
        data[key] = value
    validator.__doc__ = convert.__doc__
    return validator


def _date(value: Any) -> Any:
    if _blank(value):
        return missing
    parsed = parse_date(value)
    if parsed is None:
        raise Invalid(_("Enter a date as YYYY-MM-DD"))
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        raise Invalid(_("Enter a date between {earliest} and {latest}").format(
            earliest=EARLIEST_DATE.isoformat(), latest=LATEST_DATE.isoformat()))
    return parsed.isoformat()


zaozhuang_date = _absent_when_blank(_date)


def _natural_number(value: Any) -> Any:
    if _blank(value):
        return missing
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(_("Enter a whole number of 0 or more"))
    if number < 0:
        raise Invalid(_("Enter a whole number of 0 or more"))
    # Extras hold strings only; the output validator turns it back into a number.
    return str(number)


zaozhuang_natural_number = _absent_when_blank(_natural_number)


def _ascii_width(value: str) -> str:
    """Full-width digits, letters and hyphens (typed with a Chinese input method) as the
    ASCII ones every code and number is stored in."""
    return unicodedata.normalize("NFKC", value).replace("\u2014", "-").replace("\u2013", "-")


def zaozhuang_phone(value: str) -> str:
    value = _ascii_width(value).strip()
    if not PHONE.match(value):
        raise Invalid(_("Enter a mobile number (11 digits) or a 0632 landline such as 0632-3230100"))
    return value


def zaozhuang_email(value: str) -> str:
    if value and not EMAIL.match(value):
        raise Invalid(_("Enter a valid e-mail address"))
    return value


def zaozhuang_identifier(value: str) -> str:
    if not IDENTIFIER.match(value):
        raise Invalid(_("Use Latin letters, digits and underscores, starting with a letter"))
    return value


# Excel's own rules for a sheet's name: 1 to 31 characters, none of : \\ / ? * [ ], not
# starting or ending with an apostrophe.
SHEET_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
SHEET_MAX = 31


def zaozhuang_sheet_name(value: Any) -> Any:
    """The sheet of a workbook to load, as Excel would accept its name; blank is the first."""
    if _blank(value):
        return ""
    value = str(value).strip()
    if (len(value) > SHEET_MAX or SHEET_FORBIDDEN.search(value)
            or value.startswith("'") or value.endswith("'")):
        raise Invalid(_("A sheet name has at most 31 characters, none of : \\ / ? * [ ], "
                        "and does not start or end with an apostrophe"))
    return value


def zaozhuang_credit_code(value: str) -> str:
    value = _ascii_width(value).strip().upper()
    if not is_valid_credit_code(value) or value[1] not in CREDIT_CODE_TYPES.get(value[0], ""):
        raise Invalid(_("Not a valid unified social credit code (18 characters, GB 32100-2015)"))
    return value


def zaozhuang_provider_code(key, data, errors, context):
    """A department's provider code: a valid credit code registered in Zaozhuang (its
    characters 3–8 are a division of the city), used by no other department."""
    value = data.get(key)
    if _blank(value) or errors[key]:
        return
    if value[2:8] not in vocabularies.codes("spatial"):
        errors[key].append(_("Characters 3 to 8 must be the division code of Zaozhuang or one "
                             "of its districts, e.g. 370400"))
        return
    group = context.get("group")
    taken = (model.Session.query(model.Group)
             .filter(model.Group.extras["provider_code"].astext == value,
                     model.Group.is_organization, model.Group.state != "deleted"))
    if group is not None:
        taken = taken.filter(model.Group.id != group.id)
    if taken.first() is not None:
        errors[key].append(_("Provider code already used by another department"))


def _choice_error(vocabulary: str) -> Invalid:
    return Invalid(_("Choose one of: {choices}").format(
        choices=", ".join(vocabularies.codes(vocabulary))))


@scheming_validator
def zaozhuang_choice(field: dict[str, Any], schema: dict[str, Any]):
    """One code of the field's vocabulary; its label in either language is accepted too."""
    vocabulary = field["vocabulary"]

    def validator(value: Any) -> Any:
        if _blank(value):
            if field.get("required"):
                raise Invalid(_("Missing value"))
            return missing
        code = vocabularies.code_for(vocabulary, value)
        if code is None:
            raise _choice_error(vocabulary)
        return code

    return validator


@scheming_validator
def zaozhuang_multiple_choice(field: dict[str, Any], schema: dict[str, Any]):
    """Codes of the field's vocabulary, stored as a JSON list. Accepts a list, a JSON list,
    or text separated by commas / Chinese enumeration commas."""
    vocabulary = field["vocabulary"]

    def validator(key, data, errors, context):
        value = data.get(key)
        if _blank(value) or value == []:
            data[key] = json.dumps([])
            return
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip().startswith("[") else None
            except ValueError:
                value = None
            if value is None:
                value = re.split(r"[,\uff0c、;\uff1b\n]", data[key])
        if not isinstance(value, list):
            errors[key].append(_("Expecting a list of codes"))
            return
        result = []
        for item in value:
            if _blank(item):
                continue
            code = vocabularies.code_for(vocabulary, item)
            if code is None:
                errors[key].append(_choice_error(vocabulary).error)
                return
            if code not in result:
                result.append(code)
        data[key] = json.dumps(result)

    return validator


def _format(value: Any) -> Any:
    if _blank(value):
        return missing
    code = vocabularies.code_for("resource_format", value)
    if code is None:
        raise _choice_error("resource_format")
    return code


zaozhuang_format = _absent_when_blank(_format)


def _raw(data: dict, key: tuple, name: str) -> Any:
    return data.get(key[:-1] + (name,), missing)


def _field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    fields = schema.get("dataset_fields") or schema.get("fields") or []
    return next((f for f in fields if f["field_name"] == name), {"field_name": name})


def _label(field: dict[str, Any]) -> str:
    """A field's label in the user's language (messages name fields as forms show them)."""
    label = field.get("label") or field["field_name"]
    if isinstance(label, dict):
        return label.get(vocabularies.current_language()) or label.get("zh_Hans_CN") or \
            field["field_name"]
    return label


def zaozhuang_required_when(other: str, other_value: str):
    """Required when the field `other` holds `other_value` (e.g. conditions of conditional
    opening)."""
    @scheming_validator
    def with_schema(field: dict[str, Any], schema: dict[str, Any]):
        other_field = _field(schema, other)

        def validator(key, data, errors, context):
            raw = _raw(data, key, other)
            if not _blank(raw) and str(raw).strip() == other_value and _blank(data.get(key)):
                value = (vocabularies.label(other_field["vocabulary"], other_value)
                         if "vocabulary" in other_field else other_value)
                errors[key].append(_("Required when {field} is {value}").format(
                    field=_label(other_field), value=value))

        return validator

    return with_schema


def zaozhuang_not_before(other: str):
    """A date that may not be earlier than the date in field `other`."""
    @scheming_validator
    def with_schema(field: dict[str, Any], schema: dict[str, Any]):
        other_field = _field(schema, other)

        def validator(key, data, errors, context):
            start, end = parse_date(_raw(data, key, other)), parse_date(data.get(key))
            if start and end and end < start:
                errors[key].append(_("May not be earlier than {field}").format(
                    field=_label(other_field)))

        return validator

    return with_schema


def zaozhuang_deidentification(key, data, errors, context):
    """Personal information may be unconditionally open only with a de-identification
    statement."""
    if (_raw(data, key, "personal_info") == "yes"
            and _raw(data, key, "open_category") == "unconditional"
            and _blank(data.get(key))):
        errors[key].append(_(
            "Personal information can be unconditionally open only after de-identification: "
            "describe how it was done"))


def zaozhuang_not_classified(value: Any) -> Any:
    """Classified data (涉密) is never catalogued on an internet portal."""
    if value == "secret":
        raise Invalid(_("Classified data may not be catalogued on the portal"))
    return value


def zaozhuang_open_category(key, data, errors, context):
    """Core data is never opened; a more restrictive opening category than the stored one
    needs the big-data authority (the no-downgrade rule)."""
    new = data.get(key)
    if new not in OPENNESS:
        return
    if _raw(data, key, "data_level") == "core" and new != "not_open":
        errors[key].append(_("Core data may not be opened: choose not_open"))
        return
    package = context.get("package")
    old = package.extras.get("open_category") if package is not None else None
    if old in OPENNESS and OPENNESS.index(new) > OPENNESS.index(old):
        user = model.User.get(context.get("user") or "")
        if not policy.is_authority(user):
            errors[key].append(_(
                "Only the big-data authority may change the opening category from {old} to {new}"
            ).format(old=old, new=new))


def zaozhuang_license(key, data, errors, context):
    """The licence the dataset's opening category calls for (schema/licences.py)."""
    raw = _raw(data, key, "open_category")
    opening = None if _blank(raw) else vocabularies.code_for("open_category", raw)
    requested = data.get(key)
    data[key] = licences.licence_for(opening, None if _blank(requested) else str(requested))


def zaozhuang_catalog_code(key, data, errors, context):
    """Provider code of the owning department, a hyphen, five digits; unique in the portal."""
    value = data.get(key)
    if _blank(value):
        return
    value = data[key] = _ascii_width(str(value)).strip().upper()
    match = CATALOG_CODE.match(value)
    if not match:
        errors[key].append(_(
            "Use the provider code, a hyphen and five digits, e.g. 11370400MB28531020-00001"))
        return
    org = model.Group.get(_raw(data, key, "owner_org") or "")
    if org is not None:
        provider = org.extras.get("provider_code")
        if not provider:
            errors[key].append(_(
                "The providing department has no provider code yet; its admin must set one"))
            return
        if match["provider"] != provider:
            errors[key].append(_(
                "Must start with the providing department's code {code}").format(code=provider))
            return
    package = context.get("package")
    taken = (model.Session.query(model.Package)
             .filter(model.Package.extras["catalog_code"].astext == value,
                     model.Package.state != "deleted"))
    if package is not None:
        taken = taken.filter(model.Package.id != package.id)
    other = taken.first()
    if other is None:
        return
    # Named only to those who may see it: an error must not reveal a dataset.
    if policy.may_see_metadata(context.get("user"), other):
        errors[key].append(_("Catalog code already used by dataset {name}").format(
            name=other.name))
    else:
        errors[key].append(_("Catalog code already used by another dataset"))


def zaozhuang_resource_identifier(key, data, errors, context):
    """The resource identifier (信息资源标识符) is the portal's: assigned when the dataset is
    created (or first saved, for one that has none) and the same on every later save.
    Sending the stored value, or none, keeps it; another value is refused. Only a sysadmin
    may bring one along for a new dataset, as restoring from a dump or a harvest does."""
    value = data.get(key)
    given = None if _blank(value) else _ascii_width(str(value)).strip()
    package = context.get("package")
    # A context used for several calls keeps the package of an earlier one: it is the
    # dataset being saved only if the data names it.
    if package is not None and not {_raw(data, key, "id"), _raw(data, key, "name")} & {
            package.id, package.name}:
        package = None
    stored = (package.extras or {}).get(identifiers.FIELD) if package is not None else None
    if stored:
        if given is not None and given != stored:
            errors[key].append(_(
                "The resource identifier is assigned by the portal and never changes: "
                "send {identifier} or leave it out").format(identifier=stored))
        data[key] = stored
        return
    if given is None:
        data[key] = identifiers.next_identifier()
        return
    user = model.User.get(context.get("user") or "")
    if user is None or not user.sysadmin:
        errors[key].append(_("The resource identifier is assigned by the portal: leave it out"))
        return
    if len(given) > identifiers.MAX_LENGTH or not identifiers.GIVEN.match(given):
        errors[key].append(_("Is not a resource identifier"))
        return
    taken = (model.Session.query(model.Package.id)
             .filter(model.Package.extras[identifiers.FIELD].astext == given))
    if package is not None:
        taken = taken.filter(model.Package.id != package.id)
    if taken.first() is not None:
        errors[key].append(_("This resource identifier belongs to another dataset"))
        return
    data[key] = given


def zaozhuang_related_codes(value: Any) -> Any:
    """The catalog codes of related resources (关联资源代码), stored separated by commas.
    They may be of another catalog, so they need not be on the portal."""
    if _blank(value):
        return ""
    items = value if isinstance(value, list) else ALIAS_SEPARATORS.split(str(value))
    codes = []
    for item in items:
        code = _ascii_width(str(item)).strip().upper()
        if not code:
            continue
        if not CATALOG_CODE.match(code):
            raise Invalid(_("Give catalog codes separated by commas, e.g. "
                            "11370400MB28531020-00001,11370400MB28531020-00002"))
        if code not in codes:
            codes.append(code)
    return ",".join(codes)


def zaozhuang_bound(value: Any) -> Any:
    """A data item's least or greatest value: a number or a date (YYYY-MM-DD)."""
    if _blank(value):
        return missing
    text = _ascii_width(str(value)).strip()
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and number == number and abs(number) != float("inf"):
        return text
    if parse_date(text) is not None and len(text) == 10:
        return _date(text)
    raise Invalid(_("Enter a number or a date as YYYY-MM-DD"))


def zaozhuang_code_list(value: Any) -> Any:
    """A data item's allowed values (取值范围), stored separated by "、"."""
    if _blank(value):
        return missing
    items = value if isinstance(value, list) else CODE_SEPARATORS.split(str(value))
    codes = []
    for item in items:
        code = unicodedata.normalize("NFKC", str(item)).strip()
        if code and code not in codes:
            codes.append(code)
    if not codes:
        return missing
    if any(len(code) > 100 for code in codes) or len(codes) > 500:
        raise Invalid(_("Give at most 500 values of at most 100 characters each"))
    return "、".join(codes)


def zaozhuang_department_alias(key, data, errors, context):
    """A department's short names (市监局, 市场监管局) as a JSON list, one name per entry
    however they were separated. Search finds the department's datasets by them, so only the
    big-data authority changes them; anyone else's update keeps them as they are."""
    value = data.get(key)
    entries = [] if _blank(value) else value if isinstance(value, list) else [value]
    names = list(dict.fromkeys(
        n for entry in entries
        for n in ALIAS_SEPARATORS.split(unicodedata.normalize("NFKC", str(entry))) if n))
    group = context.get("group")
    stored = json.loads(group.extras.get("alias") or "[]") if group is not None else []
    if names != stored and not policy.is_authority(context.get("user")):
        if entries:
            errors[key].append(_("Only the big-data authority may change a department's aliases"))
            return
        names = stored
    data[key] = json.dumps(names, ensure_ascii=False)


def get_validators() -> dict[str, Any]:
    return {name: fn for name, fn in globals().items()
            if name.startswith("zaozhuang_") and callable(fn)}
