"""The freezes in force, read from PostgreSQL when they change rather than on every request.

Every request decides on data under the freezes (security incidents), and a freeze must act
on the very next request, in every process. Each process keeps the sets it last read with
the version they were read at; a version number in Redis is raised after every commit that
adds or lifts a freeze, so a request costs one Redis GET instead of a query. The version key
expires: should a raise be lost (Redis failing just after the commit), the processes read the
freezes again within VERSION_SECONDS. Without Redis every request reads PostgreSQL."""
from __future__ import annotations

import logging
import secrets
from typing import Any, Optional

import redis
import sqlalchemy as sa
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.zaozhuang.access.model import Freeze, frozen

log = logging.getLogger(__name__)

VERSION_SECONDS = 60
_CHANGED = "zaozhuang.freezes_changed"

Sets = tuple[frozenset[str], frozenset[str]]
_known: tuple[Optional[bytes], Optional[Sets]] = (None, None)
_client: Optional[redis.Redis] = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = connect_to_redis()
    return _client


def _key() -> str:
    return (tk.config.get("ckan.site_id") or "ckan") + ":access:freeze-version"


def in_force() -> Sets:
    """(frozen dataset ids, frozen user ids), as committed."""
    global _known
    try:
        version = _redis().get(_key())
    except redis.RedisError:
        log.warning("Freezes read from the database: Redis is not answering", exc_info=True)
        return frozen()
    if version is not None and _known[0] == version and _known[1] is not None:
        return _known[1]
    sets = frozen()
    if version is None:
        # A new version, claimed only if no commit raised one meanwhile (which would make
        # what was just read possibly older than the version).
        version = str(secrets.randbits(62)).encode()
        try:
            if not _redis().set(_key(), version, nx=True, ex=VERSION_SECONDS):
                return sets
        except redis.RedisError:
            return sets
    _known = (version, sets)
    return sets


def _raise_version() -> None:
    global _known
    _known = (None, None)
    try:
        pipe = _redis().pipeline(transaction=True)
        pipe.incr(_key())
        pipe.expire(_key(), VERSION_SECONDS)
        pipe.execute()
    except redis.RedisError:
        log.error("A freeze changed but Redis did not take the new version: other processes "
                  "apply the former freezes for up to %s s", VERSION_SECONDS, exc_info=True)


@sa.event.listens_for(model.Session, "after_flush")
def _note_change(session: Any, _flush_context: Any) -> None:
    if any(isinstance(entity, Freeze)
           for entity in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


@sa.event.listens_for(model.Session, "after_commit")
def _after_commit(session: Any) -> None:
    if session.info.pop(_CHANGED, False):
        _raise_version()


@sa.event.listens_for(model.Session, "after_rollback")
def _after_rollback(session: Any) -> None:
    session.info.pop(_CHANGED, None)
