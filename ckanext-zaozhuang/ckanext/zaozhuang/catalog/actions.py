"""Action functions of the catalog domain (registered by name prefix zaozhuang_).

Bulk import and export of the catalog spreadsheets departments keep (spreadsheet.py); the
import itself is importer.py, run at once or, for a large catalog, by the job worker
(jobs.py) in chunks that each commit with the import's progress."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.catalog import importer, jobs, spreadsheet
from ckanext.zaozhuang.catalog.model import CatalogImport
from ckanext.zaozhuang.schema import boundary

_ = tk._


# Reading the request

def _parameters(data_dict: dict[str, Any], names: tuple[str, ...]) -> None:
    """The input boundary for an action's parameters of one value (given through the API,
    they may hold any JSON); the file and the rows are checked cell by cell instead."""
    errors = boundary.problems({name: data_dict[name] for name in names if name in data_dict},
                               typed=True)
    if errors:
        raise tk.ValidationError(errors)


def _flag(data_dict: dict[str, Any], name: str) -> bool:
    value = data_dict.get(name)
    if value is None:
        return False
    if isinstance(value, str):
        try:
            return tk.asbool(value)
        except ValueError:
            pass
    elif value in (True, False):  # also 0 and 1
        return bool(value)
    raise tk.ValidationError({name: [_("Must be true or false")]})


def _records(rows: Any) -> spreadsheet.Sheet:
    if isinstance(rows, str):
        try:
            rows = json.loads(rows)
        except ValueError:
            rows = None
    if not rows or not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise tk.ValidationError({"rows": [_(
            "Give the rows as a list of objects keyed by column header")]})
    return spreadsheet.from_records(rows)


def _content(data_dict: dict[str, Any]) -> bytes:
    upload = data_dict.get("upload")
    content = upload.read() if hasattr(upload, "read") else upload
    if not isinstance(content, bytes):
        raise tk.ValidationError({"upload": [_("Upload an .xlsx or .csv catalog spreadsheet")]})
    return content


def _read(content: bytes) -> spreadsheet.Sheet:
    try:
        return spreadsheet.read(content)
    except spreadsheet.SpreadsheetError as error:
        raise tk.ValidationError({"upload": [str(error)]})


def _sheet(data_dict: dict[str, Any]) -> spreadsheet.Sheet:
    if data_dict.get("upload") is None and "rows" in data_dict:
        return _records(data_dict["rows"])
    return _read(_content(data_dict))


# Files

def _format(data_dict: dict[str, Any]) -> str:
    fmt = str(data_dict.get("format") or "xlsx").lower().lstrip(".")
    if fmt not in spreadsheet.FORMATS:
        raise tk.ValidationError({"format": [_("Choose one of: {choices}").format(
            choices=", ".join(spreadsheet.FORMATS))]})
    return fmt


def _visible_datasets(context: dict[str, Any], fq: str) -> list[dict[str, Any]]:
    """Every catalog dataset matching `fq` that the user may see, through package_search so
    the visibility rules are the search's."""
    datasets: list[dict[str, Any]] = []
    page = tk.config.get("ckan.search.rows_max")
    while True:
        result = tk.get_action("package_search")({"user": context["user"]}, {
            "fq": fq, "include_private": True, "rows": page, "start": len(datasets),
            "sort": "name asc"})
        datasets.extend(result["results"])
        if not result["results"] or len(datasets) >= result["count"]:
            return datasets


# Actions

def zaozhuang_catalog_import(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Create or update catalog datasets from a catalog spreadsheet.

    Rows are matched on their catalog code (资源代码): a code in the portal updates that
    dataset (only the sheet's columns change; resources stay), any other code creates a
    dataset named after the code in lower case. Every row is validated first; if any row
    fails nothing is written and the ValidationError names each row and column
    ("第3行 联系电话").

    :param upload: the .xlsx or .csv file (UTF-8, or GB 18030 as Excel saves it)
    :param rows: instead of a file, a list of rows as dicts keyed by column header or field
        name; rows are then numbered from 1
    :param owner_org: name or id of the department every row goes to; rows may leave the
        department column (提供单位) empty, and a row naming another department is refused.
        Without it each row names its department.
    :param dry_run: run the import and roll it back, so that nothing is written and what
        a dry run accepts the import writes (default false)
    :param background: let the job worker import the file (default false), for catalogs
        of thousands of rows: the file is read and stored now, then the worker checks every
        row (nothing is written if one fails, as above) and writes the rows in chunks, each
        committed with the progress, so the import can resume after a failure. Follow it
        with zaozhuang_catalog_import_show.
    :returns: ``{"created": n, "updated": n, "unchanged": n, "dry_run": bool,
        "datasets": [{"row", "name", "catalog_code", "result"}]}``; in the background, the
        import as zaozhuang_catalog_import_show gives it
    """
    # Before the auth function, which looks the department up.
    _parameters(data_dict, ("owner_org",))
    dry_run = _flag(data_dict, "dry_run")
    background = _flag(data_dict, "background")
    tk.check_access("zaozhuang_catalog_import", context, data_dict)
    organization = importer.organization(data_dict.get("owner_org"))
    if background:
        if dry_run:
            raise tk.ValidationError({"background": [_(
                "A dry run answers at once: leave out background or dry_run")]})
        content = _content(data_dict)
        total = len(_read(content).rows)
        if not total:
            raise tk.ValidationError({"upload": [_("The spreadsheet has no rows to import")]})
        return jobs.start(policy.user_object(context.get("user")), organization, content,
                          getattr(data_dict["upload"], "filename", None), total)
    rows = importer.Planner(context, organization).plan(_sheet(data_dict))
    importer.write(context, rows, dry_run)
    counts = {result: sum(1 for r in rows if r.result == result)
              for result in ("created", "updated", "unchanged")}
    return dict(counts, dry_run=dry_run, datasets=[{
        "row": r.number,
        "name": r.dataset.get(spreadsheet.NAME_FIELD),
        "catalog_code": r.dataset.get(importer.CATALOG_CODE_FIELD),
        "result": r.result,
    } for r in rows])


def _catalog_import(data_dict: dict[str, Any]) -> CatalogImport:
    _parameters(data_dict, ("id",))
    run = model.Session.get(CatalogImport, str(data_dict.get("id") or ""))
    if run is None:
        raise tk.ObjectNotFound(_("Catalog import not found"))
    return run


@tk.side_effect_free
def zaozhuang_catalog_import_show(context: dict[str, Any],
                                  data_dict: dict[str, Any]) -> dict[str, Any]:
    """A background catalog import: ``state`` (queued, checking, writing, done, failed),
    ``total`` rows, rows ``done``, ``created``, ``updated`` and ``unchanged`` so far, and for
    a failed check the ``errors`` by row and column, as the import's ValidationError.

    :param id: the import's id
    """
    run = _catalog_import(data_dict)
    tk.check_access("zaozhuang_catalog_import_show", context, {"id": run.id})
    return jobs.as_dict(run)


def zaozhuang_catalog_import_resume(context: dict[str, Any],
                                    data_dict: dict[str, Any]) -> dict[str, Any]:
    """Queue a background import that failed or whose worker stopped: it checks every row
    again and writes those after the last committed chunk.

    :param id: the import's id
    """
    run = _catalog_import(data_dict)
    tk.check_access("zaozhuang_catalog_import_resume", context, {"id": run.id})
    if run.state == "done":
        raise tk.ValidationError({"id": [_("This import is done")]})
    if jobs.is_running(run):
        raise tk.ValidationError({"id": [_("This import is running")]})
    return jobs.resume(run)


@tk.side_effect_free
def zaozhuang_catalog_export(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The catalog as a spreadsheet in the import's format, so an export can be edited and
    imported again. Only datasets the user may see are included.

    :param owner_org: name or id of one department (optional: every department)
    :param format: ``xlsx`` (default) or ``csv``
    :returns: ``{"filename", "format", "mimetype", "count", "content"}``, the file
        base64-encoded in ``content``
    """
    _parameters(data_dict, ("format", "owner_org"))
    tk.check_access("zaozhuang_catalog_export", context, data_dict)
    fmt = _format(data_dict)
    fq, stem = "+dataset_type:dataset", "catalog"
    if data_dict.get("owner_org"):
        org = tk.get_action("organization_show")({"user": context["user"]}, {
            "id": data_dict["owner_org"], "include_datasets": False, "include_users": False})
        fq += ' +owner_org:"{}"'.format(org["id"])
        stem = f"catalog-{org['name']}"
    datasets = sorted(_visible_datasets(context, fq),
                      key=lambda d: (d.get(importer.CATALOG_CODE_FIELD) or "", d["name"]))
    content = spreadsheet.write([spreadsheet.to_row(d) for d in datasets], fmt)
    return spreadsheet.file_dict(stem, fmt, content, len(datasets))


@tk.side_effect_free
def zaozhuang_catalog_template(context: dict[str, Any],
                               data_dict: dict[str, Any]) -> dict[str, Any]:
    """The empty catalog spreadsheet, generated from the dataset schema so it always has
    the schema's columns; the .xlsx has drop-down lists and a sheet of instructions.

    :param format: ``xlsx`` (default) or ``csv``
    :returns: as zaozhuang_catalog_export
    """
    _parameters(data_dict, ("format",))
    tk.check_access("zaozhuang_catalog_template", context, data_dict)
    fmt = _format(data_dict)
    return spreadsheet.file_dict("catalog-template", fmt, spreadsheet.write([], fmt), 0)


@tk.side_effect_free
def zaozhuang_overdue_list(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Datasets whose data is overdue for an update (动态维护): their last update is older
    than their update frequency allows. A publisher gets their own departments' datasets, the
    big-data authority every department's.

    :param owner_org: only this department (id or name) (optional)
    :param rows: how many (default 20); :param start: skip this many
    :returns: ``{"count": n, "results": [dataset, ...]}``, the datasets as package_search
        gives them, each with its ``update_due`` date and ``overdue: true``
    """
    tk.check_access("zaozhuang_overdue_list", context, data_dict)
    user = policy.user_object(context.get("user"))
    if data_dict.get("owner_org"):
        org = importer.organization(data_dict["owner_org"])
        if org is None:
            raise tk.ValidationError({"owner_org": [_("Department not found")]})
        org_ids = [org.id]
    elif policy.is_authority(user):
        org_ids = None
    else:
        org_ids = [o["id"] for o in tk.get_action("organization_list_for_user")(
            {"user": user.name}, {"permission": "create_dataset"})]
        if not org_ids:
            return {"count": 0, "results": []}
    fq = "due_date:[* TO NOW]"
    if org_ids is not None:
        fq += " AND owner_org:({})".format(" OR ".join(f'"{i}"' for i in org_ids))
    result = tk.get_action("package_search")({"user": user.name}, {
        "fq": fq, "include_private": True, "sort": "metadata_modified asc",
        "rows": data_dict.get("rows", 20), "start": data_dict.get("start", 0)})
    return {"count": result["count"], "results": result["results"]}
