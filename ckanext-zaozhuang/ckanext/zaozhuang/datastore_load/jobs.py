"""Jobs of the job worker for the DataStore loader."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def drop_table(resource_id: str) -> None:
    """Remove the table of a resource whose file is now empty. A job, since the submit that
    finds the file empty may run while the resource's own change is being committed."""
    try:
        tk.get_action("datastore_delete")({"ignore_auth": True},
                                          {"resource_id": resource_id, "force": True})
    except tk.ObjectNotFound:
        pass
