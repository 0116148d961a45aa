"""ckanext-xloader's actions, chained so that they answer under the portal's rules.

xloader's actions read and write their task record with the caller's context, through
task_status_show, which the portal closes to all but sysadmins (access/inventory.py: it can
hold data locations). So each action here checks its own auth function first and then runs
xloader's with the auth already decided.

xloader 2.6 also needs an API token for its jobs (`ckanext.xloader.api_token`), with which they
fetch the upload and call the hook over HTTP. The portal gives it the site user's token named
`xloader`, made once in the database and signed again by each process from its id, so that no
secret has to be copied into the configuration.

An empty upload is not sent to xloader, which would leave an error about a missing temporary
file and an empty table without columns: its load ends at once, as failed, with the reason,
and a table of an earlier file of the resource is removed by a job."""
from __future__ import annotations

import datetime
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import api_token

from ckanext.zaozhuang.datastore_load import jobs

TOKEN_OPTION = "ckanext.xloader.api_token"
TOKEN_NAME = "xloader"
# Shown translated on the resource's load status (i18n/fragments/datastore-load.po).
EMPTY_FILE = "The file is empty: there is nothing to load"


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


def chained_actions() -> dict[str, Any]:
    return {"xloader_submit": xloader_submit, "xloader_status": xloader_status,
            "xloader_hook": xloader_hook}
