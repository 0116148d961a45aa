"""Dynamic maintenance (动态维护): the overdue flag and the publishers' overdue list."""
import datetime

import pytest

from ckan.logic import NotAuthorized
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.catalog import freshness
from tests.factories import CatalogDataset, Department

TODAY = datetime.date.today()


def _days_ago(days):
    return (TODAY - datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("frequency,last_updated,overdue", [
    ("daily", _days_ago(3), True),
    ("daily", _days_ago(0), False),
    ("monthly", _days_ago(40), True),
    ("monthly", _days_ago(20), False),
    ("annual", _days_ago(400), True),
    ("annual", _days_ago(300), False),
    ("irregular", _days_ago(3000), False),
    ("never", _days_ago(3000), False),
])
def test_is_overdue(frequency, last_updated, overdue):
    dataset = {"update_frequency": frequency, "last_updated": last_updated}
    assert freshness.is_overdue(dataset) is overdue


def test_falls_back_to_first_published():
    assert freshness.due_date({"update_frequency": "weekly", "first_published": "2026-01-01"}) \
        == datetime.date(2026, 1, 8)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestOverdueList:
    def _world(self):
        publisher, other, officer = factories.User(), factories.User(), factories.User()
        mine = Department(users=[{"name": publisher["name"], "capacity": "editor"}])
        theirs = Department(users=[{"name": other["name"], "capacity": "editor"}])
        Department(name="zz-dsjj", users=[{"name": officer["name"], "capacity": "member"}])
        late = CatalogDataset(owner_org=mine["id"], update_frequency="monthly",
                              last_updated=_days_ago(60))
        fresh = CatalogDataset(owner_org=mine["id"], update_frequency="monthly",
                               last_updated=_days_ago(5))
        theirs_late = CatalogDataset(owner_org=theirs["id"], update_frequency="daily",
                                     last_updated=_days_ago(10))
        return publisher, other, officer, late, fresh, theirs_late

    def test_flag_in_the_api(self):
        _, _, _, late, fresh, _ = self._world()
        shown = call_action("package_show", id=late["id"])
        assert shown["overdue"] is True
        assert shown["update_due"] == (TODAY - datetime.timedelta(days=60 - 31)).isoformat()
        assert call_action("package_show", id=fresh["id"])["overdue"] is False
        found = call_action("package_search", fq=f'id:"{late["id"]}"')["results"][0]
        assert found["overdue"] is True

    def test_publisher_sees_their_own(self):
        publisher, other, officer, late, fresh, theirs_late = self._world()
        names = lambda user: {d["id"] for d in call_action(  # noqa: E731
            "zaozhuang_overdue_list", {"user": user["name"], "ignore_auth": False})["results"]}
        assert names(publisher) == {late["id"]}
        assert names(other) == {theirs_late["id"]}
        assert names(officer) == {late["id"], theirs_late["id"]}

    def test_others_refused(self):
        self._world()
        for user in ("", factories.User()["name"]):
            with pytest.raises(NotAuthorized):
                call_action("zaozhuang_overdue_list", {"user": user, "ignore_auth": False})

    def test_page(self, app):
        publisher, *_ = self._world()
        token = call_action("api_token_create", {"user": publisher["name"]},
                            user=publisher["name"], name="t")["token"]
        page = app.get("/dashboard/overdue", headers={"Authorization": token})
        assert page.status_code == 200
        assert "逾期未更新的数据集" in page.get_data(as_text=True)
        assert app.get("/dashboard/overdue").status_code == 403
