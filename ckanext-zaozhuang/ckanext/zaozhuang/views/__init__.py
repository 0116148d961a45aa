"""The extension's blueprints, one module per domain."""
from __future__ import annotations

from flask import Blueprint

from ckanext.zaozhuang.views import (access, applications, catalog, front, participation,
                                     quality, showcases, standards, supervision, usage)


def blueprints() -> list[Blueprint]:
    return [front.blueprint, catalog.blueprint, applications.blueprint,
            supervision.blueprint, access.blueprint, standards.blueprint, usage.blueprint,
            quality.blueprint, participation.blueprint, showcases.blueprint]
