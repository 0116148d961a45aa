"""Evaluation reports: the scheduler makes the monthly report for real from the figures of
what the actions did, archives it once, mails the departments' admins; the authority reads
every row, a department's admin their own; the page prints and the spreadsheet downloads."""
import datetime
import io

import openpyxl
import pytest

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from ckan.tests.helpers import call_action

from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.schedule import scheduler
from ckanext.zaozhuang.supervision import reports
from tests.applications.mailbox import fresh_queues, mailbox, run_jobs  # noqa: F401
from tests.applications.world import world  # noqa: F401 (fixture)

TASK = "evaluation-reports"


@pytest.fixture
def forgotten(with_plugins):
    redis = connect_to_redis()
    keys = redis.keys(scheduler._key("*"))
    if keys:
        redis.delete(*keys)


def test_periods():
    assert reports.period_of("month", datetime.date(2026, 2, 10)) == (
        datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert reports.period_of("quarter", datetime.date(2026, 11, 30)) == (
        datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert reports.ended_periods(datetime.date(2026, 12, 1)) == [
        ("month", datetime.date(2026, 11, 1)), ("quarter", datetime.date(2026, 7, 1)),
        ("year", datetime.date(2025, 1, 1))]
    assert reports.ended_periods(datetime.date(2027, 1, 1)) == [
        ("month", datetime.date(2026, 12, 1)), ("quarter", datetime.date(2026, 10, 1)),
        ("year", datetime.date(2026, 1, 1))]


def test_the_scheduler_makes_the_monthly_report(world, forgotten, mailbox, app):  # noqa: F811
    world.in_state("active")
    run_jobs()
    mailbox.messages.clear()
    now = datetime.datetime.now(calendar.timezone())
    scheduler.set_last_run(TASK, now - datetime.timedelta(days=1))
    ran = scheduler.tick(app.flask_app, now)
    assert ran[TASK].startswith("evaluation reports made: ") and "none" not in ran[TASK]
    # Once only: asked again the same day, nothing more is made.
    assert world.act("authority", "evaluation_report_generate") == []

    month = reports.ended_periods(calendar.local_date(now))[0][1]
    listed = world.act("authority", "evaluation_report_list")
    monthly = [r for r in listed if r["period"] == "month"]
    assert [r["period_start"] for r in monthly] == [month.isoformat()]
    assert {r["period"] for r in listed} == {"month", "quarter", "year"}
    listed = monthly
    report = world.act("authority", "evaluation_report_show", id=listed[0]["id"])
    provider = next(r for r in report["departments"] if r["id"] == world.provider["id"])
    assert (provider["datasets"], provider["applications"], provider["grants_active"]) == (
        2, 1, 1)
    assert report["city"]["datasets"] == 2

    run_jobs()
    told = mailbox.to(world.users["provider_admin"]["email"])
    assert len(told) == 3 and all("/supervision/reports/" in mailbox.body(m) for m in told)
    assert not mailbox.to(world.users["applicant"]["email"])

    own = world.act("provider_admin", "evaluation_report_show", id=listed[0]["id"])
    assert [r["id"] for r in own["departments"]] == [world.provider["id"]]
    assert own["city"] is None
    for role in ("applicant", "provider_editor", "anonymous"):
        with pytest.raises(tk.NotAuthorized):
            world.act(role, "evaluation_report_show", id=listed[0]["id"])
    with pytest.raises(tk.NotAuthorized):
        world.act("provider_admin", "evaluation_report_generate")

    token = call_action("api_token_create", {"user": world.name("authority")},
                        user=world.name("authority"), name="r")["token"]
    headers = {"Authorization": token}
    page = app.get(f"/supervision/reports/{listed[0]['id']}", headers=headers)
    assert page.status_code == 200 and "<h1" in page.get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(app.get(
        f"/supervision/reports/{listed[0]['id']}.xlsx", headers=headers).get_data()))
    assert book.active.max_row == 1 + len(report["departments"]) + 1
    assert app.get("/supervision/reports/no-such", headers=headers).status_code == 404


def test_bad_dates_are_field_errors(world):  # noqa: F811
    for value in ("yesterday", ["2026-12-01"]):
        with pytest.raises(tk.ValidationError) as error:
            world.act("authority", "evaluation_report_generate", date=value)
        assert "date" in error.value.error_dict
