"""`ckan zaozhuang applications ...` commands."""
import click

from ckanext.zaozhuang.applications import jobs


@click.group(name="applications", short_help="Applications commands.")
def group() -> None:
    pass


@group.command("send-reminders")
@click.pass_context
def send_reminders(ctx: click.Context) -> None:
    """Queue the reminders due today: grants about to expire, review deadlines near. The
    scheduler (`ckan zaozhuang scheduler`) runs this daily; each reminder goes out once."""
    click.echo(jobs.send_reminders(ctx.meta["flask_app"]))
