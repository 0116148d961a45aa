"""Notifications: composed when a change is saved, sent by CKAN's background jobs on the
real Redis to a real local SMTP server; a mail server that is down loses nothing."""
import datetime

import pytest
from freezegun import freeze_time

from ckan.lib import jobs

from ckanext.zaozhuang.applications.jobs import MAIL_RETRY
from tests.applications.mailbox import Mailbox, free_port, run_jobs
from tests.applications.world import today


def _email(world, role):
    return world.users[role]["email"]


class TestMails:
    def test_reviewers_hear_of_submissions_and_resubmissions(self, world, mailbox):
        app = world.apply()
        world.act("applicant", "application_submit", id=app["id"])
        assert mailbox.messages == []  # nothing is sent inside the request
        run_jobs()
        assert mailbox.recipients() == sorted([_email(world, "provider_admin"),
                                               _email(world, "provider_editor")])
        message = mailbox.to(_email(world, "provider_editor"))[0]
        assert "枣庄市企业信用评价信息" in message["Subject"]
        assert app["id"] in mailbox.body(message)

        world.act("provider_editor", "application_return", id=app["id"], reason="请补充用途说明")
        run_jobs()
        returned = mailbox.to(_email(world, "applicant"))
        assert len(returned) == 1
        assert "请补充用途说明" in mailbox.body(returned[0])

        world.act("applicant", "application_submit", id=app["id"])
        run_jobs()
        assert len(mailbox.to(_email(world, "provider_admin"))) == 2

    def test_applicant_hears_of_the_decision_and_both_of_a_revocation(self, world, mailbox):
        app = world.in_state("active")
        run_jobs()
        decided = mailbox.to(_email(world, "applicant"))
        assert len(decided) == 1
        assert "枣庄市企业信用评价信息" in decided[0]["Subject"]
        mailbox.messages.clear()

        grant = world.act("applicant", "grant_list", application_id=app["id"])[0]
        world.act("authority", "grant_revoke", id=grant["id"], reason="违规向第三方提供数据")
        run_jobs()
        assert mailbox.recipients() == sorted([_email(world, "applicant"),
                                               _email(world, "provider_admin"),
                                               _email(world, "provider_editor")])
        assert all("违规向第三方提供数据" in mailbox.body(m) for m in mailbox.messages)

    def test_rejection_reason_reaches_the_applicant(self, world, mailbox):
        world.in_state("rejected")
        run_jobs()
        rejected = [m for m in mailbox.to(_email(world, "applicant"))]
        assert len(rejected) == 1
        assert "需要补充材料" in mailbox.body(rejected[0])

    @pytest.mark.ckan_config("ckanext.zaozhuang.applications.mail", False)
    def test_mail_can_be_switched_off(self, world, mailbox):
        world.in_state("approved")
        run_jobs()
        assert mailbox.messages == []


class TestMailServerDown:
    def test_the_mail_is_retried_until_the_server_is_back(self, world, ckan_config,
                                                          monkeypatch, fresh_queues):
        port = free_port()  # nothing listens there yet
        monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
        app = world.apply()
        shown = world.act("applicant", "application_submit", id=app["id"])
        assert shown["state"] == "submitted"  # the application is saved regardless

        run_jobs()
        queue = jobs.get_queue()
        scheduled = queue.scheduled_job_registry.get_job_ids()
        assert len(scheduled) == 2  # one mail per reviewer, both waiting to be retried
        waiting = [queue.fetch_job(i) for i in scheduled]
        assert all(job.retries_left == MAIL_RETRY.max - 1 for job in waiting)

        box = Mailbox(port)
        box.start()
        try:
            # What rq's scheduler does when the retry interval is over.
            for job_id in scheduled:
                queue.scheduled_job_registry.requeue(job_id)
            run_jobs()
        finally:
            box.stop()
        assert box.recipients() == sorted([_email(world, "provider_admin"),
                                           _email(world, "provider_editor")])
        assert queue.scheduled_job_registry.get_job_ids() == []


class TestReminders:
    """The cron command, run as cron runs it (it reads the ini again, so the test points the
    mail back at its own server before sending)."""

    @pytest.fixture(autouse=True)
    def _resend_to_mailbox(self, mailbox, ckan_config, monkeypatch):
        def point() -> None:
            monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{mailbox.port}")
        self.point = point

    def test_holder_is_reminded_once_before_expiry(self, world, mailbox, cli):
        from ckan.cli.cli import ckan
        app = world.in_state("active", period_end=(today() + datetime.timedelta(days=20))
                             .isoformat())
        run_jobs()
        mailbox.messages.clear()

        result = cli.invoke(ckan, ["zaozhuang", "applications", "send-reminders"])
        assert result.exit_code == 0, result.output
        assert "0 expiry" in result.output
        later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=15)
        with freeze_time(later):
            result = cli.invoke(ckan, ["zaozhuang", "applications", "send-reminders"])
            assert "1 expiry" in result.output, result.output
            result = cli.invoke(ckan, ["zaozhuang", "applications", "send-reminders"])
            assert "0 expiry" in result.output
        self.point()
        run_jobs()
        reminders = mailbox.to(_email(world, "applicant"))
        assert len(reminders) == 1
        assert app["period_end"] in mailbox.body(reminders[0])

    def test_reviewers_are_reminded_before_a_deadline(self, world, mailbox, cli):
        from ckan.cli.cli import ckan
        with freeze_time("2026-09-30 02:00:00"):
            world.act("applicant", "application_submit", id=world.apply()["id"])
        run_jobs()
        mailbox.messages.clear()
        # Form check due Tuesday 2026-10-13: two working days before is Saturday 10-10,
        # a worked day (调休).
        with freeze_time("2026-10-09 02:00:00"):
            result = cli.invoke(ckan, ["zaozhuang", "applications", "send-reminders"])
            assert "0 deadline" in result.output, result.output
        with freeze_time("2026-10-10 02:00:00"):
            result = cli.invoke(ckan, ["zaozhuang", "applications", "send-reminders"])
            assert "1 deadline" in result.output, result.output
        self.point()
        run_jobs()
        assert mailbox.recipients() == sorted([_email(world, "provider_admin"),
                                               _email(world, "provider_editor")])
