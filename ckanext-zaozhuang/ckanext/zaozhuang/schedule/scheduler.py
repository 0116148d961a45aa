"""The scheduler process (`ckan zaozhuang scheduler`): wakes every half minute and runs each
task whose cron time has come since it last ran.

What ran when is kept in Redis, so a restarted scheduler neither repeats a run nor loses one
missed while it was down (it runs it once, late), and a firing is claimed before it runs, so
two schedulers started by mistake run it once between them."""
from __future__ import annotations

import datetime
import logging
import time
from typing import Any, Optional

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis
from croniter import croniter

from ckanext.zaozhuang.applications import calendar
from ckanext.zaozhuang.schedule.tasks import TASKS

log = logging.getLogger(__name__)

TICK_SECONDS = 30
# A claimed firing is remembered long enough for any late scheduler to see it.
CLAIM_SECONDS = 7 * 24 * 3600


def _key(*parts: str) -> str:
    return ":".join((tk.config.get("ckan.site_id") or "ckan", "schedule") + parts)


def last_run(name: str) -> Optional[datetime.datetime]:
    value = connect_to_redis().get(_key(name, "last"))
    return datetime.datetime.fromisoformat(value.decode()) if value else None


def set_last_run(name: str, when: datetime.datetime) -> None:
    connect_to_redis().set(_key(name, "last"), when.isoformat())


def latest_firing(expression: str, after: datetime.datetime,
                  until: datetime.datetime) -> Optional[datetime.datetime]:
    """The last time the expression names in (after, until], or None."""
    firing = croniter(expression, until + datetime.timedelta(seconds=1)).get_prev(
        datetime.datetime)
    return firing if firing > after else None


def tick(flask_app: Any, now: Optional[datetime.datetime] = None) -> dict[str, str]:
    """Run what is due at `now`; returns, per task run, what it reported."""
    now = now or datetime.datetime.now(calendar.timezone())
    redis = connect_to_redis()
    ran = {}
    for name, task in TASKS.items():
        last = last_run(name)
        if last is None:  # first start: nothing missed yet
            set_last_run(name, now)
            continue
        firing = latest_firing(tk.config.get(task.config_key), last, now)
        if firing is None:
            continue
        set_last_run(name, now)
        if not redis.set(_key(name, firing.isoformat()), now.isoformat(), nx=True,
                         ex=CLAIM_SECONDS):
            continue  # another scheduler ran this firing
        try:
            ran[name] = task.run(flask_app)
            log.info("%s (due %s): %s", name, firing.isoformat(), ran[name])
        except Exception:  # noqa: BLE001 - one failing task must not stop the others
            log.exception("%s (due %s) failed", name, firing.isoformat())
            ran[name] = "failed"
    return ran


def check_config() -> None:
    """A task whose time cannot be read stops the scheduler at its start, not at its first
    tick."""
    for task in TASKS.values():
        if not croniter.is_valid(tk.config.get(task.config_key) or ""):
            raise ValueError(f"{task.config_key}: not a cron expression")


def run_forever(flask_app: Any) -> None:
    log.info("scheduler started: %s", ", ".join(
        f"{name} at '{tk.config.get(task.config_key)}'" for name, task in TASKS.items()))
    while True:
        tick(flask_app)
        time.sleep(TICK_SECONDS)
