"""Counting uses as requests are answered: one Redis round trip, no database write.

Each day, kind, dataset and resource has a key: for views and downloads a set of visitors
(a visitor counted once a day however often they reload), for API calls a counter. The keys
live a few days, long enough for the scheduler to fold them into PostgreSQL (jobs.fold)."""
from __future__ import annotations

import datetime
import hashlib
import logging
import zoneinfo
from typing import Optional

import redis
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.zaozhuang.usage.model import NO_RESOURCE

log = logging.getLogger(__name__)

KEY_SECONDS = 3 * 24 * 3600


def prefix() -> str:
    return (tk.config.get("ckan.site_id") or "ckan") + ":usage:"


def today() -> datetime.date:
    zone = zoneinfo.ZoneInfo(tk.config.get("ckan.display_timezone") or "Asia/Shanghai")
    return datetime.datetime.now(zone).date()


def visitor(user_id: Optional[str], address: Optional[str], agent: Optional[str]) -> str:
    """A logged-in user is themselves; an anonymous visitor is their address and browser,
    kept only as a digest."""
    if user_id:
        return "u" + user_id
    digest = hashlib.sha256(f"{address}|{agent}".encode("utf-8", "replace")).hexdigest()
    return "a" + digest[:24]


def key(day: datetime.date, kind: str, dataset_id: str, resource_id: str) -> str:
    return f"{prefix()}{day.isoformat()}:{kind}:{dataset_id}:{resource_id or '-'}"


def parse(name: str) -> Optional[tuple[datetime.date, str, str, str]]:
    """(day, kind, dataset id, resource id) of a key `key` made, or None."""
    parts = name[len(prefix()):].split(":")
    if len(parts) != 4:
        return None
    try:
        day = datetime.date.fromisoformat(parts[0])
    except ValueError:
        return None
    resource_id = NO_RESOURCE if parts[3] == "-" else parts[3]
    return day, parts[1], parts[2], resource_id


def count(kind: str, dataset_id: str, resource_id: str, who: str) -> None:
    name = key(today(), kind, dataset_id, resource_id)
    try:
        pipe = connect_to_redis().pipeline(transaction=False)
        if kind == "api":
            pipe.incr(name)
        else:
            pipe.sadd(name, who)
        pipe.expire(name, KEY_SECONDS)
        pipe.execute()
    except redis.RedisError:
        # A figure missed is better than a page refused.
        log.warning("Usage not counted: Redis is not answering", exc_info=True)
