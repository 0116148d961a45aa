"""`ckan zaozhuang ...` commands."""
from __future__ import annotations

import os

import click

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.applications import cli as applications_cli
from ckanext.zaozhuang.audit import cli as audit_cli
from ckanext.zaozhuang.catalog import cli as catalog_cli
from ckanext.zaozhuang.schedule import cli as schedule_cli

__all__ = ["zaozhuang"]


@click.group(short_help="Zaozhuang portal commands.")
def zaozhuang() -> None:
    pass


for _domain in (catalog_cli, audit_cli, applications_cli, schedule_cli):
    zaozhuang.add_command(_domain.group)


@zaozhuang.group(short_help="The demo catalog.")
def demo() -> None:
    pass


@demo.command("load")
@click.option("--admin-password-file", type=click.Path(dir_okay=False),
              help="Where to keep the demo sysadmin's password (created with the account).")
def demo_load(admin_password_file: str | None) -> None:
    """Create the demo sysadmin, departments and datasets that are missing."""
    from ckanext.zaozhuang import demo as demo_catalog

    password_file = admin_password_file or os.path.join(
        tk.config["ckan.storage_path"], "admin_password")
    name, password = demo_catalog.ensure_sysadmin(password_file)
    created = demo_catalog.load()
    click.echo(f"demo catalog: {len(created)} datasets created")
    if password:
        click.echo(f"sysadmin {name} created; password kept in {password_file}")
