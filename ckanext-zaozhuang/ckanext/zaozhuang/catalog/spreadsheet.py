"""Catalog spreadsheets (数据目录表): departments keep their catalog as one row per dataset
with Chinese column headers. The columns are the fields of the scheming dataset schema and
their headers its zh_Hans_CN labels, so the sheet follows the schema without a second list.

This module only reads and writes files and converts between cells and dataset dicts;
validation is the dataset schema's, run by the import action."""
from __future__ import annotations

import base64
import csv
import dataclasses
import datetime
import io
import logging
import re
from typing import Any, Iterable, Optional

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.zaozhuang.schema import boundary, vocabularies

log = logging.getLogger(__name__)
_ = tk._

FORMATS = ("xlsx", "csv")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Headers and vocabulary labels in the files are Chinese whatever the reader's language:
# the sheet is the departments' working document. Imports also accept English headers,
# field names, codes and English labels.
SHEET_LANGUAGE = "zh_Hans_CN"
# CKAN URL names are not part of the departments' catalog: imports accept the column, but
# the template and exports leave it out and new datasets are named after their catalog code.
NAME_FIELD = "name"
KEYWORDS_FIELD = "tag_string"
ORGANIZATION_FIELD = "owner_org"
# Between values of one cell: the enumeration comma 、, commas and semicolons (ASCII or the
# full-width ones Chinese input methods type) or new lines.
VALUE_SEPARATORS = re.compile(r"[\u3001,\uff0c;\uff1b\n]")
# Between the parts of one data-dictionary line; also the full-width bar.
PART_SEPARATOR = "|"
PART_SEPARATORS = re.compile(r"[|\uff5c]")
DISPLAY_SEPARATOR = "、"
LINE_BREAKS = re.compile(r"\r\n|\r|\n")
# Rows the .xlsx template offers drop-down lists in.
PREPARED_ROWS = 2000
# The csv module refuses cells longer than 131,072 characters, but a description may be longer
# (an export must import again); longer cells the input boundary refuses anyway. The limit is
# the csv module's, for the whole process: only ever raised.
CSV_CELL_LIMIT = boundary.MAX_LONG_TEXT + 1
csv.field_size_limit(max(csv.field_size_limit(), CSV_CELL_LIMIT))


class SpreadsheetError(Exception):
    """The file cannot be read as a catalog spreadsheet; the message tells the user why."""


def _label(labels: Any, lang: str) -> str:
    if isinstance(labels, dict):
        return labels.get(lang) or labels.get(SHEET_LANGUAGE) or next(iter(labels.values()))
    return str(labels)


@dataclasses.dataclass(frozen=True)
class Column:
    """One dataset field of the schema as a spreadsheet column."""
    field: dict[str, Any]

    @property
    def name(self) -> str:
        return self.field["field_name"]

    @property
    def header(self) -> str:
        return _label(self.field["label"], SHEET_LANGUAGE)

    def title(self, lang: Optional[str] = None) -> str:
        """The column's name in the user's language, for messages."""
        return _label(self.field["label"], lang or vocabularies.current_language())

    @property
    def vocabulary(self) -> Optional[str]:
        return self.field.get("vocabulary")

    @property
    def multiple(self) -> bool:
        return (self.name == KEYWORDS_FIELD
                or self.field.get("preset") == "zaozhuang_multiple_select")

    @property
    def is_date(self) -> bool:
        return self.field.get("preset") == "zaozhuang_date"

    @property
    def is_number(self) -> bool:
        return "int_validator" in (self.field.get("output_validators") or "")

    @property
    def subfields(self) -> list[dict[str, Any]]:
        return self.field.get("repeating_subfields") or []

    @property
    def required(self) -> bool:
        return bool(self.field.get("required"))

    def subfield_title(self, name: str, lang: Optional[str] = None) -> str:
        for sub in self.subfields:
            if sub["field_name"] == name:
                return _label(sub["label"], lang or vocabularies.current_language())
        return name


def columns(with_name: bool = False) -> list[Column]:
    """The columns of the catalog sheet in schema order: the fields a publisher fills in.
    Fields without a form (the licence, set from the opening category) are not asked for."""
    fields = scheming_get_dataset_schema("dataset")["dataset_fields"]
    return [Column(f) for f in fields
            if (with_name or f["field_name"] != NAME_FIELD) and has_form(f)]


def has_form(field: dict[str, Any]) -> bool:
    return field.get("form_snippet", "") is not None


def column_for_header(header: str) -> Optional[Column]:
    """The column a header names: its Chinese or English label or its field name."""
    wanted = header.strip().rstrip("*").strip().casefold()
    for column in columns(with_name=True):
        names = {column.name, *(column.field["label"].values()
                                if isinstance(column.field["label"], dict)
                                else [column.field["label"]])}
        if wanted in {str(n).casefold() for n in names}:
            return column
    return None


# Reading

@dataclasses.dataclass
class Sheet:
    """The cells of a catalog sheet: its headers and its non-empty rows, each with the row
    number the spreadsheet program shows, and the parameter of the import it came in."""
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    header_row: Optional[int] = 1
    source: str = "upload"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(lines: Iterable[Iterable[Any]]) -> Sheet:
    lines = iter(lines)
    first = next(lines, None)
    headers = [str(h).strip() if not _blank(h) else "" for h in (first or ())]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise SpreadsheetError(_("The first row of the sheet must hold the column headers"))
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = {h: v for h, v in zip(headers, values) if h}
        if not all(_blank(v) for v in cells.values()):
            rows.append((number, cells))
    return Sheet(headers=headers, rows=rows)


def _read_xlsx(content: bytes) -> Sheet:
    # The cells are read while the sheet's XML is parsed, so a damaged part can fail at any
    # row, with whatever error the zip, XML or openpyxl layer raises for it.
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # The catalog is the first sheet; the template's instructions follow it.
            lines = list(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    except Exception:  # noqa: BLE001 (any parser failure means the file is damaged)
        log.info("Unreadable .xlsx upload", exc_info=True)
        raise SpreadsheetError(_("The file is not a readable .xlsx or .csv spreadsheet"))
    return _sheet(lines)


def _within_cell_limit(line: list[str]) -> list[str]:
    """The line, if no cell is longer than the limit. frictionless raises the csv module's
    process-wide limit when it is imported, so the module's own check cannot be relied on."""
    if any(len(cell) >= CSV_CELL_LIMIT for cell in line):
        raise csv.Error("field larger than field limit")
    return line


def _read_csv(content: bytes) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" in a Chinese Windows is GBK; GB 18030 is its superset.
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise SpreadsheetError(_("Save the CSV file as UTF-8 (in Excel: CSV UTF-8)"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _sheet([_csv_text(cell) for cell in _within_cell_limit(line)]
                      for line in reader)
    except csv.Error:
        raise SpreadsheetError(_("Line {line} of the CSV file has a cell longer than {limit} "
                                 "characters").format(line=reader.line_num,
                                                      limit=CSV_CELL_LIMIT - 1))


def read(content: bytes) -> Sheet:
    """A catalog sheet from the bytes of an .xlsx or a .csv file (told apart by content)."""
    if not content.strip():
        raise SpreadsheetError(_("The file is empty"))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    return _read_csv(content)


def from_records(records: list[dict[str, Any]]) -> Sheet:
    """A sheet from rows given as dicts (the API's `rows`), numbered from 1."""
    headers: list[str] = []
    for record in records:
        headers.extend(k for k in record if k not in headers)
    return Sheet(headers=headers, rows=list(enumerate(records, start=1)), header_row=None,
                 source="rows")


# A text cell that begins with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# CSV cells holding such text are written behind this mark, which reading removes. Text that
# already begins with marks before such a start gets one more, so that it reads back as it was.
TEXT_MARK = "'"


def _formula_like(text: str) -> bool:
    return text.lstrip(TEXT_MARK).startswith(FORMULA_STARTS)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and _formula_like(value):
        return TEXT_MARK + value
    return value


def _csv_text(text: str) -> str:
    """A CSV cell without the mark `_csv_cell` (or a publisher) put before formula-like text;
    .xlsx files keep such text as text without one."""
    return text[1:] if text.startswith(TEXT_MARK) and _formula_like(text) else text


def cell_text(value: Any) -> str:
    """A cell as text: Excel dates as YYYY-MM-DD, whole numbers without a decimal point
    (telephone numbers typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split_values(text: str) -> list[str]:
    return [v.strip() for v in VALUE_SEPARATORS.split(text) if v.strip()]


# A data item's parts up to its description; the quality rules (mandatory, unique, value
# format, minimum, maximum, allowed values) follow it, all six or none.
ITEM_BASICS = 4


def _items(column: Column, value: Any) -> list[dict[str, Any]]:
    """Data-dictionary items from one line each, the parts in schema order separated by |.
    The description may itself contain |: with the rules it is what lies between the type
    and the six rules, without them everything after the type."""
    if isinstance(value, list):
        return value
    names = [sub["field_name"] for sub in column.subfields]
    rules = len(names) - ITEM_BASICS
    items = []
    # Only line breaks separate items: splitlines() would also drop form feeds and other
    # control characters the input boundary is to see.
    for line in LINE_BREAKS.split(cell_text(value)):
        if not line.strip():
            continue
        parts = [p.strip() for p in PART_SEPARATORS.split(line)]
        tail: list[str] = []
        if rules and len(parts) >= len(names):
            parts, tail = parts[:-rules], parts[-rules:]
        if len(parts) > ITEM_BASICS:
            parts = parts[:ITEM_BASICS - 1] + [PART_SEPARATOR.join(parts[ITEM_BASICS - 1:])]
        parts += [""] * (ITEM_BASICS - len(parts))
        items.append(dict(zip(names, parts + tail)))
    return items


def _item_cell(column: Column, item: dict[str, Any]) -> str:
    """One data item as a line: the rules only when it has any."""
    subfields = column.subfields
    with_rules = any(item.get(sub["field_name"]) for sub in subfields[ITEM_BASICS:])
    line = PART_SEPARATOR.join(
        str(_display(sub.get("vocabulary"), item.get(sub["field_name"])))
        for sub in (subfields if with_rules else subfields[:ITEM_BASICS]))
    return line if with_rules else line.rstrip(PART_SEPARATOR)


def _single(value: Any) -> bool:
    return not isinstance(value, (list, dict))


def shape_problem(column: Column, value: Any) -> Optional[str]:
    """What is wrong with the shape of a value given for a column (rows given to the API may
    hold any JSON): a cell is one value, and only a column of several values or of data
    items also takes them as a list."""
    if _single(value):
        return None
    if isinstance(value, list):
        if column.subfields and all(isinstance(item, dict) and all(map(_single, item.values()))
                                    for item in value):
            return None
        if column.multiple and all(map(_single, value)):
            return None
    if column.subfields or column.multiple:
        return _("Must be the text of a cell or a list of values")
    return _("Must be a single value, not a list or an object")


def to_dataset(cells: dict[str, Any]) -> dict[str, Any]:
    """Dataset fields from the cells of one row (of the shapes `shape_problem` accepts), keyed
    by field name. Values stay as the publisher wrote them (labels, text dates); the schema's
    validators convert them."""
    by_name = {c.name: c for c in columns(with_name=True)}
    dataset: dict[str, Any] = {}
    for name, value in cells.items():
        column = by_name[name]
        if column.subfields:
            dataset[name] = _items(column, value)
        elif column.multiple:
            values = value if isinstance(value, list) else split_values(cell_text(value))
            if name == KEYWORDS_FIELD:
                dataset["tags"] = [{"name": v} for v in values]
            else:
                dataset[name] = values
        else:
            # An empty cell is an absent value (None, as in an API call), which also clears
            # the field of an existing dataset.
            dataset[name] = cell_text(value) or None
    return dataset


# Writing

def _display(vocabulary: Optional[str], value: Any) -> Any:
    """A stored value as the sheet shows it: vocabulary codes as labels, no value as ""."""
    if value in (None, ""):
        return ""
    return vocabularies.label(vocabulary, value, SHEET_LANGUAGE) if vocabulary else value


def to_row(dataset: dict[str, Any]) -> dict[str, Any]:
    """The cells of one dataset (as package_show or package_search return it), keyed by field
    name: labels rather than codes, so the row reads like the department's own sheet."""
    row: dict[str, Any] = {}
    for column in columns():
        value = dataset.get(column.name)
        if column.name == ORGANIZATION_FIELD:
            value = (dataset.get("organization") or {}).get("title") or value
        elif column.name == KEYWORDS_FIELD:
            value = DISPLAY_SEPARATOR.join(t["name"] for t in dataset.get("tags") or [])
        elif column.subfields:
            value = "\n".join(_item_cell(column, item) for item in value or [])
        elif column.multiple:
            value = DISPLAY_SEPARATOR.join(_display(column.vocabulary, v) for v in value or [])
        else:
            value = _display(column.vocabulary, value)
        row[column.name] = value
    return row


def _instructions(column: Column) -> str:
    lang = vocabularies.current_language()
    notes = []
    if column.field.get("help_text"):
        notes.append(_label(column.field["help_text"], lang))
    # Not 、: some labels contain it (农、林、牧、渔业).
    labels = " / ".join(t[SHEET_LANGUAGE] for t in vocabularies.terms(column.vocabulary)) \
        if column.vocabulary else ""
    if column.name == ORGANIZATION_FIELD:
        notes.append(_("The department's name as registered on the portal. May be left empty "
                       "when the whole sheet is imported into one department."))
    elif column.name == "catalog_code":
        notes.append(_("Identifies the dataset: a row whose code exists updates that dataset, "
                       "any other row creates one."))
    elif column.name == "identifier":
        notes.append(_("Leave it empty for a new dataset: the portal assigns it. A row with "
                       "an identifier updates that dataset, even after its catalog code "
                       "changed."))
    elif column.name == KEYWORDS_FIELD:
        notes.append(_("Separate several values with 、 or a comma."))
    elif column.subfields:
        layout = PART_SEPARATOR.join(_label(s["label"], SHEET_LANGUAGE) for s in column.subfields)
        types = " / ".join(t[SHEET_LANGUAGE] for t in vocabularies.terms(
            next(s["vocabulary"] for s in column.subfields if s.get("vocabulary"))))
        notes.append(_("One data item per line in the cell (Alt+Enter in Excel): {layout}. "
                       "Data types: {types}. The six parts after the description are the "
                       "quality rules: give all six (empty where there is none) or none."
                       ).format(layout=layout, types=types))
    elif column.multiple:
        notes.append(_("One or more of: {values}. Separate several values with 、 or a comma.")
                     .format(values=labels))
    elif column.vocabulary:
        notes.append(_("One of: {values}.").format(values=labels))
    elif column.is_date:
        notes.append(_("A date as YYYY-MM-DD or an Excel date."))
    if column.is_number:
        notes.append(_("A whole number."))
    return "\n".join(notes)


def _write_xlsx(cols: list[Column], rows: list[dict[str, Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Catalog")
    sheet.append([c.header for c in cols])
    for row in rows:
        sheet.append([row.get(c.name) for c in cols])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text
    sheet.freeze_panes = "A2"

    choices = book.create_sheet(_("Choices"))
    choices.sheet_state = "hidden"
    lists = 0
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(
            bold=True, color="C00000" if column.required else None)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 40 if column.subfields else 16
        if column.subfields:
            wrap = Alignment(wrap_text=True, vertical="top")
            dimension.alignment = wrap
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrap
        elif column.vocabulary and not column.multiple:
            # A drop-down of the labels; typed codes and English labels are still accepted.
            lists += 1
            list_letter = get_column_letter(lists)
            terms = vocabularies.terms(column.vocabulary)
            for n, term in enumerate(terms, start=1):
                choices[f"{list_letter}{n}"] = term[SHEET_LANGUAGE]
            check = DataValidation(
                type="list", allow_blank=True, showErrorMessage=False,
                formula1=f"'{choices.title}'!${list_letter}$1:${list_letter}${len(terms)}")
            check.add(f"{letter}2:{letter}{PREPARED_ROWS}")
            sheet.add_data_validation(check)
        elif not (column.is_date or column.is_number):
            # Text, so Excel keeps the leading 0 of 0632 numbers and long codes intact.
            dimension.number_format = "@"

    guide = book.create_sheet(_("How to fill in"))
    guide.append([_("Column"), _("Required"), _("How to fill in")])
    for column in cols:
        guide.append([column.header, _("Yes") if column.required else "", _instructions(column)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for (cell,) in guide.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["C"].width = 100

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_csv(cols: list[Column], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.header for c in cols])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c.name)) for c in cols])
    # With the byte-order mark Excel opens UTF-8 CSV files without garbling the Chinese.
    return out.getvalue().encode("utf-8-sig")


def write(rows: list[dict[str, Any]], fmt: str) -> bytes:
    """An .xlsx or .csv file of catalog rows (from `to_row`); no rows gives the template."""
    cols = columns()
    if fmt == "xlsx":
        return _write_xlsx(cols, rows)
    return _write_csv(cols, rows)


def write_table(title: str, headers: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """A plain table (a register, a report) as .xlsx or .csv, with the catalog export's
    protection: text that looks like a formula stays text."""
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = title[:31]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return text.getvalue().encode("utf-8-sig")


def file_dict(stem: str, fmt: str, content: bytes, count: int) -> dict[str, Any]:
    """A file as actions return it: named, typed, base64-encoded in `content`."""
    return {
        "filename": f"{stem}.{fmt}",
        "format": fmt,
        "mimetype": MIMETYPES[fmt],
        "count": count,
        "content": base64.b64encode(content).decode("ascii"),
    }
