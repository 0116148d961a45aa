"""The check of one file against a data dictionary, with frictionless.

A finding is stored as codes (kind, row, column, value), never as a message: the page and the
API word it in the reader's language (quality/text.py)."""
from __future__ import annotations

import datetime
import re
from typing import Any, Iterable, Optional

import attrs
import frictionless
from frictionless import errors as ferrors
from frictionless.formats import ExcelControl

from ckanext.zaozhuang.schema.validators import is_valid_credit_code, parse_date

# Findings kept in a report; the rest are counted only.
MAX_FINDINGS = 200
TABULAR_FORMATS = {"csv": "csv", "tsv": "tsv", "xlsx": "xlsx", "xls": "xls"}
# Chinese dates as departments write them: 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日.
DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
DATETIME = re.compile(r"^(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
MIDNIGHT = re.compile(r"[ T]00:00(:00)?$")
FORMATS = {
    "id_card": re.compile(r"^\d{17}[\dX]$"),
    "phone": re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"),
    "credit_code": re.compile(r"^[0-9A-Z]{18}$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"),
    "postcode": re.compile(r"^\d{6}$"),
}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
BOOLEANS = {"true": ["是", "true", "True", "TRUE", "1", "Y", "y"],
            "false": ["否", "false", "False", "FALSE", "0", "N", "n"]}


def is_valid_id_card(value: str) -> bool:
    """GB 11643-1999: 17 digits, a check character, and a real date of birth."""
    if not FORMATS["id_card"].match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS))
    if "10X98765432"[total % 11] != value[17]:
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return True


def parse_chinese_date(value: str) -> Optional[datetime.date]:
    match = DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g is not None)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _field(item: dict[str, Any]) -> dict[str, Any]:
    """A frictionless field for one data item. Dates, date-times and formats are checked by
    the row check below (frictionless knows neither 2024年1月5日 nor GB 11643), numbers
    allow the thousands separators Chinese tables carry."""
    kind = item.get("type") or "string"
    field: dict[str, Any] = {"name": item.get("name_zh") or item.get("name_en"),
                             "type": "string"}
    constraints: dict[str, Any] = {}
    if kind in ("integer", "decimal"):
        field.update(type="number", groupChar=",")
        for bound, key in (("minimum", "minimum"), ("maximum", "maximum")):
            try:
                constraints[key] = float(item[bound])
            except (KeyError, TypeError, ValueError):
                pass
    elif kind in ("date", "datetime"):
        field["type"] = "any"  # a spreadsheet's date cell is a date, not a string
    elif kind == "boolean":
        field.update(type="boolean", trueValues=BOOLEANS["true"],
                     falseValues=BOOLEANS["false"])
    elif item.get("codes"):
        constraints["enum"] = item["codes"].split("、")
    if item.get("mandatory") == "yes":
        constraints["required"] = True
    if item.get("unique") == "yes":
        constraints["unique"] = True
    if constraints:
        field["constraints"] = constraints
    return field


@attrs.define(kw_only=True, repr=False)
class ItemRules(frictionless.Check):
    """What frictionless cannot say of a cell: whole numbers, Chinese dates and their range,
    and the formats of ID numbers (with the check digit), phones, credit codes, e-mails."""
    type = "zaozhuang-item-rules"
    Errors = [ferrors.CellError]
    items: list = attrs.field(factory=list)

    def validate_row(self, row: Any) -> Iterable[ferrors.Error]:
        for item in self.items:
            name = item.get("name_zh") or item.get("name_en")
            value = row.get(name) if name in row else None
            if value is None or value == "":
                continue
            problem = _item_problem(item, value)
            if problem:
                yield ferrors.CellError.from_row(row, note=problem, field_name=name)


def _item_problem(item: dict[str, Any], value: Any) -> Optional[str]:
    kind = item.get("type")
    text = str(value).strip()
    if kind == "integer" and isinstance(value, (int, float)) and value != int(value):
        return "type"
    if kind in ("date", "datetime"):
        # A spreadsheet's date cell is read as the date at midnight.
        day_text = MIDNIGHT.sub("", text)
        if kind == "datetime":
            match = DATETIME.match(text)
            day_text = match.group(1) if match else ""
        day = parse_chinese_date(day_text)
        if day is None:
            return "type"
        low, high = (parse_date(item.get(b)) for b in ("minimum", "maximum"))
        if (low and day < low) or (high and day > high):
            return "range"
    value_format = item.get("value_format")
    if value_format in FORMATS:
        upper = text.upper() if value_format in ("id_card", "credit_code") else text
        valid = bool(FORMATS[value_format].match(upper))
        if valid and value_format == "id_card":
            valid = is_valid_id_card(upper)
        if valid and value_format == "credit_code":
            valid = is_valid_credit_code(upper)
        if not valid:
            return "format"
    return None


# Frictionless error types → the kinds a report holds.
KINDS = {
    "type-error": "type", "missing-cell": "missing_cell", "extra-cell": "extra_cell",
    "blank-row": "blank_row", "unique-error": "duplicate", "primary-key": "duplicate",
    "incorrect-label": "header", "missing-label": "header", "extra-label": "header",
    "duplicate-label": "header", "blank-label": "header", "blank-header": "header",
}
CONSTRAINTS = {"required": "required", "minimum": "range", "maximum": "range",
               "enum": "codes", "unique": "duplicate"}
UNREADABLE = ("encoding-error", "format-error", "scheme-error", "source-error", "file-error",
              "compression-error", "resource-error", "schema-error", "dialect-error")


def _kind(error: ferrors.Error) -> str:
    if error.type == "constraint-error":
        found = re.search(r'constraint "(\w+)"', error.note or "")
        return CONSTRAINTS.get(found.group(1) if found else "", "type")
    if error.type == "cell-error":
        return error.note if error.note in ("type", "range", "format") else "type"
    return KINDS.get(error.type, "unreadable" if error.type in UNREADABLE else "type")


def _encoding(path: str) -> str:
    """UTF-8 (with or without BOM) when the bytes are, else GB 18030 (which reads GBK)."""
    with open(path, "rb") as handle:
        sample = handle.read(1 << 20)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not merely a character cut by the sample's end
            return "gb18030"
    return "utf-8-sig"


def check(path: str, file_format: str, items: list[dict[str, Any]],
          declared_rows: Optional[int] = None, sheet: Optional[str] = None) -> dict[str, Any]:
    """The report of one file: ``{"status", "score", "rows", "error_rows", "counts",
    "findings", "sha256"}``; status is passed, failed or unreadable. `sheet` names a
    workbook's sheet (the resource's, as the DataStore loads it); None is the first."""
    options: dict[str, Any] = {"format": TABULAR_FORMATS.get(file_format, "csv")}
    if options["format"] in ("csv", "tsv"):
        options["encoding"] = _encoding(path)
    elif sheet:
        options["control"] = ExcelControl(sheet=sheet)
    if items:
        options["schema"] = frictionless.Schema.from_descriptor(
            {"fields": [_field(item) for item in items]})
    checklist = frictionless.Checklist(checks=[ItemRules(items=items)]) if items else None
    try:
        # The path is the portal's own storage, not a name a user gave.
        with frictionless.system.use_context(trusted=True):
            resource = frictionless.Resource(path, **options)
            report = resource.validate(checklist=checklist, limit_errors=100000)
    except (frictionless.FrictionlessException, OSError, ValueError) as error:
        return unreadable(type(error).__name__)
    task = report.tasks[0] if report.tasks else None
    if task is None:
        return unreadable("")
    counts: dict[str, int] = {}
    findings, error_rows = [], set()
    for error in task.errors:
        kind = _kind(error)
        if kind == "unreadable":
            return unreadable(error.type)
        counts[kind] = counts.get(kind, 0) + 1
        row = getattr(error, "row_number", None)
        if row:
            error_rows.add(row)
        if len(findings) < MAX_FINDINGS:
            findings.append({"kind": kind, "row": row,
                             "column": getattr(error, "field_name", None)
                             or getattr(error, "label", None),
                             "value": str(getattr(error, "cell", "") or "")[:200]})
    rows = int(task.stats.get("rows") or 0)
    if rows == 0:
        counts["no_rows"] = 1
        findings.append({"kind": "no_rows", "row": None, "column": None, "value": ""})
    if declared_rows is not None and rows and rows != declared_rows:
        counts["row_count"] = 1
        findings.append({"kind": "row_count", "row": None, "column": None,
                         "value": f"{rows}/{declared_rows}"})
    clean = max(rows - len(error_rows), 0)
    score = round(100 * clean / rows) if rows else 0
    if counts.get("header"):
        score = max(score - 20, 0)  # a file that does not follow its dictionary's columns
    return {"status": "failed" if counts else "passed", "score": score, "rows": rows,
            "error_rows": len(error_rows), "counts": counts, "findings": findings,
            "sha256": task.stats.get("sha256")}


def unreadable(note: str) -> dict[str, Any]:
    """The report of a file that is no table; `note` names the cause, never a path."""
    return {"status": "unreadable", "score": 0, "rows": 0, "error_rows": 0,
            "counts": {"unreadable": 1}, "sha256": None,
            "findings": [{"kind": "unreadable", "row": None, "column": None,
                          "value": (note or "")[:200]}]}
