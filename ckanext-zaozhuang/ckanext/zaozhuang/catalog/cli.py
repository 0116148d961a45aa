"""`ckan zaozhuang catalog ...` commands."""
from __future__ import annotations

import base64
import os
from typing import Any, NoReturn, Optional

import click

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.catalog import spreadsheet
from ckanext.zaozhuang.catalog.actions import CatalogImportError


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
@click.option("--user", help="Import as this user (default: the site user).")
@click.pass_context
def import_catalog(ctx: click.Context, file: str, org: Optional[str], dry_run: bool,
                   user: Optional[str]) -> None:
    """Create or update datasets from a catalog spreadsheet (.xlsx or .csv).

    Every row is checked first; if any row has an error, each error is printed as
    "第N行 [列名]: 消息" and nothing is written (exit code 1)."""
    with open(file, "rb") as f:
        content = f.read()
    # A request context gives messages in the site's default language.
    with ctx.meta["flask_app"].test_request_context():
        try:
            result = tk.get_action("zaozhuang_catalog_import")(_context(user), {
                "upload": content, "owner_org": org, "dry_run": dry_run})
        except (tk.ValidationError, tk.NotAuthorized) as error:
            _fail(ctx, _error_lines(error))
        click.echo(tk._("Created: {created}, updated: {updated}, unchanged: {unchanged}")
                   .format(**result))
        if dry_run:
            click.echo(tk._("Dry run: nothing was written."))


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
