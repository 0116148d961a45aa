"""What the portal adds to each dataset's Solr document."""
from __future__ import annotations

import json
from typing import Any

from ckan import logic, model
from ckan.lib import search

from ckanext.zaozhuang.access import policy
from ckanext.zaozhuang.catalog import freshness
from ckanext.zaozhuang.participation.ratings import actions as ratings
from ckanext.zaozhuang.schema import vocabularies
from ckanext.zaozhuang.search import synonyms
from ckanext.zaozhuang.uploads import uploader
from ckanext.zaozhuang.usage import figures as usage

# Indexed fields that hold resource locations; CKAN makes them searchable.
LOCATION_FIELDS = ("res_url", "urls", "download_url", "ckan_url")
RESOURCE_DESCRIPTION_FIELDS = ("res_name", "res_description", "res_format", "res_type")
# Fields stored as JSON lists that Solr indexes as multi-valued fields (for facets).
LIST_FIELDS = ("theme", "spatial_coverage")
# Vocabulary fields whose labels (both languages) make a dataset findable by words: a place
# name finds the datasets covering it, an English word the datasets of its domain or theme.
LABELLED_FIELDS = {"spatial_coverage": "spatial", "domain": "domain", "theme": "theme"}


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def _labels(vocabulary: str, value: Any) -> list[str]:
    codes = value if isinstance(value, list) else [value] if value else []
    return [vocabularies.label(vocabulary, code, lang)
            for code in codes for lang in vocabularies.LANGUAGES]


def department_aliases(org_id: str | None) -> list[str]:
    org = model.Group.get(org_id) if org_id else None
    return _as_list(org.extras.get("alias")) if org is not None else []


def reindex_department(org: model.Group) -> None:
    """A department's title and aliases are indexed with each of its datasets."""
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org.id, model.Package.state != "deleted")]
    for package_id in ids:
        logic.index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
    if ids:
        search.commit()


def dataset_document(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    validated = json.loads(pkg_dict["validated_data_dict"])
    for field in LIST_FIELDS:
        if field in pkg_dict:
            pkg_dict[field] = _as_list(pkg_dict[field])
    # The department's title and aliases, so 生态环境局 and 市监局 find its datasets (CKAN
    # indexes only its name).
    # Views and downloads, for the sorts 最多浏览 and 最多下载.
    pkg_dict.update(usage.index_fields(pkg_dict["id"]))
    pkg_dict["organization_title"] = (validated.get("organization") or {}).get("title")
    pkg_dict["organization_alias"] = department_aliases(validated.get("owner_org"))
    labels = {field: _labels(vocabulary, validated.get(field))
              for field, vocabulary in LABELLED_FIELDS.items()}
    pkg_dict["spatial_labels"] = labels.pop("spatial_coverage")
    pkg_dict["vocabulary_labels"] = [label for each in labels.values() for label in each]
    # Data item names make a dataset findable by the columns it holds.
    items = validated.get("data_dictionary") or []
    pkg_dict.pop("data_dictionary", None)
    pkg_dict["data_items"] = [
        " ".join(filter(None, (i.get("name_zh"), i.get("name_en"), i.get("description"))))
        for i in items
    ]
    # text_words is also filled by the schema's copyFields from the fields above.
    pkg_dict["text_words"] = synonyms.other_words(
        [validated.get("title"), validated.get("notes"),
         *(t.get("name") for t in validated.get("tags") or [])])
    # Of resources whose data is not open to everyone only the description is searchable:
    # no location, no resource extra (res_extras_*).
    if not policy.is_open_to_everyone(validated):
        for field in [f for f in pkg_dict if f in LOCATION_FIELDS or f.startswith("res_")]:
            if field not in RESOURCE_DESCRIPTION_FIELDS:
                pkg_dict.pop(field, None)
    ratings.index_fields(pkg_dict, validated)
    due = freshness.due_date(validated)
    if due:
        pkg_dict["due_date"] = due.isoformat() + "T00:00:00Z"
    # The stored dict answers package_show and the search results as it is kept here.
    uploader.mark_names_shown(validated)
    pkg_dict["validated_data_dict"] = json.dumps(validated)
    return pkg_dict
