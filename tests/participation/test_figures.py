"""What the public asked of a department and made with its data, in the authority's
supervision figures and on the home page, after the real actions."""
import uuid

from tests.participation.corrections.helpers import report
from tests.participation.demand.helpers import answered, file, routed


def _showcase(world, title, approve):
    showcase = world.act("citizen", "showcase_create", title=title, kind="app",
                         description="用公交线路数据做的出行小程序",
                         link=f"https://example.com/{uuid.uuid4().hex}",
                         dataset_ids=[world.dataset["id"]])
    if approve:
        world.act("authority", "showcase_review", id=showcase["id"], decision="approve")
    return showcase


def test_supervision_counts_requests_reports_showcases_and_ratings(web):
    world = web
    answered(world)
    routed(world, title="公交实时到站数据")
    file(world, title="出租车运营数据")  # not routed yet: no department's
    filed = report(world)
    world.act("dept_editor", "correction_answer", id=filed["id"], answer="fixed")
    report(world, role="citizen", kind="outdated", description="数据已一年未更新")
    _showcase(world, "公交出行小程序", approve=True)
    _showcase(world, "公交线路可视化", approve=False)
    world.act("citizen", "rating_set", dataset_id=world.dataset["id"], stars=5)
    world.act("requester", "rating_set", dataset_id=world.dataset["id"], stars=2)

    result = world.act("authority", "supervision_figures")
    row = next(r for r in result["departments"] if r["id"] == world.department["id"])
    assert {k: row[k] for k in (
        "requests_received", "requests_answered_in_time", "requests_overdue",
        "corrections_received", "corrections_answered_in_time", "corrections_overdue",
        "showcases", "rating_count", "rating_average")} == {
        "requests_received": 2, "requests_answered_in_time": 1, "requests_overdue": 0,
        "corrections_received": 2, "corrections_answered_in_time": 1,
        "corrections_overdue": 0, "showcases": 1, "rating_count": 2, "rating_average": 3.5}
    other = next(r for r in result["departments"] if r["id"] == world.other_department["id"])
    assert (other["requests_received"], other["showcases"], other["rating_average"]) == (
        0, 0, None)
    assert result["city"]["rating_average"] == 3.5
    page = world.get("authority", "/supervision").get_data(as_text=True)
    assert "公众参与" in page and "按期答复" in page


def test_the_home_page_shows_the_latest_requests_and_published_showcases(web):
    file(web, title="出租车运营数据")
    hidden = file(web, title="无关广告内容")
    web.act("sysadmin", "request_hide", id=hidden["id"], reason="垃圾信息")
    _showcase(web, "公交出行小程序", approve=True)
    _showcase(web, "尚未审核的成果", approve=False)
    page = web.get("anonymous", "/").get_data(as_text=True)
    assert "最新数据需求" in page and "出租车运营数据" in page
    assert "无关广告内容" not in page
    assert "公交出行小程序" in page and "尚未审核的成果" not in page
    for tab in ("数据需求", "应用成果"):
        assert tab in page
