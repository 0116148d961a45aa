"""Counting uses as requests are answered: no database write, and no wait on Redis.

Each day, kind, dataset and resource has a key: for views and downloads a set of visitors
(a visitor counted once a day however often they reload), for API calls a counter. The keys
live a few days, long enough for the scheduler to fold them into PostgreSQL (jobs.fold).
A request only notes its use; a thread of the process writes the uses noted to Redis every
FLUSH_SECONDS in one round trip, and whatever reads the keys flushes its own process first.
A process killed outright loses at most the last second's uses."""
from __future__ import annotations

import atexit
import datetime
import hashlib
import logging
import os
import threading
import time
import zoneinfo
from typing import Optional

import redis
import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.zaozhuang.usage.model import NO_RESOURCE

log = logging.getLogger(__name__)

KEY_SECONDS = 3 * 24 * 3600
FLUSH_SECONDS = 1.0

# Uses noted and not yet written: (key, kind, visitor). The flush lock is held while a batch
# is written, so that a flush returns only once every use noted before it is in Redis.
_noted: list[tuple[str, str, str]] = []
_noted_lock = threading.Lock()
_flush_lock = threading.Lock()
_flusher_pid: Optional[int] = None


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
    """Note a use, for the next flush."""
    entry = (key(today(), kind, dataset_id, resource_id), kind, who)
    with _noted_lock:
        _noted.append(entry)
    if _flusher_pid != os.getpid():
        _start_flusher()


def flush() -> None:
    """Write the uses this process noted to Redis."""
    with _flush_lock:
        with _noted_lock:
            batch = _noted[:]
            del _noted[:]
        if not batch:
            return
        try:
            pipe = connect_to_redis().pipeline(transaction=False)
            for name, kind, who in batch:
                if kind == "api":
                    pipe.incr(name)
                else:
                    pipe.sadd(name, who)
                pipe.expire(name, KEY_SECONDS)
            pipe.execute()
        except redis.RedisError:
            # Figures missed are better than pages refused.
            log.warning("%s uses not counted: Redis is not answering", len(batch),
                        exc_info=True)


def _flush_regularly() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        try:
            flush()
        except Exception:  # the thread must outlive any one failure
            log.exception("Usage flush failed")


def _start_flusher() -> None:
    """One flushing thread per process, started on the first use (after the web server's
    fork: a thread does not survive it)."""
    global _flusher_pid
    with _flush_lock:
        if _flusher_pid == os.getpid():
            return
        threading.Thread(target=_flush_regularly, name="usage-flush", daemon=True).start()
        if _flusher_pid is None:
            atexit.register(flush)
        _flusher_pid = os.getpid()
