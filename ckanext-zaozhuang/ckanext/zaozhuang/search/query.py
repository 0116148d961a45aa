"""Search parameters for what citizens type.

Free text is words, never query syntax: it is normalised (full width to ASCII, punctuation and
operators to spaces) and searched with edismax over the ``text_zh_words`` fields of the
configset, whose SmartCN segmenter splits an unspaced query into words (滕州公交 → 滕州, 公交)
and whose index also holds each word's bigrams (滕州 finds 滕州市). Minimum-should-match
counts the words, so a question (枣庄市有哪些养老机构) or a near form (二级医院) still finds
its datasets. Only a query made entirely of clauses on the fields listed in
``ckanext.zaozhuang.search.field_queries`` keeps CKAN's field query handling.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema import identifiers

OPERATORS = frozenset(("AND", "OR", "NOT"))
FIELD_CLAUSE = re.compile(r"^[+-]?(?P<field>\w+):\S+$")
# A full stop between digits is a decimal point (PM2.5); every other non-word character
# separates words.
SEPARATORS = re.compile(r"(?<!\d)\.|\.(?!\d)|[^\w.]+")


def is_field_query(q: str) -> bool:
    """tags:交通出行, name:bus-routes OR name:air-quality, *:* — but not 公交:线路."""
    allowed = set(tk.config.get("ckanext.zaozhuang.search.field_queries").split())
    clauses = [c for c in q.split() if c not in OPERATORS]
    return bool(clauses) and all(
        c == "*:*" or ((m := FIELD_CLAUSE.match(c)) is not None and m["field"] in allowed)
        for c in clauses)


def normalize_query(q: str) -> str:
    """The words of a query, lower-cased and separated by single spaces: ＰＭ２．５ is pm2.5,
    空气质量(小时) is 空气质量 小时, 公交 -滕州 is 公交 滕州 (and, or and not are words too)."""
    return " ".join(SEPARATORS.sub(" ", unicodedata.normalize("NFKC", q).lower()).split())


def with_chinese_fields(search_params: dict[str, Any]) -> dict[str, Any]:
    q = search_params.get("q")
    # Explicit query parsers and allowed field queries keep CKAN's own handling.
    if not q or search_params.get("defType") not in (None, "dismax", "edismax") \
            or is_field_query(q):
        return search_params
    code = unicodedata.normalize("NFKC", q).strip().upper()
    if identifiers.PATTERN.match(code):
        # A resource identifier typed in the search box finds its dataset, not every
        # dataset whose words share its digits.
        search_params["q"] = f'{identifiers.FIELD}:"{code}"'
        return search_params
    search_params["q"] = normalize_query(q)
    search_params["defType"] = "edismax"
    search_params.setdefault("qf", tk.config.get("ckanext.zaozhuang.search.qf"))
    search_params.setdefault("mm", tk.config.get("ckanext.zaozhuang.search.mm"))
    return search_params
