"""Background catalog imports on the job worker (CKAN's jobs on Redis).

The worker checks every row first, as an import at once does, and writes nothing if one
fails. It then writes the rows in chunks (`ckanext.zaozhuang.catalog.import_chunk`); each
chunk's datasets, their index and the import's progress are committed together, so a worker
stopped or failed part-way leaves whole chunks and an exact count of rows done, and resuming
continues after them."""
from __future__ import annotations

import contextlib
import logging
import os
from typing import Any, Iterator, Optional

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.config.middleware.flask_app import make_flask_stack

from ckanext.zaozhuang.catalog import importer, spreadsheet
from ckanext.zaozhuang.catalog.model import CatalogImport

log = logging.getLogger(__name__)
_ = tk._


def _path(run_id: str) -> str:
    return os.path.join(tk.config["ckan.storage_path"], "catalog-imports", run_id)


def as_dict(run: CatalogImport) -> dict[str, Any]:
    user = model.User.get(run.user_id)
    return {
        "id": run.id, "user": user.name if user else None,
        "organization_id": run.organization_id, "filename": run.filename,
        "state": run.state, "total": run.total, "done": run.done, "created": run.created,
        "updated": run.updated, "unchanged": run.unchanged, "errors": run.errors,
        "started": run.started.isoformat(), "modified": run.modified.isoformat(),
    }


def _enqueue(run: CatalogImport) -> None:
    tk.enqueue_job(import_catalog, [run.id], title=f"zaozhuang catalog import {run.id}",
                   rq_kwargs={"timeout": tk.config.get("ckanext.zaozhuang.catalog.import_timeout")})


def start(user: model.User, organization: Optional[model.Group], content: bytes,
          filename: Optional[str], total: int) -> dict[str, Any]:
    """Keep the file, record the import and queue it."""
    run = CatalogImport(user_id=user.id, organization_id=organization.id if organization else None,
                        filename=os.path.basename(filename or "") or "catalog", total=total)
    model.Session.add(run)
    model.Session.flush()
    os.makedirs(os.path.dirname(_path(run.id)), exist_ok=True)
    with open(_path(run.id), "wb") as f:
        f.write(content)
    model.Session.commit()
    _enqueue(run)
    return as_dict(run)


@contextlib.contextmanager
def _running(run_id: str) -> Iterator[bool]:
    """Whether this process holds the import: a PostgreSQL advisory lock on a connection of
    its own, kept across the chunks' commits and released when the worker stops, however it
    stops."""
    with model.meta.engine.connect() as connection:
        key = sa.func.hashtext(f"zaozhuang_catalog_import:{run_id}")
        held = connection.execute(sa.select(sa.func.pg_try_advisory_lock(key))).scalar()
        try:
            yield held
        finally:
            if held:
                connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))


def is_running(run: CatalogImport) -> bool:
    with _running(run.id) as held:
        return not held


def resume(run: CatalogImport) -> dict[str, Any]:
    run.state, run.errors = "queued", None
    model.Session.commit()
    _enqueue(run)
    return as_dict(run)


def _errors(error: tk.ValidationError) -> dict[str, Any]:
    return {key: [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for key, messages in error.error_dict.items()}


def import_catalog(run_id: str) -> None:
    """The job: check every row, then write the rows not yet done, chunk by chunk. An import
    queued twice runs once: the second job finds it running or done."""
    with _running(run_id) as held:
        run = model.Session.get(CatalogImport, run_id)
        if not held or run is None or run.state == "done":
            return
        # Validation messages are translated within a request, in the site's language.
        with make_flask_stack()._wsgi_app.test_request_context():
            _run(run)


def _run(run: CatalogImport) -> None:
    user = model.User.get(run.user_id)
    context = {"user": user.name if user else ""}
    run.state = "checking"
    model.Session.commit()
    try:
        with open(_path(run.id), "rb") as f:
            sheet = spreadsheet.read(f.read())
        rows = importer.Planner(context, model.Group.get(run.organization_id)
                                if run.organization_id else None).plan(sheet)
        run.state = "writing"
        model.Session.commit()
        size = tk.config.get("ckanext.zaozhuang.catalog.import_chunk")
        for first in range(run.done, len(rows), size):
            chunk = rows[first:first + size]
            # Committed by the write, with the chunk's datasets.
            run.done = first + len(chunk)
            for result in ("created", "updated", "unchanged"):
                setattr(run, result, getattr(run, result)
                        + sum(1 for r in chunk if r.result == result))
            importer.write(context, chunk, dry_run=False)
    except (tk.ValidationError, tk.NotAuthorized, spreadsheet.SpreadsheetError) as error:
        model.Session.rollback()
        run.state = "failed"
        run.errors = (_errors(error) if isinstance(error, tk.ValidationError)
                      else {"upload": [str(error) or _("Not authorized")]})
        model.Session.commit()
        return
    except Exception:
        log.exception("catalog import %s failed", run.id)
        model.Session.rollback()
        run.state = "failed"
        run.errors = {"import": [_("The import stopped at row {row} of {total}; resume it to "
                                   "continue.").format(row=run.done + 1, total=run.total)]}
        model.Session.commit()
        raise
    run.state = "done"
    model.Session.commit()
    os.remove(_path(run.id))
