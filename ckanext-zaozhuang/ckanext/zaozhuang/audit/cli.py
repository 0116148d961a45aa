"""`ckan zaozhuang audit ...` commands."""
from __future__ import annotations

import csv

import click

import ckan.plugins.toolkit as tk

COLUMNS = ("created", "event", "outcome", "user_name", "user_id", "dataset_id",
           "organization_id", "resource_id", "grant_id", "path", "client_address", "detail")
PAGE = 1000


@click.group(name="audit", short_help="The access log (安全审计).")
def group() -> None:
    pass


@group.command("export")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="CSV file to write (default: standard output).")
@click.option("--organization", help="Only entries of this department's datasets (id).")
@click.option("--since", help="Only entries from this date on (YYYY-MM-DD).")
@click.option("--until", help="Only entries before this date (YYYY-MM-DD).")
def export(output, organization, since, until) -> None:
    """Write the access log as CSV, newest entries first."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    filters = {k: v for k, v in (("organization_id", organization), ("since", since),
                                 ("until", until)) if v}
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    offset, written = 0, 0
    while True:
        try:
            page = tk.get_action("zaozhuang_audit_list")(
                {"user": site_user["name"]}, dict(filters, limit=PAGE, offset=offset))
        except tk.ValidationError as e:
            raise click.UsageError(str(e.error_summary))
        for entry in page["results"]:
            writer.writerow([entry[c] for c in COLUMNS])
        written += len(page["results"])
        offset += PAGE
        if offset >= page["count"]:
            break
    click.echo(f"{written} entries written", err=True)


@group.command("verify")
def verify() -> None:
    """Check the access log's hash chain; name the first entry where it breaks."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    result = tk.get_action("zaozhuang_audit_verify")({"user": site_user["name"]}, {})
    if result["valid"]:
        click.echo(f"access log intact: {result['checked']} entries verified")
        return
    broken = result["first_broken"]
    what = ("was altered" if broken["problem"] == "content"
            else "does not follow the entry before it, which was altered or removed")
    raise click.ClickException(
        f"access log broken at entry {broken['id']} (number {broken['seq']}): it {what}; "
        f"{result['checked']} entries before it verified")
