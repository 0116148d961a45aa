"""Background catalog imports: one row per import, its file kept until it is done."""
from __future__ import annotations

import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.zaozhuang.access.model import now

STATES = ("queued", "checking", "writing", "done", "failed")


class CatalogImport(tk.BaseModel):
    """A catalog spreadsheet imported by the job worker, in chunks of rows.

    Each chunk is written, indexed and committed together with `done` (the rows finished), so
    after a failure or a stopped worker the import resumes at the first row not written."""
    __tablename__ = "zaozhuang_catalog_import"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    organization_id: Mapped[Optional[str]] = mapped_column(sa.UnicodeText)
    filename: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="queued")
    total: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    done: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    created: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    updated: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    unchanged: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    # {"<row and column>": [messages]} of a failed check, as the import's ValidationError.
    errors: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONB)
    started: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now)
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=now, onupdate=now)
