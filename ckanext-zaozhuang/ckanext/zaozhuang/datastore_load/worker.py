"""What the portal adds to xloader 2.6's loading on the job worker: the sheet a resource names
(resource field `sheet`, default the first), and column types from the dataset's data
dictionary (types.py).

xloader has no option for a sheet and no hook between filling a table and offering it (its
`after_upload` runs later, in the web process answering its report). Both of its loading
functions, load_csv (COPY) and load_table (its fallback), take the resource id; wrapped
here, they read the resource's sheet for the one tabulator Stream a load opens and type the
table just after it is filled, still on the worker and before xloader offers it. Installed
once, as encoding.py sets xloader's fallback encoding."""
from __future__ import annotations

import contextvars
import functools
import logging
import zipfile
from typing import Any, Callable, Optional

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
import ckanext.datastore.backend.postgres as datastore_db
from ckan import model
from ckanext.xloader import loader
from ckanext.xloader.job_exceptions import LoaderError

from ckanext.zaozhuang.datastore_load import types

log = logging.getLogger(__name__)

# tabulator reads a sheet by name in these; xloader loads only .xlsx of them (config).
WORKBOOK_FORMATS = ("xlsx", "xls")
# Recorded untranslated, as xloader records its own reasons; matched and translated when
# shown (actions._reason).
NO_SHEET = "The workbook has no sheet named"
ROWS_LOADED = "Rows loaded:"
_sheet: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("sheet", default=None)


def resource_sheet(resource_id: str) -> Optional[str]:
    resource = model.Resource.get(resource_id)
    sheet = (resource.extras.get("sheet") or "").strip() if resource is not None else ""
    return sheet or None


def _stream(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def stream(source: Any, *args: Any, **kwargs: Any) -> Any:
        sheet = _sheet.get()
        if sheet and kwargs.get("format") in WORKBOOK_FORMATS:
            kwargs.setdefault("sheet", sheet)
        return original(source, *args, **kwargs)
    return stream


def _check_sheet(path: str, sheet: str) -> None:
    """Fail with the sheet's name rather than tabulator's "could not be read as a table"."""
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except (OSError, KeyError, zipfile.BadZipFile, InvalidFileException):
        return  # not a workbook: xloader's own error says so
    try:
        if sheet not in book.sheetnames:
            raise LoaderError(f"{NO_SHEET} “{sheet}”")
    finally:
        book.close()


def _loading(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def load(path: str, resource_id: str, *args: Any, **kwargs: Any) -> Any:
        sheet = resource_sheet(resource_id)
        if sheet and path.lower().endswith(".xlsx"):
            _check_sheet(path, sheet)
        token = _sheet.set(sheet)
        try:
            result = original(path, resource_id, *args, **kwargs)
        finally:
            _sheet.reset(token)
        logger = kwargs.get("logger") or log
        # Read back by the load status (actions._progress) from xloader's job log.
        logger.info("%s %s", ROWS_LOADED, _count(resource_id))
        apply_dictionary(resource_id, logger)
        return result
    return load


def _count(resource_id: str) -> int:
    with datastore_db.get_write_engine().connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {types.ident(resource_id)}")).scalar()


def apply_dictionary(resource_id: str, logger: Optional[logging.Logger] = None) -> None:
    resource = model.Resource.get(resource_id)
    if resource is None:
        return
    dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": resource.package_id})
    items = dataset.get("data_dictionary") or []
    if items:
        types.apply(resource_id, items, logger)


def install() -> None:
    if getattr(loader.load_csv, "__wrapped__", None) is not None:
        return
    loader.Stream = _stream(loader.Stream)
    loader.load_csv = _loading(loader.load_csv)
    loader.load_table = _loading(loader.load_table)
