"""What the portal adds to xloader 2.6's loading on the job worker: the sheet a resource names
(resource field `sheet`, default the first), and column types from the dataset's data
dictionary (types.py).

xloader has no option for a sheet and no hook between filling a table and offering it (its
`after_upload` runs later, in the web process answering its report). Both of its loading
functions, load_csv (COPY) and load_table (its fallback), take the resource id; wrapped
here, they read the resource's sheet for the one tabulator Stream a load opens and type the
table just after it is filled, still on the worker and before xloader offers it. Installed
once, as encoding.py sets xloader's fallback encoding.

A replaced file replaces its table atomically. xloader 2.6 truncates (same columns) or drops
(other columns) the resource's table and then copies into it, so readers meet an empty or
half-filled table, and a file that fails leaves none. Here each load fills a staging table
instead (`_next_<resource id>`: the underscore keeps it out of the DataStore's
`_table_metadata`, so no reader can name it), types it, and only then swaps it in, in one
transaction: the old table is dropped and the new one takes its name, with its indexes and
sequence. The column info (data dictionary) and full-text column travel with the table;
`_table_metadata` is a view of pg_class and follows. A load that fails drops the staging
table and leaves the old one as it was."""
from __future__ import annotations

import contextvars
import functools
import hashlib
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
STAGING_PREFIX = "_next_"
_sheet: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("sheet", default=None)
# The staging table of the load running in this context: only it is created by
# actions.datastore_create without a resource behind it.
_staging: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("staging", default=None)


def staging_table(resource_id: str) -> str:
    return STAGING_PREFIX + resource_id


def is_staging(table: str) -> bool:
    """Whether table is the staging table of the load running here."""
    return bool(table) and _staging.get() == table


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
        logger = kwargs.get("logger") or log
        staging = staging_table(resource_id)
        _drop(staging)  # left by a worker that died mid-load
        sheet_token, staging_token = _sheet.set(sheet), _staging.set(staging)
        try:
            result = original(path, staging, *args, **kwargs)
            # Read back by the load status (actions._progress) from xloader's job log.
            logger.info("%s %s", ROWS_LOADED, _count(staging))
            apply_dictionary(resource_id, logger, table=staging)
        except BaseException:
            _drop(staging)
            raise
        finally:
            _sheet.reset(sheet_token)
            _staging.reset(staging_token)
        swap(staging, resource_id)
        logger.info("The new table replaced the resource's table")
        return result
    return load


def _count(table: str) -> int:
    with datastore_db.get_write_engine().connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {types.ident(table)}")).scalar()


def _drop(table: str) -> None:
    with datastore_db.get_write_engine().begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {types.ident(table)}"))


def swap(staging: str, resource_id: str) -> None:
    """The filled staging table becomes the resource's table in one transaction: a reader
    sees the old table or the new one. Its primary key index and sequence take the
    resource's name; its other indexes, named by the DataStore from the table's name and
    column (a hash), get names derived from the resource's id, so that the next load's
    staging table can name its own afresh.
    The DataStore's cached row count (`_table_stats`) of the old table goes with it, so
    that searches and the record count count the new rows."""
    with datastore_db.get_write_engine().begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {types.ident(resource_id)}"))
        conn.execute(sa.text('DELETE FROM "_table_stats" WHERE resource_id IN (:old, :new)'),
                     {"old": resource_id, "new": staging})
        conn.execute(sa.text(
            f"ALTER TABLE {types.ident(staging)} RENAME TO {types.ident(resource_id)}"))
        sequences = conn.execute(sa.text(
            "SELECT relname FROM pg_class WHERE starts_with(relname, :prefix) "
            "AND relkind = 'S' AND relnamespace = 'public'::regnamespace"),
            {"prefix": staging}).scalars().all()
        indexes = conn.execute(sa.text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = to_regclass(:table)"),
            {"table": types.ident(resource_id)}).scalars().all()
        for name in sequences:
            conn.execute(sa.text(f"ALTER SEQUENCE {types.ident(name)} RENAME TO "
                                 f"{types.ident(resource_id + name[len(staging):])}"))
        for name in indexes:
            new_name = (resource_id + name[len(staging):] if name.startswith(staging)
                        else hashlib.sha1((resource_id + name).encode()).hexdigest())
            conn.execute(sa.text(
                f"ALTER INDEX {types.ident(name)} RENAME TO {types.ident(new_name)}"))


def apply_dictionary(resource_id: str, logger: Optional[logging.Logger] = None,
                     table: Optional[str] = None) -> None:
    """Type the resource's table (or the staging table being filled for it) by its
    dataset's data dictionary."""
    resource = model.Resource.get(resource_id)
    if resource is None:
        return
    dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": resource.package_id})
    items = dataset.get("data_dictionary") or []
    if items:
        types.apply(table or resource_id, items, logger)


def install() -> None:
    if getattr(loader.load_csv, "__wrapped__", None) is not None:
        return
    loader.Stream = _stream(loader.Stream)
    loader.load_csv = _loading(loader.load_csv)
    loader.load_table = _loading(loader.load_table)
