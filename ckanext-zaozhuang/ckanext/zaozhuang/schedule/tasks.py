"""The portal's periodic tasks: each runs at the times a cron expression of the configuration
names, in the portal's time zone (``ckan.display_timezone``)."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from ckanext.zaozhuang.applications import jobs as application_jobs
from ckanext.zaozhuang.supervision import reports
from ckanext.zaozhuang.usage import jobs as usage_jobs


class Task(NamedTuple):
    config_key: str
    run: Callable[[Any], str]  # given the Flask app, returns a line for the log


TASKS: dict[str, Task] = {
    "send-reminders": Task("ckanext.zaozhuang.schedule.send_reminders",
                           application_jobs.send_reminders),
    "fold-usage": Task("ckanext.zaozhuang.schedule.fold_usage", lambda app: usage_jobs.fold()),
    "evaluation-reports": Task("ckanext.zaozhuang.schedule.evaluation_reports",
                               reports.scheduled),
}
