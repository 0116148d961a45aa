"""Did-you-mean: a corrected query for a search that found nothing because of a typo
(空汽质量 → 空气质量, 滕洲 → 滕州, air qualty → air quality).

Solr's spellcheck component proposes corrections from the ``spell`` field of the configset
(Han bigrams and whole words of titles, descriptions, names, departments, places, labels,
tags and synonyms) over the whole index, which holds datasets the user may not see. So no
correction is shown as such: Solr collates them into whole queries and runs each collation
with the search's own filter queries (permission labels, state, the page's filters), every
word required in the ``spell`` field and each run of Han characters as a phrase; the first
collation that also finds more datasets than the words typed, by the ordinary search with
the same filters, is offered.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import flask
import pysolr

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, make_connection

from ckanext.zaozhuang.search import query

log = logging.getLogger(__name__)

RESULT_KEY = "zaozhuang_did_you_mean"
# Collations Solr may try against the user's filters before giving up (each is one query
# of no rows), and how many that find datasets it returns for the portal to compare.
COLLATION_TRIES = 20
COLLATIONS = 3


def _free_text(search_params: dict[str, Any]) -> Optional[str]:
    """The words of a free-text search as the portal rewrote them; None for field queries,
    identifiers and explicit query parsers, whose text is not words."""
    q = search_params.get("q")
    if not isinstance(q, str) or search_params.get("defType") != "edismax" \
            or q != query.normalize_query(q) or query.is_field_query(q):
        return None
    return q or None


def _filters(search_params: dict[str, Any]) -> list[str]:
    fq = search_params.get("fq")
    return [fq] if isinstance(fq, str) else list(fq or [])


def did_you_mean(search_params: dict[str, Any], count: int) -> Optional[str]:
    """A corrected query that finds more datasets with the same filters, when the search
    found fewer than ``ckanext.zaozhuang.search.did_you_mean_below``; otherwise None.
    ``search_params`` are the ones CKAN sent to Solr (its filters included)."""
    words = _free_text(search_params)
    if words is None or count >= tk.config.get("ckanext.zaozhuang.search.did_you_mean_below"):
        return None
    search = {"defType": "edismax", "qf": search_params.get("qf"),
              "mm": search_params.get("mm"), "fq": _filters(search_params), "rows": 0,
              "facet": "false", "wt": "json"}
    spellcheck = {
        "spellcheck": "true", "spellcheck.q": words, "spellcheck.count": 10,
        "spellcheck.collate": "true", "spellcheck.maxCollations": COLLATIONS,
        "spellcheck.maxCollationTries": COLLATION_TRIES,
        "spellcheck.collateExtendedResults": "true",
        # A collation counts only if each of its terms is in a dataset the user may see:
        # with fewer terms required, a word of a hidden dataset could ride along.
        "spellcheck.collateParam.qf": "spell", "spellcheck.collateParam.mm": "100%",
        "spellcheck.collateParam.q.op": "AND",
        # Split on spaces, so that each unspaced run of Han characters is one phrase.
        "spellcheck.collateParam.sow": "true",
    }
    try:
        connection = make_connection()
        answer = connection.search(words, **search, **spellcheck)
        for collation in _collations(answer.spellcheck, words):
            # Only a correction that finds more than the words typed helps: a correctly
            # typed query can hold a pair of characters found in no dataset (州公 of 滕州公交).
            if connection.search(collation, **search).hits > count:
                return collation
    except (pysolr.SolrError, SearchError) as error:
        # Did-you-mean is an extra: the search's own answer stands without it.
        log.warning("Spellcheck failed for %r: %s", words, error)
    return None


def _collations(spellcheck: dict[str, Any], words: str) -> list[str]:
    """The collations Solr found datasets for, best first."""
    # JSON named lists are flat: ["collation", {...}, "collation", {...}].
    collations = spellcheck.get("collations") or []
    return [value["collationQuery"]
            for name, value in zip(collations[0::2], collations[1::2])
            if name == "collation" and isinstance(value, dict)
            and isinstance(value.get("collationQuery"), str)
            and value.get("hits", 0) > 0 and value["collationQuery"] != words]


def offer(search_results: dict[str, Any], search_params: dict[str, Any]) -> None:
    """package_search's answer carries the correction under ``zaozhuang_did_you_mean`` when
    there is one. CKAN's search page passes on only the results and facets, so the request
    also keeps it, by the words searched, for the page to show (``suggestion_for``)."""
    suggestion = did_you_mean(search_params, search_results.get("count") or 0)
    if suggestion is None:
        return
    search_results[RESULT_KEY] = suggestion
    if flask.has_request_context():
        flask.g.setdefault(RESULT_KEY, {})[search_params["q"]] = suggestion


def suggestion_for(q: Any) -> Optional[str]:
    """The correction offered in this request for a search of these words, if any."""
    if not isinstance(q, str) or not flask.has_request_context():
        return None
    return flask.g.get(RESULT_KEY, {}).get(query.normalize_query(q))
