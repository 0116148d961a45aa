"""Search parameters that make Chinese words findable.

The configset's ``text_zh`` fields index Han text as bigrams and match a query word as a
phrase of its bigrams (see config/solr/ckan/conf/schema.xml). CKAN's stock query fields do
not include them, so free-text queries get the portal's query fields. CKAN's dismax parser
honours the phrase generation; for edismax the configset defaults to ``sow=true``, without
which edismax would match a word's bigrams scattered over a document.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Han characters next to anything else (digits, Latin) with no space between.
_HAN_BOUNDARY = re.compile(rf"(?<=[{_HAN}])(?=[^{_HAN}\s])|(?<=[^{_HAN}\s])(?=[{_HAN}])")


def normalize_query(q: str) -> str:
    """Separate words the way the bigram analysis needs: Chinese punctuation (、,。) becomes a
    space, and a Han run is split from adjacent digits or Latin letters, so 公交、线路 and
    公交线路2023 query their words rather than nothing."""
    q = "".join(" " if not c.isascii() and unicodedata.category(c).startswith("P") else c
                for c in q)
    return _HAN_BOUNDARY.sub(" ", q).strip()


def with_chinese_fields(search_params: dict[str, Any]) -> dict[str, Any]:
    q = search_params.get("q")
    # Field queries ("name:foo") and explicit query parsers keep CKAN's own handling.
    if not q or ":" in q or search_params.get("defType") not in (None, "dismax"):
        return search_params
    search_params["q"] = normalize_query(q) or q
    search_params.setdefault("qf", tk.config.get("ckanext.zaozhuang.search.qf"))
    return search_params
