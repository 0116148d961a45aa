"""Jobs of the job worker for the DataStore loader."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def drop_table(resource_id: str) -> None:
    """Remove the table of a resource, before its file is loaded again or when its file is
    now empty. A job, since the submit that asks for it may run while the resource's own
    change is being committed."""
    try:
        tk.get_action("datastore_delete")({"ignore_auth": True},
                                          {"resource_id": resource_id, "force": True})
    except tk.ObjectNotFound:
        pass
