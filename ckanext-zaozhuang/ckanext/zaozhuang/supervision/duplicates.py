"""The duplicate-collection check (禁止重复采集): catalog entries of different departments that
describe the same data.

Two entries are alike by the character-bigram Jaccard similarity of their descriptions — the
title and the names of the data items (data_dictionary name_zh), which Chinese titles and item
lists repeat nearly verbatim when two departments collect the same thing. Pairs at or above
the configured threshold are candidates; the authority's resolution of a pair is kept in
DuplicateResolution."""
from __future__ import annotations

import datetime
import itertools
import json
import re
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now

RESOLUTIONS = ("not_duplicate", "merged")
# Punctuation and spaces do not make two descriptions different.
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


class DuplicateResolution(tk.BaseModel):
    """The authority's decision on one pair (dataset_a < dataset_b, unique)."""
    __tablename__ = "zaozhuang_duplicate_resolution"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    dataset_a: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    dataset_b: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    resolution: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    note: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    resolved_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    resolved_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)


def threshold() -> float:
    return tk.config.get("ckanext.zaozhuang.supervision.duplicate_threshold") / 100


def bigrams(text: str) -> frozenset[str]:
    text = _NOISE.sub("", text.lower())
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _item_names(extras: dict[str, Any]) -> list[str]:
    items = extras.get("data_dictionary") or []
    if isinstance(items, str):
        try:
            items = json.loads(items)
        except ValueError:
            return []
    return [str(i.get("name_zh") or "") for i in items if isinstance(i, dict)]


def description(title: str, extras: dict[str, Any]) -> str:
    return " ".join([title or "", *_item_names(extras or {})])


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def candidates(limit: Optional[float] = None) -> list[dict[str, Any]]:
    """Pairs of active catalog entries of different departments at least `limit` alike,
    most alike first. Every pair of the catalog is compared: a catalog of a few thousand
    entries takes seconds, and the check is run on request by the authority."""
    limit = threshold() if limit is None else limit
    rows = (model.Session.query(model.Package.id, model.Package.name, model.Package.title,
                                model.Package.owner_org, model.Package.extras)
            .filter(model.Package.state == "active", model.Package.type == "dataset",
                    model.Package.owner_org.isnot(None)).all())
    grams = {r.id: bigrams(description(r.title, r.extras)) for r in rows}
    found = []
    for a, b in itertools.combinations(rows, 2):
        if a.owner_org == b.owner_org:
            continue
        score = similarity(grams[a.id], grams[b.id])
        if score >= limit:
            first, second = (a, b) if a.id < b.id else (b, a)
            found.append({"dataset_a": first, "dataset_b": second, "similarity": round(score, 4)})
    found.sort(key=lambda p: (-p["similarity"], p["dataset_a"].id, p["dataset_b"].id))
    return found
