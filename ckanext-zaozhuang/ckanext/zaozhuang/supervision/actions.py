"""Action functions of the supervision domain (registered by name prefix zaozhuang_)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.schema import boundary
from ckanext.zaozhuang.supervision import figures
from ckanext.zaozhuang.supervision.auth import supervised_departments

_ = tk._


@tk.side_effect_free
def zaozhuang_supervision_figures(context: dict[str, Any],
                                  data_dict: dict[str, Any]) -> dict[str, Any]:
    """How each department keeps its duties under the Measures, as of now: catalog entries
    (``datasets``), those with data attached (``with_data``, ``with_data_rate``: 挂接率), by
    opening category (``open_rate``: 开放率), overdue for an update (``on_time_rate``),
    applications received, pending, returned, decided, decided within the deadline and
    rejected, grants active, expired and revoked, the quality of its uploaded tables
    (``tables_checked``, ``tables_passed``, ``quality_score``: the average score), the use of
    its data (``views``, ``downloads``, ``api_calls``; as last folded by the scheduler), and
    public participation: data requests routed to it and error reports on its datasets
    (``requests_*``, ``corrections_*``: received, answered_in_time, overdue), ``showcases``
    using its data, ``rating_count`` and ``rating_average`` of its datasets.

    The big-data authority sees every department and the city-wide totals; a department's
    admins see their own department.

    :param organization_id: one department (name or id; optional)
    :returns: ``{"departments": [...], "city": {...} (the authority only)}``
    """
    errors = boundary.problems({k: v for k, v in data_dict.items() if k == "organization_id"},
                               typed=True)
    if errors:
        raise tk.ValidationError(errors)
    tk.check_access("zaozhuang_supervision_figures", context, data_dict)
    user = policy.user_object(context.get("user"))
    wanted = None
    if data_dict.get("organization_id"):
        org = model.Group.get(str(data_dict["organization_id"]))
        if org is None or not org.is_organization or org.state != "active":
            raise tk.ObjectNotFound(_("Department not found"))
        wanted = [org.id]
    authority = policy.is_authority(user)
    if not authority:
        own = supervised_departments(user)
        wanted = [i for i in (wanted or own) if i in own]
    rows = figures.departments(wanted)
    result: dict[str, Any] = {"departments": rows}
    if authority and wanted is None:
        result["city"] = figures.city(rows)
    return result
