"""The average and count in the real Solr index: search sorts by them, and the result list
shows them."""
from ckan.tests.helpers import call_action

from tests.conftest import sql_statements
from tests.factories import CatalogDataset


def test_search_sorts_by_rating(world):
    provider = world.provider["id"]
    middling = CatalogDataset(owner_org=provider, title="公交线路")
    best = CatalogDataset(owner_org=provider, title="公交站点")
    unrated = CatalogDataset(owner_org=provider, title="公交票价")
    for role, stars in (("citizen", 3), ("submitter", 4)):
        world.act(role, "rating_set", dataset_id=middling["id"], stars=stars)
    world.act("citizen", "rating_set", dataset_id=best["id"], stars=5)

    found = call_action("package_search", {"user": None}, q="公交",
                        sort="rating_average desc, rating_count desc")
    assert [d["name"] for d in found["results"]] == [
        best["name"], middling["name"], unrated["name"]]
    assert [(d["rating_average"], d["rating_count"]) for d in found["results"]] == [
        (5.0, 1), (3.5, 2), (None, 0)]

    # Rating again re-indexes the dataset at once.
    world.act("submitter", "rating_set", dataset_id=middling["id"], stars=5)
    world.act("citizen", "rating_set", dataset_id=middling["id"], stars=5)
    found = call_action("package_search", {"user": None}, q="公交",
                        sort="rating_average desc, rating_count desc")
    assert [d["name"] for d in found["results"]][:2] == [middling["name"], best["name"]]
    assert (found["results"][0]["rating_average"], found["results"][0]["rating_count"]) == (
        5.0, 2)


def test_the_results_carry_the_rating_from_the_index_and_show_does_not(world):
    """The search results show the average and count kept in the index (no query of the
    ratings); package_show, answered from the same stored dict, leaves them out."""
    dataset = CatalogDataset(owner_org=world.provider["id"], title="公交线路")
    world.act("citizen", "rating_set", dataset_id=dataset["id"], stars=4)
    with sql_statements() as statements:
        found = call_action("package_search", {"user": None}, q="id:" + dataset["id"])
    assert (found["results"][0]["rating_average"], found["results"][0]["rating_count"]) == (
        4.0, 1)
    assert not [s for s, _ in statements if "zaozhuang_rating" in s]
    shown = call_action("package_show", {"user": None}, id=dataset["id"])
    assert "rating_average" not in shown and "rating_count" not in shown


def test_the_search_page_offers_highest_rated(app, world):
    page = app.get("/dataset/", query_string={"sort": "rating_average desc, rating_count desc, "
                                                       "metadata_modified desc"},
                   headers={"Accept-Language": "en"})
    assert 'value="rating_average desc, rating_count desc, metadata_modified desc" selected' in page.body
