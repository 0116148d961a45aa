"""ckanext-dcat's actions, chained so that what a caller names (a format, profiles) is checked
and a mistake is a field error, never a 500."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckanext.dcat.exceptions import RDFProfileException

_ = tk._

# Our profile is DCAT-AP 3 with our fields; asked for a DCAT-AP profile, a caller gets it,
# since those profiles alone misread our fields.
OURS = "zaozhuang"
SERVED_AS_OURS = frozenset(("euro_dcat_ap", "euro_dcat_ap_2", "euro_dcat_ap_3", OURS))


def _profiles(requested: Any) -> Any:
    if not requested:
        return requested
    if isinstance(requested, str):
        requested = requested.split(",")
    if not isinstance(requested, list) or not all(isinstance(p, str) for p in requested):
        raise tk.ValidationError({"profiles": [_("Give profile names separated by commas")]})
    profiles = []
    for name in (OURS if name.strip() in SERVED_AS_OURS else name.strip() for name in requested):
        if name not in profiles:
            profiles.append(name)
    return profiles


def _checked(next_action, context, data_dict):
    from rdflib.plugin import PluginException
    data_dict = dict(data_dict, profiles=_profiles(data_dict.get("profiles")))
    try:
        return next_action(context, data_dict)
    except PluginException:
        raise tk.ValidationError({"format": [_("Unknown format: use xml, ttl, n3, nt or jsonld")]})
    except RDFProfileException as error:
        raise tk.ValidationError({"profiles": [str(error)]})


def _named(name: str) -> Callable[..., Any]:
    def action(next_action, context, data_dict):
        return _checked(next_action, context, data_dict)
    action.__name__ = name
    return tk.side_effect_free(tk.chained_action(action))


def chained_actions() -> dict[str, Callable[..., Any]]:
    return {name: _named(name) for name in (
        "dcat_catalog_show", "dcat_catalog_search", "dcat_dataset_show")}
