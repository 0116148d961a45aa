"""Daily usage figures, one row per day, kind, dataset and resource."""
from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk

KINDS = ("view", "download", "api")
# A figure of the whole dataset (its page viewed, its metadata called) has no resource.
NO_RESOURCE = ""


class UsageDaily(tk.BaseModel):
    """How many visitors viewed or downloaded (each counted once a day), or how many API
    calls were answered, for one dataset or resource on one day of the portal's time zone."""
    __tablename__ = "zaozhuang_usage_daily"

    day: Mapped[datetime.date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, index=True)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer, nullable=False)

