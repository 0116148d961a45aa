"""The portal's controlled vocabularies through the API."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.standards import properties, skos

_ = tk._


@tk.side_effect_free
def zaozhuang_vocabulary_list(context, data_dict) -> list[dict[str, Any]]:
    """The codes of the portal's vocabularies (domains, themes, industries, divisions,
    update frequencies, opening categories, ...) with their labels in Chinese and English.

    :param name: one vocabulary's name (optional; every vocabulary when absent)
    :returns: a list of ``{"name", "title": {"zh_Hans_CN", "en"}, "uri", "terms": [{"code",
        "label": {"zh_Hans_CN", "en"}, "uri", "matches": [{"match", "uri"}]}]}``; ``uri`` is
        the SKOS concept scheme or concept, ``matches`` the EU authority terms it maps to
        (``exactMatch`` or ``closeMatch``).
    """
    tk.check_access("zaozhuang_vocabulary_list", context, data_dict)
    names = list(vocabularies.schemes())
    name = data_dict.get("name")
    if name is not None:
        if name not in names:
            raise tk.ValidationError({"name": [
                _("Unknown vocabulary: use one of {names}").format(names=", ".join(names))]})
        names = [name]
    return [_vocabulary(name) for name in names]


def _vocabulary(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": dict(vocabularies.schemes()[name]),
        "uri": str(skos.scheme_uri(name)),
        "terms": [{
            "code": term["code"],
            "label": {lang: term[lang] for lang in vocabularies.LANGUAGES},
            "uri": str(skos.term_uri(name, term["code"])),
            "matches": [{"match": match, "uri": str(uri)}
                        for match, uri in skos.matches(name, term["code"])],
        } for term in vocabularies.terms(name)],
    }


@tk.side_effect_free
def zaozhuang_property_list(context, data_dict) -> list[dict[str, Any]]:
    """The portal's own RDF properties (``<site>/ns/catalog#<name>``): the schema's fields
    that DCAT-AP has no property for, as the catalog's RDF uses them.

    :returns: a list of ``{"name", "uri", "label": {"zh_Hans_CN", "en"}, "subjects": [dataset,
        resource or item (a data item)], "values": the vocabulary of its values, "text" or
        "integer", "scheme": the vocabulary's SKOS concept scheme or null}``
    """
    tk.check_access("zaozhuang_property_list", context, data_dict)
    return properties.properties()
