"""The duplicate-collection check on real catalog entries: near-identical titles and data
items of two departments are flagged, the same department's or different data are not; the
authority resolves a pair once (the database keeps it unique)."""
import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.supervision import duplicates
from tests.factories import CatalogDataset, Department

ITEMS = [{"name_zh": "企业名称", "name_en": "name", "type": "string"},
         {"name_zh": "统一社会信用代码", "name_en": "credit_code", "type": "string"},
         {"name_zh": "许可证编号", "name_en": "licence_no", "type": "string"}]


@pytest.fixture
def catalog(with_plugins, clean_db, clean_index):
    for name in ("officer", "dept-admin"):
        factories.User(name=name)
    Department(name="zz-dsjj", users=[{"name": "officer", "capacity": "member"}])
    market = Department(name="market", users=[{"name": "dept-admin", "capacity": "admin"}])
    health = Department(name="health")
    return {
        "a": CatalogDataset(owner_org=market["id"], title="枣庄市食品经营许可证信息",
                            data_dictionary=ITEMS),
        "b": CatalogDataset(owner_org=health["id"], title="枣庄市食品经营许可证信息表",
                            data_dictionary=ITEMS),
        # The same department's second entry is its own business, not duplicate collection.
        "same_org": CatalogDataset(owner_org=market["id"], title="枣庄市食品经营许可证信息",
                                   data_dictionary=ITEMS),
        "other": CatalogDataset(owner_org=health["id"], title="枣庄市公交线路站点",
                                data_dictionary=[{"name_zh": "线路名称", "name_en": "route",
                                                  "type": "string"}]),
    }


def _as(user, action, **data):
    return call_action(action, {"user": user, "ignore_auth": False}, **data)


def _pairs(result):
    return {frozenset((p["dataset_a"]["id"], p["dataset_b"]["id"])) for p in result}


def test_similarity_is_bigram_jaccard():
    a, b = duplicates.bigrams("食品许可"), duplicates.bigrams("食品 许可!")
    assert a == b and duplicates.similarity(a, b) == 1.0
    assert duplicates.similarity(duplicates.bigrams("公交线路"), a) == 0.0
    assert duplicates.similarity(frozenset(), a) == 0.0


def test_alike_entries_of_different_departments_are_flagged(catalog):
    result = _as("officer", "zaozhuang_duplicate_list")
    ids = {k: v["id"] for k, v in catalog.items()}
    assert _pairs(result) == {frozenset((ids["a"], ids["b"])),
                              frozenset((ids["same_org"], ids["b"]))}
    assert all(0.8 <= p["similarity"] < 1 for p in result)
    assert all(p["dataset_a"]["organization_id"] != p["dataset_b"]["organization_id"]
               for p in result)


def test_the_threshold_is_a_setting(catalog, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.zaozhuang.supervision.duplicate_threshold", 100)
    assert _as("officer", "zaozhuang_duplicate_list") == []


def test_a_resolved_pair_leaves_the_list_once_and_for_all(catalog):
    a, b = catalog["a"], catalog["b"]
    resolved = _as("officer", "zaozhuang_duplicate_resolve", dataset_a=b["name"],
                   dataset_b=a["id"], resolution="not_duplicate", note="口径不同")
    assert sorted([resolved["dataset_a"], resolved["dataset_b"]]) == sorted([a["id"], b["id"]])
    remaining = _pairs(_as("officer", "zaozhuang_duplicate_list"))
    assert frozenset((a["id"], b["id"])) not in remaining
    shown = _as("officer", "zaozhuang_duplicate_list", include_resolved=True)
    assert [p["resolution"]["note"] for p in shown if p["resolution"]] == ["口径不同"]
    with pytest.raises(tk.ValidationError) as error:
        _as("officer", "zaozhuang_duplicate_resolve", dataset_a=a["id"], dataset_b=b["id"],
            resolution="merged")
    assert "dataset_b" in error.value.error_dict
    row = duplicates.DuplicateResolution(
        dataset_a=min(a["id"], b["id"]), dataset_b=max(a["id"], b["id"]),
        resolution="merged", resolved_by="x")
    model.Session.add(row)
    with pytest.raises(sa.exc.IntegrityError):
        model.Session.flush()
    model.Session.rollback()


@pytest.mark.parametrize("data, field", [
    ({"resolution": "maybe"}, "resolution"),
    ({"resolution": ["merged"]}, "resolution"),
    ({"dataset_b": None}, "dataset_b"),
    ({"dataset_b": "no-such-dataset"}, "dataset_b"),
    ({"note": "长" * 1001}, "note"),
    ({"note": {"a": 1}}, "note"),
])
def test_bad_resolutions(catalog, data, field):
    base = {"dataset_a": catalog["a"]["id"], "dataset_b": catalog["b"]["id"],
            "resolution": "merged"}
    base.update(data)
    base = {k: v for k, v in base.items() if v is not None}
    with pytest.raises(tk.ValidationError) as error:
        _as("officer", "zaozhuang_duplicate_resolve", **base)
    assert field in error.value.error_dict
    assert model.Session.query(duplicates.DuplicateResolution).count() == 0


def test_a_deleted_entry_is_no_candidate_and_cannot_be_resolved(catalog):
    call_action("package_delete", {"user": "dept-admin"}, id=catalog["a"]["id"])
    assert frozenset((catalog["a"]["id"], catalog["b"]["id"])) not in _pairs(
        _as("officer", "zaozhuang_duplicate_list"))
    with pytest.raises(tk.ValidationError):
        _as("officer", "zaozhuang_duplicate_resolve", dataset_a=catalog["a"]["id"],
            dataset_b=catalog["b"]["id"], resolution="merged")


@pytest.mark.parametrize("user", ["dept-admin", None])
def test_only_the_authority(catalog, user):
    with pytest.raises(tk.NotAuthorized):
        _as(user, "zaozhuang_duplicate_list")
    with pytest.raises(tk.NotAuthorized):
        _as(user, "zaozhuang_duplicate_resolve", dataset_a=catalog["a"]["id"],
            dataset_b=catalog["b"]["id"], resolution="merged")


def test_the_page_resolves_without_javascript(catalog, app):
    token = call_action("api_token_create", {"user": "officer"}, user="officer",
                        name="dup")["token"]
    headers = {"Authorization": token}
    page = app.get("/supervision/duplicates", headers=headers).get_data(as_text=True)
    assert "<h1" in page and "枣庄市食品经营许可证信息表" in page and 'for="resolution-1"' in page
    app.post("/supervision/duplicates/resolve", headers=headers, data={
        "dataset_a": catalog["a"]["id"], "dataset_b": catalog["b"]["id"],
        "resolution": "merged", "note": ""})
    assert model.Session.query(duplicates.DuplicateResolution).count() == 1
