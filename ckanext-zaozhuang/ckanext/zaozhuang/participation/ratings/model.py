"""Ratings of datasets (1–5 stars, one per user per dataset) with an optional comment that
the providing department moderates."""
from __future__ import annotations

import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now

# none: no comment; pending: awaiting the department; approved: shown; hidden: withdrawn
# from view by the department, the authority or a sysadmin.
COMMENT_STATES = ("none", "pending", "approved", "hidden")


class Rating(tk.BaseModel):
    __tablename__ = "zaozhuang_rating"
    __table_args__ = (
        sa.UniqueConstraint("dataset_id", "user_id", name="zaozhuang_rating_one_per_user"),
    )

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    stars: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    comment: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    comment_state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="none")
    # When the comment was last written: the per-user rate limit counts these.
    commented_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        sa.DateTime(timezone=True))
    moderated_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    moderated_at: Mapped[Optional[datetime.datetime]] = mapped_column(
        sa.DateTime(timezone=True))
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, onupdate=now)
