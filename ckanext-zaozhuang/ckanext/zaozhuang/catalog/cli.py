"""`ckan zaozhuang catalog ...` commands."""
from __future__ import annotations

import base64
import os
import time
from typing import Any, NoReturn, Optional

import click

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.catalog.importer import CatalogImportError


@click.group(name="catalog", short_help="Catalog commands.")
def group() -> None:
    pass


def _context(user: Optional[str]) -> dict[str, Any]:
    """The given user, or the site user (a sysadmin) by default."""
    if not user:
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user}


def _fail(ctx: click.Context, lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    ctx.exit(1)


def _error_lines(error: Exception) -> list[str]:
    if isinstance(error, CatalogImportError):
        return ["{} [{}]: {}".format(tk._("Row {row}").format(row=p.row), p.column, p.message)
                if p.row is not None else f"[{p.column}]: {p.message}"
                for p in error.problems]
    if isinstance(error, tk.ValidationError):
        return [f"{key}: {message}" for key, messages in error.error_dict.items()
                for message in (messages if isinstance(messages, list) else [messages])]
    return [str(error) or tk._("Not authorized")]


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--org", help="Department (name or id) every row goes to.")
@click.option("--dry-run", is_flag=True, help="Check every row and count, write nothing.")
@click.option("--background", is_flag=True,
              help="Let the job worker import it, in chunks that resume after a failure; "
                   "show its progress until it ends (Ctrl-C stops showing, not importing).")
@click.option("--user", help="Import as this user (default: the site user).")
@click.pass_context
def import_catalog(ctx: click.Context, file: str, org: Optional[str], dry_run: bool,
                   background: bool, user: Optional[str]) -> None:
    """Create or update datasets from a catalog spreadsheet (.xlsx or .csv).

    Every row is checked first; if any row has an error, each error is printed as
    "第N行 [列名]: 消息" and nothing is written (exit code 1)."""
    with open(file, "rb") as f:
        content = f.read()
    # A request context gives messages in the site's default language.
    with ctx.meta["flask_app"].test_request_context():
        try:
            result = tk.get_action("zaozhuang_catalog_import")(_context(user), {
                "upload": content, "owner_org": org, "dry_run": dry_run,
                "background": background})
        except (tk.ValidationError, tk.NotAuthorized) as error:
            _fail(ctx, _error_lines(error))
        if background:
            _follow(ctx, result["id"], user)
            return
        click.echo(tk._("Created: {created}, updated: {updated}, unchanged: {unchanged}")
                   .format(**result))
        if dry_run:
            click.echo(tk._("Dry run: nothing was written."))


def _follow(ctx: click.Context, run_id: str, user: Optional[str]) -> None:
    """Print a background import's progress until it ends."""
    click.echo(tk._("Import {id} queued").format(id=run_id))
    shown = None
    while True:
        run = tk.get_action("zaozhuang_catalog_import_show")(_context(user), {"id": run_id})
        line = tk._("{state}: {done} of {total} rows written").format(
            state=run["state"], done=run["done"], total=run["total"])
        if line != shown:
            click.echo(line)
            shown = line
        if run["state"] == "done":
            click.echo(tk._("Created: {created}, updated: {updated}, unchanged: {unchanged}")
                       .format(**run))
            return
        if run["state"] == "failed":
            _fail(ctx, [f"{key}: {message}" for key, messages in run["errors"].items()
                        for message in messages]
                  + [tk._("Resume it with: ckan zaozhuang catalog resume {id}").format(id=run_id)])
        time.sleep(2)


@group.command("resume")
@click.argument("import_id")
@click.option("--user", help="As this user (default: the site user).")
@click.pass_context
def resume_import(ctx: click.Context, import_id: str, user: Optional[str]) -> None:
    """Queue a background import that failed or whose worker stopped again, and show its
    progress: it continues after the rows already written."""
    with ctx.meta["flask_app"].test_request_context():
        try:
            tk.get_action("zaozhuang_catalog_import_resume")(_context(user), {"id": import_id})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as error:
            _fail(ctx, _error_lines(error))
        _follow(ctx, import_id, user)


@group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--org", help="Department (name or id) to export (default: every department).")
@click.option("--user", help="Export what this user may see (default: the site user).")
@click.pass_context
def export_catalog(ctx: click.Context, file: str, org: Optional[str],
                   user: Optional[str]) -> None:
    """Write the catalog to FILE; its extension (.xlsx or .csv) chooses the format.
    The file can be edited and imported again."""
    fmt = os.path.splitext(file)[1].lower().lstrip(".")
    if fmt not in spreadsheet.FORMATS:
        raise click.BadParameter("use a file name ending in .xlsx or .csv", param_hint="FILE")
    with ctx.meta["flask_app"].test_request_context():
        try:
            result = tk.get_action("zaozhuang_catalog_export")(_context(user), {
                "owner_org": org, "format": fmt})
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as error:
            _fail(ctx, _error_lines(error))
        with open(file, "wb") as f:
            f.write(base64.b64decode(result["content"]))
        click.echo(tk._("{count} datasets written to {file}").format(
            count=result["count"], file=file))
