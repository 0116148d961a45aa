"""ckanext-dcat's actions, chained so that what a caller names (a format, profiles) is checked
and a mistake is a field error, never a 500."""
from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import quote, urlencode

import ckan.plugins.toolkit as tk
from ckanext.dcat.exceptions import RDFProfileException
from flask import current_app, has_request_context, request

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


# The query parameters ckanext-dcat copies into a catalog's page links as they were typed;
# rdflib refuses to write a link holding any of these characters (a space among them).
PAGE_LINK_PARAMETERS = frozenset(("modified_since", "profiles", "q", "fq"))
NOT_IN_A_LINK = re.compile(r'[<>" {}|\\^`]')


def _with_linkable_query(call: Callable[[], Any]) -> Any:
    """The call, made where the query's values that go into the page links are percent-encoded,
    as a link carries them: a search for two words would otherwise fail to serialise. The
    search itself reads data_dict, which keeps them as typed."""
    if not has_request_context() or not any(
            NOT_IN_A_LINK.search(value) for key in PAGE_LINK_PARAMETERS
            for value in request.args.getlist(key)):
        return call()
    query = urlencode([(key, quote(value, safe="") if key in PAGE_LINK_PARAMETERS else value)
                       for key, value in request.args.items(multi=True)])
    with current_app.test_request_context(request.path, query_string=query):
        return call()


def _checked(next_action, context, data_dict):
    from rdflib.plugin import PluginException
    data_dict = dict(data_dict, profiles=_profiles(data_dict.get("profiles")))
    try:
        return _with_linkable_query(lambda: next_action(context, data_dict))
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
