"""Reading the daily usage figures."""
from __future__ import annotations

import datetime
from typing import Any, Iterable

import sqlalchemy as sa

from ckan import model

from ckanext.zaozhuang.usage import counter
from ckanext.zaozhuang.usage.model import UsageDaily

# "Recent" is the last fortnight, as in CKAN's own tracking figures.
RECENT_DAYS = 14
FIGURES = {"view": "views", "download": "downloads", "api": "api_calls"}


def as_figures(found: dict[str, tuple[int, int]]) -> dict[str, Any]:
    return {name: found.get(kind, (0, 0))[0] for kind, name in FIGURES.items()} | {
        "recent": {name: found.get(kind, (0, 0))[1] for kind, name in FIGURES.items()}}


def since() -> datetime.date:
    return counter.today() - datetime.timedelta(days=RECENT_DAYS - 1)


def index_fields(dataset_id: str) -> dict[str, int]:
    """The Solr fields CKAN's schema has for usage: sorts by 最多浏览 and 最多下载."""
    found = totals([dataset_id], since()).get((dataset_id,), {})
    return {"views_total": found.get("view", (0, 0))[0],
            "views_recent": found.get("view", (0, 0))[1],
            "resources_accessed_total": found.get("download", (0, 0))[0],
            "resources_accessed_recent": found.get("download", (0, 0))[1]}


def totals(dataset_ids: Iterable[str], recent_from: datetime.date,
           by_resource: bool = False) -> dict[tuple[str, ...], dict[str, tuple[int, int]]]:
    """{(dataset id,) or (dataset id, resource id): {kind: (all time, since the day given)}}."""
    dataset_ids = list(dataset_ids)
    if not dataset_ids:
        return {}
    table = UsageDaily.__table__
    keys = [table.c.dataset_id] + ([table.c.resource_id] if by_resource else [])
    query = sa.select(
        *keys, table.c.kind, sa.func.sum(table.c["count"]),
        sa.func.coalesce(sa.func.sum(table.c["count"]).filter(table.c.day >= recent_from), 0),
    ).where(table.c.dataset_id.in_(dataset_ids)).group_by(*keys, table.c.kind)
    found: dict[tuple[str, ...], dict[str, tuple[int, int]]] = {}
    for row in model.Session.execute(query):
        *ids, kind, total, recent = row
        found.setdefault(tuple(ids), {})[kind] = (int(total), int(recent))
    return found


def portal_totals() -> dict[str, Any]:
    """The figures of the whole portal."""
    table = UsageDaily.__table__
    query = sa.select(
        table.c.kind, sa.func.sum(table.c["count"]),
        sa.func.coalesce(sa.func.sum(table.c["count"]).filter(table.c.day >= since()), 0),
    ).group_by(table.c.kind)
    return as_figures({kind: (int(total), int(recent))
                       for kind, total, recent in model.Session.execute(query)})
