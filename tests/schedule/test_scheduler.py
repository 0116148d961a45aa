"""The scheduler of periodic tasks, on the real Redis, sending through the real job worker to a
real local SMTP server; the long-running process is started as `make run` starts it."""
import datetime
import os
import subprocess
import sys
import time

import pytest

from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis

from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.schedule import scheduler
from ckanext.zaozhuang.schedule.tasks import TASKS
from tests.applications.mailbox import fresh_queues, mailbox, run_jobs  # noqa: F401
from tests.applications.world import today, world  # noqa: F401 (fixtures)

TASK = "send-reminders"


@pytest.fixture(autouse=True)
def forgotten(with_plugins):
    """No scheduler has run the task under test yet; the other tasks have run far in the
    future, so that only the task under test can fire."""
    redis = connect_to_redis()
    keys = redis.keys(scheduler._key("*"))
    if keys:
        redis.delete(*keys)
    for name in TASKS:
        if name != TASK:
            scheduler.set_last_run(name, _now() + datetime.timedelta(days=365))


def _now():
    return datetime.datetime.now(calendar.timezone())


def _expiring_grant(world, mailbox):
    app = world.in_state("active", period_end=(today() + datetime.timedelta(days=3)).isoformat())
    run_jobs()
    mailbox.messages.clear()
    return app


def test_a_first_start_runs_nothing_and_remembers_when_it_started(app):
    now = _now()
    assert scheduler.tick(app.flask_app, now) == {}
    assert scheduler.last_run(TASK) == now


def test_a_firing_missed_while_down_runs_once_late(world, mailbox, cli, ckan_config,
                                                  monkeypatch):
    from ckan.cli.cli import ckan
    grant = _expiring_grant(world, mailbox)
    scheduler.set_last_run(TASK, _now() - datetime.timedelta(days=2))

    result = cli.invoke(ckan, ["zaozhuang", "scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{TASK}: reminders queued: 1 expiry, 0 deadline\n"
    again = cli.invoke(ckan, ["zaozhuang", "scheduler", "--once"])
    assert again.exit_code == 0 and again.output == ""

    # The command read the ini again: point the mail back at the test's server.
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{mailbox.port}")
    run_jobs()
    reminders = mailbox.to(world.users["applicant"]["email"])
    assert len(reminders) == 1
    assert grant["period_end"] in mailbox.body(reminders[0])


def test_two_schedulers_run_a_firing_once(app):
    now = _now()
    missed = now - datetime.timedelta(days=2)
    scheduler.set_last_run(TASK, missed)
    assert list(scheduler.tick(app.flask_app, now)) == [TASK]
    scheduler.set_last_run(TASK, missed)  # a second scheduler that has not seen the run
    assert scheduler.tick(app.flask_app, now) == {}


def test_nothing_runs_before_its_time(app):
    # 08:00 each day: from 08:01 to 07:59 the next day there is no firing.
    day = _now().replace(hour=8, minute=1, second=0, microsecond=0)
    scheduler.set_last_run(TASK, day)
    assert scheduler.tick(app.flask_app, day + datetime.timedelta(hours=23, minutes=58)) == {}
    assert scheduler.last_run(TASK) == day
    assert list(scheduler.tick(app.flask_app, day + datetime.timedelta(hours=24))) == [TASK]


@pytest.mark.ckan_config("ckanext.zaozhuang.schedule.send_reminders", "8 o'clock")
def test_a_time_that_cannot_be_read_stops_the_scheduler_at_its_start():
    with pytest.raises(ValueError, match="ckanext.zaozhuang.schedule.send_reminders"):
        scheduler.check_config()


def test_the_scheduler_process_runs_what_is_due(request, world, mailbox):
    grant = _expiring_grant(world, mailbox)
    scheduler.set_last_run(TASK, _now() - datetime.timedelta(days=2))
    process = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "ckan"), "-c",
         request.config.getoption("ckan_ini"), "zaozhuang", "scheduler"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while jobs.get_queue().count == 0:  # until the reminder's mail is queued
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
        assert scheduler.last_run(TASK) > _now() - datetime.timedelta(minutes=5)
        time.sleep(1)
        assert process.poll() is None  # it keeps running, waiting for the next firing
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    run_jobs()
    reminders = mailbox.to(world.users["applicant"]["email"])
    assert len(reminders) == 1, output
    assert grant["period_end"] in mailbox.body(reminders[0])
