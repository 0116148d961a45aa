"""Decisions on the catalog that the access log keeps."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import log as audit_log
from ckanext.zaozhuang.schema.validators import OPENNESS


@tk.chained_action
def package_update(next_action, context, data_dict):
    """A more restrictive opening category, which the schema lets only the big-data
    authority set (validators.zaozhuang_open_category), is written to the access log in the
    same transaction as the update."""
    existing = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    old = (existing.extras or {}).get("open_category") if existing is not None else None
    result = next_action(context, data_dict)
    if existing is None:
        return result
    new = (existing.extras or {}).get("open_category")
    if old in OPENNESS and new in OPENNESS and OPENNESS.index(new) > OPENNESS.index(old):
        audit_log.record_decision("opening_change", context.get("user"), existing.id,
                                  existing.owner_org, old=old, new=new)
        if not context.get("defer_commit"):
            model.Session.commit()
    return result


def chained_actions() -> dict[str, Callable[..., Any]]:
    return {"package_update": package_update}
