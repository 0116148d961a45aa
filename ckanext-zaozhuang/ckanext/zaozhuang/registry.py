"""Collects the extension's actions and auth functions from each domain package.

Every public function named `zaozhuang_*` in a domain's `actions` or `auth` module is
registered under that name, so adding a capability never touches the plugin class. The
access and catalog packages add the core actions and auth functions they chain, and
datastore_load those of ckanext-xloader."""
from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any, Callable

from ckanext.zaozhuang.access import actions as access_actions, auth as access_auth
from ckanext.zaozhuang.agreements import actions as agreement_actions, auth as agreement_auth
from ckanext.zaozhuang.applications import actions as application_actions
from ckanext.zaozhuang.applications import auth as application_auth
from ckanext.zaozhuang.audit import actions as audit_actions, auth as audit_auth
from ckanext.zaozhuang.catalog import actions as catalog_actions, auth as catalog_auth
from ckanext.zaozhuang.catalog import changes as catalog_changes
from ckanext.zaozhuang.datastore_load import actions as load_actions, auth as load_auth
from ckanext.zaozhuang.dcat import actions as dcat_actions
from ckanext.zaozhuang.front import actions as front_actions, auth as front_auth
from ckanext.zaozhuang.participation.corrections import actions as correction_actions
from ckanext.zaozhuang.participation.corrections import auth as correction_auth
from ckanext.zaozhuang.participation.demand import actions as demand_actions
from ckanext.zaozhuang.participation.demand import auth as demand_auth
from ckanext.zaozhuang.participation.ratings import actions as rating_actions
from ckanext.zaozhuang.participation.ratings import auth as rating_auth
from ckanext.zaozhuang.participation.showcases import actions as showcase_actions
from ckanext.zaozhuang.participation.showcases import auth as showcase_auth
from ckanext.zaozhuang.quality import actions as quality_actions, auth as quality_auth
from ckanext.zaozhuang.schema import guard
from ckanext.zaozhuang.search import actions as search_actions, auth as search_auth
from ckanext.zaozhuang.standards import actions as standards_actions
from ckanext.zaozhuang.standards import auth as standards_auth
from ckanext.zaozhuang.supervision import actions as supervision_actions
from ckanext.zaozhuang.supervision import auth as supervision_auth
from ckanext.zaozhuang.supervision.incidents import actions as incident_actions
from ckanext.zaozhuang.supervision.incidents import auth as incident_auth
from ckanext.zaozhuang.usage import actions as usage_actions, auth as usage_auth

ACTION_MODULES = (catalog_actions, audit_actions, application_actions, agreement_actions,
                  search_actions, front_actions, load_actions, standards_actions,
                  supervision_actions, incident_actions, usage_actions, quality_actions,
                  demand_actions, correction_actions, rating_actions, showcase_actions)
AUTH_MODULES = (catalog_auth, audit_auth, application_auth, agreement_auth, search_auth,
                front_auth, load_auth, standards_auth, supervision_auth, incident_auth,
                usage_auth, quality_auth, demand_auth, correction_auth, rating_auth,
                showcase_auth)


def _collect(modules: tuple[ModuleType, ...]) -> dict[str, Callable[..., Any]]:
    found = {}
    for module in modules:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("zaozhuang_") and fn.__module__ == module.__name__:
                found[name] = fn
    return found


def actions() -> dict[str, Callable[..., Any]]:
    # Core actions chained by the access policy and the catalog keep their core names.
    return guard.guard_all(dict(
        _collect(ACTION_MODULES), **access_actions.chained_actions(),
        **catalog_changes.chained_actions(), **agreement_actions.chained_actions(),
        **load_actions.chained_actions(), **dcat_actions.chained_actions()))


def auth_functions() -> dict[str, Callable[..., Any]]:
    return dict(_collect(AUTH_MODULES), **access_auth.chained_auth_functions(),
                **load_auth.auth_functions())
