"""One user rating one dataset from many requests at once, over real HTTP: one row, no
error (the unique index and the insert-or-update statement, not a read-then-write)."""
import threading

import requests

from ckan import model
from ckan.tests import factories

from ckanext.zaozhuang.participation.ratings.model import Rating


def test_parallel_ratings_of_one_user_make_one_row(world, live_server):
    token = factories.APIToken(user=world.users["citizen"]["name"])["token"]
    dataset_id = world.open_dataset["id"]
    start = threading.Barrier(8)
    statuses = []

    def rate(stars):
        start.wait()
        response = requests.post(f"{live_server}/api/3/action/zaozhuang_rating_set",
                                 json={"dataset_id": dataset_id, "stars": stars,
                                       "comment": f"{stars} 星"},
                                 headers={"Authorization": token}, timeout=60)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=rate, args=(1 + i % 5,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)

    assert statuses == [200] * 8
    model.Session.remove()
    rows = model.Session.query(Rating).filter(Rating.dataset_id == dataset_id).all()
    assert len(rows) == 1
    assert rows[0].comment == f"{rows[0].stars} 星"
