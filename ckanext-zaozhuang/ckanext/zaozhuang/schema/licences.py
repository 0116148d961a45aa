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


def application_url(dataset: dict[str, Any]) -> str:
    """The dataset's application page, where an applicant reads and signs the agreement."""
    return f"{tk.config.get('ckan.site_url').rstrip('/')}/dataset/{dataset.get('name')}/apply"


def licence_url(dataset: dict[str, Any]) -> Optional[str]:
    """Our own licences are pages of the portal; the agreement's is the dataset's
    application page. Others are the register's."""
    licence_id = dataset.get("license_id")
    if licence_id == AGREEMENT:
        return application_url(dataset)
    path = {OWN_OPEN: "/terms#open-licence", NOT_OPEN: "/policy"}.get(licence_id)
    if path:
        return tk.config.get("ckan.site_url").rstrip("/") + path
    return dataset.get("license_url")


def show_url(dataset: dict[str, Any]) -> None:
    url = licence_url(dataset)
    if url:
        dataset["license_url"] = url
