"""Showcases (应用成果): apps, reports, studies and visualisations built on the portal's
data, published after the big-data authority's review."""
from __future__ import annotations

import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now

# pending: awaiting review; published: in the gallery; rejected: not published (with the
# reason); hidden: taken down after publication by the authority or a sysadmin.
STATES = ("pending", "published", "rejected", "hidden")


class Showcase(tk.BaseModel):
    __tablename__ = "zaozhuang_showcase"
    __table_args__ = (
        sa.Index("zaozhuang_showcase_one_per_link", "user_id", "link", unique=True,
                 postgresql_where=sa.text("state IN ('pending', 'published')")),
    )

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="pending",
                                       index=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    link: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    # The stored name of the uploaded image, served by the portal itself.
    image: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    review_reason: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    reviewed_by: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    reviewed_at: Mapped[Optional[datetime.datetime]] = mapped_column(sa.DateTime(timezone=True))
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, onupdate=now)


class ShowcaseDataset(tk.BaseModel):
    """A dataset a showcase uses."""
    __tablename__ = "zaozhuang_showcase_dataset"

    showcase_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("zaozhuang_showcase.id", ondelete="CASCADE"),
        primary_key=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, index=True)
