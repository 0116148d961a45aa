"""ckanext-xloader's actions, chained so that they answer under the portal's rules.

xloader's actions read and write their task record with the caller's context, through
task_status_show, which the portal closes to all but sysadmins (access/inventory.py: it can
hold data locations). So each action here checks its own auth function first and then runs
xloader's with the auth already decided.

xloader 2.6 also needs an API token for its jobs (`ckanext.xloader.api_token`), with which they
fetch the upload and call the hook over HTTP. The portal gives it the site user's token named
`xloader`, made once in the database and signed again by each process from its id, so that no
secret has to be copied into the configuration.

Each load makes its table afresh, under a staging name, so that every column is text as in
a first load, and swaps it in when it is filled (worker.py); see xloader_submit. The types
of the dataset's data dictionary are given to the fresh table on the worker before the swap
(types.py), so a reload after the dictionary changed types the table by the dictionary of
the day.

An empty upload is not sent to xloader, which would leave an error about a missing temporary
file and an empty table without columns: its load ends at once, as failed, with the reason,
and a table of an earlier file of the resource is removed by a job."""
from __future__ import annotations

import datetime
import json
import logging
import re
from typing import Any, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import api_token

import ckan.plugins as p
import ckanext.datastore.backend.postgres as datastore_db
import ckanext.datastore.logic.schema as datastore_schema
from ckanext.datastore.backend import DatastoreBackend
from ckanext.datastore.interfaces import IDataDictionaryForm

from ckanext.zaozhuang.datastore_load import jobs, types, worker

log = logging.getLogger(__name__)
_ = tk._

TOKEN_OPTION = "ckanext.xloader.api_token"
TOKEN_NAME = "xloader"
# Recorded untranslated, as xloader records its own reasons; translated when shown.
EMPTY_FILE = "The file is empty: there is nothing to load"
# xloader's task states → what the resource page says.
STATES = {"submitting": "pending", "pending": "pending", "running": "loading",
          "running_but_viewable": "loading", "complete": "loaded", "error": "failed"}


def worker_token() -> str:
    """The site user's `xloader` token, created on first use."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    # Its own session: a submit may run inside another action's unfinished transaction.
    session = model.meta.create_local_session()
    try:
        token = session.query(model.ApiToken).filter_by(
            user_id=site_user["id"], name=TOKEN_NAME).first()
        if token is None:
            token = model.ApiToken(user_id=site_user["id"], name=TOKEN_NAME)
            session.add(token)
            session.commit()
        return api_token.encode({"jti": token.id})
    finally:
        session.close()


def loads(resource_id: str) -> bool:
    """Only files uploaded to the portal are loaded. A link's address is the publisher's to
    choose, and the worker would fetch whatever it names: another site, or a service inside
    the portal's own network."""
    resource = model.Resource.get(resource_id)
    return resource is not None and resource.url_type == "upload"


def _fail_empty(resource: model.Resource) -> None:
    """Record the load of an empty file as failed, as xloader records its own failures."""
    site = {"ignore_auth": True, "session": model.meta.create_local_session()}
    task = {"entity_id": resource.id, "entity_type": "resource", "task_type": "xloader",
            "key": "xloader", "state": "error", "value": "{}",
            "error": json.dumps({"message": EMPTY_FILE}),
            "last_updated": str(datetime.datetime.utcnow())}
    try:
        task["id"] = tk.get_action("task_status_show")(site, {
            "entity_id": resource.id, "task_type": "xloader", "key": "xloader"})["id"]
    except tk.ObjectNotFound:
        pass
    tk.get_action("task_status_update")(site, task)
    if resource.extras.get("datastore_active"):
        tk.enqueue_job(jobs.drop_table, [resource.id], title=f"drop table {resource.id}")


@tk.chained_action
def xloader_submit(next_action, context, data_dict):
    tk.check_access("xloader_submit", context, data_dict)
    resource = model.Resource.get(str(data_dict.get("resource_id") or ""))
    if resource is not None and resource.url_type == "upload" and resource.size == 0:
        _fail_empty(resource)
        return False
    # Read anew at each submit: the token row may have been removed since (a database reset).
    tk.config[TOKEN_OPTION] = worker_token()
    if resource is not None and resource.extras.get("datastore_active"):
        # A reload of the same file is asked for because its dictionary or sheet changed:
        # xloader would skip a file whose hash it has seen.
        data_dict = dict(data_dict, ignore_hash=True)
    return next_action(dict(context, ignore_auth=True), data_dict)


@tk.chained_action
@tk.side_effect_free
def xloader_status(next_action, context, data_dict):
    tk.check_access("xloader_status", context, data_dict)
    return next_action(dict(context, ignore_auth=True), data_dict)


@tk.chained_action
def xloader_hook(next_action, context, data_dict):
    tk.check_access("xloader_hook", context, data_dict)
    return next_action(context, data_dict)


def _with_a_user(context: dict[str, Any]) -> dict[str, Any]:
    """xloader's loader creates tables (when it guesses types) without a user and drops them
    (when a file's columns changed) as user "": the DataStore then patches the resource, and
    the activity stream refuses a change by no user ("User not found"), failing the load. A
    system call without a user is the site user's."""
    if context.get("ignore_auth") and not context.get("user"):
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        return dict(context, user=site_user["name"])
    return context


@tk.chained_action
def datastore_create(next_action, context, data_dict):
    """The staging table of the load running on this worker has no resource for the
    DataStore's action to check, and must stay out of the names it accepts (worker.py): it
    is made by the DataStore's backend itself, validated as the action validates a table
    without a resource (no column data of DataStore plugins yet)."""
    table = data_dict.get("resource_id") if isinstance(data_dict, dict) else None
    if not (isinstance(table, str) and worker.is_staging(table)):
        return next_action(_with_a_user(context), data_dict)
    tk.check_access("datastore_create", context, data_dict)
    data_dict = dict(data_dict)
    records = data_dict.pop("records", None)
    schema = datastore_schema.datastore_create_schema()
    # Its check that a resource of that id exists is the one this table must skip.
    schema["resource_id"] = [tk.get_validator("not_empty"), tk.get_validator("unicode_safe")]
    for plugin in p.PluginImplementations(IDataDictionaryForm):
        schema = plugin.update_datastore_create_schema(schema)
    plugin_data: dict[int, dict[str, Any]] = {}
    validated, errors = tk.navl_validate(
        data_dict, schema, dict(tk.fresh_context(context), plugin_data=plugin_data))
    if errors:
        raise tk.ValidationError(errors)
    if records:
        validated["records"] = records
    return DatastoreBackend.get_active_backend().create(dict(context), validated, plugin_data)


@tk.chained_action
def datastore_delete(next_action, context, data_dict):
    return next_action(_with_a_user(context), data_dict)


def chained_actions() -> dict[str, Any]:
    return {"xloader_submit": xloader_submit, "xloader_status": xloader_status,
            "xloader_hook": xloader_hook, "datastore_create": datastore_create,
            "datastore_delete": datastore_delete}


def _reason(error: Any) -> Optional[str]:
    """A failed load's reason in the user's language. xloader records English sentences,
    some with values in them; those a publisher meets are recognised here, the rest are
    named as a failure with xloader's own words kept as technical detail."""
    if isinstance(error, dict):
        error = error.get("message")
    text = str(error or "").strip()
    if not text:
        return None
    if text == EMPTY_FILE:
        return _("The file is empty: there is nothing to load")
    wide = re.search(r"(?:Row (\d+)|A row) has more values than the (\d+) column", text)
    if wide:
        return _("A row has more values than the {columns} columns of the header (row {row}): "
                 "a value holding a comma or a double quote is probably not enclosed in "
                 "double quotes").format(columns=wide.group(2), row=wide.group(1) or "?")
    if text.startswith("The file could not be read as a table"):
        return _("The file could not be read as a table: it may not really be in its "
                 "declared format, or it is damaged. Save it again as .xlsx or .csv with a "
                 "header in every column and upload it again")
    if text.startswith(worker.NO_SHEET):
        return _("The workbook has no sheet named {sheet}: correct the resource's sheet name "
                 "or leave it blank for the first sheet").format(
                     sheet=text[len(worker.NO_SHEET):].strip())
    if text.startswith("Data too large to load"):
        return _("The file is larger than the DataStore loads")
    return _("The file could not be loaded ({detail})").format(detail=text)


# The loader's job log: tabulator's fallback saves rows in chunks of 250.
SAVING_CHUNK = re.compile(r"^Saving chunk (\d+)$")
CHUNK_ROWS = 250


def _progress(resource_id: str, logs: list[dict[str, Any]]) -> Optional[int]:
    """Rows loaded so far by a running load: those PostgreSQL's COPY has read into the
    staging table, while it runs, else what the job's log last said."""
    with datastore_db.get_write_engine().connect() as conn:
        copied = conn.execute(sa.text(
            "SELECT sum(tuples_processed) FROM pg_stat_progress_copy "
            "WHERE relid = to_regclass(:table)"),
            {"table": types.ident(worker.staging_table(resource_id))}).scalar()
    if copied is not None:
        return int(copied)
    for entry in reversed(logs):
        message = str(entry.get("message") or "")
        if message.startswith(worker.ROWS_LOADED):
            return int(message[len(worker.ROWS_LOADED):])
        chunk = SAVING_CHUNK.match(message)
        if chunk:
            return int(chunk.group(1)) * CHUNK_ROWS
    return None


def _unconverted(resource_id: str) -> list[dict[str, Any]]:
    """The columns a data item types that stayed text, with the first value at fault."""
    try:
        fields = tk.get_action("datastore_info")({"ignore_auth": True},
                                                 {"id": resource_id})["fields"]
    except tk.ObjectNotFound:
        return []
    return [dict((f.get("info") or {})[types.UNCONVERTED], column=f["id"]) for f in fields
            if isinstance((f.get("info") or {}).get(types.UNCONVERTED), dict)]


@tk.side_effect_free
def zaozhuang_datastore_load_status(context, data_dict):
    """How the loading of a resource's file into the DataStore stands.

    :param resource_id: the resource
    :returns: ``state`` (pending, loading, loaded, failed, or none when the file was never
        submitted), ``rows`` (loaded, or so far while loading, when known), ``reason``
        (failed, in the user's language), ``unconverted`` (loaded: the columns that stayed
        text although the data dictionary types them, each with ``column``, ``type``, the
        first ``record`` at fault and its ``value``), ``last_updated``, and ``may_reload``:
        whether the caller may load it again
    """
    tk.check_access("zaozhuang_datastore_load_status", context, data_dict)
    resource_id = tk.get_or_bust(data_dict, "resource_id")
    site = {"ignore_auth": True}
    try:
        status = tk.get_action("xloader_status")(dict(site), {"resource_id": resource_id})
    except tk.ObjectNotFound:
        status = {"status": None, "error": None, "last_updated": None}
    state = STATES.get(status["status"] or "", "none")
    rows, unconverted = None, []
    if state == "loaded":
        try:
            rows = tk.get_action("datastore_search")(dict(site), {
                "resource_id": resource_id, "limit": 0})["total"]
        except tk.ObjectNotFound:
            state = "none"  # the table was removed since
        else:
            unconverted = _unconverted(resource_id)
    elif state == "loading":
        rows = _progress(resource_id, (status.get("task_info") or {}).get("logs") or [])
    try:
        tk.check_access("xloader_submit", dict(context), {"resource_id": resource_id})
        may_reload = True
    except tk.NotAuthorized:
        may_reload = False
    return {"state": state, "rows": rows, "unconverted": unconverted,
            "reason": _reason(status["error"]) if state == "failed" else None,
            "last_updated": status["last_updated"], "may_reload": may_reload}


def record_loaded_rows(resource: dict[str, Any]) -> None:
    """Keep the resource's record count (数据量) at the rows of its loaded table; called by
    xloader when a load has made the table available."""
    try:
        total = tk.get_action("datastore_search")({"ignore_auth": True}, {
            "resource_id": resource["id"], "limit": 0})["total"]
    except tk.ObjectNotFound:
        return
    if resource.get("record_count") == total:
        return
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        tk.get_action("resource_patch")({"ignore_auth": True, "user": site_user["name"]},
                                        {"id": resource["id"], "record_count": total})
    except tk.ValidationError as error:
        # The dataset fails today's rules (an older entry): its load still counts.
        log.warning("record count of resource %s not updated: %s", resource["id"],
                    error.error_dict)
