"""The demo catalog: Zaozhuang departments and datasets with real CSV files.

Everything is published through CKAN actions as the site user, so the demo exercises the
same validation and indexing a publisher's upload does. Loading twice changes nothing.
"""
from __future__ import annotations

import csv
import io
import os
import secrets
from typing import Any, Callable

import yaml
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk


HERE = os.path.dirname(__file__)
ADMIN_NAME = "admin"


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _exists(show: Callable[..., Any], **data: Any) -> bool:
    try:
        show(_site_context(), data)
        return True
    except tk.ObjectNotFound:
        return False


def ensure_sysadmin(password_file: str) -> tuple[str, str | None]:
    """Create the demo sysadmin once; return its name and, when new, its password."""
    if _exists(tk.get_action("user_show"), id=ADMIN_NAME):
        return ADMIN_NAME, None
    password = secrets.token_urlsafe(12)
    tk.get_action("user_create")(_site_context(), {
        "name": ADMIN_NAME,
        "email": "admin@data.zaozhuang.gov.cn",
        "password": password,
        "fullname": "平台管理员",
    })
    tk.get_action("user_patch")(_site_context(), {"id": ADMIN_NAME, "sysadmin": True})
    with open(os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(password + "\n")
    return ADMIN_NAME, password


def _read_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _load_into_datastore(resource_id: str, rows: list[dict[str, str]]) -> None:
    tk.get_action("datastore_create")(_site_context(), {
        "resource_id": resource_id,
        "force": True,
        "fields": [{"id": name, "type": "text"} for name in rows[0]],
        "records": rows,
    })


def _create_dataset(spec: dict[str, Any]) -> None:
    resources = spec.pop("resources", [])
    tags = spec.pop("tags", [])
    files = {res["file"]: os.path.join(HERE, res["file"]) for res in resources}
    rows = {name: _read_csv(path) for name, path in files.items()}
    dataset = tk.get_action("package_create")(_site_context(), dict(
        spec, tags=[{"name": t} for t in tags],
        record_count=sum(len(r) for r in rows.values())))
    for res in resources:
        name = res.pop("file")
        with open(files[name], "rb") as f:
            upload = FileStorage(io.BytesIO(f.read()), filename=name)
        resource = tk.get_action("resource_create")(_site_context(), dict(
            res, package_id=dataset["id"], url="", upload=upload, format="CSV",
            resource_type="file", record_count=len(rows[name]),
            last_updated=spec.get("last_updated")))
        _load_into_datastore(resource["id"], rows[name])


def load() -> list[str]:
    """Publish the organizations and datasets that are missing; return the new dataset names."""
    with open(os.path.join(HERE, "catalog.yaml"), encoding="utf-8") as f:
        catalog = yaml.safe_load(f)
    for org in catalog["organizations"]:
        if not _exists(tk.get_action("organization_show"), id=org["name"]):
            tk.get_action("organization_create")(_site_context(), org)
    created = []
    for spec in catalog["datasets"]:
        if not _exists(tk.get_action("package_show"), id=spec["name"]):
            _create_dataset(spec)
            created.append(spec["name"])
    from ckanext.zaozhuang.agreements.demo import load_templates
    load_templates()
    return created
