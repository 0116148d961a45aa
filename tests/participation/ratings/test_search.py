"""The average and count in the real Solr index: search sorts by them, and the result list
shows them."""
from ckan.tests.helpers import call_action

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


def test_the_search_page_offers_highest_rated(app, world):
    page = app.get("/dataset/", query_string={"sort": "rating_average desc, rating_count desc, "
                                                       "metadata_modified desc"},
                   headers={"Accept-Language": "en"})
    assert 'value="rating_average desc, rating_count desc, metadata_modified desc" selected' in page.body
