"""The extension's blueprints, one module per domain."""
from __future__ import annotations

from flask import Blueprint

from ckanext.zaozhuang.views import (
    access, applications, audit, catalog, data_api, duplicates, front, incidents, participation,
    quality, reports, showcases, standards, supervision, usage)


def blueprints() -> list[Blueprint]:
    return [front.blueprint, catalog.blueprint, applications.blueprint,
            supervision.blueprint, incidents.blueprint, audit.blueprint,
            duplicates.blueprint, reports.blueprint, access.blueprint, standards.blueprint,
            usage.blueprint, quality.blueprint, participation.blueprint, showcases.blueprint,
            data_api.blueprint]
