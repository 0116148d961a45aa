"""What the database refuses, answered as a field error. Validators name a conflict for a
single request; when two requests pass them at the same moment, the database's constraints
decide, and the loser gets a ValidationError naming the field (409), never a 500 — CKAN's API
turns any other exception of an action into one."""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.exc import IntegrityError

_ = tk._

# Constraint → the field a user would change to resolve it.
CONSTRAINT_FIELDS = {
    "zaozhuang_package_catalog_code": "catalog_code",
    "zaozhuang_group_provider_code": "provider_code",
    "package_name_key": "name",
    "group_name_key": "name",
    "user_name_key": "name",
}


def _constraint(error: IntegrityError) -> Optional[str]:
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def field_errors(error: IntegrityError) -> dict[str, list[str]]:
    field = CONSTRAINT_FIELDS.get(_constraint(error) or "")
    if field is None:
        return {"__conflict": [_("Conflicts with a record saved at the same time; try again")]}
    return {field: [_("Already used by another record saved at the same time")]}


def guarded(action: Callable[..., Any]) -> Callable[..., Any]:
    """The action (or chained action), with a database conflict answered as a field error
    after the void transaction is rolled back."""
    @functools.wraps(action)
    def wrapper(*args: Any) -> Any:
        try:
            return action(*args)
        except IntegrityError as error:
            model.Session.rollback()
            raise tk.ValidationError(field_errors(error)) from error

    return wrapper


def _pass_through() -> Callable[..., Any]:
    @tk.chained_action
    def action(next_action, context, data_dict):
        return next_action(context, data_dict)

    return action


def _core_write_actions() -> set[str]:
    from ckan.logic.action import create, delete, patch, update
    return {name for module in (create, delete, patch, update) for name in dir(module)
            if not name.startswith("_") and callable(getattr(module, name))
            and getattr(getattr(module, name), "__module__", "") == module.__name__}


def guard_all(actions: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """`actions` (the extension's own and the core ones it chains) with every write action
    guarded: the extension's own as they are, other core ones through a pass-through."""
    guarded_actions = {name: guarded(fn) for name, fn in actions.items()}
    for name in _core_write_actions() - set(actions):
        guarded_actions[name] = guarded(_pass_through())
    return guarded_actions
