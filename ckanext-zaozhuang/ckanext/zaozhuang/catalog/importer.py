"""The catalog import: reading a department's catalog rows, checking and writing them.

An import first checks every cell against the portal's input boundary and validates every
row with the dataset schema, exactly as package_create and package_update would, and writes
only when every row passes. The writes of one call of `write` share one database transaction
(`defer_commit`), so a failure part-way (a dropped connection, Solr down, a dataset changed by
someone else meanwhile) rolls all of them back. A dry run is the same import, rolled back
instead of indexed and committed, so what it accepts the import writes."""
from __future__ import annotations

import copy
import dataclasses
import json
import logging
from typing import Any, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import logic, model
from ckan.lib import plugins as lib_plugins, search
from ckan.lib.navl.dictization_functions import missing

from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.schema import boundary, identifiers

log = logging.getLogger(__name__)
_ = tk._

CATALOG_CODE_FIELD = "catalog_code"


@dataclasses.dataclass
class Problem:
    """One reason an import was refused: the spreadsheet row (None for the header of rows
    given as a list), the column in the user's language and the message."""
    row: Optional[int]
    column: str
    message: str
    # Position of the column in the template, so a row's problems read left to right.
    order: int = dataclasses.field(default=0, compare=False)

    @property
    def key(self) -> str:
        if self.row is None:
            return self.column
        return "{} {}".format(_("Row {row}").format(row=self.row), self.column)


class CatalogImportError(tk.ValidationError):
    """A ValidationError keyed by row and column ("第3行 联系电话": [...]) for API clients that
    keeps the problems in order for the command line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors: dict[str, Any] = {}
        for problem in problems:
            errors.setdefault(problem.key, []).append(problem.message)
        super().__init__(errors)


@dataclasses.dataclass
class Row:
    number: int
    dataset: dict[str, Any]
    existing: Optional[dict[str, Any]] = None
    changed: bool = True

    @property
    def result(self) -> str:
        if self.existing is None:
            return "created"
        return "updated" if self.changed else "unchanged"


def organization(name_or_id: Optional[str]) -> Optional[model.Group]:
    if not name_or_id:
        return None
    org = model.Group.get(name_or_id)
    if org is None or not org.is_organization or org.state != "active":
        raise tk.ValidationError({"owner_org": [_("Organization not found")]})
    return org


def _organizations_named(text: str) -> list[model.Group]:
    """Departments whose title (as the sheet gives it), name or id is `text`."""
    return (model.Session.query(model.Group)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active",
                    sa.or_(model.Group.title == text, model.Group.name == text,
                           model.Group.id == text))
            .all())


def _dataset_with(field: str, value: str) -> Optional[model.Package]:
    return (model.Session.query(model.Package)
            .filter(model.Package.extras[field].astext == value,
                    model.Package.state != "deleted")
            .first())


def _existing(identifier: str, code: str) -> Optional[model.Package]:
    """The dataset a row updates: by its resource identifier, which a sheet exported before
    the department's provider code changed still holds, or else by its catalog code."""
    return ((_dataset_with(identifiers.FIELD, identifier) if identifier else None)
            or (_dataset_with(CATALOG_CODE_FIELD, code) if code else None))


# Validation

def _acting(context: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A fresh context for the actions an import calls, as the importing user."""
    return dict({key: context[key] for key in ("user", "ignore_auth") if key in context},
                **extra)


def _validate(context: dict[str, Any], dataset: dict[str, Any],
              package: Optional[model.Package]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset plugin's validation with the create or update schema, as package_create
    and package_update run it; writes nothing."""
    plugin = lib_plugins.lookup_package_plugin(dataset.get("type"))
    validation_context = _acting(context, session=model.Session)
    if package is None:
        schema, action = plugin.create_package_schema(), "package_create"
    else:
        schema, action = plugin.update_package_schema(), "package_update"
        validation_context["package"] = package
    return lib_plugins.plugin_validate(
        plugin, validation_context, copy.deepcopy(dataset), schema, action)


def _comparable(data: dict[str, Any]) -> Any:
    """Validated data in a form where equal content compares equal: extras as a dict, JSON
    values decoded, tags as names, empty values left out (a data item's optional fields the
    row leaves blank come out of validation as `missing`), and text without the surrounding
    white space that reading a cell strips."""
    def canonical(value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if value[:1] in ("[", "{"):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
        if isinstance(value, dict):
            return {k: canonical(v) for k, v in value.items()
                    if v is not missing and v not in ("", None, [], {})}
        if isinstance(value, list):
            return [canonical(v) for v in value if v is not missing and v not in ("", None, [], {})]
        return value

    data = dict(data)
    data["extras"] = {e["key"]: e.get("value") for e in data.get("extras") or []}
    data["tags"] = sorted(t.get("name") for t in data.get("tags") or [])
    return canonical(data)


def _messages(column: Optional[spreadsheet.Column], errors: Any) -> list[str]:
    """The messages of one field's errors; items of a list field (a data dictionary) are
    named by their position and sub-column."""
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(column, value)]
    messages = []
    for number, error in enumerate(errors, start=1):
        if isinstance(error, dict) and column is not None and column.subfields:
            for sub, sub_errors in error.items():
                messages.extend(
                    _("Item {number}, {field}: {message}").format(
                        number=number, field=column.subfield_title(sub), message=message)
                    for message in _messages(None, sub_errors))
        else:
            messages.extend(_messages(column, error))
    return messages


def _problems(row: Optional[int], errors: dict[str, Any], name_from_code: bool) -> list[Problem]:
    """Validation errors (keyed by field) as problems keyed by column."""
    problems = []
    for key, field_errors in errors.items():
        field = {"tags": spreadsheet.KEYWORDS_FIELD}.get(key, key)
        if field == spreadsheet.NAME_FIELD and name_from_code:
            # The URL name was made from the catalog code, so that is what to change.
            field = CATALOG_CODE_FIELD
        column = _column(field)
        problems.extend(_problem(row, field, m, column) for m in _messages(column, field_errors))
    return problems


def _column(field: str) -> Optional[spreadsheet.Column]:
    return next((c for c in spreadsheet.columns(with_name=True) if c.name == field), None)


def _problem(row: Optional[int], field: str, message: str,
             column: Optional[spreadsheet.Column] = None) -> Problem:
    column = column or _column(field)
    if column is None:
        return Problem(row, field, message, order=len(spreadsheet.columns(with_name=True)))
    return Problem(row, column.title(), message,
                   order=spreadsheet.columns(with_name=True).index(column))


def _fields(number: int, cells: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The dataset fields of one row's cells (keyed by field name), and the cells no dataset
    may hold whatever the schema says: values of a shape no cell has, and text outside the
    portal's input boundary (which the database or the search index would refuse)."""
    by_name = {c.name: c for c in spreadsheet.columns(with_name=True)}
    problems = [_problem(number, name, message, by_name[name]) for name, value in cells.items()
                if (message := spreadsheet.shape_problem(by_name[name], value))]
    if problems:
        return {}, problems
    fields = spreadsheet.to_dataset(cells)
    return fields, _problems(number, boundary.problems(fields), name_from_code=False)


class Planner:
    """Turns the rows of a sheet into validated datasets to create or update, collecting
    every problem on the way."""

    def __init__(self, context: dict[str, Any], organization: Optional[model.Group]) -> None:
        self.context = context
        self.organization = organization
        self.problems: list[Problem] = []
        self.rows: list[Row] = []
        self.codes: dict[str, int] = {}
        self.names: dict[str, int] = {}

    def plan(self, sheet: spreadsheet.Sheet) -> list[Row]:
        fields = self._fields_by_header(sheet)
        if not fields:
            raise tk.ValidationError({sheet.source: [_(
                "None of the column headers is one of the catalog template's")]})
        for number, cells in sheet.rows:
            self._plan_row(number, {fields[h]: value for h, value in cells.items()
                                    if h in fields})
        if self.problems:
            raise CatalogImportError(sorted(self.problems, key=lambda p: (p.row or 0, p.order)))
        if not self.rows:
            raise tk.ValidationError({sheet.source: [_("The spreadsheet has no rows to import")]})
        return self.rows

    def _fields_by_header(self, sheet: spreadsheet.Sheet) -> dict[str, str]:
        fields: dict[str, str] = {}
        for order, header in enumerate(sheet.headers):
            column = spreadsheet.column_for_header(header)
            if column is None:
                message = _("Unknown column: use the column headers of the catalog template")
            elif column.name in fields.values():
                message = _("This column appears more than once")
            else:
                fields[header] = column.name
                continue
            self.problems.append(Problem(sheet.header_row, header, message, order=order))
        return fields

    def _plan_row(self, number: int, cells: dict[str, Any]) -> None:
        fields, problems = _fields(number, cells)
        if problems:
            # Nothing of the row is looked up or validated: the database cannot take it.
            self.problems.extend(problems)
            return
        owner = self._owner(number, fields, problems)
        owner_reported = bool(problems)
        code = fields.get(CATALOG_CODE_FIELD) or ""
        repeated = code in self.codes
        if repeated:
            problems.append(_problem(number, CATALOG_CODE_FIELD, _(
                "The same catalog code is in row {row}").format(row=self.codes[code])))
        elif code:
            self.codes[code] = number

        package = _existing(fields.get(identifiers.FIELD) or "", code)
        name_from_code = spreadsheet.NAME_FIELD not in fields
        if package is None:
            dataset = dict(fields, type="dataset")
            if name_from_code:
                dataset[spreadsheet.NAME_FIELD] = code.lower()
            if owner is not None:
                dataset[spreadsheet.ORGANIZATION_FIELD] = owner.id
            row: Optional[Row] = Row(number, dataset)
        else:
            row = self._update(number, package, fields, owner, problems)
        if row is not None:
            data, errors = _validate(self.context, row.dataset, package)
            if row.existing is not None and not errors:
                before, _before_errors = _validate(self.context, row.existing, package)
                row.changed = _comparable(data) != _comparable(before)
            if owner_reported:
                errors.pop(spreadsheet.ORGANIZATION_FIELD, None)
            name = row.dataset.get(spreadsheet.NAME_FIELD)
            if name and not repeated:
                if name in self.names and not errors.get(spreadsheet.NAME_FIELD):
                    errors[spreadsheet.NAME_FIELD] = [_(
                        "The same URL name is in row {row}").format(row=self.names[name])]
                self.names.setdefault(name, number)
            problems.extend(_problems(number, errors, name_from_code))
            self.rows.append(row)
        self.problems.extend(problems)

    def _owner(self, number: int, fields: dict[str, Any],
               problems: list[Problem]) -> Optional[model.Group]:
        text = spreadsheet.cell_text(fields.pop(spreadsheet.ORGANIZATION_FIELD, None))
        if not text:
            return self.organization
        named = _organizations_named(text)
        if self.organization is not None:
            if self.organization not in named:
                problems.append(_problem(number, spreadsheet.ORGANIZATION_FIELD, _(
                    "The row names {department}, but the import is into {target}").format(
                        department=text, target=self.organization.title)))
            return self.organization
        if len(named) == 1:
            return named[0]
        message = (_("Several departments are called {name}: give the department's URL name")
                   if named else _("No department called {name} on the portal"))
        problems.append(_problem(number, spreadsheet.ORGANIZATION_FIELD, message.format(name=text)))
        return None

    def _update(self, number: int, package: model.Package, fields: dict[str, Any],
                owner: Optional[model.Group], problems: list[Problem]) -> Optional[Row]:
        """package_patch semantics: the row's columns replace those fields, everything
        else (resources included) stays."""
        try:
            tk.check_access("package_update", _acting(self.context), {"id": package.id})
        except tk.NotAuthorized:
            problems.append(_problem(number, CATALOG_CODE_FIELD, _(
                "Dataset {name} has this catalog code and you may not edit it").format(
                    name=package.name)))
            return None
        current = tk.get_action("package_show")(
            _acting(self.context, ignore_auth=True), {"id": package.id})
        current.pop("metadata_modified", None)
        dataset = dict(current, **fields)
        if owner is not None:
            dataset[spreadsheet.ORGANIZATION_FIELD] = owner.id
        return Row(number, dataset, existing=current)


# Writing

def _restore_index(package_ids: list[str]) -> None:
    """After a rollback, make the search index match the database again for the datasets
    that were sent to it."""
    for package_id in package_ids:
        try:
            if model.Package.get(package_id) is None:
                logic.index_remove_package(package_id)
            else:
                logic.index_update_package({"ignore_auth": True}, package_id)
        except Exception:  # noqa: BLE001 (the original failure is what gets reported)
            log.exception("Could not restore the search index of dataset %s", package_id)


def write(context: dict[str, Any], rows: list[Row], dry_run: bool) -> None:
    """Create and update the changed rows in one transaction, then index them. A dry run
    takes every step up to sending the datasets to the index, then rolls back."""
    written: list[str] = []
    indexed: list[str] = []
    row = None
    try:
        for row in (r for r in rows if r.changed):
            # return_id_only: in deferred mode CKAN 2.12's package_update otherwise rolls
            # back its own savepoint, losing the update.
            write_context = _acting(context, defer_commit=True, return_id_only=True)
            if row.existing is None:
                written.append(tk.get_action("package_create")(
                    write_context, copy.deepcopy(row.dataset)))
            else:
                # Deferred package_update does not list the dataset as changed, which the
                # activity stream needs; only changed rows get here.
                write_context.update(original_package=row.existing,
                                     changed_entities={"packages": {row.existing["id"]}})
                written.append(tk.get_action("package_update")(
                    write_context, copy.deepcopy(row.dataset)))
        row = None
        documents = [logic.package_show_default_and_custom_schemas({"ignore_auth": True}, i)
                     for i in written]
        if dry_run:
            model.Session.rollback()
            return
        for package_id, document in zip(written, documents):
            indexed.append(package_id)
            logic.index_update_package_dicts(document, defer_commit=True)
        model.repo.commit()
    except tk.ValidationError as error:
        # Someone changed the catalog between validation and writing.
        model.Session.rollback()
        _restore_index(indexed)
        if row is None:
            raise
        raise CatalogImportError(_problems(row.number, error.error_dict, name_from_code=False))
    except search.SearchIndexError:
        model.Session.rollback()
        _restore_index(indexed)
        raise tk.ValidationError({"search_index": [_(
            "The search index could not be updated, so nothing was imported. "
            "Check that Solr is running, then import again.")]})
    except Exception:
        model.Session.rollback()
        _restore_index(indexed)
        raise
    search.commit()


