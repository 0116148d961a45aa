"""Background jobs of the applications domain (CKAN's jobs on Redis) and its periodic
reminders."""
from __future__ import annotations

import logging
from typing import Any

from rq import Retry

import ckan.plugins.toolkit as tk
from ckan.lib import mailer

log = logging.getLogger(__name__)

# A mail server that is down is tried again after 1, 5, 15 minutes, 1 and 4 hours.
MAIL_RETRY = Retry(max=5, interval=[60, 300, 900, 3600, 14400])


def send_mail(recipient_name: str, email: str, subject: str, body: str) -> None:
    """Send one notification; a failure raises, so rq keeps the job and retries it."""
    mailer.mail_recipient(recipient_name, email, subject, body)


def enqueue_mail(recipient_name: str, email: str, subject: str, body: str) -> None:
    try:
        tk.enqueue_job(send_mail, [recipient_name, email, subject, body],
                       title=f"zaozhuang mail to {email}", rq_kwargs={"retry": MAIL_RETRY})
    except Exception:  # noqa: BLE001 - the change is saved; only its notification is lost
        log.exception("could not queue the notification to %s (%s)", email, subject)


def send_reminders(flask_app: Any) -> str:
    """Queue the reminders due today (grants about to expire, review deadlines near), as the
    site user; a periodic task of the scheduler and a command of its own."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    # A request context gives the mails the portal's language and absolute links.
    with flask_app.test_request_context():
        sent = tk.get_action("zaozhuang_application_send_reminders")(
            {"user": site_user["name"]}, {})
    return f"reminders queued: {sent['expiry']} expiry, {sent['deadline']} deadline"
