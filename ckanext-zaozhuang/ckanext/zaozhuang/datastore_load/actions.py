"""ckanext-xloader's actions, chained so that they answer under the portal's rules.

xloader's actions read and write their task record with the caller's context, through
task_status_show, which the portal closes to all but sysadmins (access/inventory.py: it can
hold data locations). So each action here checks its own auth function first and then runs
xloader's with the auth already decided.

xloader 2.6 also needs an API token for its jobs (`ckanext.xloader.api_token`), with which they
fetch the upload and call the hook over HTTP. The portal gives it the site user's token named
`xloader`, made once in the database and signed again by each process from its id, so that no
secret has to be copied into the configuration."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import api_token

TOKEN_OPTION = "ckanext.xloader.api_token"
TOKEN_NAME = "xloader"


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


@tk.chained_action
def xloader_submit(next_action, context, data_dict):
    tk.check_access("xloader_submit", context, data_dict)
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
