"""What an action fails on because of its input is answered as a field error (409), never a
500 — CKAN's API turns any exception other than its own into one.

- A database constraint: validators name a conflict for a single request; when two requests
  pass them at the same moment, the database decides and the loser is told which field
  conflicts, after the void transaction is rolled back.
- A parameter a core action reads without checking (a missing key, an empty string or a list
  where it parses a number or calls a string method): the input boundary
  (schema/boundary.py) refuses the common cases by name; what slips past it is answered
  here, naming the parameter that cannot be what the action expected, and logged in one line
  so that the boundary can learn it.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError

log = logging.getLogger(__name__)
_ = tk._

# Constraint → the field a user would change to resolve it.
CONSTRAINT_FIELDS = {
    "zaozhuang_package_catalog_code": "catalog_code",
    "zaozhuang_package_identifier": "identifier",
    "zaozhuang_group_provider_code": "provider_code",
    "zaozhuang_incident_open_dataset": "dataset_id",
    "zaozhuang_incident_open_user": "user_id",
    "zaozhuang_access_freeze_dataset": "dataset_id",
    "zaozhuang_access_freeze_user": "user_id",
    "zaozhuang_duplicate_resolution_pair": "dataset_b",
    "package_name_key": "name",
    "group_name_key": "name",
    "user_name_key": "name",
}
# What core actions raise on parameters of the wrong kind (AssertionError: core asserts that
# an object it looked up by a parameter exists; the database errors: a parameter compared
# with a column of another type).
MALFORMED = (KeyError, ValueError, TypeError, AttributeError, AssertionError, DataError,
             ProgrammingError)


def _constraint(error: IntegrityError) -> Optional[str]:
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def conflict_errors(error: IntegrityError) -> dict[str, list[str]]:
    field = CONSTRAINT_FIELDS.get(_constraint(error) or "")
    if field is None:
        return {"__conflict": [_("Conflicts with a record saved at the same time; try again")]}
    return {field: [_("Already used by another record saved at the same time")]}


def _suspect(data_dict: Any) -> Optional[str]:
    """The parameter most likely at fault: one given empty, null or as a list or object, or
    else a missing `id`, which most actions need."""
    if not isinstance(data_dict, dict):
        return None
    for key, value in data_dict.items():
        if value is None or value == "" or isinstance(value, (list, dict, bool, float)):
            return str(key)
    return None if "id" in data_dict else "id"


def malformed_errors(error: Exception, data_dict: Any) -> dict[str, list[str]]:
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        return {error.args[0]: [_("Missing value")]}
    field = _suspect(data_dict)
    if field is None:
        return {"__input": [_("The parameters of this request cannot be processed")]}
    return {field: [_("Is not a value this function accepts")]}


def field_error(errors: dict[str, list[str]]) -> tk.ValidationError:
    """A ValidationError of these field messages. CKAN's reads an error of `tags` as its tag
    validation gives it, a list of {'name': [...]}: a plain message there would make building
    the error itself fail."""
    return tk.ValidationError({field: [{"name": messages}] if field == "tags" else messages
                               for field, messages in errors.items()})


def guarded(action: Callable[..., Any]) -> Callable[..., Any]:
    """The action (or chained action), answering input it fails on as a field error."""
    @functools.wraps(action)
    def wrapper(*args: Any) -> Any:
        try:
            return action(*args)
        except IntegrityError as error:
            model.Session.rollback()
            raise field_error(conflict_errors(error)) from error
        except MALFORMED as error:
            model.Session.rollback()
            # One line, no traceback: a client's bad input is not the portal's failure.
            log.warning("%s failed on its input: %r", action.__name__, error)
            raise field_error(malformed_errors(error, args[-1])) from error
        except tk.ValidationError as error:
            # Some core checks give a message without a field: name the likely one.
            if set(error.error_dict) - {"message"}:
                raise
            field = _suspect(args[-1]) or "__input"
            raise field_error({field: [
                error.error_dict.get("message") or _("Missing value")]}) from error

    return wrapper


def _pass_through(read_only: bool) -> Callable[..., Any]:
    @tk.chained_action
    def action(next_action, context, data_dict):
        return next_action(context, data_dict)

    if read_only:
        # CKAN takes a chained action's attributes from the chaining function, not from
        # the action it chains: a core read stays callable with GET only if marked here.
        action = tk.side_effect_free(action)
    return action


def _core_actions() -> dict[str, bool]:
    """Core action names → whether they only read (CKAN's rule: those of logic/action/get and
    those marked so)."""
    from ckan.logic.action import create, delete, file, get, patch, update
    return {name: module is get or getattr(getattr(module, name), "side_effect_free", False)
            for module in (create, delete, file, get, patch, update) for name in dir(module)
            if not name.startswith("_") and callable(getattr(module, name))
            and getattr(getattr(module, name), "__module__", "") == module.__name__}


def _plugin_actions() -> dict[str, bool]:
    """The actions other plugins define (DataStore, activity, xloader, DCAT…) → whether they
    only read. Their own chains of core actions are covered by the core list."""
    from ckan.plugins import IActions, PluginImplementations
    found: dict[str, bool] = {}
    for plugin in PluginImplementations(IActions):
        if plugin.name == "zaozhuang":
            continue
        for name, fn in plugin.get_actions().items():
            if not getattr(fn, "chained_action", False):
                found[name] = bool(getattr(fn, "side_effect_free", False))
    return found


def guard_all(actions: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """`actions` (the extension's own and the core ones it chains) and every other action,
    core or of another plugin, guarded: the extension's as they are, the rest through a
    pass-through."""
    guarded_actions = {name: guarded(fn) for name, fn in actions.items()}
    for name, read_only in {**_core_actions(), **_plugin_actions()}.items():
        if name not in actions:
            guarded_actions[name] = guarded(_pass_through(read_only))
    return guarded_actions
