"""Each dataset's licence follows from its opening category: unconditionally open data
carries an open licence (the authority's default unless the publisher names another open
one), conditionally open data the data use agreement, data not opened says so. The licences
are CKAN's licence register, loaded from `config/licenses.json` (`licenses_group_url`)."""
from __future__ import annotations

from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan import model

AGREEMENT = "zaozhuang-agreement"
NOT_OPEN = "zaozhuang-not-open"
OWN_OPEN = "zaozhuang-open"


def _is_open(licence_id: Optional[str]) -> bool:
    licence = model.Package.get_license_register().get(licence_id) if licence_id else None
    return licence is not None and licence.isopen()


def licence_for(opening: Optional[str], requested: Optional[str]) -> str:
    if opening == "conditional":
        return AGREEMENT
    if opening == "unconditional":
        return requested if _is_open(requested) else tk.config.get(
            "ckanext.zaozhuang.default_open_license")
    return NOT_OPEN


def show_url(dataset: dict[str, Any]) -> None:
    """Our own licences are pages of the portal; the agreement's is the dataset's
    application page, where the applicant reads and signs it."""
    path = {OWN_OPEN: "/terms#open-licence", NOT_OPEN: "/policy",
            AGREEMENT: f"/dataset/{dataset.get('name')}/apply"}.get(dataset.get("license_id"))
    if path:
        dataset["license_url"] = tk.config.get("ckan.site_url").rstrip("/") + path
