"""Folding the day's counts from Redis into PostgreSQL, and the index after them."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert

from ckan import logic, model
from ckan.lib import search
from ckan.lib.redis import connect_to_redis

from ckanext.zaozhuang.usage import counter
from ckanext.zaozhuang.usage.model import KINDS, UsageDaily


def _read_counts() -> list[dict[str, Any]]:
    counter.flush()  # this process's own uses; the others' are at most a second behind
    redis = connect_to_redis()
    found = []
    for name in redis.scan_iter(match=counter.prefix() + "*", count=1000):
        parsed = counter.parse(name.decode())
        if parsed is None or parsed[1] not in KINDS:
            continue
        found.append((name, parsed))
    pipe = redis.pipeline(transaction=False)
    for name, (_day, kind, _dataset, _resource) in found:
        if kind == "api":
            pipe.get(name)
        else:
            pipe.scard(name)
    rows = []
    for (_name, (day, kind, dataset_id, resource_id)), value in zip(found, pipe.execute()):
        rows.append({"day": day, "kind": kind, "dataset_id": dataset_id,
                     "resource_id": resource_id, "count": int(value or 0)})
    return rows


def fold() -> str:
    """Write each counted day as it stands in Redis. A key holds the whole day's count, so
    folding again (the next run, or two schedulers) sets the same figure, never adds it twice.
    The datasets whose figures changed are indexed again, for the search sorts."""
    rows = _read_counts()
    changed: set[str] = set()
    if rows:
        table = UsageDaily.__table__
        statement = insert(table).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=["day", "kind", "dataset_id", "resource_id"],
            set_={"count": statement.excluded["count"]},
            where=table.c["count"] != statement.excluded["count"],
        ).returning(table.c.dataset_id)
        changed = {dataset_id for (dataset_id,) in model.Session.execute(statement)}
        model.Session.commit()
    live = [package_id for (package_id,) in model.Session.query(model.Package.id).filter(
        model.Package.id.in_(changed), model.Package.state != "deleted")] if changed else []
    for package_id in live:
        logic.index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
    if live:
        search.commit()
    return f"usage: {len(rows)} daily figures read, {len(live)} datasets indexed again"

