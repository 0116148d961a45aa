"""Search actions of the portal."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def suggest_schema() -> dict:
    v = tk.get_validator
    return {
        "q": [v("not_empty"), v("zaozhuang_text")],
        "limit": [v("default")(tk.config.get("ckanext.zaozhuang.search.suggest_limit")),
                  v("int_validator"),
                  v("limit_to_configured_maximum")("ckanext.zaozhuang.search.suggest_limit_max",
                                                   20)],
    }


@tk.side_effect_free
def zaozhuang_dataset_suggest(context, data_dict) -> list[dict[str, str]]:
    """Datasets to suggest as the user types: those the words typed so far find, best first.
    The search is package_search's, so it understands unfinished Chinese words (滕州公 finds
    滕州市公交线路站点信息) and offers a user only datasets they may see.

    :param q: what has been typed
    :param limit: how many suggestions (default ``ckanext.zaozhuang.search.suggest_limit``)
    :returns: ``[{"name": ..., "title": ...}, ...]``
    """
    tk.check_access("zaozhuang_dataset_suggest", context, data_dict)
    data, errors = tk.navl_validate(data_dict, suggest_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    found = tk.get_action("package_search")(
        {"user": context.get("user")}, {"q": data["q"], "rows": data["limit"]})
    return [{"name": d["name"], "title": d["title"]} for d in found["results"]]
