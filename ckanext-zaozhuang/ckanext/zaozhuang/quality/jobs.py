"""The quality check as a job of the worker: queued when a table is uploaded or replaced,
or when its publisher asks for a check again."""
from __future__ import annotations

import logging
import os
from typing import Any, Optional

from sqlalchemy.dialects.postgresql import insert

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader

from ckanext.zaozhuang.access.model import now
from ckanext.zaozhuang.quality import checks
from ckanext.zaozhuang.quality.model import QualityReport

log = logging.getLogger(__name__)


def checked_format(resource: Any) -> Optional[str]:
    """The format a resource's file is checked as, or None: only uploaded tables are.
    `resource` is a model object or a resource dict."""
    get = resource.get if isinstance(resource, dict) else lambda key: getattr(resource, key)
    if get("url_type") != "upload":
        return None
    fmt = (get("format") or "").strip().lower()
    return fmt if fmt in checks.TABULAR_FORMATS else None


def enqueue(resource_id: str) -> None:
    resource = model.Resource.get(resource_id)
    if resource is not None and checked_format(resource):
        tk.enqueue_job(check_resource, [resource_id], title=f"quality check {resource_id}")


def _path(resource: model.Resource) -> Optional[str]:
    path = uploader.get_resource_uploader({"id": resource.id}).get_path(resource.id)
    return path if isinstance(path, str) and os.path.isfile(path) else None


def _declared_rows(dataset: dict[str, Any], resource_id: str) -> Optional[int]:
    """The dataset's declared record count (数据量), when this is its only table."""
    tables = [r for r in dataset.get("resources", [])
              if (r.get("format") or "").lower() in checks.TABULAR_FORMATS]
    if len(tables) != 1 or tables[0]["id"] != resource_id:
        return None
    try:
        return int(dataset["record_count"])
    except (KeyError, TypeError, ValueError):
        return None


def check_resource(resource_id: str) -> Optional[dict[str, Any]]:
    """Check the resource's current file and keep the report (None if there is nothing to
    check: a link, another format, a resource since deleted)."""
    resource = model.Resource.get(resource_id)
    file_format = checked_format(resource) if resource is not None else None
    if resource is None or resource.state != "active" or file_format is None:
        return None
    dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": resource.package_id})
    path = _path(resource)
    if path is None:
        result = checks.unreadable("")
    else:
        result = checks.check(path, file_format, dataset.get("data_dictionary") or [],
                              _declared_rows(dataset, resource_id),
                              sheet=(resource.extras.get("sheet") or "").strip() or None)
    row = dict(result, resource_id=resource.id, dataset_id=dataset["id"],
               organization_id=dataset.get("owner_org"))
    table = QualityReport.__table__
    statement = insert(table).values(id=model.types.make_uuid(), checked=now(), **row)
    if row["sha256"]:
        statement = statement.on_conflict_do_update(
            constraint="zaozhuang_quality_report_version",
            set_={key: statement.excluded[key] for key in (
                "status", "score", "rows", "error_rows", "counts", "findings", "checked",
                "dataset_id", "organization_id")})
    model.Session.execute(statement)
    model.Session.commit()
    log.info("quality of resource %s: %s, score %s", resource_id, row["status"], row["score"])
    return row
